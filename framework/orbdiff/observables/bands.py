"""Band-basis data of a chunk of k-points: eigenvalues and rotated operators."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..hamiltonian.model import TightBindingModel

__all__ = ["BandData", "to_band_basis"]


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
        """Diagonalize H(k) once and rotate velocities and ``operators`` (n_ops, N, N)."""
        energies, vectors = np.linalg.eigh(model.hamiltonian(k))
        velocities = to_band_basis(model.velocity_operators(k), vectors)
        weights = np.ones(len(energies)) if weights is None else np.asarray(weights, dtype=float)
        return cls(energies, velocities, to_band_basis(operators, vectors), weights)
