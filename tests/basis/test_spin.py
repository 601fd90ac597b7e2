"""Pauli matrices, spin rotations, the spinful basis and spin-orbit coupling."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from orbdiff.basis.angular_momentum import (
    angular_momentum_matrices,
    orbital_angular_momentum,
    orbital_rotation,
)
from orbdiff.basis.orbitals import OrbitalSet
from orbdiff.basis.spin import (
    orbital_operators_spinful,
    pauli_matrices,
    spin_operators,
    spin_orbit_coupling,
    spin_rotation,
    spinful,
)

SEEDS = range(5)


def random_rotation(seed: int) -> np.ndarray:
    return Rotation.random(random_state=seed).as_matrix()


def test_pauli_algebra():
    sigma = pauli_matrices()
    assert sigma.shape == (3, 2, 2)
    np.testing.assert_array_equal(sigma[2], np.diag([1, -1]))  # spin up first
    eps = np.zeros((3, 3, 3))
    for i, j, k in ((0, 1, 2), (1, 2, 0), (2, 0, 1)):
        eps[i, j, k], eps[i, k, j] = 1, -1
    for i in range(3):
        np.testing.assert_array_equal(sigma[i], sigma[i].conj().T)
        for j in range(3):
            # σ_i σ_j = δ_ij + i ε_ijk σ_k
            expected = (i == j) * np.eye(2) + 1j * np.einsum("k,kab->ab", eps[i, j], sigma)
            np.testing.assert_allclose(sigma[i] @ sigma[j], expected, atol=1e-15)


@pytest.mark.parametrize("seed", SEEDS)
def test_spin_rotation_covariance(seed):
    rotation = random_rotation(seed)
    u = spin_rotation(rotation)
    sigma = pauli_matrices()
    np.testing.assert_allclose(u @ u.conj().T, np.eye(2), atol=1e-12)
    assert np.linalg.det(u) == pytest.approx(1)
    rotated = np.einsum("ab,kbc,dc->kad", u, sigma, u.conj())
    np.testing.assert_allclose(rotated, np.einsum("jk,jab->kab", rotation, sigma), atol=1e-12)


def test_spin_rotation_about_z_by_pi_over_2():
    # exp(−i(π/2)σ_z/2) = diag(e^{−iπ/4}, e^{iπ/4}).
    u = spin_rotation(Rotation.from_rotvec([0, 0, np.pi / 2]).as_matrix())
    np.testing.assert_allclose(u, np.diag(np.exp([-1j * np.pi / 4, 1j * np.pi / 4])), atol=1e-14)


def test_spin_rotation_rejects_improper():
    with pytest.raises(ValueError, match="rotation"):
        spin_rotation(-np.eye(3))


def test_spinful_index_is_orbital_major():
    m = np.arange(4.0).reshape(2, 2) + 1
    big = spinful(m)
    assert big.shape == (4, 4)
    for a in range(2):
        for b in range(2):
            for s in range(2):
                for t in range(2):
                    assert big[2 * a + s, 2 * b + t] == m[a, b] * (s == t)
    batch = spinful(np.stack([m, 2 * m]))
    assert batch.shape == (2, 4, 4)
    np.testing.assert_array_equal(batch[1], 2 * big)


def test_spin_and_orbital_operators():
    sigma = spin_operators(3)
    assert sigma.shape == (3, 6, 6)
    # Orbital 1, spin up ↔ index 2; orbital 1, spin down ↔ index 3.
    assert sigma[2, 2, 2] == 1 and sigma[2, 3, 3] == -1
    assert sigma[0, 2, 3] == 1 and sigma[0, 0, 3] == 0
    moment = orbital_angular_momentum(1)
    big = orbital_operators_spinful(moment)
    np.testing.assert_array_equal(big[2, 2 * 1 + 0, 2 * 0 + 0], moment[2, 1, 0])
    # Spin and orbital operators commute.
    for i in range(3):
        for j in range(3):
            np.testing.assert_allclose(big[i] @ sigma[j], sigma[j] @ big[i], atol=1e-14)


@pytest.mark.parametrize("shells", [("p",), ("d",), ("s", "p", "d")])
def test_soc_hermitian_and_spectrum(shells):
    orbitals = OrbitalSet(shells)
    xi = {"p": 0.2, "d": 0.05}
    soc = spin_orbit_coupling(orbitals, xi)
    np.testing.assert_allclose(soc, soc.conj().T, atol=1e-15)
    expected = []
    for shell in shells:
        ell, value = {"s": 0, "p": 1, "d": 2}[shell], xi.get(shell, 0.0)
        if ell:
            expected += [value * ell] * (2 * ell + 2) + [-value * (ell + 1)] * (2 * ell)
        else:
            expected += [0.0]
    # s orbitals have L = 0: both spin states at 0.
    expected += [0.0] * shells.count("s")
    np.testing.assert_allclose(np.linalg.eigvalsh(soc), sorted(expected), atol=1e-12)


def test_soc_p_shell_design_identity():
    xi = 0.1
    eig = np.linalg.eigvalsh(spin_orbit_coupling(OrbitalSet(("p",)), xi))
    np.testing.assert_allclose(eig, [-2 * xi] * 2 + [xi] * 4, atol=1e-14)


def test_soc_is_sigma_dot_l():
    orbitals = OrbitalSet(("s", "p"))
    moment = orbital_operators_spinful(angular_momentum_matrices(orbitals))
    sigma = spin_operators(orbitals.n_orbitals)
    expected = 0.3 * np.einsum("kab,kbc->ac", moment, sigma)
    np.testing.assert_allclose(spin_orbit_coupling(orbitals, 0.3), expected, atol=1e-15)
    np.testing.assert_allclose(spin_orbit_coupling(orbitals, {"s": 5.0, "p": 0.3}), expected)


def test_mapping_missing_shell_is_zero():
    soc = spin_orbit_coupling(OrbitalSet(("p", "d")), {"d": 0.1})
    assert not soc[:6, :].any()
    assert soc[6:, 6:].any()


@pytest.mark.parametrize("seed", SEEDS)
def test_soc_invariant_under_joint_rotation(seed):
    # Ties the orbital and spin conventions together: σ·L is a scalar.
    orbitals = OrbitalSet(("p", "d"))
    rotation = random_rotation(seed)
    u = np.kron(orbital_rotation(orbitals, rotation), spin_rotation(rotation))
    soc = spin_orbit_coupling(orbitals, 0.4)
    np.testing.assert_allclose(u @ soc @ u.conj().T, soc, atol=1e-12)


@pytest.mark.parametrize("xi", [-0.1, np.nan, np.inf, {"p": -1.0}, {"d": np.nan}])
def test_soc_rejects_bad_xi(xi):
    with pytest.raises(ValueError, match="xi"):
        spin_orbit_coupling(OrbitalSet(("p", "d")), xi)


def test_soc_rejects_unknown_shell_key():
    with pytest.raises(ValueError, match="xi"):
        spin_orbit_coupling(OrbitalSet(("p",)), {"f": 0.1})


def _proper_rotations():
    """48 cubic operations times their determinant, and random rotations."""
    from itertools import permutations, product

    from scipy.spatial.transform import Rotation

    cubic = []
    for perm in permutations(range(3)):
        for signs in product((1, -1), repeat=3):
            r = np.zeros((3, 3))
            r[range(3), perm] = signs
            cubic.append(r * np.linalg.det(r))
    return cubic + list(Rotation.random(20, random_state=1).as_matrix())


def test_rotation_quaternion_equals_scipy_up_to_sign_and_rotates_sigma():
    """Against scipy's Rotation (independent), including every θ = π cubic operation."""
    from scipy.spatial.transform import Rotation

    from orbdiff.basis.spin import pauli_matrices, rotation_quaternion, spin_rotation

    sigma = pauli_matrices()
    for r in _proper_rotations():
        q, reference = rotation_quaternion(r), Rotation.from_matrix(r).as_quat()
        assert q[3] >= 0
        assert min(np.abs(q - reference).max(), np.abs(q + reference).max()) < 1e-12
        u = spin_rotation(r)
        rotated = np.einsum("ab,kbc,dc->kad", u, sigma, u.conj())
        np.testing.assert_allclose(rotated, np.einsum("jk,jab->kab", r, sigma), atol=1e-12)
