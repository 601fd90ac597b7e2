"""Point-group symmetrization of the Hall tensors, each index transformed separately.

The spin and orbital Hall tensors ``σ^γ_{ij}`` carry an axial index γ (σ, L) and two
polar ones (current i, field j): ``σ^γ_{ij} → det(R) R_γγ' R_ii' R_jj' σ^γ'_{i'j'}``.
The charge tensor has the two polar indices only. Averaging over the group turns the
irreducible-wedge sum with star weights into the full-grid sum.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from orbdiff.structure.symmetry import PointGroup

__all__ = ["symmetrize_axial_tensor", "symmetrize_polar_tensor"]


def symmetrize_axial_tensor(tensor: np.ndarray, group: PointGroup) -> np.ndarray:
    """``(1/|G|) Σ_g det(R) R_γγ' R_ii' R_jj' T[..., γ', i', j']`` for (..., 3, 3, 3) ``tensor``."""
    rotations = group.rotations
    axial = np.linalg.det(rotations)[:, None, None] * rotations
    return np.einsum("gab,gij,gkl,...bjl->...aik", axial, rotations, rotations,
                     tensor) / len(rotations)


def symmetrize_polar_tensor(tensor: np.ndarray, group: PointGroup) -> np.ndarray:
    """``(1/|G|) Σ_g R_ii' R_jj' T[..., i', j']`` for (..., 3, 3) ``tensor``."""
    rotations = group.rotations
    return np.einsum("gij,gkl,...jl->...ik", rotations, rotations, tensor) / len(rotations)
