"""Built-in plugin: charge, spin and orbital diffusivities, polarization and swapping."""

from .result import DiffusivityResult
from .tensor import DIRECTIONS, OPERATORS, compute_diffusion

__all__ = ["DIRECTIONS", "OPERATORS", "DiffusivityResult", "compute_diffusion"]
