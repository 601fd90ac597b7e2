"""k-sampling error and grid convergence of Hall results.

The core's two-grid estimator (``orbdiff.observables.convergence``) is used when the
installed orbdiff has it; otherwise the same estimator runs here: the result on a second
Γ-centred grid of ``M = round(0.8 N)`` points per axis gives the error: twice the largest
``|σ_N − σ_M|`` of the tensor's components at that energy (:meth:`HallResult.block_maximum`;
single differences can be small by accident where the error changes sign), and
``converge`` grows the grid ×1.25 per step until every component's error is below the
tolerance times its :meth:`HallResult.error_scale`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

from .result import HallResult

__all__ = ["SAFETY_FACTOR", "converge", "with_error_estimate"]

Evaluate = Callable[[tuple[int, int, int]], HallResult]

try:  # the core's estimator, shared by every observable
    from orbdiff.observables.convergence import SAFETY_FACTOR, converge, with_error_estimate
except ImportError:  # an orbdiff without it: the same estimator, locally
    #: Factor on the largest two-grid difference of a block.
    SAFETY_FACTOR = 2.0

    def _coarse(grid: tuple[int, int, int]) -> tuple[int, int, int]:
        sizes = [max(2, round(0.8 * n)) for n in grid]
        return tuple(m if m != n else n + 1 for m, n in zip(sizes, grid, strict=True))

    def _estimated(fine: HallResult, coarse: HallResult, fine_grid, coarse_grid, extra):
        errors = {}
        for name in fine.error_fields:
            difference = np.abs(getattr(fine, name) - getattr(coarse, name))
            errors[name] = SAFETY_FACTOR * fine.block_maximum(name, difference)
        return fine.with_errors(errors, {"grid": list(fine_grid),
                                         "error_grid": list(coarse_grid), **extra})

    def with_error_estimate(evaluate: Evaluate, grid) -> HallResult:
        """Evaluate on ``grid`` and on ``round(0.8 grid)``; attach the difference as error."""
        fine_grid = tuple(int(n) for n in np.broadcast_to(grid, 3))
        coarse_grid = _coarse(fine_grid)
        return _estimated(evaluate(fine_grid), evaluate(coarse_grid), fine_grid, coarse_grid,
                          {})

    def converge(evaluate: Evaluate, start, tolerance: float, max_grid: int = 120,
                 progress: bool | None = None) -> HallResult:
        """Grow the grid ×1.25 per step until all errors are ≤ ``tolerance`` × scale."""
        grid = tuple(int(n) for n in np.broadcast_to(start, 3))
        previous_grid = _coarse(grid)
        previous = evaluate(previous_grid)
        while True:
            current = evaluate(grid)
            result = _estimated(current, previous, grid, previous_grid, {"converge": tolerance})
            worst = max(float(np.max(getattr(result, f"{name}_error") / result.error_scale(name)))
                        for name in result.error_fields)
            if worst <= tolerance:
                return result.with_errors({}, {"converged": True})
            if max(grid) >= max_grid:
                warnings.warn(f"grid {max(grid)} (max_grid) does not reach converge="
                              f"{tolerance}", stacklevel=2)
                return result.with_errors({}, {"converged": False})
            previous, previous_grid = current, grid
            grid = tuple(min(max_grid, max(n + 1, round(1.25 * n))) for n in grid)
