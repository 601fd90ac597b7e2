"""Orbitals, orbital angular momentum L and spin matrices."""

from .angular_momentum import (
    angular_momentum_matrices,
    orbital_angular_momentum,
    orbital_rotation,
    real_orbital_rotation,
)
from .orbitals import ANGULAR_MOMENTUM, SHELL_ORBITALS, OrbitalSet
from .spin import (
    orbital_operators_spinful,
    pauli_matrices,
    spin_operators,
    spin_orbit_coupling,
    spin_rotation,
    spinful,
)

__all__ = [
    "ANGULAR_MOMENTUM",
    "SHELL_ORBITALS",
    "OrbitalSet",
    "angular_momentum_matrices",
    "orbital_angular_momentum",
    "orbital_operators_spinful",
    "orbital_rotation",
    "pauli_matrices",
    "real_orbital_rotation",
    "spin_operators",
    "spin_orbit_coupling",
    "spin_rotation",
    "spinful",
]
