"""Crystals, neighbour shells and k-point grids."""

from .crystal import Crystal, as_crystal
from .kgrid import KGrid
from .kpath import KPath, standard_path
from .neighbours import Bond, neighbour_shells

__all__ = ["Bond", "Crystal", "KGrid", "KPath", "as_crystal", "neighbour_shells", "standard_path"]
