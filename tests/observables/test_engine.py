"""Streaming k-samplings, threads and the resource estimate of the engine."""

import numpy as np
import pytest
from reference import direct_diffusivities_vectorized

import orbdiff
from orbdiff.errors import InputError
from orbdiff.observables import KSampling, estimate_run, require_resources, sampling
from orbdiff.observables.kernels import few_energies
from orbdiff.structure import KGrid
from orbdiff.structure.symmetry import irreducible_wedge, wedge_blocks
from orbdiff_plugins.diffusion import compute_diffusion


@pytest.fixture(scope="module")
def toy(registry):
    return orbdiff.load_model("bcc-p-toy", registry=registry, xi=0.07)


def test_many_energies_kernel_equals_direct_inversion(toy):
    grid = KGrid(toy.crystal, 3)
    energies = np.linspace(-0.5, 0.6, few_energies(toy.n_states) + 2)  # the poles path
    fast = compute_diffusion(toy, grid, energies, gamma=0.15, symmetry=False)
    charge, tensor = direct_diffusivities_vectorized(toy, grid.cartesian, energies, gamma=0.15)
    scale = np.abs(tensor).max()
    np.testing.assert_allclose(fast["charge"], charge, rtol=0, atol=1e-10 * scale)
    np.testing.assert_allclose(fast["tensor"], tensor, rtol=0, atol=1e-10 * scale)


def test_threads_do_not_change_results(toy, monkeypatch):
    grid = KGrid(toy.crystal, 5)
    energies = np.array([0.2])
    monkeypatch.setenv("ORBDIFF_THREADS", "1")
    one = compute_diffusion(toy, grid, energies, 0.1, chunk_size=4)
    monkeypatch.setenv("ORBDIFF_THREADS", "3")
    three = compute_diffusion(toy, grid, energies, 0.1, chunk_size=4)
    for name in one:  # blocks are added in the same order whatever the threads
        np.testing.assert_array_equal(one[name], three[name])


@pytest.mark.parametrize("symmetry", [True, False])
def test_streamed_blocks_are_the_sampling(toy, symmetry):
    grid = KGrid(toy.crystal, (6, 6, 6))
    streamed = sampling(toy, grid, symmetry)
    blocks = list(streamed.blocks(7))
    assert all(len(points) == 7 for points, _ in blocks[:-1])
    points = np.concatenate([p for p, _ in blocks])
    weights = np.concatenate([w for _, w in blocks])
    assert weights.sum() == grid.n_points == streamed.total_weight
    if symmetry:
        expected_points, expected_weights = irreducible_wedge(grid, toy.point_group())
    else:
        expected_points, expected_weights = grid.cartesian, np.ones(grid.n_points)
    np.testing.assert_allclose(points, expected_points, atol=1e-14)
    np.testing.assert_array_equal(weights, expected_weights)
    np.testing.assert_array_equal(streamed.weights, expected_weights)


def test_wedge_does_not_depend_on_the_scan_chunk(toy):
    grid = KGrid(toy.crystal, 8)
    group = toy.point_group()
    parts = list(wedge_blocks(grid, group, chunk=13))
    whole = list(wedge_blocks(grid, group, chunk=grid.n_points))
    assert len(parts) > 1 and len(whole) == 1
    np.testing.assert_array_equal(np.concatenate([w for _, w in parts]), whole[0][1])
    np.testing.assert_allclose(np.concatenate([p for p, _ in parts]), whole[0][0], atol=1e-14)


def test_array_sampling_gives_the_same_sums(toy):
    grid = KGrid(toy.crystal, 4)
    full = sampling(toy, grid, symmetry=False)
    explicit = KSampling(grid.cartesian, np.ones(grid.n_points))
    assert explicit.total_weight == full.total_weight
    np.testing.assert_allclose(explicit.points, full.points, atol=1e-14)


def test_memory_estimate_does_not_grow_with_the_grid(toy):
    small = estimate_run(18, KGrid(toy.crystal, 50), 1, group_order=48)
    large = estimate_run(18, KGrid(toy.crystal, 2000), 1, group_order=48)
    assert large.memory == small.memory < 2**30
    assert large.seconds > 1000 * small.seconds  # 64000× the k-points


def test_a_run_that_cannot_fit_is_refused_in_one_line(toy):
    estimate = estimate_run(18, KGrid(toy.crystal, 50), 10**10, group_order=48)
    with pytest.raises(InputError) as error:
        require_resources(estimate, available=23 * 2**30)
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith("grid 50x50x50, 10000000000 energies would need about")
    assert message.endswith("this machine has 23 GiB available")
    assert require_resources(estimate_run(18, KGrid(toy.crystal, 50), 1), 23 * 2**30)


def test_observable_refuses_before_computing(registry, toy, monkeypatch):
    import orbdiff_plugins.diffusion.observables as observables

    def fail(*args, **kwargs):
        raise AssertionError("computed")

    monkeypatch.setattr(observables, "compute_diffusion", fail)
    monkeypatch.setattr("orbdiff.observables.resources.available_memory", lambda: 2**20)
    with pytest.raises(InputError, match="would need about"):
        orbdiff.compute("diffusivity", toy, grid=4, energies=[0.1], gamma=0.1,
                        registry=registry)


def test_blas_threads_are_restored_after_nested_use():
    from orbdiff.observables.blas import _openblas_controls, single_threaded_blas

    controls = _openblas_controls()
    before = [get() for get, _ in controls]
    with single_threaded_blas():
        with single_threaded_blas():
            assert all(get() == 1 for get, _ in controls)
        assert all(get() == 1 for get, _ in controls)
    assert [get() for get, _ in controls] == before


def test_a_long_run_announces_its_estimate_before_starting(capsys):
    """--grid 2000 fits in memory now; it must still say how long it would take."""
    import io

    from orbdiff.observables import RunEstimate, announce_long_run

    out = io.StringIO()
    assert not announce_long_run(RunEstimate(10, 5.0, 2**28, "grid 8x8x8, 1 energy"), out)
    assert out.getvalue() == ""
    assert announce_long_run(RunEstimate(10**9, 1.7e4, 2**29, "grid 2000x2000x2000, 1 energy"),
                             out)
    line = out.getvalue().strip()
    assert "\n" not in line and "1.7e+04 s" in line and "grid 2000x2000x2000" in line
