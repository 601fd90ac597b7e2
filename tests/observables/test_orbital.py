"""Traces in the orbital basis (no eigenvectors) against the band basis and direct inversion."""

import numpy as np
import pytest
from reference import direct_diffusivities_vectorized

import orbdiff
from orbdiff.observables import BandData, charge_traces, density_of_states, kubo_traces, orbital
from orbdiff.observables.kernels import green_traces, orbital_energies
from orbdiff.observables.orbital import (
    OperatorStructure,
    OrbitalData,
    orbital_basis_pays,
    orbital_traces,
    spin_major_order,
)
from orbdiff.structure import KGrid
from orbdiff_plugins.diffusion import compute_diffusion
from orbdiff_plugins.diffusion.tensor import angular_momentum_operators
from orbdiff_plugins.ferromagnet.exchange import with_exchange

GAMMA = 0.12


@pytest.fixture(scope="module")
def models(registry):
    """Spinless hoppings (toy, Ta), an exchange field, spinful hoppings, two atoms."""
    toy = orbdiff.load_model("bcc-p-toy", registry=registry, xi=0.07)
    return {
        "toy": (toy, 0.1),
        "Ta": (orbdiff.load_material("Ta", registry=registry, shells=2), 9.4),
        "magnet": (with_exchange(toy, 0.15, [0.6, 0.0, 0.8]), 0.0),
        "Fe-fm": (orbdiff.load_material("Fe-fm", registry=registry,
                                        magnetization=(0.0, 0.6, 0.8)), 10.2),
        "Co-hcp": (orbdiff.load_material("Co-hcp", registry=registry), 9.5),
    }


