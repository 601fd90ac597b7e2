"""Crystals: lattice, atoms and their positions, converted from ase or pymatgen.

This module is the only boundary where ase and pymatgen objects enter the core;
both are read by duck typing, so neither is imported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import invalid

__all__ = ["Crystal", "as_crystal"]


def _read_only(array: Any, shape: tuple[int, ...] | None = None) -> np.ndarray:
    out = np.array(array, dtype=float)
    if shape is not None and out.shape != shape:
        raise ValueError(f"expected shape {shape}, got {out.shape}")
    out.flags.writeable = False
    return out


@dataclass(frozen=True, eq=False)
class Crystal:
    """A periodic crystal.

    Parameters
    ----------
    cell : (3, 3) array_like of float
        Lattice vectors as rows, in Å.
    positions : (n_atoms, 3) array_like of float
        Cartesian atomic positions in Å.
    symbols : sequence of str
        Chemical symbol (or species label) of each atom.
    """

    cell: np.ndarray
    positions: np.ndarray
    symbols: tuple[str, ...]

    def __post_init__(self) -> None:
        cell = _read_only(self.cell, (3, 3))
        positions = _read_only(self.positions)
        symbols = tuple(str(s) for s in self.symbols)
        if positions.ndim != 2 or positions.shape[1] != 3 or len(positions) != len(symbols):
            raise invalid("positions", positions.shape, "(n_atoms, 3) with one symbol per atom")
        if not (np.all(np.isfinite(cell)) and np.all(np.isfinite(positions))):
            raise invalid("crystal", "non-finite coordinates", "finite cell and positions (Å)")
        if abs(np.linalg.det(cell)) < 1e-8:
            raise invalid("cell", cell.tolist(), "three linearly independent lattice vectors (Å)")
        object.__setattr__(self, "cell", cell)
        object.__setattr__(self, "positions", positions)
        object.__setattr__(self, "symbols", symbols)

    @classmethod
    def from_ase(cls, atoms: Any) -> Crystal:
        """Build from an ``ase.Atoms`` that is periodic in all three directions."""
        if not all(atoms.pbc):
            raise invalid("atoms.pbc", tuple(bool(p) for p in atoms.pbc), "periodic in x, y and z")
        return cls(
            np.asarray(atoms.get_cell()), atoms.get_positions(), atoms.get_chemical_symbols()
        )

    @classmethod
    def from_pymatgen(cls, structure: Any) -> Crystal:
        """Build from a pymatgen ``Structure``."""
        symbols = [site.specie.symbol for site in structure]
        return cls(structure.lattice.matrix, structure.cart_coords, symbols)

    def to_ase(self):
        """The same crystal as a periodic ``ase.Atoms``."""
        from ase import Atoms

        return Atoms(symbols=list(self.symbols), positions=self.positions, cell=self.cell,
                     pbc=True)

    @classmethod
    def bcc(cls, a: float, symbol: str = "X") -> Crystal:
        """Primitive bcc cell with lattice constant ``a`` (Å), one atom at the origin."""
        if not (np.isfinite(a) and a > 0):
            raise invalid("a", a, "a finite lattice constant > 0 (Å)")
        cell = 0.5 * a * np.array([[-1.0, 1.0, 1.0], [1.0, -1.0, 1.0], [1.0, 1.0, -1.0]])
        return cls(cell, np.zeros((1, 3)), (symbol,))

    @classmethod
    def fcc(cls, a: float, symbol: str = "X") -> Crystal:
        """Primitive fcc cell with lattice constant ``a`` (Å), one atom at the origin."""
        if not (np.isfinite(a) and a > 0):
            raise invalid("a", a, "a finite lattice constant > 0 (Å)")
        cell = 0.5 * a * np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 0.0]])
        return cls(cell, np.zeros((1, 3)), (symbol,))

    @property
    def volume(self) -> float:
        """Cell volume in Å³."""
        return float(abs(np.linalg.det(self.cell)))

    @property
    def reciprocal_cell(self) -> np.ndarray:
        """Primitive reciprocal vectors b_a as rows, in Å⁻¹ (with the factor 2π)."""
        return 2.0 * np.pi * np.linalg.inv(self.cell).T

    def rotated(self, rotation: np.ndarray) -> Crystal:
        """The same crystal rigidly rotated by the 3×3 matrix ``rotation``."""
        rotation = np.asarray(rotation, dtype=float)
        return Crystal(self.cell @ rotation.T, self.positions @ rotation.T, self.symbols)

    def as_dict(self) -> dict:
        """JSON-ready representation (Å)."""
        return {
            "cell": self.cell.tolist(),
            "positions": self.positions.tolist(),
            "symbols": list(self.symbols),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Crystal:
        """Inverse of :meth:`as_dict`."""
        return cls(data["cell"], data["positions"], data["symbols"])


def as_crystal(structure: Any) -> Crystal:
    """Accept a :class:`Crystal`, an ``ase.Atoms`` or a pymatgen ``Structure``."""
    if isinstance(structure, Crystal):
        return structure
    module = type(structure).__module__.split(".")[0]
    if module == "ase":
        return Crystal.from_ase(structure)
    if module == "pymatgen":
        return Crystal.from_pymatgen(structure)
    raise invalid(
        "structure", type(structure).__name__, "an ase.Atoms, a pymatgen Structure or a Crystal"
    )
