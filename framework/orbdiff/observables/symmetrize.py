"""Symmetrization of Brillouin-zone sums by a point group.

Summing over the irreducible wedge with star weights and then averaging
``M(g) T M(g)ᵀ`` over the group gives exactly the full-grid sum, because the
integrand at ``g k`` is the integrand at ``k`` transformed by ``M(g)``.
"""

from __future__ import annotations

import numpy as np

from ..structure.symmetry import PointGroup

__all__ = ["angular_current_representation", "polar_representation", "symmetrize_matrix"]


def polar_representation(group: PointGroup) -> np.ndarray:
    """(n_ops, 3, 3): how a polar vector (gradient, current direction) transforms."""
    return group.rotations


def axial_representation(group: PointGroup) -> np.ndarray:
    """(n_ops, 3, 3): how an axial vector (σ, L, magnetization) transforms: det(R) R."""
    return np.linalg.det(group.rotations)[:, None, None] * group.rotations


def angular_current_representation(group: PointGroup, n_axial: int = 2) -> np.ndarray:
    """(n_ops, 9·n_axial, 9·n_axial) on the index ``3·op + direction``.

    ``op`` runs over ``n_axial`` stacked axial vectors (σx, σy, σz, Lx, Ly, Lz for 2),
    ``direction`` over x, y, z (polar).
    """
    axial = axial_representation(group)
    polar = polar_representation(group)
    stacked = np.einsum("ab,gij->gaibj", np.eye(n_axial), axial).reshape(-1, 3 * n_axial,
                                                                         3 * n_axial)
    return np.einsum("gab,gij->gaibj", stacked, polar).reshape(len(group), 9 * n_axial,
                                                               9 * n_axial)


def symmetrize_matrix(array: np.ndarray, representation: np.ndarray) -> np.ndarray:
    """Group average ``(1/|G|) Σ_g M(g) T M(g)ᵀ`` over the last two axes of ``array``."""
    transformed = representation[:, None] @ array[None] @ np.swapaxes(representation, 1, 2)[:, None]
    return transformed.mean(axis=0)
