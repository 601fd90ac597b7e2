"""Diffusivities of real metals at energies measured from their Fermi level."""

from __future__ import annotations

import warnings
from dataclasses import replace

import numpy as np

from orbdiff.api import compute, load_material, load_parameter_set
from orbdiff.hamiltonian import TightBindingModel
from orbdiff.observables import FermiLevel, fermi_level
from orbdiff.observables.convergence import (
    ConvergenceWarning,
    coarse_grid,
    two_grid_errors,
    unconverged_message,
)
from orbdiff.plugin import Registry
from orbdiff.structure import KGrid

from .observables import Diffusivity
from .result import DiffusivityResult

__all__ = ["diffusivities_sharing_bands", "material_diffusivity", "material_fermi_level",
           "relative_to_fermi_level"]


def material_fermi_level(material: str, model: TightBindingModel,
                         registry: Registry | None = None) -> FermiLevel:
    """Fermi level (eV) of ``model`` (built from ``material``) from its valence count."""
    electrons = load_parameter_set(material, registry=registry or Registry()).valence_electrons
    return fermi_level(model, electrons * len(model.crystal.symbols))


def relative_to_fermi_level(result: DiffusivityResult, level: FermiLevel) -> DiffusivityResult:
    """The same result with energies measured from the Fermi level ``level``."""
    inputs = {**result.inputs, "fermi_level": level.energy, "fermi_accuracy": level.accuracy,
              "fermi_grid": level.grid}
    return replace(result, energies=result.energies - level.energy, inputs=inputs,
                   fermi_level=level.energy)


def material_diffusivity(
    material: str,
    energies,
    *,
    grid: int,
    gamma: float,
    shells: int | None = None,
    soc_scale: float = 1.0,
    xi: float | None = None,
    absolute: bool = False,
    registry: Registry | None = None,
    model: TightBindingModel | None = None,
    level: FermiLevel | None = None,
    **options,
) -> DiffusivityResult:
    """Diffusivity tensors of a registered metal.

    Parameters
    ----------
    material : str
        Parameter-set name, e.g. ``"Ta"``.
    energies : array_like of float
        eV, relative to the Fermi level found from the valence electron count
        (absolute energies of the parameter set if ``absolute``).
    grid, gamma, shells, soc_scale, xi
        As in :func:`orbdiff.compute` and :func:`orbdiff.load_material`.
    model : TightBindingModel, optional
        The model of ``material`` with these ``shells``, ``soc_scale``, ``xi``, if the
        caller has built it already (screening groups share one).
    level : FermiLevel, optional
        Its Fermi level (from :func:`material_fermi_level`), if already found.
    **options
        Passed to the observable (``symmetry``, ``progress``, ``chunk_size``).
    """
    registry = registry or Registry()
    if model is None:
        model = load_material(material, registry=registry, shells=shells, soc_scale=soc_scale,
                              xi=xi)
    energies = np.asarray(energies, dtype=float)
    if absolute:
        return compute("diffusivity", model, grid=grid, energies=energies, gamma=gamma,
                       registry=registry, **options)
    level = level or material_fermi_level(material, model, registry)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        result = compute("diffusivity", model, grid=grid, energies=energies + level.energy,
                         gamma=gamma, registry=registry, **options)
    result = relative_to_fermi_level(result, level)
    for warning in caught:  # name the unconverged components at E − E_F
        if not issubclass(warning.category, ConvergenceWarning):
            warnings.warn_explicit(warning.message, warning.category, warning.filename,
                                   warning.lineno)
            continue
        tolerance = result.inputs["converge"]
        result = replace(result, inputs={**result.inputs,
                                         "unconverged": result.unconverged(tolerance)[:50]})
        warnings.warn(ConvergenceWarning(unconverged_message(result, tolerance)), stacklevel=2)
    return result


def diffusivities_sharing_bands(model: TightBindingModel, level: FermiLevel,
                                requests: list[tuple[np.ndarray, float]], grid: int,
                                **options) -> list[DiffusivityResult]:
    """:func:`material_diffusivity` (with its error estimate) for several requests at once.

    Parameters
    ----------
    model : TightBindingModel
        The material's model; ``level`` its Fermi level (:func:`material_fermi_level`).
    requests : list of ((n_E,) ndarray of float, float)
        Energies in eV relative to the Fermi level, and the broadening Γ in eV.
    grid : int
        k-points per axis; the error grid is :func:`~orbdiff.observables.convergence.
        coarse_grid` of it, as in :func:`orbdiff.compute`.
    **options
        ``chunk_size``, ``progress``, ``symmetry`` of the observable.

    Each grid is diagonalized once for all requests; every result equals
    ``material_diffusivity(..., energies, gamma=Γ, grid=grid)`` to rounding.
    """
    absolute = [(np.asarray(energies, dtype=float) + level.energy, gamma)
                for energies, gamma in requests]
    fine_grid = (grid,) * 3
    error_grid = coarse_grid(fine_grid)
    observable = Diffusivity()
    fine, coarse = (observable.compute_sharing_bands(model, KGrid(model.crystal, size), absolute,
                                                     **options)
                    for size in (fine_grid, error_grid))
    inputs = {"grid": list(fine_grid), "error_grid": list(error_grid)}
    return [relative_to_fermi_level(f.with_errors(two_grid_errors(f, c), inputs), level)
            for f, c in zip(fine, coarse, strict=True)]
