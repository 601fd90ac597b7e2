"""Helpers shared by the example scripts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from orbdiff_plugins.diffusion import DiffusivityResult


def cached(path: Path, compute: Callable[[], DiffusivityResult]) -> DiffusivityResult:
    """Load ``path`` if it exists; otherwise compute, save at once and return.

    Every case is written as soon as it is computed, so an interrupted run loses
    nothing and a rerun only computes what is missing.
    """
    if path.exists():
        return DiffusivityResult.load(path)
    result = compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    result.save(path)
    return result
