"""Built-in plugin ``wannier90``: models from Wannier90's ``_hr.dat``/``_tb.dat`` and ``.win``."""

from .model import wannier90_model
from .writer import write_wannier90

__all__ = ["wannier90_model", "write_wannier90"]
