"""Uniform Γ-centred k-point grids."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from ..errors import invalid
from .crystal import Crystal

__all__ = ["KGrid"]


@dataclass(frozen=True, eq=False)
class KGrid:
    """The Γ-centred grid ``k = Σ_a (n_a / N_a) b_a``, ``n_a = 0 … N_a − 1``.

    The same rule holds for even and odd ``N_a``; every point has weight ``1/N_k``.

    Parameters
    ----------
    crystal : Crystal
        Supplies the reciprocal vectors ``b_a`` (Å⁻¹).
    size : int or (3,) tuple of int
        Points along each reciprocal vector, each ≥ 2.
    """

    crystal: Crystal
    size: tuple[int, int, int]

    def __init__(self, crystal: Crystal, size: int | tuple[int, int, int]) -> None:
        sizes = (size,) * 3 if np.ndim(size) == 0 else tuple(size)
        if len(sizes) != 3 or any(not _is_int(n) or n < 2 for n in sizes):
            raise invalid("grid", size, "an integer ≥ 2 (or three of them)")
        object.__setattr__(self, "crystal", crystal)
        object.__setattr__(self, "size", tuple(int(n) for n in sizes))

    @property
    def n_points(self) -> int:
        """Number of k-points."""
        return int(np.prod(self.size))

    @property
    def fractional(self) -> np.ndarray:
        """(n_points, 3) k-points in units of the reciprocal vectors."""
        axes = [np.arange(n) / n for n in self.size]
        mesh = np.meshgrid(*axes, indexing="ij")
        return np.stack([m.ravel() for m in mesh], axis=1)

    @property
    def cartesian(self) -> np.ndarray:
        """(n_points, 3) k-points in Å⁻¹."""
        return self.fractional @ self.crystal.reciprocal_cell

    def chunks(self, chunk_size: int) -> Iterator[np.ndarray]:
        """Cartesian k-points (Å⁻¹) in blocks of at most ``chunk_size`` points.

        In the order of :attr:`cartesian`, without building the whole grid.
        """
        sizes = np.array(self.size)
        for start in range(0, self.n_points, chunk_size):
            flat = np.arange(start, min(start + chunk_size, self.n_points))
            fractional = np.stack(np.unravel_index(flat, self.size), axis=1) / sizes
            yield fractional @ self.crystal.reciprocal_cell


def _is_int(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)
