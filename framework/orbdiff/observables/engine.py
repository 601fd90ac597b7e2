"""Brillouin-zone integration: diagonalize per k-point block and accumulate kernels.

The k-points are the full Γ-centred grid or, with a point group, its irreducible
wedge with star weights; the sums are then symmetrized by the group (see
:mod:`orbdiff.observables.symmetrize`), which gives the full-grid result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from tqdm.auto import tqdm

from ..hamiltonian.model import TightBindingModel
from ..structure.kgrid import KGrid
from ..structure.symmetry import PointGroup, irreducible_wedge
from .bands import BandData

__all__ = ["KSampling", "default_chunk_size", "integrate", "sampling"]

#: Working memory allowed for one block of k-points, in bytes.
MEMORY_BUDGET = 256 * 2**20


@dataclass(frozen=True, eq=False)
class KSampling:
    """k-points (Å⁻¹) with weights, and the group that completes them to the grid."""

    points: np.ndarray
    weights: np.ndarray
    group: PointGroup

    @property
    def total_weight(self) -> float:
        return float(self.weights.sum())


def sampling(model: TightBindingModel, grid: KGrid, symmetry: bool = True) -> KSampling:
    """The full grid (``symmetry=False``) or its irreducible wedge under the model's group."""
    if not symmetry:
        return KSampling(grid.cartesian, np.ones(grid.n_points), PointGroup.trivial())
    group = model.point_group()
    points, weights = irreducible_wedge(grid, group)
    return KSampling(points, weights.astype(float), group)


def default_chunk_size(n_states: int, n_energies: int, n_components: int = 18) -> int:
    """k-points per block so that the per-block arrays stay within :data:`MEMORY_BUDGET`.

    Per k-point the engine holds the band-basis operators (complex N × N each) and, per
    energy, the traces (``n_components²`` floats) and the Kubo/DOS intermediates.
    """
    operators = 3 * 16 * n_states**2 * (3 + n_components)  # with eigh and rotation temporaries
    per_energy = 8 * n_energies * (n_components**2 + 12 * n_states)
    return int(max(1, min(4096, MEMORY_BUDGET // (operators + per_energy))))


def integrate(
    model: TightBindingModel,
    ksampling: KSampling,
    operators: np.ndarray,
    accumulate: Callable[[BandData], dict[str, np.ndarray]],
    chunk_size: int,
    progress: bool | None = None,
) -> dict[str, np.ndarray]:
    """Weighted Brillouin-zone average of ``accumulate`` (not yet symmetrized).

    Parameters
    ----------
    model : TightBindingModel
    ksampling : KSampling
        Points and weights (see :func:`sampling`).
    operators : (n_ops, N, N) ndarray
        Operators to rotate into the band basis alongside the velocities.
    accumulate : callable
        ``accumulate(bands) -> dict of arrays``, weighted sums over the block's k-points.
    chunk_size : int
        k-points per block; memory is bounded by it whatever the grid.
    progress : bool or None
        Show a progress bar (None: only on a terminal).

    Returns
    -------
    dict of str to ndarray
        Each entry divided by the total weight (the number of grid points).
    """
    totals: dict[str, np.ndarray] = {}
    points, weights = ksampling.points, ksampling.weights
    starts = range(0, len(points), chunk_size)
    bar = tqdm(starts, disable=None if progress is None else not progress, desc="k-points",
               unit="block", leave=False)
    for start in bar:
        block = slice(start, start + chunk_size)
        bands = BandData.from_model(model, points[block], operators, weights[block])
        for name, value in accumulate(bands).items():
            totals[name] = totals[name] + value if name in totals else value
    return {name: value / ksampling.total_weight for name, value in totals.items()}
