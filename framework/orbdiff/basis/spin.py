"""Spin: Pauli matrices, spin rotations and the spinful ``orbital ⊗ spin`` basis.

The spinful index is ``2 * orbital + spin`` (orbital-major, spin-minor) with spin
up (σ_z = +1) first, so an orbital matrix ``M`` becomes ``M ⊗ 1₂``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from ..errors import invalid
from .angular_momentum import angular_momentum_matrices, as_rotation_matrix
from .orbitals import ANGULAR_MOMENTUM, SHELL_ORBITALS, OrbitalSet

__all__ = [
    "orbital_operators_spinful",
    "pauli_matrices",
    "spin_operators",
    "spin_orbit_coupling",
    "spin_rotation",
    "spinful",
]


def pauli_matrices() -> np.ndarray:
    """Pauli matrices σ_x, σ_y, σ_z.

    Returns
    -------
    (3, 2, 2) ndarray of complex
    """
    return np.array([[[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]], dtype=complex)


def spin_rotation(rotation: np.ndarray) -> np.ndarray:
    """SU(2) matrix of a rotation acting on spin ½.

    Parameters
    ----------
    rotation : (3, 3) array_like of float
        Proper rotation ``R`` by angle θ about the unit axis ``n``.

    Returns
    -------
    (2, 2) ndarray of complex
        ``U = exp(−iθ n·σ/2)``, so that ``U σ_k U† = Σ_j R[j, k] σ_j``. The overall
        sign of ``U`` (SU(2) covers SO(3) twice) is fixed by θ ∈ [0, π], i.e.
        cos(θ/2) ≥ 0; for θ = π the first non-zero component of n is positive.
    """
    x, y, z, w = rotation_quaternion(as_rotation_matrix(rotation))  # (n sin θ/2, cos θ/2)
    return w * np.eye(2) - 1j * np.einsum("k,kij->ij", [x, y, z], pauli_matrices())


def rotation_quaternion(matrix: np.ndarray) -> np.ndarray:
    """Unit quaternion ``(n sin θ/2, cos θ/2)`` of a proper rotation matrix (θ ∈ [0, π]).

    Shepperd's method: the square root is taken of the largest of 1 + tr R and
    1 + 2R_aa − tr R, so no component is found by dividing by a small number.
    (Written out rather than taken from scipy.spatial.transform, whose import costs
    0.15–0.2 s of every command's start-up.)
    """
    r = np.asarray(matrix, dtype=float)
    trace = np.trace(r)
    antisymmetric = np.array([r[2, 1] - r[1, 2], r[0, 2] - r[2, 0], r[1, 0] - r[0, 1]])
    largest = int(np.argmax([trace, r[0, 0], r[1, 1], r[2, 2]]))
    if largest == 0:
        w = np.sqrt(1.0 + trace) / 2
        q = np.append(antisymmetric / (4 * w), w)
    else:
        a = largest - 1
        b, c = (a + 1) % 3, (a + 2) % 3
        q = np.empty(4)
        q[a] = np.sqrt(1.0 + 2 * r[a, a] - trace) / 2
        q[b] = (r[a, b] + r[b, a]) / (4 * q[a])
        q[c] = (r[a, c] + r[c, a]) / (4 * q[a])
        q[3] = antisymmetric[a] / (4 * q[a])
    if abs(q[3]) < 1e-12:  # θ = π: n and −n are the same rotation
        q[3] = 0.0
        leading = q[np.flatnonzero(np.abs(q[:3]) > 1e-12)[0]]
        return q * np.sign(leading)
    return q * np.sign(q[3])


def spinful(matrix_orb: np.ndarray) -> np.ndarray:
    """Extend spin-independent orbital matrices to the spinful basis.

    Parameters
    ----------
    matrix_orb : (..., n, n) array_like
        Matrices in the orbital basis.

    Returns
    -------
    (..., 2n, 2n) ndarray
        ``M ⊗ 1₂`` with index ``2 * orbital + spin``.
    """
    matrix = np.asarray(matrix_orb)
    *lead, n, m = matrix.shape
    out = np.zeros((*lead, 2 * n, 2 * m), dtype=matrix.dtype)
    out[..., 0::2, 0::2] = matrix  # spin up, up
    out[..., 1::2, 1::2] = matrix  # spin down, down
    return out


def spin_operators(n_orbitals: int) -> np.ndarray:
    """Pauli matrices on the spinful basis of ``n_orbitals`` orbitals.

    Returns
    -------
    (3, 2n, 2n) ndarray of complex
        ``1_orb ⊗ σ_k`` (not multiplied by ħ/2).
    """
    return np.stack([np.kron(np.eye(n_orbitals), sigma) for sigma in pauli_matrices()])


def orbital_operators_spinful(moment: np.ndarray) -> np.ndarray:
    """Orbital operators on the spinful basis.

    Parameters
    ----------
    moment : (3, n, n) array_like
        Orbital operators, e.g. ``L`` from
        :func:`~orbdiff.basis.angular_momentum.angular_momentum_matrices`.

    Returns
    -------
    (3, 2n, 2n) ndarray
        ``L_k ⊗ 1₂``.
    """
    return spinful(moment)


def spin_orbit_coupling(orbitals: OrbitalSet, xi: Mapping[str, float] | float) -> np.ndarray:
    """Atomic spin-orbit coupling ``Σ_shells ξ_shell σ·L``.

    Parameters
    ----------
    orbitals : OrbitalSet
    xi : float or mapping of shell name to float
        Coefficient of σ·L in eV (the paper's convention; half the coefficient of
        L·S). A float applies to every shell with l ≥ 1; a mapping gives per-shell
        values, shells it omits get zero and shells absent from ``orbitals`` are
        ignored.

    Returns
    -------
    (2n, 2n) ndarray of complex
        In the ``orbital ⊗ spin`` basis; on a shell of quantum number l its
        eigenvalues are ``ξ l`` (2l+2 times) and ``−ξ (l+1)`` (2l times).

    Raises
    ------
    ValueError
        If a ξ is negative or not finite, or a mapping key is not a shell name.
    """
    by_shell = _xi_by_shell(xi)
    per_orbital = np.repeat(
        [by_shell[shell] for shell in orbitals.shells],
        [len(SHELL_ORBITALS[shell]) for shell in orbitals.shells],
    )
    # L is block-diagonal over shells, so scaling its rows scales each shell.
    moment = per_orbital[None, :, None] * angular_momentum_matrices(orbitals)
    return sum(np.kron(moment[k], sigma) for k, sigma in enumerate(pauli_matrices()))


def _xi_by_shell(xi: Mapping[str, float] | float) -> dict[str, float]:
    if isinstance(xi, Mapping):
        unknown = sorted(set(xi) - set(SHELL_ORBITALS))
        if unknown:
            raise invalid("xi", dict(xi), f"keys among {', '.join(SHELL_ORBITALS)}")
        values = {shell: xi.get(shell, 0.0) for shell in SHELL_ORBITALS}
    else:
        values = {shell: xi if ANGULAR_MOMENTUM[shell] else 0.0 for shell in SHELL_ORBITALS}
    for shell, value in values.items():
        number = isinstance(value, int | float | np.integer | np.floating)
        if isinstance(value, bool) or not number or not math.isfinite(value) or value < 0:
            raise invalid(f"xi[{shell!r}]", value, "a finite number ≥ 0 (eV)")
    return {shell: float(value) for shell, value in values.items()}
