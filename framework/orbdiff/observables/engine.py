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

import numpy as np

from ..hamiltonian.model import TightBindingModel
from ..structure.kgrid import KGrid
from ..structure.symmetry import WEDGE_CHUNK, PointGroup, wedge_blocks
from .bands import BandData
from .blas import single_threaded_blas

__all__ = ["KSampling", "default_chunk_size", "default_workers", "integrate", "sampling"]

#: Working memory allowed for one block of k-points, in bytes.
MEMORY_BUDGET = 128 * 2**20
#: Most k-points per block: larger blocks leave the cache (measured on Ta at one
#: energy: 64 k-points per block take 0.65 s of CPU at 50³, 405 take 0.78 s) and give
#: the threads too few blocks to share evenly on small grids.
MAX_CHUNK = 64


def default_workers() -> int:
    """Threads over k-blocks: the CPUs this process may use (``ORBDIFF_THREADS`` overrides).

    Diagonalization, matrix products and the compiled loops all release the GIL, so
    blocks run in parallel; BLAS itself sees small matrices and stays single-threaded.
    """
    setting = os.environ.get("ORBDIFF_THREADS", "")
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover  (not Linux)
        return os.cpu_count() or 1


class KSampling:
    """k-points (Å⁻¹) with weights, and the group that completes them to the grid.

    Built from arrays (``points``, ``weights``) or from a ``grid``: then the points are
    generated block by block when summed (:meth:`blocks`), the irreducible wedge of
    ``group`` or, for the trivial group, the full grid; no array of the grid's size
    is ever held. ``points`` and ``weights`` are still available (computed on first use).

    Parameters
    ----------
    points : (n_k, 3) ndarray of float, optional
        k-points in Å⁻¹.
    weights : (n_k,) ndarray of float, optional
        Their weights (star sizes).
    group : PointGroup
    grid : KGrid, optional
        Generate the points from this grid instead.
    """

    def __init__(self, points: np.ndarray | None = None, weights: np.ndarray | None = None,
                 group: PointGroup | None = None, grid: KGrid | None = None) -> None:
        if (points is None) == (grid is None):
            raise ValueError("give either points and weights or a grid")
        self.group = group or PointGroup.trivial()
        self.grid = grid
        self._points = None if points is None else np.asarray(points, dtype=float)
        self._weights = None
        if points is not None:
            self._weights = (np.ones(len(self._points)) if weights is None
                             else np.asarray(weights, dtype=float))

    @property
    def points(self) -> np.ndarray:
        """(n_k, 3) all k-points in Å⁻¹ (materialized on first use)."""
        self._materialize()
        return self._points

    @property
    def weights(self) -> np.ndarray:
        """(n_k,) weights, adding up to the number of grid points."""
        self._materialize()
        return self._weights

    @property
    def total_weight(self) -> float:
        """Number of grid points the weights stand for."""
        if self._weights is None:
            return float(self.grid.n_points)
        return float(self._weights.sum())

    def blocks(self, size: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(points, weights) in blocks of at most ``size`` k-points, in a fixed order."""
        if self._points is not None:
            for start in range(0, len(self._points), size):
                yield self._points[start : start + size], self._weights[start : start + size]
        elif len(self.group) == 1:
            for points in self.grid.chunks(size):
                yield points, np.ones(len(points))
        else:
            yield from _reblock(wedge_blocks(self.grid, self.group), size)

    def _materialize(self) -> None:
        if self._points is None:
            parts = list(self.blocks(WEDGE_CHUNK))
            self._points = np.concatenate([points for points, _ in parts])
            self._weights = np.concatenate([weights for _, weights in parts]).astype(float)


def _reblock(parts: Iterable[tuple[np.ndarray, np.ndarray]],
             size: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Regroup a stream of (points, weights) pieces into blocks of exactly ``size``."""
    points, weights, held = [], [], 0
    for p, w in parts:
        points.append(p)
        weights.append(w.astype(float))
        held += len(p)
        while held >= size:
            all_points, all_weights = np.concatenate(points), np.concatenate(weights)
            yield all_points[:size], all_weights[:size]
            points, weights, held = [all_points[size:]], [all_weights[size:]], held - size
    if held:
        yield np.concatenate(points), np.concatenate(weights)


def sampling(model: TightBindingModel, grid: KGrid, symmetry: bool = True) -> KSampling:
    """The full grid (``symmetry=False``) or its irreducible wedge under the model's group.

    The points are generated in blocks while they are summed (see :class:`KSampling`).
    """
    return KSampling(grid=grid, group=model.point_group() if symmetry else None)


def default_chunk_size(n_states: int, n_energies: int, n_components: int = 18) -> int:
    """k-points per block: the per-block arrays within :data:`MEMORY_BUDGET`, ≤ :data:`MAX_CHUNK`.

    Per k-point the engine holds the band-basis operators (complex N × N each) and, per
    energy, the traces (``n_components²`` floats) and the Kubo/DOS intermediates.
    """
    operators = 3 * 16 * n_states**2 * (3 + n_components)  # with eigh and rotation temporaries
    per_energy = 8 * n_energies * (n_components**2 + 12 * n_states)
    return int(max(1, min(MAX_CHUNK, MEMORY_BUDGET // (operators + per_energy))))


def integrate(
    model: TightBindingModel,
    ksampling: KSampling,
    operators: np.ndarray,
    accumulate: Callable[[BandData], dict[str, np.ndarray]],
    chunk_size: int,
    progress: bool | None = None,
    workers: int | None = None,
    block_data: Callable[[TightBindingModel, np.ndarray, np.ndarray], object] | None = None,
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
    block_data : callable, optional
        ``block_data(model, points, weights)``, what ``accumulate`` receives for each
        block instead of the :class:`BandData` with ``operators`` (for example
        :meth:`orbdiff.observables.orbital.OrbitalData.from_model`, which does not
        diagonalize).

    Returns
    -------
    dict of str to ndarray
        Each entry divided by the total weight (the number of grid points).
    """
    from tqdm.auto import tqdm  # only here: importing tqdm costs start-up time

    totals: dict[str, np.ndarray] = {}

    def block_sums(block: tuple[np.ndarray, np.ndarray]) -> dict[str, np.ndarray]:
        points, weights = block
        if block_data is not None:
            return accumulate(block_data(model, points, weights))
        return accumulate(BandData.from_model(model, points, operators, weights))

    bar = tqdm(total=ksampling.total_weight, disable=None if progress is None else not progress,
               desc="k-points", unit="k", unit_scale=True, leave=False)
    threads = max(1, workers or default_workers())
    with bar, single_threaded_blas(), ThreadPoolExecutor(threads) as pool:
        blocks = ksampling.blocks(chunk_size)
        for sums, weight in _ordered_map(pool, block_sums, blocks, 2 * threads):
            for name, value in sums.items():
                totals[name] = totals[name] + value if name in totals else value
            bar.update(weight)
    return {name: value / ksampling.total_weight for name, value in totals.items()}


def _ordered_map(pool: ThreadPoolExecutor, function: Callable, blocks: Iterable,
                 window: int) -> Iterator:
    """``(function(block), total weight of block)`` over ``blocks``, in order, on ``pool``.

    At most ``window`` blocks are in flight.

    Bounding the queue bounds the memory (each block holds its band-basis arrays).
    """
    pending: deque = deque()
    for block in blocks:
        pending.append((pool.submit(function, block), block[1].sum()))
        if len(pending) >= window:
            future, weight = pending.popleft()
            yield future.result(), weight
    while pending:
        future, weight = pending.popleft()
        yield future.result(), weight
