"""Crystals from ase and pymatgen, neighbour shells and Γ-centred grids."""

import numpy as np
import pytest
from ase.build import bulk
from pymatgen.io.ase import AseAtomsAdaptor

from orbdiff import Crystal, InputError, KGrid
from orbdiff.structure import as_crystal, neighbour_shells


@pytest.mark.parametrize(("structure", "counts"), [("bcc", [8, 6, 12]), ("fcc", [12, 6, 24])])
def test_neighbour_shell_counts_and_distances(structure, counts):
    a = 3.3
    crystal = getattr(Crystal, structure)(a)
    bonds = neighbour_shells(crystal, 3)
    found = [sum(b.shell == s for b in bonds) for s in range(3)]
    assert found == counts
    expected = {"bcc": [np.sqrt(3) / 2, 1, np.sqrt(2)], "fcc": [1 / np.sqrt(2), 1, np.sqrt(1.5)]}
    for bond in bonds:
        assert np.linalg.norm(bond.vector) == pytest.approx(a * expected[structure][bond.shell])


def test_bonds_come_in_opposite_pairs():
    bonds = neighbour_shells(Crystal.bcc(3.0), 2)
    vectors = {tuple(np.round(b.vector, 8)) for b in bonds}
    assert all(tuple(np.round(-b.vector, 8)) in vectors for b in bonds)


def test_ase_and_pymatgen_give_the_same_crystal():
    atoms = bulk("Ta", "bcc", a=3.3)
    from_ase = Crystal.from_ase(atoms)
    from_pmg = as_crystal(AseAtomsAdaptor.get_structure(atoms))
    np.testing.assert_allclose(from_ase.cell, from_pmg.cell, atol=1e-12)
    np.testing.assert_allclose(from_ase.positions, from_pmg.positions, atol=1e-12)
    assert from_ase.symbols == from_pmg.symbols == ("Ta",)
    assert Crystal.from_dict(from_ase.as_dict()).symbols == ("Ta",)


def test_non_periodic_and_unknown_inputs_are_rejected():
    atoms = bulk("Ta", "bcc", a=3.3)
    atoms.pbc = (True, True, False)
    with pytest.raises(InputError, match="pbc"):
        Crystal.from_ase(atoms)
    with pytest.raises(InputError, match="structure"):
        as_crystal([[1, 0, 0]])
    with pytest.raises(InputError, match="cell"):
        Crystal(np.zeros((3, 3)), np.zeros((1, 3)), ["X"])


@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_gamma_centred_grid(n):
    crystal = Crystal.bcc(3.3)
    grid = KGrid(crystal, n)
    frac = grid.fractional
    assert len(frac) == n**3 == grid.n_points
    np.testing.assert_array_equal(frac[0], 0.0)  # Γ is on the grid for even and odd n
    assert set(np.round(frac[:, 0] * n, 10)) == set(range(n))
    # k = Σ_a (n_a / N) b_a, with b_a · a_b = 2π δ_ab
    np.testing.assert_allclose(grid.cartesian @ crystal.cell.T / (2 * np.pi), frac, atol=1e-12)
    assert sum(len(c) for c in grid.chunks(7)) == n**3


@pytest.mark.parametrize("size", [1, 0, -3, 2.5, "4", (2, 2), True])
def test_grid_too_small_or_malformed(size):
    with pytest.raises(InputError, match="grid"):
        KGrid(Crystal.bcc(3.3), size)
