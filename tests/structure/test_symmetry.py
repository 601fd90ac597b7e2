"""Point groups, irreducible wedges and symmetrization."""

import numpy as np
import pytest
import spglib

import orbdiff
from orbdiff import Crystal, KGrid
from orbdiff.observables import (
    angular_current_representation,
    polar_representation,
    sampling,
    symmetrize_matrix,
)
from orbdiff.structure.symmetry import PointGroup, crystal_point_group, irreducible_wedge


@pytest.mark.parametrize("lattice", ["bcc", "fcc"])
def test_cubic_point_group(lattice):
    group = crystal_point_group(getattr(Crystal, lattice)(3.3))
    assert len(group) == 48
    assert group.is_closed()
    rotations = group.rotations
    np.testing.assert_allclose(np.einsum("gij,gkj->gik", rotations, rotations),
                               np.broadcast_to(np.eye(3), rotations.shape), atol=1e-12)
    assert any(np.allclose(r, -np.eye(3)) for r in rotations)  # inversion


def test_magnetic_subgroup_along_z_is_4_over_m():
    group = crystal_point_group(Crystal.bcc(3.3)).preserving([0, 0, 1])
    # proper: the four rotations about z; improper: inversion times each of them
    assert len(group) == 8 and group.is_closed()
    assert len(crystal_point_group(Crystal.bcc(3.3)).preserving([1, 1, 1])) == 6  # -3


@pytest.mark.parametrize(("lattice", "n"), [("bcc", 8), ("bcc", 9), ("fcc", 10)])
def test_wedge_matches_spglib_and_weights_add_up(lattice, n):
    crystal = getattr(Crystal, lattice)(3.3)
    grid = KGrid(crystal, n)
    points, weights = irreducible_wedge(grid, crystal_point_group(crystal))
    assert weights.sum() == n**3
    cell = (crystal.cell, [[0, 0, 0]], [1])
    mapping, _ = spglib.get_ir_reciprocal_mesh([n] * 3, cell, is_shift=[0, 0, 0],
                                               is_time_reversal=False)
    assert len(points) == len(np.unique(mapping))


def test_symmetrization_is_a_projector_onto_invariant_tensors():
    group = crystal_point_group(Crystal.bcc(3.3))
    rng = np.random.default_rng(5)
    for representation in (polar_representation(group), angular_current_representation(group)):
        n = representation.shape[1]
        tensor = rng.normal(size=(2, n, n))
        once = symmetrize_matrix(tensor, representation)
        np.testing.assert_allclose(symmetrize_matrix(once, representation), once, atol=1e-12)
        for m in representation[::7]:
            np.testing.assert_allclose(m @ once @ m.T, once, atol=1e-12)
        assert np.abs(once - tensor).max() > 0.1  # it really projects


def test_trivial_group_changes_nothing():
    representation = angular_current_representation(PointGroup.trivial())
    tensor = np.random.default_rng(0).normal(size=(1, 18, 18))
    np.testing.assert_array_equal(symmetrize_matrix(tensor, representation), tensor)


def test_symmetry_breaking_onsite_term_reduces_the_group(registry):
    model = orbdiff.load_model("bcc-p-toy", registry=registry, xi=0.05)
    # a crystal field that lifts p_z: tetragonal, so only the 16 operations of 4/mmm remain
    field = np.kron(np.diag([0.0, 0.0, 0.1]), np.eye(2))
    distorted = model.with_onsite(field)
    assert len(model.point_group()) == 48
    assert len(distorted.point_group()) == 16
    grid = KGrid(model.crystal, 4)
    kwargs = {"energies": np.array([0.4]), "gamma": 0.1}
    from orbdiff_plugins.diffusion import compute_diffusion

    wedge = compute_diffusion(distorted, grid, **kwargs)
    full = compute_diffusion(distorted, grid, symmetry=False, **kwargs)
    np.testing.assert_allclose(wedge["tensor"], full["tensor"],
                               atol=1e-10 * np.abs(full["tensor"]).max())
    assert len(sampling(distorted, grid).points) > len(sampling(model, grid).points)


@pytest.mark.parametrize(("lattice", "n"), [("bcc", 7), ("fcc", 6)])
def test_star_mapping_sends_each_point_into_its_star(lattice, n):
    from orbdiff.structure.symmetry import wedge_with_mapping

    crystal = getattr(Crystal, lattice)(3.3)
    grid = KGrid(crystal, n)
    group = crystal_point_group(crystal)
    points, weights, star_of = wedge_with_mapping(grid, group)
    np.testing.assert_array_equal(np.bincount(star_of, minlength=len(points)), weights)
    # every grid point is R k of its representative k for some R of the group
    fractional = grid.fractional
    inverse = np.linalg.inv(crystal.reciprocal_cell)
    for index in range(0, grid.n_points, 5):
        images = (group.rotations @ points[star_of[index]]) @ inverse
        difference = images - fractional[index]
        assert np.any(np.all(np.abs(difference - np.round(difference)) < 1e-8, axis=1))


def _brute_force_wedge(grid, group):
    """Representatives (smallest flat index of each star) and star sizes, point by point."""
    sizes = np.array(grid.size)
    k = grid.cartesian
    images = np.einsum("gab,kb->gka", group.rotations, k) @ np.linalg.inv(
        grid.crystal.reciprocal_cell)
    indices = np.rint(images * sizes).astype(int) % sizes
    flat = (indices[..., 0] * sizes[1] + indices[..., 1]) * sizes[2] + indices[..., 2]
    representative = flat.min(axis=0)
    keep = np.flatnonzero(representative == np.arange(grid.n_points))
    weights = np.array([len(np.unique(flat[:, i])) for i in keep])
    return k[keep], weights


@pytest.mark.parametrize(("lattice", "n", "axis"), [("bcc", 9, None), ("fcc", 6, None),
                                                    ("bcc", 8, [0, 0, 1]),
                                                    ("bcc", 7, [1, 1, 1])])
def test_wedge_equals_the_smallest_index_of_every_star(lattice, n, axis):
    crystal = getattr(Crystal, lattice)(3.3)
    group = crystal_point_group(crystal)
    group = group if axis is None else group.preserving(axis)
    grid = KGrid(crystal, n)
    expected_points, expected_weights = _brute_force_wedge(grid, group)
    points, weights = irreducible_wedge(grid, group)
    np.testing.assert_allclose(points, expected_points, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(weights, expected_weights)


def test_point_group_is_verified_once_per_model(registry):
    model = orbdiff.load_model("bcc-p-toy", registry=registry, xi=0.05)
    assert model.point_group() is model.point_group()
    field = np.kron(np.diag([0.0, 0.0, 0.1]), np.eye(2))
    assert len(model.with_onsite(field).point_group()) == 16  # not the parent's 48
