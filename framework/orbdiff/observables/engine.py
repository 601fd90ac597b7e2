"""Brillouin-zone integration: diagonalize per k-point block and accumulate kernels."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from tqdm.auto import tqdm

from ..hamiltonian.model import TightBindingModel
from ..structure.kgrid import KGrid
from .bands import BandData

__all__ = ["default_chunk_size", "integrate"]

#: Working memory allowed for one block of k-points, in bytes.
MEMORY_BUDGET = 256 * 2**20


def default_chunk_size(n_states: int, n_energies: int, n_components: int = 18) -> int:
    """k-points per block so that the largest temporary stays within :data:`MEMORY_BUDGET`."""
    bytes_per_k = 16 * 3 * n_energies * n_components * n_states**2 + 16 * n_components * n_states**3
    return int(max(1, min(4096, MEMORY_BUDGET // bytes_per_k)))


def integrate(
    model: TightBindingModel,
    grid: KGrid,
    operators: np.ndarray,
    accumulate: Callable[[BandData], dict[str, np.ndarray]],
    chunk_size: int,
    progress: bool | None = None,
) -> dict[str, np.ndarray]:
    """Average ``accumulate`` over the k-grid.

    Parameters
    ----------
    model : TightBindingModel
    grid : KGrid
    operators : (n_ops, N, N) ndarray
        Operators to rotate into the band basis alongside the velocities.
    accumulate : callable
        ``accumulate(bands) -> dict of arrays`` summed over the block's k-points.
    chunk_size : int
        k-points per block; memory is bounded by it whatever the grid.
    progress : bool or None
        Show a progress bar (None: only on a terminal).

    Returns
    -------
    dict of str to ndarray
        Each entry divided by the number of k-points (a Brillouin-zone average).
    """
    totals: dict[str, np.ndarray] = {}
    n_chunks = -(-grid.n_points // chunk_size)
    bar = tqdm(
        grid.chunks(chunk_size),
        total=n_chunks,
        disable=_disabled(progress),
        desc="k-points",
        unit="block",
        leave=False,
    )
    for k in bar:
        for name, value in accumulate(BandData.from_model(model, k, operators)).items():
            totals[name] = totals[name] + value if name in totals else value
    return {name: value / grid.n_points for name, value in totals.items()}


def _disabled(progress: bool | None) -> bool | None:
    return None if progress is None else not progress
