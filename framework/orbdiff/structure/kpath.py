"""High-symmetry k-paths with ase's conventions (Setyawan-Curtarolo special points)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ase.cell import Cell

from .crystal import Crystal

__all__ = ["KPath", "standard_path"]


@dataclass(frozen=True, eq=False)
class KPath:
    """Points along a path through the Brillouin zone.

    Attributes
    ----------
    cartesian : (n, 3) ndarray
        k-points in Å⁻¹ (reciprocal vectors include 2π).
    distance : (n,) ndarray
        Accumulated path length in Å⁻¹ (ase's axis, 2π included), for band plots.
    labels : tuple of (float, str)
        Positions on ``distance`` and names of the special points.
    """

    cartesian: np.ndarray
    distance: np.ndarray
    labels: tuple[tuple[float, str], ...]


def standard_path(crystal: Crystal, path: str | None = None, npoints: int = 200) -> KPath:
    """The standard path of the crystal's lattice (e.g. Γ-H-N-Γ-P-H|P-N for bcc)."""
    bandpath = Cell(crystal.cell).bandpath(path, npoints=npoints)
    cartesian = bandpath.kpts @ crystal.reciprocal_cell
    x, special_x, names = bandpath.get_linear_kpoint_axis()
    labels: list[tuple[float, str]] = []
    for position, name in zip(special_x, names, strict=True):
        name = "Γ" if name == "G" else name
        if labels and abs(labels[-1][0] - position) < 1e-9:  # a break in the path: "H|P"
            labels[-1] = (labels[-1][0], f"{labels[-1][1]}|{name}")
        else:
            labels.append((float(position), name))
    return KPath(cartesian, x, tuple(labels))
