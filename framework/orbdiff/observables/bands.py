"""Band-basis data of a chunk of k-points: eigenvalues and rotated operators.

Operators are rotated as ``U† O U``. The spin and orbital operators of the
``orbital ⊗ spin`` basis (spin the fast index, see :mod:`orbdiff.basis.spin`) are
recognized and rotated through their structure instead of two dense products each:

- Pauli matrices ``1 ⊗ σ_c``: with the spin rows ``U_↑ = U[0::2]``, ``U_↓ = U[1::2]``
  and ``Q = U_↑† U_↑``, ``P = U_↑† U_↓`` (one (N×N/2)(N/2×2N) product for both),
  ``σ_x = P + P†``, ``σ_y = −i(P − P†)``, ``σ_z = 2Q − 1`` (``U_↑†U_↑ + U_↓†U_↓ = 1``);
- spin-independent ``M ⊗ 1`` (L, projectors): ``(M ⊗ 1) U`` is ``M`` times ``U``
  reshaped to (N/2 × 2N), half a dense product, then one product with ``U†``.

Any other operator takes the dense path.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..basis.spin import pauli_matrices
from ..hamiltonian.model import TightBindingModel

__all__ = ["BandData", "operator_structure", "structured_to_band_basis", "to_band_basis"]


def hermitian_to_band_basis(operators: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """``U† O U`` for Hermitian operators, as ``(O U)† U`` with the operators stacked.

    Two stacked products per k-point ((n_ops N×N)(N×N) each) instead of two per
    operator. Same arguments and result as :func:`to_band_basis`.
    """
    n_k, n = vectors.shape[0], vectors.shape[-1]
    n_ops = operators.shape[-3]
    if n_ops == 0:
        return np.zeros((n_k, 0, n, n), dtype=complex)
    right = (operators.reshape(-1, n_ops * n, n) @ vectors).reshape(n_k, n_ops, n, n)
    left = np.conj(np.swapaxes(right, -1, -2)).reshape(n_k, n_ops * n, n)  # U† O
    return (left @ vectors).reshape(n_k, n_ops, n, n)


def to_band_basis(operators: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """Rotate operators into the eigenbasis: ``U† O U`` for every k.

    Parameters
    ----------
    operators : (n_k, n_ops, N, N) or (n_ops, N, N) ndarray
    vectors : (n_k, N, N) ndarray
        Eigenvectors as columns, per k.

    Returns
    -------
    (n_k, n_ops, N, N) ndarray of complex
    """
    u = vectors[:, None]
    if operators.ndim == 3:
        operators = operators[None]
    return np.conj(np.swapaxes(u, -1, -2)) @ operators @ u


def operator_structure(operators: np.ndarray) -> tuple[tuple[str, int], ...]:
    """Kind of each (N, N) operator: ``("pauli", c)``, ``("orbital", 0)`` or ``("dense", 0)``.

    ``pauli`` is exactly ``1_orb ⊗ σ_c`` (c = 0, 1, 2 for x, y, z), ``orbital`` is
    ``M ⊗ 1₂`` for some M (index ``2 * orbital + spin``). Remembered per operator set
    (the engine asks once per block with the same operators).
    """
    operators = np.ascontiguousarray(operators, dtype=complex)
    return _structure(operators.shape, operators.tobytes())


@lru_cache(maxsize=16)
def _structure(shape: tuple[int, ...], data: bytes) -> tuple[tuple[str, int], ...]:
    operators = np.frombuffer(data, dtype=complex).reshape(shape)
    n = operators.shape[-1]
    kinds: list[tuple[str, int]] = []
    if n % 2:
        return (("dense", 0),) * len(operators)
    paulis = [np.kron(np.eye(n // 2), sigma) for sigma in pauli_matrices()]
    for operator in operators:
        pauli = [c for c, sigma in enumerate(paulis) if np.array_equal(operator, sigma)]
        if pauli:
            kinds.append(("pauli", pauli[0]))
        elif (not operator[0::2, 1::2].any() and not operator[1::2, 0::2].any()
              and np.array_equal(operator[0::2, 0::2], operator[1::2, 1::2])):
            kinds.append(("orbital", 0))
        else:
            kinds.append(("dense", 0))
    return tuple(kinds)


def _pauli_to_band_basis(vectors: np.ndarray) -> np.ndarray:
    """(n_k, 3, N, N) band-basis ``σ_x, σ_y, σ_z`` (spin index fastest), from Q and P."""
    n_k, n = vectors.shape[0], vectors.shape[-1]
    up_dagger = np.conj(np.swapaxes(vectors[:, 0::2, :], -1, -2))  # (k, N, N/2)
    both = up_dagger @ vectors.reshape(n_k, n // 2, 2 * n)  # [U_↑†U_↑ | U_↑†U_↓]
    q, p = both[:, :, :n], both[:, :, n:]
    p_dagger = np.conj(np.swapaxes(p, -1, -2))
    out = np.empty((n_k, 3, n, n), dtype=complex)
    np.add(p, p_dagger, out=out[:, 0])
    np.subtract(p_dagger, p, out=out[:, 1])
    out[:, 1] *= 1j
    np.multiply(q, 2.0, out=out[:, 2])
    out[:, 2] -= np.eye(n)
    return out


def _orbital_to_band_basis(orbital: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """(n_k, m, N, N) band-basis ``M ⊗ 1₂`` for ``orbital`` (m, N/2, N/2)."""
    n_k, n = vectors.shape[0], vectors.shape[-1]
    m = len(orbital)
    # ((M ⊗ 1) U)[2r + s, :] = Σ_o M[r, o] U[2o + s, :]: M times U viewed as (N/2, 2N)
    applied = orbital.reshape(m * n // 2, n // 2) @ vectors.reshape(n_k, n // 2, 2 * n)
    applied = applied.reshape(n_k, m, n, n)
    return np.conj(np.swapaxes(vectors, -1, -2))[:, None] @ applied


def structured_to_band_basis(operators: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """``U† O U`` for Hermitian operators, using their spin structure.

    Same result as :func:`to_band_basis` (to rounding, ~1e-15); see the module
    docstring for the recognized operators.

    Parameters
    ----------
    operators : (n_ops, N, N) ndarray
        Hermitian operators in the ``orbital ⊗ spin`` basis (dimensionless).
    vectors : (n_k, N, N) ndarray
        Orthonormal eigenvectors as columns, per k.

    Returns
    -------
    (n_k, n_ops, N, N) ndarray of complex
    """
    vectors = np.ascontiguousarray(vectors)
    n_k, n = vectors.shape[0], vectors.shape[-1]
    kinds = operator_structure(operators)
    out = np.empty((n_k, len(operators), n, n), dtype=complex)
    pauli = [index for index, (kind, _) in enumerate(kinds) if kind == "pauli"]
    if pauli:
        rotated = _pauli_to_band_basis(vectors)
        for index in pauli:
            out[:, index] = rotated[:, kinds[index][1]]
    orbital = [index for index, (kind, _) in enumerate(kinds) if kind == "orbital"]
    if orbital:
        out[:, orbital] = _orbital_to_band_basis(operators[orbital][:, 0::2, 0::2], vectors)
    dense = [index for index, (kind, _) in enumerate(kinds) if kind == "dense"]
    if dense:
        out[:, dense] = hermitian_to_band_basis(operators[dense], vectors)
    return out


def _velocities_to_band_basis(model: TightBindingModel, k: np.ndarray,
                              vectors: np.ndarray) -> np.ndarray:
    """(n_k, 3, N, N) band-basis ħv in eV·Å; ``(v ⊗ 1) U`` by halves when v is spinless."""
    if getattr(model, "spinful_hoppings", True):
        return hermitian_to_band_basis(model.velocity_operators(k), vectors)
    vectors = np.ascontiguousarray(vectors)
    n_k, n = vectors.shape[0], vectors.shape[-1]
    orbital = model.hopping_velocity_operators(k).reshape(n_k, 3 * n // 2, n // 2)
    right = (orbital @ vectors.reshape(n_k, n // 2, 2 * n)).reshape(n_k, 3, n, n)  # (v⊗1) U
    left = np.conj(np.swapaxes(right, -1, -2)).reshape(n_k, 3 * n, n)  # U† (v⊗1)
    return (left @ vectors).reshape(n_k, 3, n, n)


@dataclass(frozen=True, eq=False)
class BandData:
    """Everything the Green's-function kernels need at a block of k-points.

    Attributes
    ----------
    energies : (n_k, N) ndarray of float
        Band energies ε_n(k) in eV.
    velocities : (n_k, 3, N, N) ndarray of complex
        ħ v_i in the band basis, eV·Å.
    operators : (n_k, n_ops, N, N) ndarray of complex
        Requested angular-momentum operators in the band basis (dimensionless).
    weights : (n_k,) ndarray of float
        Weight of each k-point in the Brillouin-zone sum (its star size).
    """

    energies: np.ndarray
    velocities: np.ndarray
    operators: np.ndarray
    weights: np.ndarray

    @classmethod
    def from_model(
        cls,
        model: TightBindingModel,
        k: np.ndarray,
        operators: np.ndarray,
        weights: np.ndarray | None = None,
    ) -> BandData:
        """Diagonalize H(k) once and rotate velocities and ``operators`` (n_ops, N, N).

        ħv is Hermitian by construction; ``operators`` are rotated by the faster
        Hermitian paths when they are Hermitian (σ, L, projectors).
        """
        energies, vectors = np.linalg.eigh(model.hamiltonian(k))
        velocities = _velocities_to_band_basis(model, k, vectors)
        weights = np.ones(len(energies)) if weights is None else np.asarray(weights, dtype=float)
        operators = np.asarray(operators)
        hermitian = np.allclose(operators, np.conj(np.swapaxes(operators, -1, -2)), rtol=0,
                                atol=1e-14 * max(1.0, float(np.abs(operators).max(initial=0))))
        rotate = structured_to_band_basis if hermitian else to_band_basis
        return cls(energies, velocities, rotate(operators, vectors), weights)
