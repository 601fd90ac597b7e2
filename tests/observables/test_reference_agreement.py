"""The band-basis engine against a literal per-(k, E) evaluation of the paper's equations."""

import numpy as np
import pytest
from reference import direct_diffusivities, direct_diffusivities_vectorized

import orbdiff
from orbdiff.structure import KGrid
from orbdiff_plugins.diffusion import compute_diffusion


@pytest.mark.parametrize("xi", [0.0, 0.07])
def test_engine_equals_direct_inversion(registry, xi):
    model = orbdiff.load_model("bcc-p-toy", registry=registry, xi=xi)
    grid = KGrid(model.crystal, 3)
    energies = np.array([-0.4, 0.45])
    fast = compute_diffusion(model, grid, energies, gamma=0.15)
    charge, tensor = direct_diffusivities_vectorized(model, grid.cartesian, energies, gamma=0.15)
    scale = np.abs(tensor).max()
    np.testing.assert_allclose(fast["charge"], charge, rtol=0, atol=1e-10 * scale)
    np.testing.assert_allclose(fast["tensor"], tensor, rtol=0, atol=1e-10 * scale)


def test_chunk_size_does_not_change_results(registry):
    model = orbdiff.load_model("bcc-p-toy", registry=registry, xi=0.05)
    grid = KGrid(model.crystal, 4)
    energies = np.array([0.2, 0.5])
    one = compute_diffusion(model, grid, energies, 0.1, chunk_size=1)
    many = compute_diffusion(model, grid, energies, 0.1, chunk_size=23)
    for name in one:
        np.testing.assert_allclose(
            one[name], many[name], rtol=1e-12, atol=1e-12 * np.abs(one[name]).max()
        )


def test_the_two_references_agree(registry):
    model = orbdiff.load_model("bcc-p-toy", registry=registry, xi=0.07)
    points = KGrid(model.crystal, 2).cartesian
    literal = direct_diffusivities(model, points, [0.3], 0.1)
    batched = direct_diffusivities_vectorized(model, points, [0.3], 0.1)
    for one, other in zip(literal, batched, strict=True):
        np.testing.assert_allclose(one, other, rtol=0, atol=1e-12 * np.abs(one).max())


@pytest.mark.parametrize("name", ["toy", "Ta"])
def test_symmetry_reduction_equals_the_full_grid(registry, name):
    if name == "toy":
        model, energies = orbdiff.load_model("bcc-p-toy", registry=registry, xi=0.05), [0.2, 0.5]
    else:
        model, energies = orbdiff.load_material("Ta", registry=registry, shells=2), [9.2, 9.5]
    grid = KGrid(model.crystal, 6)
    wedge = compute_diffusion(model, grid, np.array(energies), 0.1)
    full = compute_diffusion(model, grid, np.array(energies), 0.1, symmetry=False)
    for key in ("charge", "tensor", "kubo", "dos"):
        scale = np.abs(full[key]).max()
        np.testing.assert_allclose(wedge[key], full[key], rtol=0, atol=1e-10 * scale)
