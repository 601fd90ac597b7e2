"""Qualitative statements of Supplement Sec. IV at ε = 0.5 eV, Γ = 0.1 eV."""

import pytest

from conftest import toy_result

GRID = 16


@pytest.fixture(scope="module")
def without_soc():
    return toy_result(0.0, GRID, (0.5,))


@pytest.fixture(scope="module")
def with_soc():
    return toy_result(0.05, GRID, (0.5,))


def test_soc_lowers_the_charge_diffusivity(without_soc, with_soc):
    assert with_soc.charge[0, 0, 0] < without_soc.charge[0, 0, 0]


def test_spin_becomes_anisotropic_with_soc(without_soc, with_soc):
    assert without_soc.D("sx x", "sx x")[0] == pytest.approx(without_soc.D("sy x", "sy x")[0])
    sx, sy = with_soc.D("sx x", "sx x")[0], with_soc.D("sy x", "sy x")[0]
    assert abs(sx - sy) > 1e-2 * abs(sx)


def test_orbital_anisotropic_and_enhanced_by_soc(without_soc, with_soc):
    for result in (without_soc, with_soc):
        lx, ly = result.D("lx x", "lx x")[0], result.D("ly x", "ly x")[0]
        assert abs(lx - ly) > 1e-2 * abs(lx)
    for component in ("lx x", "ly x"):
        assert with_soc.D(component, component)[0] > without_soc.D(component, component)[0]


def test_orbital_swapping_without_soc(without_soc):
    efficiency = without_soc.swapping_efficiencies()["l->l"][0]
    assert efficiency > 0.05
    assert without_soc.swapping_efficiencies()["s->s"][0] < 1e-10


def test_spin_to_orbit_exceeds_orbit_to_spin(with_soc):
    spin_to_orbit = abs(with_soc.D("lx x", "sx x")[0])
    orbit_to_spin = abs(with_soc.D("sx x", "lx x")[0])
    assert spin_to_orbit > orbit_to_spin > 0
