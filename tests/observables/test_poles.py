"""Partial-fraction (pole) evaluation for many energies against the per-energy products."""

import numpy as np
import pytest
from reference import direct_diffusivities_vectorized

import orbdiff
from orbdiff.observables import BandData, charge_traces
from orbdiff.observables.kernels import FEW_ENERGIES, few_energies, green_traces
from orbdiff.observables.poles import CLUSTER, im_green_traces_poles, taylor_order
from orbdiff.structure import KGrid
from orbdiff_plugins.diffusion import compute_diffusion
from orbdiff_plugins.ferromagnet.exchange import with_exchange

GAMMA = 0.1


def _hermitian(rng, *shape):
    x = rng.normal(size=shape) + 1j * rng.normal(size=shape)
    return 0.5 * (x + np.conj(np.swapaxes(x, -1, -2)))


def _close_bands(rng, n_k, n, split):
    """Ascending bands: pairs split by ``split``·Γ and a chain of three spaced by it."""
    eps = np.sort(rng.uniform(-1, 1, size=(n_k, n)), axis=1)
    eps[:, 1:4:2] = eps[:, 0:4:2] + split * GAMMA  # bands (0, 1) and (2, 3)
    eps[:, 5] = eps[:, 4] + split * GAMMA  # chain 4, 5, 6
    eps[:, 6] = eps[:, 5] + split * GAMMA
    return np.sort(eps, axis=1)


def _few_at_a_time(function, energies):
    """``function`` on slices of at most FEW_ENERGIES energies: the per-energy products."""
    parts = [function(energies[i: i + FEW_ENERGIES])
             for i in range(0, len(energies), FEW_ENERGIES)]
    return np.concatenate(parts)


def _assert_close_per_energy(got, expected, tolerance):
    scale = np.abs(expected).reshape(len(expected), -1).max(axis=1)
    error = np.abs(got - expected).reshape(len(expected), -1).max(axis=1)
    assert np.all(error <= tolerance * scale), (error / scale).max()


# exact degeneracy, close pairs (1e-9, 1e-6, 1e-4 Γ), either side of the cluster
# threshold, and well separated bands
SPLITS = [0.0, 1e-9, 1e-6, 1e-4, 0.9 * CLUSTER, 1.1 * CLUSTER, 0.05]


@pytest.mark.parametrize("split", SPLITS)
def test_poles_equal_the_per_energy_products(split):
    rng = np.random.default_rng(11)
    n_k, n = 3, 9
    eps = _close_bands(rng, n_k, n, split)
    bands = BandData(eps, _hermitian(rng, n_k, 3, n, n), np.zeros((n_k, 0, n, n)),
                     np.array([1.0, 4.0, 2.5]))
    sources, currents = _hermitian(rng, n_k, 2, n, n), _hermitian(rng, n_k, 3, n, n)
    # a sweep, and E right at every band energy (where |g| = 1/Γ)
    energies = np.concatenate([np.linspace(-1.3, 1.3, 41), eps.ravel()])
    got = green_traces(bands, energies, GAMMA, sources, currents)
    expected = _few_at_a_time(lambda e: green_traces(bands, e, GAMMA, sources, currents),
                              energies)
    _assert_close_per_energy(got, expected, 1e-12)


@pytest.mark.parametrize("split", SPLITS)
def test_charge_poles_equal_the_per_energy_sum(split):
    rng = np.random.default_rng(12)
    n_k, n = 4, 8
    eps = _close_bands(rng, n_k, n, split)
    bands = BandData(eps, _hermitian(rng, n_k, 3, n, n), np.zeros((n_k, 0, n, n)),
                     np.array([1.0, 2.0, 6.0, 8.0]))
    energies = np.concatenate([np.linspace(-1.2, 1.2, 31), eps[0]])
    got = charge_traces(bands, energies, GAMMA)
    expected = _few_at_a_time(lambda e: charge_traces(bands, e, GAMMA), energies)
    _assert_close_per_energy(got, expected, 1e-12)


def test_poles_of_unit_operators_are_the_charge_traces():
    rng = np.random.default_rng(13)
    n_k, n = 3, 6
    eps = _close_bands(rng, n_k, n + 1, 0.0)[:, :n]
    v, w = _hermitian(rng, n_k, 3, n, n), np.array([1.0, 3.0, 2.0])
    unit = np.broadcast_to(np.eye(n, dtype=complex), (n_k, 1, n, n))
    energies = np.linspace(-1, 1, 25)
    three = im_green_traces_poles(eps, v, unit, unit, w, energies, GAMMA)[:, 0, :, 0, :]
    two = charge_traces(BandData(eps, v, np.zeros((n_k, 0, n, n)), w), energies, GAMMA)
    _assert_close_per_energy(three, two, 1e-12)


def test_taylor_order_meets_its_bound_and_grows_with_the_cluster():
    assert taylor_order(0.0, GAMMA) == 0
    orders = [taylor_order(r * GAMMA, GAMMA) for r in (1e-9, 1e-6, 1e-4, CLUSTER / 2, CLUSTER)]
    assert orders == sorted(orders) and orders[-1] > orders[0]
    with pytest.raises(ValueError, match="too wide"):
        taylor_order(0.6 * GAMMA, GAMMA)


def _models(registry):
    toy = orbdiff.load_model("bcc-p-toy", registry=registry, xi=0.07)
    ta = orbdiff.load_material("Ta", registry=registry, shells=2)
    magnet = with_exchange(orbdiff.load_model("bcc-p-toy", registry=registry, xi=0.05),
                           0.15, [0.6, 0.0, 0.8])
    return {"toy": (toy, 0.0), "Ta": (ta, 9.4), "magnet": (magnet, 0.0)}


@pytest.mark.parametrize("name", ["toy", "Ta", "magnet"])
def test_many_energy_engine_equals_direct_inversion(registry, name):
    model, centre = _models(registry)[name]
    grid = KGrid(model.crystal, 3)
    energies = centre + np.linspace(-0.6, 0.6, few_energies(model.n_states) + 5)  # poles
    fast = compute_diffusion(model, grid, energies, gamma=0.15, symmetry=False)
    charge, tensor = direct_diffusivities_vectorized(model, grid.cartesian, energies, 0.15)
    scale = np.abs(tensor).max()
    np.testing.assert_allclose(fast["charge"], charge, rtol=0, atol=1e-10 * scale)
    np.testing.assert_allclose(fast["tensor"], tensor, rtol=0, atol=1e-10 * scale)
