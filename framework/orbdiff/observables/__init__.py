"""k-space integration engine and Green's-function kernels."""

from .bands import BandData, to_band_basis
from .engine import default_chunk_size, integrate
from .kernels import (
    anticommutator_currents,
    density_of_states,
    green_traces,
    kubo_traces,
    retarded_diagonal,
    spectral_diagonal,
)

__all__ = [
    "BandData",
    "anticommutator_currents",
    "default_chunk_size",
    "density_of_states",
    "green_traces",
    "integrate",
    "kubo_traces",
    "retarded_diagonal",
    "spectral_diagonal",
    "to_band_basis",
]

from .electronic import band_energies, projected_dos, shell_projectors
from .fermi import FermiLevel, fermi_level, fermi_level_on_grid

__all__ += [
    "FermiLevel",
    "band_energies",
    "fermi_level",
    "fermi_level_on_grid",
    "projected_dos",
    "shell_projectors",
]
