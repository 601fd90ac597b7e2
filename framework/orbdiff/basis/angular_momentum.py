"""Atomic orbital angular momentum and rotations in the real-orbital basis.

Every orbital of a shell is a homogeneous polynomial of degree l restricted to the
unit sphere: p orbitals are ``f_a(r) = e_a·r`` and d orbitals are quadratic forms
``f_a(r) = rᵀ Q_a r`` with symmetric traceless, Frobenius-orthonormal ``Q_a``.
With the positive coefficients of :data:`orbdiff.basis.orbitals.SHELL_ORBITALS`
(``√3 xy``, ``√3 yz``, ``√3 zx``, ``(√3/2)(x²−y²)``, ``(3z²−r²)/2``) these are

    Q_xy = (E_xy + E_yx)/√2,  Q_x²−y² = (E_xx − E_yy)/√2,  Q_3z²−r² = diag(−1, −1, 2)/√6,

and cyclically for yz, zx. A rotation acts as ``Q ↦ R Q Rᵀ`` and the generators of
rotations give ``L = −i r×∇`` (ħ = 1).
"""

# ruff: noqa: E741 -- ``l`` is the orbital quantum number, as in the physics literature.
from __future__ import annotations

from functools import cache

import numpy as np

from ..errors import invalid
from .orbitals import ANGULAR_MOMENTUM, OrbitalSet

__all__ = [
    "angular_momentum_matrices",
    "as_rotation_matrix",
    "orbital_angular_momentum",
    "orbital_rotation",
    "real_orbital_rotation",
]

_LEVI_CIVITA = np.zeros((3, 3, 3))
for _i, _j, _k in ((0, 1, 2), (1, 2, 0), (2, 0, 1)):
    _LEVI_CIVITA[_i, _j, _k], _LEVI_CIVITA[_i, _k, _j] = 1.0, -1.0

# (T_k)_{ij} = −ε_{kij}: exp(θ T_k) is the rotation by θ about axis k.
_GENERATORS = -_LEVI_CIVITA


def _d_forms() -> np.ndarray:
    """The quadratic forms ``Q_a`` of (dxy, dyz, dzx, dx2-y2, d3z2-r2), ``(5, 3, 3)``."""
    q = np.zeros((5, 3, 3))
    for a, (i, j) in enumerate(((0, 1), (1, 2), (2, 0))):
        q[a, i, j] = q[a, j, i] = 1 / np.sqrt(2)
    q[3] = np.diag([1.0, -1.0, 0.0]) / np.sqrt(2)
    q[4] = np.diag([-1.0, -1.0, 2.0]) / np.sqrt(6)
    return q


_D_FORMS = _d_forms()


def _check_l(l: int) -> int:
    if l not in ANGULAR_MOMENTUM.values():
        raise invalid("l", l, "0, 1 or 2")
    return int(l)


@cache
def _angular_momentum(l: int) -> np.ndarray:
    if l == 0:
        moment = np.zeros((3, 1, 1), dtype=complex)
    elif l == 1:
        # U(exp θT_k) = exp(−iθ L_k) and D(R) = R for p, so L_k = i T_k.
        moment = 1j * _GENERATORS
    else:
        commutators = np.einsum("kij,bjl->kbil", _GENERATORS, _D_FORMS) - np.einsum(
            "bij,kjl->kbil", _D_FORMS, _GENERATORS
        )
        moment = 1j * np.einsum("aij,kbij->kab", _D_FORMS, commutators)
    moment.setflags(write=False)
    return moment


def orbital_angular_momentum(l: int) -> np.ndarray:
    """Orbital angular momentum ``L = −i r×∇`` (ħ = 1) of one shell.

    Parameters
    ----------
    l : int
        Orbital quantum number, 0, 1 or 2.

    Returns
    -------
    (3, 2l+1, 2l+1) ndarray of complex
        ``L[k, a, b] = ⟨a|L_k|b⟩`` in the real-orbital order of
        :data:`~orbdiff.basis.orbitals.SHELL_ORBITALS`; e.g. ``⟨p_y|L_z|p_x⟩ = i``
        and ``⟨d_xy|L_z|d_x2-y2⟩ = 2i``.
    """
    return _angular_momentum(_check_l(l)).copy()


