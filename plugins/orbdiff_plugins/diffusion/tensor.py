"""The charge, spin and orbital diffusivity tensors of paper Eqs. (8) and (10)–(13).

All diffusivities are returned in the paper's conductivity units (S/m): the
prefactor ``n_i V0²`` of the equations is replaced by ``e²Γ/π``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from orbdiff.hamiltonian import TightBindingModel
from orbdiff.observables import (
    BandData,
    angular_current_representation,
    charge_traces,
    default_chunk_size,
    density_of_states,
    green_traces,
    integrate,
    kubo_traces,
    polar_representation,
    sampling,
    symmetrize_matrix,
)
from orbdiff.observables.kernels import orbital_energies
from orbdiff.observables.labels import DIRECTIONS, OPERATORS
from orbdiff.observables.orbital import OrbitalData, orbital_basis_pays, orbital_traces
from orbdiff.structure import KGrid
from orbdiff.units import CONDUCTIVITY_UNIT
from orbdiff.validation import check_basis

__all__ = ["DIRECTIONS", "OPERATORS", "component_weights", "compute_diffusion",
           "compute_diffusion_sharing_bands"]


# Density prefactor of the source (2 for spin, Eqs. 10, 12; 1 for L, Eqs. 11, 13)
_SOURCE_WEIGHT = np.array([2.0, 2.0, 2.0, 1.0, 1.0, 1.0])
# Current operator ħ κ ½{v, O}: κ = 1/2 for (ħ/4){v, σ}, κ = 1 for (ħ/2){v, L}
_CURRENT_WEIGHT = np.array([0.5, 0.5, 0.5, 1.0, 1.0, 1.0])


def component_weights() -> np.ndarray:
    """(6, 6) weight of each (source, current) block: 1 (s→s, l→l), 2 (s→l), ½ (l→s)."""
    return np.outer(_SOURCE_WEIGHT, _CURRENT_WEIGHT)


def angular_momentum_operators(model: TightBindingModel) -> np.ndarray:
    """(6, 2n, 2n) operators σx, σy, σz, Lx, Ly, Lz of ``model``."""
    return np.concatenate([model.spin_operators(), model.orbital_moment_operators()])


def compute_diffusion(
    model: TightBindingModel,
    grid: KGrid,
    energies: np.ndarray,
    gamma: float,
    chunk_size: int | None = None,
    progress: bool | None = None,
    symmetry: bool = True,
    basis: str = "auto",
) -> dict[str, np.ndarray]:
    """Charge and spin/orbital diffusivities, Kubo conductivity and DOS on a k-grid.

    Parameters
    ----------
    model : TightBindingModel
    grid : KGrid
    energies : (n_E,) ndarray of float
        Transport energies in eV (same zero as the model's on-site energies).
    gamma : float
        Constant broadening Γ in eV.
    chunk_size : int, optional
        k-points per block (default: sized to a fixed memory budget).
    progress : bool, optional
        Progress bar; default only on a terminal.
    symmetry : bool
        Sum over the irreducible wedge of the model's point group and symmetrize
        (default); False sums the full grid. Both give the same tensors.
    basis : {"auto", "band", "orbital"}
        Where the traces are evaluated: in the orbital basis without eigenvectors
        (:mod:`orbdiff.observables.orbital`) or in the band basis. "auto" (default)
        takes the orbital basis for up to ``orbital_energies(N)`` energies in runs of at
        least ``orbital.COMPILED_WORK`` point-energies, ``N_k / |G|`` × energies (below,
        loading numba, ≈ 0.45 s once per process and ≈ 0.2 s at its exit, costs more
        than it saves). All give the same tensors (to 10⁻¹²); the choice depends on the
        inputs only.

    Returns
    -------
    dict
        ``charge`` (n_E, 3, 3) [gradient i, current j], S/m;
        ``tensor`` (n_E, 18, 18) [3·source op + i, 3·current op + j], S/m;
        ``kubo`` (n_E, 3, 3) S/m; ``dos`` (n_E,) states per eV per cell (both spins).
    """
    return compute_diffusion_sharing_bands(model, grid, [(energies, gamma)], chunk_size,
                                           progress, symmetry, basis)[0]


def compute_diffusion_sharing_bands(
    model: TightBindingModel,
    grid: KGrid,
    requests: Sequence[tuple[np.ndarray, float]],
    chunk_size: int | None = None,
    progress: bool | None = None,
    symmetry: bool = True,
    basis: str = "auto",
) -> list[dict[str, np.ndarray]]:
    """:func:`compute_diffusion` for several (energies, Γ) with one diagonalization.

    Each k-point block is diagonalized and rotated once; the traces of every request
    are evaluated on that :class:`BandData` (one accumulate for all).

    Parameters
    ----------
    requests : sequence of ((n_E,) ndarray of float, float)
        Transport energies in eV (the model's zero) and the broadening Γ in eV.
    model, grid, chunk_size, progress, symmetry, basis
        As in :func:`compute_diffusion`; the default block size and the basis count the
        energies of all requests.

    Returns
    -------
    list of dict
        One dict per request, as :func:`compute_diffusion` returns.
    """
    check_basis(basis)
    requests = [(np.asarray(energies, dtype=float), float(gamma))
                for energies, gamma in requests]
    operators = angular_momentum_operators(model)
    n_energies = sum(len(energies) for energies, _ in requests)

    def accumulate_orbital(data: OrbitalData) -> dict[str, np.ndarray]:
        sums = {}
        for index, (energies, gamma) in enumerate(requests):
            traces = orbital_traces(data, energies, gamma, operators)
            sums |= {(index, name): value for name, value in traces.items()}
        return sums

    def accumulate(bands: BandData) -> dict[str, np.ndarray]:
        sums = {}
        for index, (energies, gamma) in enumerate(requests):
            sums |= {
                (index, "charge"): charge_traces(bands, energies, gamma),
                (index, "tensor"): green_traces(bands, energies, gamma, bands.operators,
                                                bands.operators),
                (index, "kubo"): kubo_traces(bands, energies, gamma),
                (index, "dos"): density_of_states(bands, energies, gamma),
            }
        return sums

    if chunk_size is None:
        chunk_size = default_chunk_size(model.n_states, n_energies)
    ksampling = sampling(model, grid, symmetry)
    points = ksampling.total_weight / len(ksampling.group)  # about the wedge's size
    few = n_energies <= orbital_energies(model.n_states)  # no eigenvectors: cheaper for few
    if basis == "orbital" or (basis == "auto" and few
                              and orbital_basis_pays(points, n_energies)):
        from orbdiff.observables.orbital_compiled import warm

        warm()  # load numba here, not in the first block of each thread
        sums = integrate(model, ksampling, operators, accumulate_orbital, chunk_size, progress,
                         block_data=OrbitalData.from_model)
    else:
        sums = integrate(model, ksampling, operators, accumulate, chunk_size, progress)
    return [_diffusivities(model, ksampling, energies, gamma,
                           {name: sums[(index, name)] for name in ("charge", "tensor", "kubo",
                                                                   "dos")})
            for index, (energies, gamma) in enumerate(requests)]


def _diffusivities(model: TightBindingModel, ksampling, energies: np.ndarray, gamma: float,
                   sums: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Brillouin-zone averages of the traces → symmetrized tensors in S/m (Eq. 8)."""
    # Tr_k = (1/V_cell) × Brillouin-zone average; Eq. (8) × e²Γ/(π n_i V0²)
    factor = CONDUCTIVITY_UNIT / model.crystal.volume
    weights = component_weights()[None, :, None, :, None]
    tensor = (factor * gamma * weights * sums["tensor"]).reshape(len(energies), 18, 18)
    polar = polar_representation(ksampling.group)
    return {
        "charge": symmetrize_matrix(factor * gamma * sums["charge"], polar),
        "tensor": symmetrize_matrix(tensor, angular_current_representation(ksampling.group)),
        "kubo": symmetrize_matrix(factor * sums["kubo"].real, polar),
        "dos": sums["dos"],
    }
