"""Diffusivities of real metals at energies measured from their Fermi level."""

from __future__ import annotations

import warnings
from dataclasses import replace

import numpy as np

from orbdiff.api import compute, load_material, load_parameter_set
from orbdiff.observables import FermiLevel, fermi_level
from orbdiff.observables.convergence import ConvergenceWarning, unconverged_message
from orbdiff.plugin import Registry

from .result import DiffusivityResult

__all__ = ["material_diffusivity", "relative_to_fermi_level"]


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
    **options
        Passed to the observable (``symmetry``, ``progress``, ``chunk_size``).
    """
    registry = registry or Registry()
    model = load_material(material, registry=registry, shells=shells, soc_scale=soc_scale, xi=xi)
    energies = np.asarray(energies, dtype=float)
    if absolute:
        return compute("diffusivity", model, grid=grid, energies=energies, gamma=gamma,
                       registry=registry, **options)
    electrons = load_parameter_set(material, registry=registry).valence_electrons
    level = fermi_level(model, electrons * len(model.crystal.symbols))
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
