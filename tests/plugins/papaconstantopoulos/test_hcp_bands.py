"""The hcp models obey the hcp space group and fill their bands sensibly.

Independent facts used: on the k_z = π/c face the bands of an hcp crystal (space group
P6_3/mmc, a screw axis and a glide) stick together in pairs without SOC; E(k) has the
point group 6/mmm (24 operations); the paramagnetic Co set prints E_F = 0.6882 Ry;
a metal's Fermi level lies in its d band when the d shell is partly filled.
"""

from __future__ import annotations

import numpy as np
import pytest

from orbdiff.api import load_parameter_set
from orbdiff.observables import fermi_level
from orbdiff.structure.symmetry import crystal_point_group
from orbdiff.units import RYDBERG

HCP = ("Be", "Mg", "Sc", "Ti", "Zn", "Y", "Zr", "Tc", "Ru", "Cd", "Hf", "Re", "Os", "Co-hcp")
TRANSITION = ("Sc", "Ti", "Y", "Zr", "Tc", "Ru", "Hf", "Re", "Os", "Co-hcp")


def spinless_bands(model, k: np.ndarray) -> np.ndarray:
    """Bands of a model without SOC (spin is the fastest index)."""
    return np.linalg.eigvalsh(model.hamiltonian(k)[:, ::2, ::2])


@pytest.mark.parametrize("name", HCP)
def test_bands_stick_together_in_pairs_on_the_kz_pi_over_c_face(name):
    model = load_parameter_set(name).build_model(soc_scale=0)
    fractions = np.random.default_rng(7).random((25, 2))
    k = np.c_[fractions, np.full(25, 0.5)] @ model.crystal.reciprocal_cell
    assert np.allclose(k[:, 2], np.pi / model.crystal.cell[2, 2])
    bands = spinless_bands(model, k)
    np.testing.assert_allclose(bands[:, ::2], bands[:, 1::2], atol=1e-9)


@pytest.mark.parametrize("name", HCP)
def test_pairs_split_off_the_face(name):
    """The pairing is special to the face: at generic k_z the bands are distinct."""
    model = load_parameter_set(name).build_model(soc_scale=0)
    k = np.array([[0.13, 0.29, 0.31]]) @ model.crystal.reciprocal_cell
    bands = spinless_bands(model, k)
    assert np.min(np.abs(bands[:, ::2] - bands[:, 1::2])) > 1e-6


def point_group_6_over_mmm() -> list[np.ndarray]:
    """The 24 Cartesian operations of 6/mmm, generated from C6(z), C2(x) and inversion."""
    c, s = np.cos(np.pi / 3), np.sin(np.pi / 3)
    generators = [np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]]), np.diag([1.0, -1, -1]),
                  -np.eye(3)]
    group = [np.eye(3)]
    while True:
        new = [g @ h for g in generators for h in group
               if not any(np.allclose(g @ h, x) for x in group)]
        if not new:
            return group
        for matrix in new:
            if not any(np.allclose(matrix, x) for x in group):
                group.append(matrix)


@pytest.mark.parametrize("name", HCP)
def test_energies_have_the_point_group_6_over_mmm(name):
    ps = load_parameter_set(name)
    model = ps.build_model(soc_scale=0 if ps.xi is None else 1)
    rotations = point_group_6_over_mmm()
    assert len(rotations) == len(crystal_point_group(model.crystal).rotations) == 24
    k = np.random.default_rng(3).normal(size=(4, 3))
    reference = np.linalg.eigvalsh(model.hamiltonian(k))
    for rotation in rotations:
        rotated = np.linalg.eigvalsh(model.hamiltonian(k @ rotation.T))
        np.testing.assert_allclose(rotated, reference, atol=1e-9)


def test_co_hcp_fermi_level_matches_its_tabulated_value():
    ps = load_parameter_set("Co-hcp")
    model = ps.build_model(soc_scale=0)
    level = fermi_level(model, ps.valence_electrons * len(model.crystal.symbols))
    assert abs(level.energy / RYDBERG - 0.6882) < 0.01


def _d_band(model, grid: int = 6) -> tuple[float, float]:
    """Lowest and highest energies (eV) of states with mostly d character."""
    fractions = (np.stack(np.meshgrid(*[np.arange(grid) / grid] * 3), -1).reshape(-1, 3))
    h = model.hamiltonian(fractions @ model.crystal.reciprocal_cell)[:, ::2, ::2]
    energies, vectors = np.linalg.eigh(h)
    d = np.r_[np.zeros(4), np.ones(5)].astype(bool)
    d_weight = (np.abs(vectors[:, np.r_[d, d], :]) ** 2).sum(axis=1)
    d_energies = energies[d_weight > 0.5]
    return float(d_energies.min()), float(d_energies.max())


@pytest.mark.slow
@pytest.mark.parametrize("name", HCP)
def test_fermi_level_from_the_valence_count_is_physical(name):
    ps = load_parameter_set(name)
    model = ps.build_model(soc_scale=0)
    electrons = ps.valence_electrons * len(model.crystal.symbols)
    level = fermi_level(model, electrons).energy
    d_low, d_high = _d_band(model)
    bottom = spinless_bands(model, np.zeros((1, 3)))[0, 0]
    assert level > bottom
    if name in TRANSITION:  # partly filled d shell: E_F inside the d band
        assert d_low < level < d_high
    elif ps.valence_electrons == 12:  # Zn, Cd: filled d band below E_F
        assert d_high < level
    else:  # Be, Mg: s-p metals, d band empty
        assert level < d_low


def test_ase_hcp_crystal_and_its_supercell_give_the_prototype_bands():
    """ase's hcp Ti (shifted origin) and its 2×1×1 supercell fold the same bands."""
    from ase.build import bulk

    ps = load_parameter_set("Ti")
    q = float(ps.cell[2, 2])
    atoms = bulk("Ti", "hcp", a=ps.lattice_constant, c=ps.lattice_constant * q)
    primitive = ps.build_model(soc_scale=0)
    shifted = ps.build_model(atoms, soc_scale=0)
    supercell = ps.build_model(atoms.repeat((2, 1, 1)), soc_scale=0)
    k = np.random.default_rng(5).normal(size=(3, 3))
    np.testing.assert_allclose(spinless_bands(shifted, k), spinless_bands(primitive, k),
                               atol=1e-10)
    half_b1 = primitive.crystal.reciprocal_cell[0] / 2
    folded = np.sort(np.hstack([spinless_bands(primitive, k),
                                spinless_bands(primitive, k + half_b1)]), axis=1)
    np.testing.assert_allclose(spinless_bands(supercell, k), folded, atol=1e-10)
