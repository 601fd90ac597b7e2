"""k-sampling errors from two Γ-centred grids, and grids grown until they are converged.

The estimator (docs/theory.md, "k-sampling error"): a Brillouin-zone average of a smooth
periodic integrand on an ``N``-point trapezoid grid converges exponentially once the
grid resolves the broadening (Δk ≲ Γ/ħv). The error of the coarser of two grids then
dominates their difference, so ``|T_N − T_M|`` with ``M ≈ 0.8 N`` bounds the error of
``T_N``. Before that regime the errors of the two grids are of similar size and sign
changes make single differences small by accident, so each component's error is the
largest difference within its block (the components that share a scale), times
:data:`SAFETY_FACTOR`. The second grid costs about ``0.8³ ≈ 0.5`` of the first.

Results that support the estimate follow :class:`EstimatedResult`; the functions here
never look inside them beyond that protocol, so every observable (diffusivity,
conductivity, DOS, ...) shares the same grid logic.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping
from typing import Any, Protocol, runtime_checkable

import numpy as np

from ..errors import CapabilityError, invalid

__all__ = [
    "COARSE_RATIO",
    "GROWTH",
    "SAFETY_FACTOR",
    "ConvergenceWarning",
    "EstimatedResult",
    "check_convergence_options",
    "coarse_grid",
    "converge",
    "grid_sequence",
    "largest_relative_error",
    "relative_errors",
    "two_grid_errors",
    "unconverged",
    "unconverged_message",
    "with_error_estimate",
]

#: Size of the second grid of the estimate, relative to the first.
COARSE_RATIO = 0.8
#: Factor on the block-maximum two-grid difference (see the module docstring).
SAFETY_FACTOR = 2.0
#: Growth factor of the grid between two steps of :func:`converge` (1 / COARSE_RATIO).
GROWTH = 1.25

Grid = tuple[int, int, int]


class ConvergenceWarning(UserWarning):
    """The largest grid allowed did not reach the requested tolerance."""


@runtime_checkable
class EstimatedResult(Protocol):
    """What a result offers so that its k-sampling error can be estimated and converged.

    ``error_fields`` names the value arrays (e.g. ``("charge", "tensor")``); each has an
    attribute ``<name>_error`` of the same shape and units once estimated (None before).
    """

    error_fields: tuple[str, ...]

    def with_errors(self, errors: Mapping[str, np.ndarray], inputs: Mapping[str, Any]) -> Any:
        """A copy carrying ``<name>_error`` arrays and ``inputs`` merged into its inputs."""

    def error_scale(self, name: str) -> np.ndarray:
        """Scale (same shape and units as ``name``) that relative errors are measured on."""

    def component_label(self, name: str, index: tuple[int, ...]) -> str:
        """Human-readable name of one element of array ``name``."""

    def block_maximum(self, name: str, values: np.ndarray) -> np.ndarray:
        """Largest of ``values`` over each component's block, broadcast to its shape."""


def _as_grid(grid: int | tuple[int, ...]) -> Grid:
    sizes = (grid,) * 3 if np.ndim(grid) == 0 else tuple(grid)
    return tuple(int(n) for n in sizes)  # type: ignore[return-value]


def coarse_grid(grid: int | tuple[int, ...]) -> Grid:
    """The second grid of the estimate: ``round(0.8 N)`` per axis, ≥ 2 and ≠ N."""
    out = []
    for n in _as_grid(grid):
        m = max(2, round(COARSE_RATIO * n))
        out.append(m if m != n else n + 1)
    return tuple(out)  # type: ignore[return-value]


def grid_sequence(start: int | tuple[int, ...], max_grid: int) -> list[Grid]:
    """Grids tried by :func:`converge`: ×1.25 per step from ``start``, ending at ``max_grid``.

    Each grid is about 0.8 of the next one, so it serves as that grid's coarse partner.
    A last step shorter than ×1.15 is merged with the one before (the pair would be too
    close to estimate anything).
    """
    grids = [_as_grid(start)]
    while max(grids[-1]) < max_grid:
        scale = min(GROWTH, max_grid / max(grids[-1]))
        grids.append(tuple(max(n + 1, round(scale * n)) for n in grids[-1]))
    if len(grids) > 2 and max(grids[-1]) < 1.15 * max(grids[-2]):
        del grids[-2]
    return grids


def two_grid_errors(fine: EstimatedResult, coarse: EstimatedResult) -> dict[str, np.ndarray]:
    """Error of every field of ``fine.error_fields``: the safety factor × block maximum of
    ``|T_fine − T_coarse|``."""
    out = {}
    for name in fine.error_fields:
        difference = np.abs(np.asarray(getattr(fine, name)) - np.asarray(getattr(coarse, name)))
        out[name] = SAFETY_FACTOR * np.asarray(fine.block_maximum(name, difference))
    return out


def _estimated(fine, coarse, fine_grid: Grid, coarse_grid_: Grid, extra: Mapping[str, Any]):
    inputs = {"grid": list(fine_grid), "error_grid": list(coarse_grid_), **extra}
    return fine.with_errors(two_grid_errors(fine, coarse), inputs)