def as_rotation_matrix(rotation: np.ndarray, atol: float = 1e-8) -> np.ndarray:
    """Validate a proper rotation matrix.

    Parameters
    ----------
    rotation : (3, 3) array_like of float
        Cartesian rotation ``R`` acting on column vectors.
    atol : float
        Tolerance on ``RᵀR = 1`` and ``det R = 1``.

    Returns
    -------
    (3, 3) ndarray of float

    Raises
    ------
    ValueError
        If ``rotation`` is not a 3×3 orthogonal matrix with determinant +1.
    """
    matrix = np.asarray(rotation, dtype=float)
    if matrix.shape != (3, 3) or not np.all(np.isfinite(matrix)):
        raise invalid("rotation", rotation, "a finite 3×3 matrix")
    if not np.allclose(matrix.T @ matrix, np.eye(3), atol=atol, rtol=0):
        raise invalid("rotation", rotation, "an orthogonal matrix (RᵀR = 1)")
    if abs(np.linalg.det(matrix) - 1.0) > atol:
        raise invalid("rotation", rotation, "a proper rotation (det R = +1)")
    return matrix


def real_orbital_rotation(l: int, rotation: np.ndarray) -> np.ndarray:
    """Matrix of a rotation in the real orbitals of one shell.

    Parameters
    ----------
    l : int
        Orbital quantum number, 0, 1 or 2.
    rotation : (3, 3) array_like of float
        Proper rotation ``R``.

    Returns
    -------
    (2l+1, 2l+1) ndarray of float
        ``D[a, b] = ⟨a|U(R)|b⟩``: the rotated orbital ``f_b(R⁻¹ r)`` equals
        ``Σ_a D[a, b] f_a(r)``. ``D(R₁R₂) = D(R₁) D(R₂)`` and ``D(R) = R`` for l = 1.
    """
    l = _check_l(l)
    matrix = as_rotation_matrix(rotation)
    if l == 0:
        return np.ones((1, 1))
    if l == 1:
        return matrix.copy()
    # f_b(R⁻¹ r) = rᵀ R Q_b Rᵀ r, projected on Q_a.
    return np.einsum("aij,ik,bkl,jl->ab", _D_FORMS, matrix, _D_FORMS, matrix)


def _block_diagonal(blocks: list[np.ndarray], lead: tuple[int, ...], dtype: type) -> np.ndarray:
    n = sum(block.shape[-1] for block in blocks)
    out = np.zeros((*lead, n, n), dtype=dtype)
    start = 0
    for block in blocks:
        stop = start + block.shape[-1]
        out[..., start:stop, start:stop] = block
        start = stop
    return out


def angular_momentum_matrices(orbitals: OrbitalSet) -> np.ndarray:
    """Orbital angular momentum of an atom, block-diagonal over its shells.

    Parameters
    ----------
    orbitals : OrbitalSet

    Returns
    -------
    (3, n_orbitals, n_orbitals) ndarray of complex
        ``L_x, L_y, L_z`` (ħ = 1) in the atom's orbital order.
    """
    blocks = [_angular_momentum(ANGULAR_MOMENTUM[shell]) for shell in orbitals.shells]
    return _block_diagonal(blocks, (3,), complex)


def orbital_rotation(orbitals: OrbitalSet, rotation: np.ndarray) -> np.ndarray:
    """Matrix of a rotation in an atom's real orbitals, block-diagonal over shells.

    Parameters
    ----------
    orbitals : OrbitalSet
    rotation : (3, 3) array_like of float
        Proper rotation ``R``.

    Returns
    -------
    (n_orbitals, n_orbitals) ndarray of float
        See :func:`real_orbital_rotation` for the convention.
    """
    blocks = [real_orbital_rotation(ANGULAR_MOMENTUM[s], rotation) for s in orbitals.shells]
    return _block_diagonal(blocks, (), float)
