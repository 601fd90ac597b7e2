"""Time and memory a Brillouin-zone run will need, estimated before it starts.

The engine streams k-points in blocks (:class:`~orbdiff.observables.engine.KSampling`),
so its memory does not grow with the grid: it is the start-up footprint, one block
of band-basis arrays per thread, and the per-energy results (held once per
point-group operation while they are symmetrized). What can still exceed a machine
is a huge number of energies; :func:`require_resources` refuses such a run with one
clear line before any computation.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from ..structure.kgrid import KGrid
from .engine import default_chunk_size, default_workers

__all__ = ["LONG_RUN_SECONDS", "RunEstimate", "announce_long_run", "available_memory",
           "estimate_run", "require_resources"]

GiB = 2**30

#: Runs estimated to take longer than this (s) say so on standard error before they start.
LONG_RUN_SECONDS = 60.0

#: Resident memory of a process that has imported orbdiff and its plugins, bytes.
START_UP_BYTES = 300 * 2**20

#: Seconds per k-point for N = 18 states on one idle core of the reference machine
#: (docs/performance.md, cases K and E1), as (once per k-point, per energy) for the
#: per-energy products (few energies) and the partial-fraction poles (many).
SECONDS_PER_K = {"products": (1.2e-4, 3e-5), "poles": (5e-4, 4e-6)}


@dataclass(frozen=True)
class RunEstimate:
    """What a run will cost, roughly.

    Attributes
    ----------
    k_points : int
        k-points to diagonalize (irreducible wedge or full grid).
    seconds : float
        Wall time of the k-space part, s (order of magnitude: the machine's load and
        speed change it).
    memory : int
        Peak resident memory, bytes.
    run : str
        What was estimated, e.g. ``"grid 50x50x50, 1 energy"``.
    """

    k_points: int
    seconds: float
    memory: int
    run: str = "this run"

    def __str__(self) -> str:
        return (f"{self.k_points} k-points, about {self.seconds:.3g} s and "
                f"{self.memory / GiB:.2g} GiB")


def estimate_run(n_states: int, grid: KGrid, n_energies: int, group_order: int = 1,
                 chunk_size: int | None = None, workers: int | None = None,
                 n_components: int = 18) -> RunEstimate:
    """Estimate time and memory of a diffusivity run.

    Parameters
    ----------
    n_states : int
        Dimension N of H(k).
    grid : KGrid
    n_energies : int
        Number of transport energies.
    group_order : int
        Operations of the point group used to reduce the grid (1: full grid).
    chunk_size, workers : int, optional
        As given to the engine (defaults: :func:`default_chunk_size`,
        :func:`default_workers`).
    n_components : int
        Sources and currents per direction times 3 (18 for σ and L).
    """
    from .kernels import few_energies

    workers = workers or default_workers()
    chunk_size = chunk_size or default_chunk_size(n_states, n_energies, n_components)
    k_points = grid.n_points // group_order + 1 if group_order > 1 else grid.n_points
    block = min(chunk_size, k_points) * (
        3 * 16 * n_states**2 * (3 + n_components)
        + 8 * n_energies * (n_components**2 + 12 * n_states))
    results = 8 * n_energies * (n_components**2 + 9 + 9 + 1) * (3 + group_order)
    memory = START_UP_BYTES + workers * block + results
    path = "products" if n_energies <= few_energies(n_states) else "poles"
    once, per_energy = SECONDS_PER_K[path]
    per_k = (once + n_energies * per_energy) * (n_states / 18) ** 3
    plural = "energy" if n_energies == 1 else "energies"
    run = f"grid {'x'.join(map(str, grid.size))}, {n_energies} {plural}"
    return RunEstimate(k_points, k_points * per_k / workers, int(memory), run)


def available_memory() -> int:
    """Memory (bytes) this machine can still give to the process."""
    import psutil  # only here: a dependency of distributed, quick to import

    return int(psutil.virtual_memory().available)


def require_resources(estimate: RunEstimate, available: int | None = None) -> RunEstimate:
    """Return ``estimate``, or raise :class:`InputError` if it cannot fit in memory.

    The message is one line, e.g. ``grid 50x50x50, 1000000000 energies would need about
    4.5e+03 GiB; this machine has 21 GiB available``.
    """
    available = available_memory() if available is None else available
    if estimate.memory > available:
        raise InputError(
            f"{estimate.run} would need about {estimate.memory / GiB:.3g} GiB; "
            f"this machine has {available / GiB:.3g} GiB available")
    return estimate


def announce_long_run(estimate: RunEstimate, stream=None) -> bool:
    """Print one line on standard error if ``estimate`` exceeds :data:`LONG_RUN_SECONDS`.

    Returns True if it printed. The line gives the estimated time and memory, so that a
    run that would take hours (``--grid 2000``) is never started silently.
    """
    if estimate.seconds <= LONG_RUN_SECONDS:
        return False
    import sys

    hours = f" (≈ {estimate.seconds / 3600:.2g} h)" if estimate.seconds >= 3600 else ""
    print(f"orbdiff: {estimate.run}: {estimate}{hours} estimated before starting; "
          "Ctrl-C stops it", file=stream or sys.stderr, flush=True)
    return True
