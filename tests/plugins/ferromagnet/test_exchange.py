"""Ferromagnetic exchange J σ·m: identities, symmetry, the supplement's Fig. 5 statements."""

import json

import numpy as np
import pytest
from reference import direct_diffusivities_vectorized
from scipy.spatial.transform import Rotation

import orbdiff
from orbdiff.store import ResultsStore
from orbdiff.structure import KGrid
from orbdiff_plugins.diffusion import compute_diffusion
from orbdiff_plugins.ferromagnet import magnetization, precession_sweep, with_exchange

KW = {"energies": [0.5], "gamma": 0.1}


@pytest.fixture(scope="module")
def toy(registry):
    return orbdiff.load_model("bcc-p-toy", registry=registry, xi=0.05)


def tensor(model, registry, grid=8):
    return orbdiff.compute("diffusivity", model, grid=grid, registry=registry, **KW)


def test_zero_exchange_reproduces_the_nonmagnetic_tensor(toy, registry):
    plain = tensor(toy, registry)
    magnet = tensor(with_exchange(toy, 0.0, [0.6, 0.0, 0.8]), registry)
    scale = np.abs(plain.tensor).max()
    np.testing.assert_allclose(magnet.tensor, plain.tensor, rtol=0, atol=1e-11 * scale)
    np.testing.assert_allclose(magnet.charge, plain.charge, rtol=0, atol=1e-11 * scale)


def test_exchange_matrix_and_group(toy):
    magnet = with_exchange(toy, 0.3, [0, 0, 1])
    difference = magnet.onsite - toy.onsite
    np.testing.assert_allclose(difference, 0.3 * np.kron(np.eye(3), np.diag([1, -1])))
    assert len(magnet.point_group()) == 8  # 4/m: the operations keeping m ∥ z
    tilted = with_exchange(toy, 0.3, magnetization(theta=30, phi=0))
    assert len(tilted.point_group()) == 2  # only E and inversion keep a generic m


@pytest.mark.parametrize("m", [[0, 0, 1], [1, 0, 0], [0.6, 0, 0.8]])
def test_diagonal_unchanged_under_m_reversal(toy, registry, m):
    up = tensor(with_exchange(toy, 0.4, m), registry)
    down = tensor(with_exchange(toy, 0.4, -np.array(m, float)), registry)
    scale = np.abs(up.tensor).max()
    np.testing.assert_allclose(np.diagonal(down.tensor, axis1=1, axis2=2),
                               np.diagonal(up.tensor, axis1=1, axis2=2), atol=1e-10 * scale)
    np.testing.assert_allclose(down.charge.diagonal(axis1=1, axis2=2),
                               up.charge.diagonal(axis1=1, axis2=2), rtol=1e-10)


def test_fourfold_axis_along_m(toy, registry):
    result = tensor(with_exchange(toy, 0.4, [0, 0, 1]), registry)
    np.testing.assert_allclose(result.D("sx x", "sx x"), result.D("sy y", "sy y"), rtol=1e-10)
    # without the fourfold axis (m ∥ x) the two differ
    other = tensor(with_exchange(toy, 0.4, [1, 0, 0]), registry)
    assert abs(other.D("sx x", "sx x")[0] - other.D("sy y", "sy y")[0]) > 1e3


def test_rotating_m_and_crystal_together_rotates_the_tensor(toy, registry):
    rotation = Rotation.from_euler("zyx", [0.3, 0.9, -0.4]).as_matrix()
    m = np.array([0.0, 0.6, 0.8])
    crystal = orbdiff.Crystal.bcc(3.3)
    plain = with_exchange(orbdiff.load_model("bcc-p-toy", registry=registry, xi=0.05,
                                             structure=crystal), 0.4, m)
    turned = with_exchange(orbdiff.load_model("bcc-p-toy", registry=registry, xi=0.05,
                                              structure=crystal.rotated(rotation)), 0.4,
                           rotation @ m)
    a, b = tensor(plain, registry, 5), tensor(turned, registry, 5)
    big = np.kron(np.eye(2), rotation)
    expected = np.einsum("pa,qi,rb,sj,eaibj->epqrs", big, rotation, big, rotation,
                         a.tensor.reshape(1, 6, 3, 6, 3)).reshape(1, 18, 18)
    np.testing.assert_allclose(b.tensor, expected, atol=1e-9 * np.abs(a.tensor).max())


