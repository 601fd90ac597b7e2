"""Band energies along a path and the orbital-projected density of states."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..hamiltonian.model import TightBindingModel
from ..structure.kgrid import KGrid
from .engine import integrate, sampling
from .kernels import spectral_diagonal

__all__ = ["band_energies", "projected_dos", "shell_projectors"]


def band_energies(model: TightBindingModel, k: np.ndarray) -> np.ndarray:
    """(n_k, 2n) eigenvalues of H(k) in eV, ascending, for k in Å⁻¹."""
    return np.linalg.eigvalsh(model.hamiltonian(k))


def shell_projectors(model: TightBindingModel) -> dict[str, np.ndarray]:
    """Spinful projectors (2n, 2n) on the s, p and d orbitals of all atoms."""
    n = model.n_orbitals
    projectors = {}
    offset = 0
    diagonal = {}
    for orbitals in model.orbitals:
        for shell, part in orbitals.shell_slices.items():
            mask = diagonal.setdefault(shell, np.zeros(n))
            mask[offset + part.start : offset + part.stop] = 1.0
        offset += orbitals.n_orbitals
    for shell, mask in diagonal.items():
        projectors[shell] = np.diag(np.repeat(mask, 2)).astype(complex)
    return projectors


def projected_dos(model: TightBindingModel, grid: KGrid, energies: np.ndarray, gamma: float,
                  projectors: Mapping[str, np.ndarray] | None = None,
                  chunk_size: int = 512) -> dict[str, np.ndarray]:
    """Broadened DOS projected on ``projectors`` (default: s, p, d), states/eV/cell.

    ``DOS_P(E) = (1/π) (1/N_k) Σ_k Σ_n ⟨n|P|n⟩ Γ / ((E − ε_n)² + Γ²)``; the projections
    add up to the total DOS.
    """
    # the s, p, d projectors are invariant under the point group; arbitrary ones are not
    symmetric = projectors is None
    projectors = dict(projectors or shell_projectors(model))
    names = list(projectors)
    stack = np.array([projectors[name] for name in names])

    def accumulate(bands):
        projection = np.diagonal(bands.operators, axis1=2, axis2=3).real  # (k, P, n)
        spectral = spectral_diagonal(bands, energies, gamma)  # (k, E, n)
        pdos = np.einsum("k,kpn,ken->pe", bands.weights, projection, spectral) / np.pi
        return {"pdos": pdos}

    sums = integrate(model, sampling(model, grid, symmetry=symmetric), stack, accumulate,
                     chunk_size)
    return {name: sums["pdos"][i] for i, name in enumerate(names)}
