"""Band-basis data of a chunk of k-points: eigenvalues and rotated operators."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..hamiltonian.model import TightBindingModel

__all__ = ["BandData", "to_band_basis"]


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
        Hermitian path when they are Hermitian (σ, L, projectors).
        """
        energies, vectors = np.linalg.eigh(model.hamiltonian(k))
        velocities = hermitian_to_band_basis(model.velocity_operators(k), vectors)
        weights = np.ones(len(energies)) if weights is None else np.asarray(weights, dtype=float)
        operators = np.asarray(operators)
        hermitian = np.allclose(operators, np.conj(np.swapaxes(operators, -1, -2)), rtol=0,
                                atol=1e-14 * max(1.0, float(np.abs(operators).max(initial=0))))
        rotate = hermitian_to_band_basis if hermitian else to_band_basis
        return cls(energies, velocities, rotate(operators, vectors), weights)
