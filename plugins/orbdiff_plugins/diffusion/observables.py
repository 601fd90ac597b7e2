"""Observables registered by the ``diffusion`` plugin: diffusivity, conductivity, DOS."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

import numpy as np

from orbdiff.disorder import ConstantBroadening
from orbdiff.errors import CapabilityError
from orbdiff.hamiltonian import TightBindingModel
from orbdiff.observables import (
    announce_long_run,
    default_chunk_size,
    density_of_states,
    estimate_run,
    integrate,
    kubo_traces,
    polar_representation,
    require_resources,
    sampling,
    symmetrize_matrix,
)
from orbdiff.structure import KGrid
from orbdiff.units import CONDUCTIVITY_UNIT

from .estimated import ConductivityResult, DosResult
from .result import DiffusivityResult
from .tensor import compute_diffusion, compute_diffusion_sharing_bands

__all__ = ["Conductivity", "DensityOfStates", "Diffusivity"]


def _gamma(self_energy: Any) -> float:
    if not isinstance(self_energy, ConstantBroadening):
        raise CapabilityError(
            f"the band-basis engine needs a constant broadening, got {self_energy!r}"
        )
    return self_energy.gamma


def _inputs(model: TightBindingModel, grid: KGrid, gamma: float) -> dict[str, Any]:
    try:
        code_version = version("orbdiff")
    except PackageNotFoundError:
        code_version = "unknown"
    parameters = {k: v for k, v in model.parameters.items() if _jsonable(v)}
    return {
        "model": model.name,
        "parameters": parameters,
        "gamma": gamma,
        "grid": list(grid.size),
        "cell_volume": float(model.crystal.volume),
        "orbdiff_version": code_version,
    }


def _jsonable(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool | list | dict)


class Diffusivity:
    """Charge, spin and orbital diffusivity tensors (paper Eqs. 8, 10–13), with Kubo and DOS."""

    name = "diffusivity"
    requires = ("velocities", "spin", "orbital_moment")
    units = "S/m"
    result_type = DiffusivityResult  # read back by orbdiff.load_result

    def compute(
        self,
        model: TightBindingModel,
        grid: KGrid,
        energies: np.ndarray,
        self_energy: Any,
        chunk_size: int | None = None,
        progress: bool | None = None,
        symmetry: bool = True,
        basis: str = "auto",
    ) -> DiffusivityResult:
        """Return a :class:`DiffusivityResult` at ``energies`` (eV).

        ``basis`` ("auto", "band" or "orbital") is where the traces are evaluated; see
        :func:`~orbdiff_plugins.diffusion.tensor.compute_diffusion`.
        """
        gamma = _gamma(self_energy)
        order = len(model.point_group()) if symmetry else 1
        estimate = estimate_run(model.n_states, grid, len(energies), order, chunk_size)
        require_resources(estimate)
        if progress is not False:
            announce_long_run(estimate)
        arrays = compute_diffusion(model, grid, energies, gamma, chunk_size, progress, symmetry,
                                   basis)
        inputs = {**_inputs(model, grid, gamma), "symmetry": symmetry}
        return DiffusivityResult(np.asarray(energies, float), **arrays, inputs=inputs)

    def compute_sharing_bands(
        self,
        model: TightBindingModel,
        grid: KGrid,
        requests: list[tuple[np.ndarray, float]],
        chunk_size: int | None = None,
        progress: bool | None = None,
        symmetry: bool = True,
        basis: str = "auto",
    ) -> list[DiffusivityResult]:
        """:meth:`compute` for several (energies in eV, Γ in eV): one diagonalization.

        Each result equals the one :meth:`compute` gives for its request (the k-point
        blocks may be sized differently, so sums agree to rounding).
        """
        order = len(model.point_group()) if symmetry else 1
        n_energies = sum(len(energies) for energies, _ in requests)
        estimate = estimate_run(model.n_states, grid, n_energies, order, chunk_size)
        require_resources(estimate)
        if progress is not False:
            announce_long_run(estimate)
        arrays = compute_diffusion_sharing_bands(model, grid, requests, chunk_size, progress,
                                                 symmetry, basis)
        return [DiffusivityResult(np.asarray(energies, float), **values,
                                  inputs={**_inputs(model, grid, gamma), "symmetry": symmetry})
                for (energies, gamma), values in zip(requests, arrays, strict=True)]


def _empty_operators(model: TightBindingModel) -> np.ndarray:
    return np.zeros((0, model.n_states, model.n_states))


class Conductivity:
    """Kubo (Fermi-surface) conductivity σ_ij = (e²ħ/π) Tr_k[v_j A v_i A] (S/m), with error."""

    name = "conductivity"
    requires = ("velocities",)
    units = "S/m"

    def compute(self, model: TightBindingModel, grid: KGrid, energies: np.ndarray,
                self_energy: Any, chunk_size: int | None = None, progress: bool | None = None,
                symmetry: bool = True) -> ConductivityResult:
        """Return a :class:`ConductivityResult`: σ_ij (S/m) at ``energies`` (eV)."""
        gamma = _gamma(self_energy)
        chunk_size = chunk_size or default_chunk_size(model.n_states, len(energies), 1)
        ksampling = sampling(model, grid, symmetry)
        sums = integrate(model, ksampling, _empty_operators(model),
                         lambda b: {"kubo": kubo_traces(b, energies, gamma)}, chunk_size, progress)
        sigma = CONDUCTIVITY_UNIT / model.crystal.volume * sums["kubo"].real
        sigma = symmetrize_matrix(sigma, polar_representation(ksampling.group))
        inputs = {**_inputs(model, grid, gamma), "symmetry": symmetry}
        return ConductivityResult(np.asarray(energies, float), sigma, inputs=inputs)


class DensityOfStates:
    """Broadened density of states (states/eV/cell, both spins), with error."""

    name = "dos"
    requires = ("hamiltonian",)
    units = "states/eV/cell"

    def compute(self, model: TightBindingModel, grid: KGrid, energies: np.ndarray,
                self_energy: Any, chunk_size: int | None = None, progress: bool | None = None,
                symmetry: bool = True) -> DosResult:
        """Return a :class:`DosResult`: DOS (states/eV/cell) at ``energies`` (eV)."""
        gamma = _gamma(self_energy)
        chunk_size = chunk_size or default_chunk_size(model.n_states, len(energies), 1)
        sums = integrate(model, sampling(model, grid, symmetry), _empty_operators(model),
                         lambda b: {"dos": density_of_states(b, energies, gamma)},
                         chunk_size, progress)
        inputs = {**_inputs(model, grid, gamma), "symmetry": symmetry}
        return DosResult(np.asarray(energies, float), sums["dos"], inputs=inputs)
