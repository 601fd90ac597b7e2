"""Brillouin-zone integration: diagonalize per k-point block and accumulate kernels.

The k-points are the full Γ-centred grid or, with a point group, its irreducible
wedge with star weights; the sums are then symmetrized by the group (see
:mod:`orbdiff.observables.symmetrize`), which gives the full-grid result.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from ..hamiltonian.model import TightBindingModel
from ..structure.kgrid import KGrid
from ..structure.symmetry import PointGroup, irreducible_wedge
from .bands import BandData

__all__ = ["KSampling", "default_chunk_size", "default_workers", "integrate", "sampling"]

#: Working memory allowed for one block of k-points, in bytes.
MEMORY_BUDGET = 128 * 2**20


def default_workers() -> int:
    """Threads over k-blocks: the CPUs this process may use (``ORBDIFF_THREADS`` overrides).

    Diagonalization, matrix products and the compiled kernel all release the GIL, so
    blocks run in parallel; BLAS itself sees small matrices and stays single-threaded.
    """
    setting = os.environ.get("ORBDIFF_THREADS", "")
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover  (not Linux)
        return os.cpu_count() or 1


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
    workers: int | None = None,
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
    workers : int or None
        Threads evaluating blocks concurrently (default :func:`default_workers`); the
        sums are added in block order, so the result does not depend on it.

    Returns
    -------
    dict of str to ndarray
        Each entry divided by the total weight (the number of grid points).
    """
    from tqdm.auto import tqdm  # only here: importing tqdm costs start-up time

    totals: dict[str, np.ndarray] = {}
    points, weights = ksampling.points, ksampling.weights
    starts = range(0, len(points), chunk_size)

    def block_sums(start: int) -> dict[str, np.ndarray]:
        block = slice(start, start + chunk_size)
        return accumulate(BandData.from_model(model, points[block], operators, weights[block]))

    bar = tqdm(total=len(starts), disable=None if progress is None else not progress,
               desc="k-points", unit="block", leave=False)
    threads = max(1, workers or default_workers())
    with bar, ThreadPoolExecutor(threads) as pool:
        for sums in _ordered_map(pool, block_sums, starts, 2 * threads):
            for name, value in sums.items():
                totals[name] = totals[name] + value if name in totals else value
            bar.update()
    return {name: value / ksampling.total_weight for name, value in totals.items()}


def _ordered_map(pool: ThreadPoolExecutor, function: Callable, items: Iterable,
                 window: int) -> Iterator:
    """``map(function, items)`` on ``pool`` with at most ``window`` blocks in flight.

    Bounding the queue bounds the memory (each block holds its band-basis arrays).
    """
    pending: deque = deque()
    for item in items:
        pending.append(pool.submit(function, item))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()
