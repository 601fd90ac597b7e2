"""Point-group symmetry of a crystal (spglib) and the irreducible wedge of a k-grid."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import spglib
import spglib.error

from .crystal import Crystal
from .kgrid import KGrid

# spglib ≥ 2.5: raise SpglibError instead of returning None (and silence its warning)
spglib.error.OLD_ERROR_HANDLING = False

__all__ = ["PointGroup", "crystal_point_group", "irreducible_wedge", "wedge_blocks",
           "wedge_with_mapping"]


@dataclass(frozen=True, eq=False)
class PointGroup:
    """A finite group of Cartesian rotations (proper and improper).

    Attributes
    ----------
    rotations : (n_ops, 3, 3) ndarray of float
        Orthogonal matrices acting on Cartesian vectors; the identity is included.
    """

    rotations: np.ndarray

    def __post_init__(self) -> None:
        rotations = np.array(self.rotations, dtype=float).reshape(-1, 3, 3)
        rotations.flags.writeable = False
        object.__setattr__(self, "rotations", rotations)

    def __len__(self) -> int:
        return len(self.rotations)

    @classmethod
    def trivial(cls) -> PointGroup:
        """The group with the identity only (no reduction)."""
        return cls(np.eye(3)[None])

    def preserving(self, axial: np.ndarray) -> PointGroup:
        """Subgroup leaving an axial vector (e.g. a magnetization) unchanged.

        An axial vector transforms as ``det(R) R m``; only unitary operations that
        map ``m`` onto itself are kept (the magnetic point group without the
        operations combined with time reversal).
        """
        m = np.asarray(axial, dtype=float)
        images = np.linalg.det(self.rotations)[:, None] * (self.rotations @ m)
        keep = np.all(np.abs(images - m) < 1e-8, axis=1)
        return PointGroup(self.rotations[keep])

    def is_closed(self) -> bool:
        """True if every product of two elements is again an element."""
        products = np.einsum("aij,bjk->abik", self.rotations, self.rotations).reshape(-1, 9)
        members = self.rotations.reshape(-1, 9)
        distance = np.abs(products[:, None, :] - members[None, :, :]).max(axis=2)
        return bool(np.all(distance.min(axis=1) < 1e-8))


def crystal_point_group(crystal: Crystal, symprec: float = 1e-5) -> PointGroup:
    """The point group of the crystal's space group, as Cartesian rotations (spglib)."""
    species = {symbol: index for index, symbol in enumerate(sorted(set(crystal.symbols)))}
    fractional = crystal.positions @ np.linalg.inv(crystal.cell)
    cell = (crystal.cell, fractional, [species[s] for s in crystal.symbols])
    dataset = spglib.get_symmetry(cell, symprec=symprec)
    # x' = W x in fractional coordinates; r = Cᵀ x, so R = Cᵀ W C⁻ᵀ
    lattice = crystal.cell.T
    rotations = lattice @ dataset["rotations"] @ np.linalg.inv(lattice)
    unique = np.unique(np.round(rotations, 8).reshape(-1, 9), axis=0).reshape(-1, 3, 3)
    return PointGroup(unique)


#: Grid points handled at once by the wedge functions; their memory is bounded by it
#: (about 100 bytes per point), not by the grid.
WEDGE_CHUNK = 2**17


def irreducible_wedge(grid: KGrid, group: PointGroup) -> tuple[np.ndarray, np.ndarray]:
    """Representatives of the k-points of ``grid`` up to ``group``, with their weights.

    Returns
    -------
    cartesian : (n_irr, 3) ndarray
        Irreducible k-points in Å⁻¹.
    weights : (n_irr,) ndarray of int
        Number of grid points in each star; they add up to ``grid.n_points``.
    """
    blocks = list(wedge_blocks(grid, group))
    cartesian = np.concatenate([points for points, _ in blocks])
    return cartesian, np.concatenate([weights for _, weights in blocks])


def wedge_blocks(grid: KGrid, group: PointGroup, chunk: int = WEDGE_CHUNK):
    """The irreducible wedge in blocks, without any array the size of the grid.

    A grid point is the representative of its star when its flat index is the
    smallest of its images; its weight is the number of distinct images. Blocks of
    ``chunk`` consecutive grid points are scanned in turn.

    Yields
    ------
    cartesian : (n, 3) ndarray
        Representatives in Å⁻¹, in increasing flat-index order.
    weights : (n,) ndarray of int
        Their star sizes.
    """
    maps = _integer_maps(grid, group)
    sizes = np.array(grid.size)
    order = _elimination_order(maps, sizes)
    for start in range(0, grid.n_points, chunk):
        flat = np.arange(start, min(start + chunk, grid.n_points))
        indices = np.stack(np.unravel_index(flat, grid.size))
        for matrix in maps[order]:  # eliminate every point that has a lower image
            survives = _flat_image(matrix, sizes, indices) >= flat
            flat, indices = flat[survives], indices[:, survives]
        if len(flat) == 0:
            continue
        stars = np.sort(_flat_images(maps, sizes, indices), axis=0)
        weights = 1 + (np.diff(stars, axis=0) != 0).sum(axis=0)
        yield (indices.T / sizes) @ grid.crystal.reciprocal_cell, weights


