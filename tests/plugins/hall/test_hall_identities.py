"""Selection rules, SOC and exchange limits, symmetry reduction and the Γ → 0 limit."""

import functools
import itertools

import numpy as np
import pytest

import orbdiff
from orbdiff.structure import KGrid
from orbdiff_plugins.ferromagnet import with_exchange

ENERGIES = (-0.6, -0.2, 0.25, 0.5)


@functools.cache
def toy_hall(xi=0.05, grid=8, formula="bastin", symmetry=False, gamma=0.1, exchange=None):
    model = orbdiff.load_model("bcc-p-toy", xi=xi)
    if exchange is not None:
        model = with_exchange(model, exchange[0], exchange[1:])
    return orbdiff.compute("hall", model, grid=grid, energies=np.array(ENERGIES), gamma=gamma,
                           formula=formula, symmetry=symmetry)


def _levi_civita():
    eps = np.zeros((3, 3, 3))
    for perm in itertools.permutations(range(3)):
        eps[perm] = np.linalg.det(np.eye(3)[list(perm)])
    return eps


@pytest.mark.parametrize("formula", ["bastin", "intrinsic"])
@pytest.mark.parametrize("field", ["spin_hall", "orbital_hall"])
def test_cubic_selection_rules_on_full_grid(formula, field):
    # O_h: σ^γ_ij = σ ε_γij — non-zero only for permutations, all equal up to the sign
    tensor = getattr(toy_hall(formula=formula), field)
    value = tensor[:, 2, 0, 1]  # σ^z_xy
    assert np.all(np.abs(value) > 1.0)
    expected = value[:, None, None, None] * _levi_civita()
    np.testing.assert_allclose(tensor, expected, rtol=0, atol=1e-9 * np.abs(value).max())


@pytest.mark.parametrize("formula", ["bastin", "intrinsic"])
def test_spin_hall_needs_soc_orbital_hall_does_not(formula):
    without = toy_hall(xi=0.0, formula=formula)
    scale = np.abs(toy_hall(formula=formula).spin_hall).max()
    assert np.abs(without.spin_hall).max() < 1e-10 * scale
    assert np.all(np.abs(without.orbital_hall[:, 2, 0, 1]) > 1.0)


@pytest.mark.parametrize("formula", ["bastin", "intrinsic"])
def test_anomalous_hall_needs_exchange_and_is_odd_in_m(formula):
    m = np.array([0.0, 0.6, 0.8])
    plus = toy_hall(formula=formula, grid=6, exchange=(0.15, *m))
    minus = toy_hall(formula=formula, grid=6, exchange=(0.15, *-m))
    plain = toy_hall(formula=formula, grid=6)
    scale = np.abs(plus.anomalous_hall).max()
    assert scale > 1.0
    assert np.abs(plain.anomalous_hall).max() < 1e-10 * scale
    np.testing.assert_allclose(minus.anomalous_hall, -plus.anomalous_hall, rtol=0,
                               atol=1e-9 * scale)


@pytest.mark.parametrize("exchange", [None, (0.15, 0.0, 0.6, 0.8)])
def test_wedge_and_symmetrizer_reproduce_full_grid(exchange):
    wedge = toy_hall(grid=6, symmetry=True, exchange=exchange)
    full = toy_hall(grid=6, symmetry=False, exchange=exchange)
    for name in ("spin_hall", "orbital_hall", "anomalous_hall"):
        value, reference = getattr(wedge, name), getattr(full, name)
        scale = max(np.abs(reference).max(), 1.0)
        np.testing.assert_allclose(value, reference, rtol=0, atol=1e-9 * scale)


def test_bastin_tends_to_intrinsic_as_gamma_vanishes():
    # at energies away from every band on the grid, the Fermi-surface terms and the
    # broadening corrections of the sea are even in Γ: the difference falls like Γ²
    model = orbdiff.load_model("bcc-p-toy", xi=0.1)
    bands = np.linalg.eigvalsh(model.hamiltonian(KGrid(model.crystal, 4).cartesian)).ravel()
    candidates = np.linspace(-0.6, 0.6, 121)
    gaps = np.abs(candidates[:, None] - bands[None]).min(axis=1)
    energies = candidates[np.argsort(gaps)[-2:]]
    assert gaps.max() > 0.01
    differences = []
    for gamma in (1e-2, 1e-3, 1e-4):
        results = [orbdiff.compute("hall", model, grid=4, energies=energies, gamma=gamma,
                                   formula=f, symmetry=False) for f in ("bastin", "intrinsic")]
        scale = np.abs(results[1].spin_hall).max()
        differences.append(np.abs(results[0].spin_hall - results[1].spin_hall).max() / scale)
    assert differences[2] < 1e-3
    assert differences[1] < 0.05 * differences[0] and differences[2] < 0.05 * differences[1]
