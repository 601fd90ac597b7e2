"""Fermi level from the electron count, converged with the k-grid."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import invalid
from ..hamiltonian.model import TightBindingModel
from ..structure.kgrid import KGrid

__all__ = ["FermiLevel", "fermi_level", "fermi_level_on_grid"]


@dataclass(frozen=True)
class FermiLevel:
    """A Fermi level and how well it is converged.

    Attributes
    ----------
    energy : float
        Fermi level in eV (same zero as the model's on-site energies).
    accuracy : float
        |change| in eV between the last two grids.
    grid : int
        The finest grid used (points per reciprocal axis).
    history : tuple of (int, float)
        (grid, Fermi level in eV) for every grid tried.
    """

    energy: float
    accuracy: float
    grid: int
    history: tuple[tuple[int, float], ...]


def fermi_level_on_grid(model: TightBindingModel, electrons: float, grid: int,
                        chunk_size: int = 4096) -> float:
    """Fermi level (eV) that puts ``electrons`` per cell into the bands of a k-grid.

    Each spinful band holds one electron per k-point; the level is placed halfway
    between the last occupied and the first empty eigenvalue of the whole grid.
    """
    n_states = model.n_states
    if not 0 < electrons < n_states:
        raise invalid("electrons", electrons, f"a number between 0 and {n_states} per cell")
    kgrid = KGrid(model.crystal, grid)
    eigenvalues = np.concatenate(
        [np.linalg.eigvalsh(model.hamiltonian(k)).ravel() for k in kgrid.chunks(chunk_size)]
    )
    filled = electrons * kgrid.n_points
    below = int(np.floor(filled))
    ordered = np.partition(eigenvalues, [below - 1, below])
    if filled > below:  # fractional filling lands inside one eigenvalue
        return float(ordered[below])
    return float(0.5 * (ordered[below - 1] + ordered[below]))


def fermi_level(model: TightBindingModel, electrons: float,
                grids: Sequence[int] = (16, 24, 32, 40), tolerance: float = 2e-3) -> FermiLevel:
    """Fermi level (eV) converged over increasing grids.

    Stops at the first grid whose level moved less than ``tolerance`` (eV) from the
    previous one; ``accuracy`` is that last change.
    """
    history: list[tuple[int, float]] = []
    for n in grids:
        history.append((n, fermi_level_on_grid(model, electrons, n)))
        if len(history) > 1 and abs(history[-1][1] - history[-2][1]) < tolerance:
            break
    accuracy = abs(history[-1][1] - history[-2][1]) if len(history) > 1 else float("inf")
    return FermiLevel(history[-1][1], accuracy, history[-1][0], tuple(history))
