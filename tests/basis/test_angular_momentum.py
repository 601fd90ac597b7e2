"""Orbital angular momentum and rotations in the real-orbital basis."""

# ruff: noqa: E741 -- ``l`` is the orbital quantum number.
from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from orbdiff.basis.angular_momentum import (
    angular_momentum_matrices,
    orbital_angular_momentum,
    orbital_rotation,
    real_orbital_rotation,
)
from orbdiff.basis.orbitals import OrbitalSet
from orbdiff.basis.spin import pauli_matrices

L_VALUES = (0, 1, 2)
SEEDS = range(5)


def random_rotation(seed: int) -> np.ndarray:
    return Rotation.random(random_state=seed).as_matrix()


@pytest.mark.parametrize("l", L_VALUES)
def test_hermitian_with_shape(l):
    moment = orbital_angular_momentum(l)
    assert moment.shape == (3, 2 * l + 1, 2 * l + 1)
    np.testing.assert_allclose(moment, np.conj(np.swapaxes(moment, 1, 2)), atol=1e-14)


@pytest.mark.parametrize("l", L_VALUES)
@pytest.mark.parametrize(("i", "j", "k"), [(0, 1, 2), (1, 2, 0), (2, 0, 1)])
def test_commutation_relations(l, i, j, k):
    moment = orbital_angular_momentum(l)
    commutator = moment[i] @ moment[j] - moment[j] @ moment[i]
    np.testing.assert_allclose(commutator, 1j * moment[k], atol=1e-13)


@pytest.mark.parametrize("l", L_VALUES)
def test_casimir(l):
    moment = orbital_angular_momentum(l)
    square = np.einsum("kab,kbc->ac", moment, moment)
    np.testing.assert_allclose(square, l * (l + 1) * np.eye(2 * l + 1), atol=1e-13)


def test_sanity_matrix_elements():
    # L_z = −i(x ∂_y − y ∂_x).  p: L_z x = −i(−y) = i y, so ⟨p_y|L_z|p_x⟩ = i.
    assert orbital_angular_momentum(1)[2, 1, 0] == pytest.approx(1j)
    # d: L_z (x² − y²) = −i(x·(−2y) − y·2x) = 4i xy.  With d_x2-y2 = (√3/2)(x² − y²) and
    # d_xy = √3 xy: L_z d_x2-y2 = (√3/2)·4i xy = 2i d_xy, so ⟨d_xy|L_z|d_x2-y2⟩ = 2i.
    d = orbital_angular_momentum(2)
    assert d[2, 0, 3] == pytest.approx(2j)
    # L_z (zx) = −i(x·0 − y·z) = i yz, so ⟨d_yz|L_z|d_zx⟩ = i.
    assert d[2, 1, 2] == pytest.approx(1j)
    # d_3z2-r2 = (3z² − r²)/2 is invariant under rotations about z.
    np.testing.assert_allclose(d[2, :, 4], 0, atol=1e-14)


@pytest.mark.parametrize("l", (1, 2))
def test_sigma_dot_l_spectrum(l):
    # σ·L = 2 L·S: j = l ± 1/2 gives l (2l+2 states) and −(l+1) (2l states).
    moment = orbital_angular_momentum(l)
    sigma_l = sum(np.kron(moment[k], pauli_matrices()[k]) for k in range(3))
    expected = sorted([-(l + 1)] * (2 * l) + [l] * (2 * l + 2))
    np.testing.assert_allclose(np.linalg.eigvalsh(sigma_l), expected, atol=1e-12)


def test_p_shell_soc_spectrum_design_identity():
    xi = 0.37
    moment = orbital_angular_momentum(1)
    soc = xi * sum(np.kron(moment[k], pauli_matrices()[k]) for k in range(3))
    np.testing.assert_allclose(np.linalg.eigvalsh(soc), [-2 * xi] * 2 + [xi] * 4, atol=1e-12)


@pytest.mark.parametrize("l", L_VALUES)
@pytest.mark.parametrize("seed", SEEDS)
def test_rotation_covariance_of_l(l, seed):
    rotation = random_rotation(seed)
    d = real_orbital_rotation(l, rotation)
    moment = orbital_angular_momentum(l)
    rotated = np.einsum("ab,kbc,dc->kad", d, moment, d)
    np.testing.assert_allclose(rotated, np.einsum("jk,jab->kab", rotation, moment), atol=1e-12)


