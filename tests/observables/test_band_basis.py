"""The structured rotation into the band basis and the sub-blocked product kernel."""

import numpy as np
import pytest
from test_kernels import _hermitian, _literal

import orbdiff
from orbdiff.observables.bands import (
    BandData,
    operator_structure,
    structured_to_band_basis,
    to_band_basis,
)
from orbdiff.observables.products import SUB_BLOCK, im_green_traces_products


@pytest.fixture(scope="module")
def tantalum():
    return orbdiff.load_material("Ta", shells=2)


def _operators(model, rng):
    """σ, L of the model, a random Hermitian operator and a spin-independent projector."""
    n = model.n_states
    projector = np.kron(np.diag((np.arange(n // 2) >= 4).astype(float)), np.eye(2))
    return np.concatenate([model.spin_operators(), model.orbital_moment_operators(),
                           _hermitian(rng, 1, n, n), projector[None]])


def test_structure_of_the_operators_is_recognized(tantalum):
    operators = _operators(tantalum, np.random.default_rng(0))
    kinds = [kind for kind, _ in operator_structure(operators)]
    assert kinds == ["pauli"] * 3 + ["orbital"] * 3 + ["dense", "orbital"]
    assert [c for _, c in operator_structure(operators)[:3]] == [0, 1, 2]
    # σ_x on the orbital index instead of the spin index is no Pauli matrix of the basis
    n = tantalum.n_orbitals
    wrong = np.kron(np.array([[0, 1], [1, 0]]), np.eye(n))
    assert operator_structure(wrong[None])[0][0] == "dense"


def test_structured_rotation_equals_the_dense_one_on_a_real_metal(tantalum):
    rng = np.random.default_rng(1)
    k = rng.normal(size=(7, 3))  # generic k-points of Ta (18 bands, SOC)
    operators = _operators(tantalum, rng)
    _, vectors = np.linalg.eigh(tantalum.hamiltonian(k))
    expected = to_band_basis(operators, vectors)  # U† O U, two dense products each
    got = structured_to_band_basis(operators, vectors)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    bands = BandData.from_model(tantalum, k, operators)
    np.testing.assert_allclose(bands.operators, expected, rtol=0, atol=1e-12)


def test_product_kernel_over_several_sub_blocks_equals_the_literal_sum():
    rng = np.random.default_rng(4)
    n_k, n = 2 * SUB_BLOCK + 3, 4  # two full sub-blocks and a partial one
    eps = np.sort(rng.normal(size=(n_k, n)), axis=1)
    v = _hermitian(rng, n_k, 3, n, n)
    s = _hermitian(rng, n_k, 2, n, n)
    o = _hermitian(rng, n_k, 3, n, n)
    w = rng.uniform(1, 48, n_k)
    energies = np.array([-0.2, 0.5])
    expected = _literal(eps, v, s, o, w, energies, 0.3)
    got = im_green_traces_products(eps, v, s, o, w, energies, 0.3)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12 * np.abs(expected).max())


def test_spinless_velocities_rotate_by_halves_like_the_dense_product(tantalum):
    """(v ⊗ 1) U from the orbital velocity equals U† v U of the spinful matrices."""
    k = np.random.default_rng(3).normal(size=(7, 3))
    assert not tantalum.spinful_hoppings
    bands = BandData.from_model(tantalum, k, np.zeros((0, 18, 18), complex))
    _, vectors = np.linalg.eigh(tantalum.hamiltonian(k))
    dense = to_band_basis(tantalum.velocity_operators(k), vectors)
    scale = np.abs(dense).max()
    np.testing.assert_allclose(bands.velocities, dense, rtol=0, atol=1e-12 * scale)


@pytest.mark.parametrize("n_energies", [1, 5])
def test_few_energy_charge_and_kubo_traces_equal_their_literal_sums(tantalum, n_energies):
    """Im Tr[v_j G^R G^A v_i G^A] and Tr[v_j A v_i A] against index-by-index sums."""
    from orbdiff.observables.kernels import charge_traces, kubo_traces

    rng = np.random.default_rng(4)
    k, weights = rng.normal(size=(6, 3)), rng.random(6)
    bands = BandData.from_model(tantalum, k, np.zeros((0, 18, 18), complex), weights)
    energies, gamma = np.linspace(9.2, 9.8, n_energies), 0.1
    g_r = 1 / (energies[None, :, None] - bands.energies[:, None, :] + 1j * gamma)  # (k, E, N)
    g_a, spectral = np.conj(g_r), g_r.imag * -1
    v = bands.velocities
    charge = np.einsum("k,kjpn,ken,kinp,kep->eij", weights, v, g_r * g_a, v, g_a).imag
    kubo = np.einsum("k,kjnm,kem,kimn,ken->eij", weights, v, spectral, v, spectral).real
    np.testing.assert_allclose(charge_traces(bands, energies, gamma), charge, rtol=0,
                               atol=1e-12 * np.abs(charge).max())
    np.testing.assert_allclose(kubo_traces(bands, energies, gamma), kubo, rtol=0,
                               atol=1e-12 * np.abs(kubo).max())