#: Grid points sampled to choose the order in which the operations eliminate points.
_ORDER_SAMPLE = 2048


def _elimination_order(maps: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Indices of the non-identity ``maps``, those eliminating most sample points first.

    Any order gives the same wedge (a point survives iff no image has a lower flat
    index); a greedy order on a random sample of the grid makes the survivors shrink
    fastest, so the full-size passes are few.
    """
    identity = np.all(maps == np.eye(3, dtype=maps.dtype), axis=(1, 2))
    n_points = int(np.prod(sizes))
    flat = np.unique(np.random.default_rng(0).integers(0, n_points, _ORDER_SAMPLE))
    indices = np.stack(np.unravel_index(flat, tuple(int(n) for n in sizes)))
    lower = _flat_images(maps, sizes, indices) < flat  # (n_ops, n_sample)
    lower[identity] = False
    alive = np.ones(len(flat), dtype=bool)
    remaining = list(np.flatnonzero(~identity))
    order = []
    while remaining:
        counts = (lower[remaining] & alive).sum(axis=1)
        best = int(np.argmax(counts))
        if counts[best] == 0:
            break
        alive &= ~lower[remaining[best]]
        order.append(remaining.pop(best))
    return np.array(order + remaining, dtype=int)


def _flat_image(matrix: np.ndarray, sizes: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """(n,) flat indices of the images under one integer map of grid points (3, n).

    Only the non-zero entries of the map are multiplied (one per row for the signed
    permutations of cubic and orthorhombic groups).
    """
    flat = None
    for row, size in zip(matrix, sizes, strict=True):
        image = None
        for coefficient, component in zip(row, indices, strict=True):
            if coefficient:
                term = component if coefficient == 1 else coefficient * component
                image = term if image is None else image + term
        image = np.zeros_like(indices[0]) if image is None else image % size
        flat = image if flat is None else flat * size + image
    return flat


def wedge_with_mapping(grid: KGrid, group: PointGroup):
    """Like :func:`irreducible_wedge`, plus the index of each grid point's representative.

    The mapping is an array of the grid's size: meant for the moderate grids of the
    Fermi level, not for transport grids (use :func:`wedge_blocks` there).

    Returns
    -------
    cartesian : (n_irr, 3) ndarray
    weights : (n_irr,) ndarray of int
    star_of : (n_points,) ndarray of int
        For every point of ``grid`` (in ``grid.fractional`` order), the row of
        ``cartesian`` it is equivalent to.
    """
    points, weights = irreducible_wedge(grid, group)
    fractional = points @ np.linalg.inv(grid.crystal.reciprocal_cell)
    indices = np.rint(fractional * grid.size).astype(np.int64).T % np.array(grid.size)[:, None]
    images = _flat_images(_integer_maps(grid, group), np.array(grid.size), indices)
    star_of = np.empty(grid.n_points, dtype=np.int64)
    star_of[images] = np.arange(len(points))[None, :]  # each star's points get its row
    return points, weights, star_of


def _integer_maps(grid: KGrid, group: PointGroup) -> np.ndarray:
    """(n_ops, 3, 3) integer matrices taking grid indices n to the indices of R k.

    k = B κ with κ_a = n_a / N_a, so n' = diag(N) B⁻¹ R B diag(N)⁻¹ n, integer for
    operations of the lattice that map the grid onto itself.
    """
    sizes = np.array(grid.size, dtype=float)
    reciprocal = grid.crystal.reciprocal_cell.T  # columns b_a
    fractional = np.linalg.inv(reciprocal) @ group.rotations @ reciprocal
    maps = sizes[None, :, None] * fractional / sizes[None, None, :]
    rounded = np.round(maps)
    if np.abs(maps - rounded).max() > 1e-6:
        raise ValueError("the k-grid is not invariant under the point group")
    return rounded.astype(np.int64)


def _flat_images(maps: np.ndarray, sizes: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """(n_ops, n) flat indices of the images of grid points ``indices`` (3, n)."""
    # integer arithmetic: 3× faster than a float matmul followed by a float modulo
    images = np.einsum("oab,bn->oan", maps, indices.astype(np.int64))
    images %= sizes[None, :, None]
    return (images[:, 0] * sizes[1] + images[:, 1]) * sizes[2] + images[:, 2]
