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