def _random_points(model, n, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(-0.5, 0.5, size=(n, 3)) @ model.crystal.reciprocal_cell


def _band_basis(model, points, weights, energies, operators):
    bands = BandData.from_model(model, points, operators, weights)
    return {"charge": charge_traces(bands, energies, GAMMA),
            "tensor": green_traces(bands, energies, GAMMA, bands.operators, bands.operators),
            "kubo": kubo_traces(bands, energies, GAMMA),
            "dos": density_of_states(bands, energies, GAMMA)}


def _assert_traces_equal(got, expected, tolerance=1e-12):
    assert set(got) == set(expected)
    for name, value in expected.items():
        assert got[name].shape == value.shape, name
        scale = np.abs(value).max()
        np.testing.assert_allclose(got[name], value, rtol=0, atol=tolerance * scale,
                                   err_msg=name)


@pytest.mark.parametrize("name", ["toy", "Ta", "magnet", "Fe-fm", "Co-hcp"])
def test_orbital_basis_equals_band_basis(models, name):
    model, centre = models[name]
    points = _random_points(model, 21)
    weights = np.arange(1.0, 22.0)  # unequal weights must be carried by every trace
    energies = centre + np.array([-0.3, 0.05])
    operators = angular_momentum_operators(model)
    got = orbital_traces(OrbitalData.from_model(model, points, weights), energies, GAMMA,
                         operators)
    _assert_traces_equal(got, _band_basis(model, points, weights, energies, operators))


@pytest.mark.parametrize(("name", "pick"), [
    ("Ta", ("spin", [0, 1, 2])), ("Ta", ("orbital", [0, 1, 2])),  # no L / no Pauli sources
    ("Ta", ("mixed", [4, 1, 5, 2])),  # L_y, σ_y, L_z, σ_z: kinds interleaved, out of order
    ("Ta", ("projector", [0, 1])),  # σ_x and the s-shell projector ⊗ 1₂
    ("toy", ("mixed", [5, 0])),  # M = 3: L_z, σ_x
])
def test_kronecker_path_takes_any_set_of_pauli_and_orbital_operators(models, name, pick):
    """Sources and currents that are all 1 ⊗ σ_c or A ⊗ 1, in any number and order."""
    model, centre = models[name]
    kind, indices = pick
    everything = angular_momentum_operators(model)  # σx σy σz Lx Ly Lz
    if kind == "projector":
        s_shell = np.zeros(model.n_orbitals)
        s_shell[0] = 1.0
        everything = np.stack([everything[0], np.kron(np.diag(s_shell), np.eye(2))])
    operators = (everything[:3] if kind == "spin" else everything[3:] if kind == "orbital"
                 else everything)[indices]
    structure = OperatorStructure.of(operators)
    assert all(p is not None or o is not None  # no dense operator: the Kronecker path
               for p, o in zip(structure.pauli, structure.orbital, strict=True))
    assert not getattr(model, "spinful_hoppings", True)
    points = _random_points(model, 7, seed=2)
    weights = np.linspace(1.0, 3.0, 7)
    energies = centre + np.array([0.0, 0.2])
    got = orbital_traces(OrbitalData.from_model(model, points, weights), energies, GAMMA,
                         operators)
    _assert_traces_equal(got, _band_basis(model, points, weights, energies, operators))


def test_any_hermitian_operators_take_the_dense_path(models):
    """Pauli, L, a shell projector and an operator with no Kronecker structure, mixed."""
    model, centre = models["Ta"]
    n = model.n_states
    rng = np.random.default_rng(3)
    x = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    projector = np.diag(np.repeat([1.0, 0, 0, 0, 0, 0, 0, 0, 0], 2))  # the s shell ⊗ 1₂
    operators = np.stack([model.spin_operators()[1], 0.5 * (x + x.conj().T),
                          model.orbital_moment_operators()[2], projector])
    points = _random_points(model, 9, seed=1)
    weights = np.linspace(0.5, 2.0, 9)
    energies = np.array([centre])
    got = orbital_traces(OrbitalData.from_model(model, points, weights), energies, GAMMA,
                         operators)
    _assert_traces_equal(got, _band_basis(model, points, weights, energies, operators))


def test_spin_major_order_is_a_permutation_putting_spin_up_first():
    order = spin_major_order(6)
    np.testing.assert_array_equal(order, [0, 2, 4, 1, 3, 5])
    sigma_z = np.kron(np.eye(3), np.diag([1.0, -1.0]))
    np.testing.assert_array_equal(np.diag(sigma_z[np.ix_(order, order)]), [1, 1, 1, -1, -1, -1])


@pytest.mark.parametrize("work", [10**9, 0])  # band basis, orbital basis
@pytest.mark.parametrize("name", ["Ta", "magnet", "Fe-fm"])
def test_one_energy_engine_equals_direct_inversion(models, name, work, monkeypatch):
    monkeypatch.setattr(orbital, "COMPILED_WORK", work)
    model, centre = models[name]
    grid = KGrid(model.crystal, 3)
    energies = np.array([centre])
    assert len(energies) <= orbital_energies(model.n_states)  # the orbital basis
    fast = compute_diffusion(model, grid, energies, gamma=0.15, symmetry=False)
    charge, tensor = direct_diffusivities_vectorized(model, grid.cartesian, energies, 0.15)
    scale = np.abs(tensor).max()
    np.testing.assert_allclose(fast["charge"], charge, rtol=0, atol=1e-10 * scale)
    np.testing.assert_allclose(fast["tensor"], tensor, rtol=0, atol=1e-10 * scale)


def test_both_bases_give_the_same_symmetrized_tensors(models):
    """Four energies (orbital basis for Ta) and the same four among six (band basis)."""
    model, centre = models["Ta"]
    grid = KGrid(model.crystal, 6)
    few = centre + np.array([-0.2, 0.0, 0.1, 0.3])
    many = np.concatenate([few, centre + np.array([0.5, 0.7])])
    assert len(few) <= orbital_energies(model.n_states) < len(many)
    orbital = compute_diffusion(model, grid, few, GAMMA)
    band = compute_diffusion(model, grid, many, GAMMA)
    for key in ("charge", "tensor", "kubo", "dos"):
        scale = np.abs(band[key]).max()
        np.testing.assert_allclose(orbital[key], band[key][: len(few)], rtol=0,
                                   atol=1e-11 * scale, err_msg=key)


def test_the_basis_is_chosen_by_the_run_alone():
    """Not by what the process loaded before: the same inputs, the same numbers."""
    import orbdiff.observables.orbital_compiled  # noqa: F401  (loaded or not, no matter)

    assert not orbital_basis_pays(orbital.COMPILED_WORK / 2 - 1, 2)
    assert orbital_basis_pays(orbital.COMPILED_WORK / 2, 2)


def test_asking_for_either_basis_gives_the_same_result(models, monkeypatch):
    from orbdiff_plugins.diffusion import tensor

    calls = []
    original = tensor.orbital_traces
    monkeypatch.setattr(tensor, "orbital_traces", lambda *a: calls.append(1) or original(*a))
    model, _ = models["toy"]
    kwargs = {"grid": 6, "energies": [-0.2, 0.3], "gamma": GAMMA, "error_estimate": False}
    band = orbdiff.compute("diffusivity", model, basis="band", **kwargs)
    assert not calls
    orbital_result = orbdiff.compute("diffusivity", model, basis="orbital", **kwargs)
    assert calls
    calls.clear()
    auto = orbdiff.compute("diffusivity", model, **kwargs)  # 2 energies, N = 6: band
    assert not calls
    for key in ("charge", "tensor", "kubo", "dos"):
        scale = np.abs(getattr(band, key)).max()
        np.testing.assert_allclose(getattr(orbital_result, key), getattr(band, key), rtol=0,
                                   atol=1e-12 * scale, err_msg=key)
        np.testing.assert_array_equal(getattr(auto, key), getattr(band, key))