@pytest.mark.parametrize("l", L_VALUES)
@pytest.mark.parametrize("seed", SEEDS)
def test_rotation_is_orthogonal_representation(l, seed):
    r1, r2 = random_rotation(seed), random_rotation(seed + 100)
    d1, d2 = real_orbital_rotation(l, r1), real_orbital_rotation(l, r2)
    np.testing.assert_allclose(real_orbital_rotation(l, r1 @ r2), d1 @ d2, atol=1e-12)
    np.testing.assert_allclose(d1 @ d1.T, np.eye(2 * l + 1), atol=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_d_rotation_rotates_the_functions(seed):
    # D[a, b] defined by f_b(R⁻¹ r) = Σ_a D[a, b] f_a(r), checked on explicit polynomials.
    def d_functions(r):
        x, y, z = r
        s3 = np.sqrt(3)
        return np.array([s3 * x * y, s3 * y * z, s3 * z * x, s3 / 2 * (x * x - y * y),
                         (3 * z * z - (x * x + y * y + z * z)) / 2])  # fmt: skip

    rotation = random_rotation(seed)
    d = real_orbital_rotation(2, rotation)
    for r in np.random.default_rng(seed).normal(size=(4, 3)):
        np.testing.assert_allclose(d_functions(rotation.T @ r), d.T @ d_functions(r), atol=1e-12)


def test_l_equals_generator_of_rotations():
    # U(R_z(θ)) = exp(−iθ L_z): check to first order in θ.
    theta = 1e-6
    rotation = Rotation.from_rotvec([0, 0, theta]).as_matrix()
    for l in (1, 2):
        d = real_orbital_rotation(l, rotation)
        generator = (d - np.eye(2 * l + 1)) / theta
        np.testing.assert_allclose(generator, -1j * orbital_angular_momentum(l)[2], atol=1e-5)


def test_p_rotation_is_the_rotation_itself():
    rotation = random_rotation(7)
    np.testing.assert_allclose(real_orbital_rotation(1, rotation), rotation)


@pytest.mark.parametrize(
    "bad", [np.diag([1.0, 1.0, -1.0]), 2 * np.eye(3), np.eye(2), np.full((3, 3), np.nan)]
)
def test_rejects_improper_rotations(bad):
    with pytest.raises(ValueError, match="rotation"):
        real_orbital_rotation(1, bad)


def test_rejects_unknown_l():
    with pytest.raises(ValueError, match="l: got 3"):
        orbital_angular_momentum(3)


def test_block_diagonal_over_shells():
    orbitals = OrbitalSet(("s", "p", "d"))
    moment = angular_momentum_matrices(orbitals)
    assert moment.shape == (3, 9, 9)
    for shell, l in (("s", 0), ("p", 1), ("d", 2)):
        block = orbitals.shell_slices[shell]
        np.testing.assert_array_equal(moment[:, block, block], orbital_angular_momentum(l))
    off = moment.copy()
    for block in orbitals.shell_slices.values():
        off[:, block, block] = 0
    assert not off.any()
    rotation = random_rotation(3)
    d = orbital_rotation(orbitals, rotation)
    np.testing.assert_allclose(d[1:4, 1:4], rotation)
    np.testing.assert_allclose(d @ d.T, np.eye(9), atol=1e-12)
    assert d[0, 0] == 1 and not d[0, 1:].any()


def test_returned_arrays_are_independent_copies():
    moment = orbital_angular_momentum(1)
    moment[:] = 0
    assert orbital_angular_momentum(1).any()


# OrbitalSet (kept here because the brief lists no tests/basis/test_orbitals.py).


def test_orbital_set_properties_and_round_trip():
    orbitals = OrbitalSet(["s", "p", "d"])
    assert orbitals.shells == ("s", "p", "d")
    assert orbitals.names == ("s", "px", "py", "pz", "dxy", "dyz", "dzx", "dx2-y2", "d3z2-r2")
    assert orbitals.n_orbitals == 9
    assert orbitals.shell_slices == {"s": slice(0, 1), "p": slice(1, 4), "d": slice(4, 9)}
    assert orbitals.l_values == (0, 1, 1, 1, 2, 2, 2, 2, 2)
    assert OrbitalSet.from_dict(orbitals.as_dict()) == orbitals
    assert hash(orbitals) == hash(OrbitalSet(("s", "p", "d")))


@pytest.mark.parametrize(
    ("shells", "message"),
    [
        (("f",), "'f'.*s, p, d"),
        (("p", "p"), "repeated.*'p'"),
        ((), "at least one"),
        ("sp", "sequence of shell names"),
    ],
)
def test_orbital_set_rejects_bad_shells(shells, message):
    with pytest.raises(ValueError, match=message):
        OrbitalSet(shells)