def test_engine_with_exchange_equals_direct_reference(toy):
    magnet = with_exchange(toy, 0.35, magnetization(theta=40, phi=20))
    grid = KGrid(magnet.crystal, 3)
    fast = compute_diffusion(magnet, grid, np.array([0.2, 0.5]), 0.12)
    charge, full = direct_diffusivities_vectorized(magnet, grid.cartesian, [0.2, 0.5], 0.12)
    scale = np.abs(full).max()
    np.testing.assert_allclose(fast["tensor"], full, rtol=0, atol=1e-10 * scale)
    np.testing.assert_allclose(fast["charge"], charge, rtol=0, atol=1e-10 * scale)


@pytest.fixture(scope="module")
def fig5(toy, registry):
    return precession_sweep(toy, [0.1, 1.0], [0.0, 90.0, 180.0], energy=0.5, grid=16,
                            gamma=0.1, registry=registry)


def test_supplement_fig5_statements(fig5):
    sx, sz = fig5.D("sx x", "sx x"), fig5.D("sz x", "sz x")
    # m ∥ z (θ = 0): D^{s_z x}_{s_z x} stays positive; D^{s_x x}_{s_x x} changes sign with J
    assert sz[0, 0] > 0 and sz[1, 0] > 0
    assert sx[0, 0] > 0 > sx[1, 0]
    # m ∥ x (θ = 90°): the roles swap
    assert sx[0, 1] > 0 and sx[1, 1] > 0
    assert sz[0, 1] > 0 > sz[1, 1]
    # −z gives the same as +z ("the handedness of the precession does not matter")
    np.testing.assert_allclose(np.diagonal(fig5.tensor[:, 2], axis1=1, axis2=2),
                               np.diagonal(fig5.tensor[:, 0], axis1=1, axis2=2),
                               atol=1e-10 * np.abs(fig5.tensor).max())


def test_sweep_writes_as_it_goes_and_resumes(toy, registry, tmp_path, monkeypatch):
    store = ResultsStore(tmp_path / "sweep.db", option="--store")
    first = precession_sweep(toy, [0.2], [0.0, 90.0], energy=0.5, grid=4, gamma=0.1,
                             store=store, registry=registry)
    assert len(store.select(kind="precession")) == 2 and first.computed == 2
    calls = []
    import orbdiff_plugins.ferromagnet.sweep as sweep

    original = sweep.compute
    monkeypatch.setattr(sweep, "compute", lambda *a, **k: calls.append(1) or original(*a, **k))
    again = precession_sweep(toy, [0.2], [0.0, 45.0, 90.0], energy=0.5, grid=4, gamma=0.1,
                             store=store, registry=registry)
    assert len(calls) == 1  # only θ = 45° was missing
    assert (again.computed, again.reused) == (1, 2)
    assert len(store.select(kind="precession")) == 3
    np.testing.assert_array_equal(again.tensor[0, [0, 2]], first.tensor[0])
    data = again.as_dict()
    assert data["exchange"] == [0.2] and data["angles"]["theta"] == [0.0, 45.0, 90.0]
    assert np.array(data["tensor"]).shape == (1, 3, 18, 18)
    json.dumps(data)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda t: with_exchange(t, 0.1, [0, 0, 2]), "unit vector"),
        (lambda t: with_exchange(t, 0.1, [0, 0, 0]), "unit vector"),
        (lambda t: with_exchange(t, float("nan"), [0, 0, 1]), "exchange J"),
        (lambda t: with_exchange(t, 0.1, [0, 1]), "three finite numbers"),
        (lambda t: with_exchange(t, {"Fe": 0.1}, [0, 0, 1]), "species"),
        (lambda t: magnetization(theta=float("inf")), "finite angles"),
    ],
)
def test_bad_exchange_input(toy, call, match):
    with pytest.raises(orbdiff.InputError, match=match):
        call(toy)


def test_exchange_added_as_an_onsite_term_also_lowers_the_symmetry(toy, registry):
    from orbdiff_plugins.ferromagnet import Exchange

    direction = magnetization(theta=37, phi=0)
    via_term = toy.with_onsite_term(Exchange(0.5, direction))
    assert len(via_term.point_group()) == 2
    builder = orbdiff.ModelBuilder(toy.crystal, toy.orbitals[0])
    builder.add_onsite_term(Exchange(0.5, direction))
    assert np.allclose(builder.finalized().magnetization, direction)
    grid = KGrid(toy.crystal, 4)
    wedge = compute_diffusion(via_term, grid, np.array([0.5]), 0.1)
    full = compute_diffusion(via_term, grid, np.array([0.5]), 0.1, symmetry=False)
    np.testing.assert_allclose(wedge["tensor"], full["tensor"],
                               atol=1e-10 * np.abs(full["tensor"]).max())
