"""Crystals, neighbour shells and k-point grids."""

from .crystal import Crystal, as_crystal
from .kgrid import KGrid
from .neighbours import Bond, neighbour_shells

__all__ = ["Bond", "Crystal", "KGrid", "as_crystal", "neighbour_shells"]
