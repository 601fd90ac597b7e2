"""Neighbour shells of a crystal: every bond within a cutoff, grouped by length.

The pairs come from :func:`neighbour_pairs`, a direct enumeration of the lattice
translations that can reach the cutoff (cells of a few atoms, cutoffs of a few
lattice constants). It gives the same pairs as ase's ``primitive_neighbor_list``
(tested), without importing it: ase's neighbour list loads scipy.sparse and
scipy.spatial, ~0.35 s of every command's start-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import invalid
from .crystal import Crystal

__all__ = ["Bond", "bonds_at_distances", "neighbour_pairs", "neighbour_shells"]


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
        i, j, d, vectors = neighbour_pairs(crystal.cell, crystal.positions, cutoff)
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


def bonds_at_distances(
    crystal: Crystal, shells: Sequence[Sequence[float]], tolerance: float = 1e-3
) -> list[Bond]:
    """Return the bonds whose lengths are listed, grouped into shells by distance.

    Unlike :func:`neighbour_shells`, a shell may hold several distances (the 12
    nearest neighbours of a non-ideal hcp crystal) and distances not listed are left
    out, whatever their rank.

    Parameters
    ----------
    crystal : Crystal
    shells : sequence of sequence of float
        Bond lengths (Å) of each shell, nearest shell first.
    tolerance : float
        A bond belongs to a listed length if they differ by less than this (Å).

    Returns
    -------
    list of Bond
        Both directions of every bond, ``shell`` the index into ``shells``.
    """
    lengths = [(index, float(d)) for index, group in enumerate(shells) for d in group]
    if not lengths or not all(np.isfinite(d) and d > 0 for _, d in lengths):
        raise invalid("shells", shells, "bond lengths > 0 (Å) for every shell")
    cutoff = max(d for _, d in lengths) + 2 * tolerance
    i, j, d, vectors = neighbour_pairs(crystal.cell, crystal.positions, cutoff)
    bonds = []
    for a, b, length, vector in zip(i, j, d, vectors, strict=True):
        shell = next((s for s, target in lengths if abs(length - target) < tolerance), None)
        if shell is not None:
            bonds.append(Bond(int(a), int(b), vector, shell))
    return bonds


def neighbour_pairs(cell: np.ndarray, positions: np.ndarray, cutoff: float,
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of atoms closer than ``cutoff`` in a periodic crystal.

    Parameters
    ----------
    cell : (3, 3) array_like of float
        Lattice vectors as rows, Å.
    positions : (n_atoms, 3) array_like of float
        Cartesian positions in the home cell, Å.
    cutoff : float
        Largest bond length, Å (pairs with 0 < d < cutoff are returned).

    Returns
    -------
    i, j : (n_pairs,) ndarray of int
        Atom of the home cell and atom whose image the bond reaches.
    d : (n_pairs,) ndarray of float
        Bond lengths in Å.
    vectors : (n_pairs, 3) ndarray of float
        Bond vectors τ_j + R − τ_i in Å.
    """
    cell = np.asarray(cell, dtype=float)
    positions = np.asarray(positions, dtype=float)
    offsets = positions[None, :, :] - positions[:, None, :]  # τ_j − τ_i
    # a translation R = n·cell with |R| ≤ cutoff + |τ_j − τ_i| has |n_a| ≤ |R| |b_a|/2π
    reach = cutoff + float(np.linalg.norm(offsets, axis=-1).max())
    bounds = np.ceil(reach * np.linalg.norm(np.linalg.inv(cell).T, axis=1)).astype(int)
    steps = np.meshgrid(*(np.arange(-b, b + 1) for b in bounds), indexing="ij")
    translations = np.stack(steps, axis=-1).reshape(-1, 3) @ cell
    vectors = offsets[:, :, None, :] + translations[None, None, :, :]  # (i, j, R, 3)
    lengths = np.linalg.norm(vectors, axis=-1)
    close = (lengths < cutoff) & (lengths > 1e-8)
    i, j, _ = np.nonzero(close)
    return i, j, lengths[close], vectors[close]


def _shell_distances(distances: np.ndarray, tolerance: float) -> np.ndarray:
    """Distinct distances (Å), sorted, merging those within ``tolerance``."""
    shells: list[float] = []
    for value in np.sort(distances):
        if not shells or value - shells[-1] > tolerance:
            shells.append(float(value))
    return np.array(shells)
