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

__all__ = ["PointGroup", "crystal_point_group", "irreducible_wedge"]


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


def irreducible_wedge(grid: KGrid, group: PointGroup) -> tuple[np.ndarray, np.ndarray]:
    """Representatives of the k-points of ``grid`` up to ``group``, with their weights.

    Returns
    -------
    cartesian : (n_irr, 3) ndarray
        Irreducible k-points in Å⁻¹.
    weights : (n_irr,) ndarray of int
        Number of grid points in each star; they add up to ``grid.n_points``.
    """
    cartesian, weights, _ = wedge_with_mapping(grid, group)
    return cartesian, weights


def wedge_with_mapping(grid: KGrid, group: PointGroup):
    """Like :func:`irreducible_wedge`, plus the index of each grid point's representative.

    Returns
    -------
    cartesian : (n_irr, 3) ndarray
    weights : (n_irr,) ndarray of int
    star_of : (n_points,) ndarray of int
        For every point of ``grid`` (in ``grid.fractional`` order), the row of
        ``cartesian`` it is equivalent to.
    """
    sizes = np.array(grid.size)
    reciprocal = grid.crystal.reciprocal_cell.T  # columns b_a
    # k = B κ (κ fractional); k' = R k ⇒ κ' = B⁻¹ R B κ, integer for lattice symmetries
    maps = np.linalg.inv(reciprocal) @ group.rotations @ reciprocal
    integers = np.indices(grid.size).reshape(3, -1)  # n_a, κ_a = n_a / N_a
    representative = np.arange(grid.n_points)
    for matrix in maps:
        image = matrix @ (integers / sizes[:, None]) * sizes[:, None]
        rounded = np.round(image)
        if np.abs(image - rounded).max() > 1e-6:
            raise ValueError("the k-grid is not invariant under the point group")
        wrapped = rounded.astype(int) % sizes[:, None]
        flat = np.ravel_multi_index(wrapped, grid.size)
        representative = np.minimum(representative, flat)
    irreducible, star_of, weights = np.unique(representative, return_inverse=True,
                                              return_counts=True)
    fractional = np.stack(np.unravel_index(irreducible, grid.size), axis=1) / sizes
    return fractional @ grid.crystal.reciprocal_cell, weights, star_of
