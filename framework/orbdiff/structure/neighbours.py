"""Neighbour shells of a crystal, from ase's neighbour-list tool."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ase.neighborlist import primitive_neighbor_list

from ..errors import invalid
from .crystal import Crystal

__all__ = ["Bond", "neighbour_shells"]


@dataclass(frozen=True)
class Bond:
    """A directed bond from atom ``i`` in the home cell to atom ``j`` at ``vector``.

    Attributes
    ----------
    i, j : int
        Atom indices in the crystal.
    vector : (3,) ndarray of float
        Bond vector from atom i to the image of atom j, in Å.
    shell : int
        Neighbour shell, 0 for nearest neighbours.
    """

    i: int
    j: int
    vector: np.ndarray
    shell: int


def neighbour_shells(crystal: Crystal, n_shells: int, tolerance: float = 1e-3) -> list[Bond]:
    """Return every bond of the first ``n_shells`` neighbour shells.

    Parameters
    ----------
    crystal : Crystal
    n_shells : int
        Number of distinct neighbour distances to include (≥ 1).
    tolerance : float
        Distances closer than this (Å) belong to the same shell.

    Returns
    -------
    list of Bond
        Both directions of every bond are present (i→j and j→i).
    """
    if int(n_shells) != n_shells or n_shells < 1:
        raise invalid("shells", n_shells, "an integer ≥ 1")
    cutoff = 1.05 * float(np.max(np.linalg.norm(crystal.cell, axis=1)))
    while True:
        i, j, d, vectors = primitive_neighbor_list(
            "ijdD", (True, True, True), crystal.cell, crystal.positions, cutoff
        )
        shells = _shell_distances(d, tolerance)
        if len(shells) > n_shells:
            break
        cutoff *= 1.5
    shell_index = np.searchsorted(shells + tolerance, d)
    keep = shell_index < n_shells
    return [
        Bond(int(a), int(b), vec, int(s))
        for a, b, vec, s in zip(i[keep], j[keep], vectors[keep], shell_index[keep], strict=True)
    ]


def _shell_distances(distances: np.ndarray, tolerance: float) -> np.ndarray:
    """Distinct distances (Å), sorted, merging those within ``tolerance``."""
    shells: list[float] = []
    for value in np.sort(distances):
        if not shells or value - shells[-1] > tolerance:
            shells.append(float(value))
    return np.array(shells)
