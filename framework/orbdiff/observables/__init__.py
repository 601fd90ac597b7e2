"""k-space integration engine and Green's-function kernels."""

from .bands import BandData, to_band_basis
from .engine import KSampling, default_chunk_size, integrate, sampling
from .kernels import (
    charge_traces,
    density_of_states,
    green_traces,
    kubo_traces,
    spectral_diagonal,
)
from .symmetrize import (
    angular_current_representation,
    polar_representation,
    symmetrize_matrix,
)

__all__ = [
    "BandData",
    "KSampling",
    "angular_current_representation",
    "charge_traces",
    "default_chunk_size",
    "density_of_states",
    "green_traces",
    "integrate",
    "kubo_traces",
    "polar_representation",
    "sampling",
    "spectral_diagonal",
    "symmetrize_matrix",
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

from .labels import DIRECTIONS, OPERATORS, component_index  # noqa: E402

__all__ += ["DIRECTIONS", "OPERATORS", "component_index"]

from .resources import (  # noqa: E402
    RunEstimate,
    announce_long_run,
    estimate_run,
    require_resources,
)

__all__ += ["RunEstimate", "announce_long_run", "estimate_run", "require_resources"]

from .moments import Moments, magnetic_moments  # noqa: E402

__all__ += ["Moments", "magnetic_moments"]