def with_error_estimate(evaluate: Callable[[Grid], Any], grid: int | tuple[int, ...]) -> Any:
    """Evaluate on ``grid`` and on :func:`coarse_grid` and attach the difference as error.

    ``evaluate(grid) -> result``; a result that is not an :class:`EstimatedResult` is
    returned as it is (no second grid).
    """
    fine_grid = _as_grid(grid)
    fine = evaluate(fine_grid)
    if not isinstance(fine, EstimatedResult):
        return fine
    second = coarse_grid(fine_grid)
    return _estimated(fine, evaluate(second), fine_grid, second, {})


def relative_errors(result: EstimatedResult) -> dict[str, np.ndarray]:
    """``error / scale`` per field (0 where both vanish, inf where only the scale does)."""
    out = {}
    for name in result.error_fields:
        error = getattr(result, f"{name}_error")
        if error is None:
            continue
        scale = np.asarray(result.error_scale(name))
        with np.errstate(divide="ignore", invalid="ignore"):
            out[name] = np.where(error > 0, np.asarray(error) / scale, 0.0)
    return out


def largest_relative_error(result: EstimatedResult) -> float:
    """The largest ``error / scale`` of any component (NaN if no error was estimated)."""
    values = [float(np.max(r)) for r in relative_errors(result).values() if np.size(r)]
    return max(values) if values else math.nan


def unconverged(result: EstimatedResult, tolerance: float) -> list[str]:
    """Labels of the components whose estimated error exceeds ``tolerance × scale``.

    Largest relative error first; components that vanish (below 10⁻⁹ of their scale,
    e.g. zero by symmetry) are not named.
    """
    found = []
    for name, relative in relative_errors(result).items():
        values = np.abs(np.asarray(getattr(result, name)))
        named = (relative > tolerance) & (values > 1e-9 * np.asarray(result.error_scale(name)))
        for index in zip(*np.nonzero(named), strict=True):
            found.append((-float(relative[index]), name, tuple(int(i) for i in index)))
    return [result.component_label(name, index) for _, name, index in sorted(found)]


def check_convergence_options(converge_to: float | None, grid: int | tuple[int, ...],
                              max_grid: int) -> None:
    """Reject a tolerance outside (0, 1), or a ``max_grid`` below the starting grid."""
    if converge_to is None:
        return
    if isinstance(converge_to, bool) or not isinstance(converge_to, int | float) or not (
            math.isfinite(converge_to) and 0 < converge_to < 1):
        raise invalid("converge", converge_to, "a finite relative tolerance in (0, 1)")
    start = max(_as_grid(grid))
    if isinstance(max_grid, bool) or not isinstance(max_grid, int | np.integer) or (
            max_grid < start):
        raise invalid("max_grid", max_grid, f"an integer ≥ the starting grid {start}")


def unconverged_message(result: EstimatedResult, tolerance: float, limit: int = 6) -> str:
    """The text of the :class:`ConvergenceWarning` for ``result`` (grid in its inputs)."""
    labels = unconverged(result, tolerance)
    shown = ", ".join(labels[:limit])
    more = f" and {len(labels) - limit} more" if len(labels) > limit else ""
    grid = max(result.inputs.get("grid", [0]))
    return (f"grid {grid} (max_grid) does not reach converge={tolerance}; "
            f"unconverged: {shown}{more}")


def converge(evaluate: Callable[[Grid], Any], start: int | tuple[int, ...], tolerance: float,
             max_grid: int = 120, progress: bool | None = None) -> Any:
    """Grow the grid until every component's estimated error is ≤ ``tolerance × scale``.

    Parameters
    ----------
    evaluate : callable
        ``evaluate(grid) -> EstimatedResult`` on a Γ-centred grid.
    start : int or (3,) tuple of int
        First grid; its coarse partner is :func:`coarse_grid` of it.
    tolerance : float
        Relative tolerance in (0, 1), measured on each component's ``error_scale``.
    max_grid : int
        Largest grid (points per axis) tried; if it is not converged a
        :class:`ConvergenceWarning` names the unconverged components.
    progress : bool, optional
        Show the grids tried (default: only on a terminal).

    Returns
    -------
    EstimatedResult
        On the grid reached, with ``inputs`` recording ``grid`` (reached), ``error_grid``,
        ``grids_tried``, ``converge`` and ``converged``.
    """
    check_convergence_options(tolerance, start, max_grid)
    grids = grid_sequence(start, max_grid)
    previous_grid = coarse_grid(grids[0])
    previous = evaluate(previous_grid)
    if not isinstance(previous, EstimatedResult):
        raise CapabilityError(f"{type(previous).__name__} results carry no k-sampling error, "
                              f"so they cannot be converged")
    tried = [list(previous_grid)]
    from tqdm.auto import tqdm  # here: importing tqdm costs start-up time

    bar = tqdm(grids, disable=None if progress is None else not progress, desc="grids",
               unit="grid", leave=False)
    for grid in bar:
        bar.set_postfix_str(f"{'×'.join(map(str, grid))}")
        current = evaluate(grid)
        tried.append(list(grid))
        extra = {"grids_tried": list(tried), "converge": tolerance}
        result = _estimated(current, previous, grid, previous_grid, extra)
        missing = unconverged(result, tolerance)
        if not missing:
            return result.with_errors({}, {"converged": True})
        previous, previous_grid = current, grid
    warnings.warn(ConvergenceWarning(unconverged_message(result, tolerance)), stacklevel=2)
    return result.with_errors({}, {"converged": False, "unconverged": missing[:50],
                                   "n_unconverged": len(missing)})
