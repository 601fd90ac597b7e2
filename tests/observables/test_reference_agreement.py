"""The band-basis engine against a literal per-(k, E) evaluation of the paper's equations."""

import numpy as np
import pytest

import orbdiff
from orbdiff.structure import KGrid
from orbdiff_plugins.diffusion import compute_diffusion
from reference import direct_diffusivities


@pytest.mark.parametrize("xi", [0.0, 0.07])
def test_engine_equals_direct_inversion(registry, xi):
    model = orbdiff.load_model("bcc-p-toy", registry=registry, xi=xi)
    grid = KGrid(model.crystal, 3)
    energies = np.array([-0.4, 0.45])
    fast = compute_diffusion(model, grid, energies, gamma=0.15)
    charge, tensor = direct_diffusivities(model, grid.cartesian, energies, gamma=0.15)
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
