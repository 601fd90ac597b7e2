"""Hall conductivities of a model or a registered metal, with their k-sampling errors."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from orbdiff.api import check_energies, load_material, load_parameter_set
from orbdiff.disorder import ConstantBroadening
from orbdiff.hamiltonian import TightBindingModel
from orbdiff.observables import fermi_level
from orbdiff.plugin import Registry
from orbdiff.structure import KGrid

from .estimate import converge, with_error_estimate
from .observable import HallConductivity
from .result import HallResult

__all__ = ["material_hall", "model_hall"]


def model_hall(
    model: TightBindingModel,
    energies: Any,
    *,
    grid: int,
    gamma: float,
    error_estimate: bool = True,
    converge_to: float | None = None,
    max_grid: int = 120,
    **options: Any,
) -> HallResult:
    """Hall conductivities of ``model`` at ``energies`` (eV, the model's own scale).

    Parameters
    ----------
    model : TightBindingModel
    energies : array_like of float
        Fermi energies in eV.
    grid : int
        k-points per reciprocal axis (≥ 2).
    gamma : float
        Constant broadening Γ in eV (> 0).
    error_estimate : bool
        Attach the two-grid k-sampling error (second grid ≈ 0.8 × ``grid``; ~50 % extra).
    converge_to : float, optional
        Relative tolerance: grow the grid until every component is converged to it.
    max_grid : int
        Largest grid tried by ``converge_to``.
    **options
        Passed to :meth:`HallConductivity.compute` (``formula``, ``units``, ``symmetry``,
        ``chunk_size``, ``progress``).
    """
    energies = check_energies(energies)
    broadening = ConstantBroadening(gamma)
    KGrid(model.crystal, grid)  # bad grids fail before any computation
    observable = HallConductivity()

    def evaluate(size):
        return observable.compute(model, KGrid(model.crystal, size), energies, broadening,
                                  **options)

    if converge_to is not None:
        return converge(evaluate, grid, converge_to, max_grid, options.get("progress"))
    if error_estimate:
        return with_error_estimate(evaluate, grid)
    return evaluate(grid)


def material_hall(
    material: str,
    energies: Any,
    *,
    shells: int | None = None,
    soc_scale: float = 1.0,
    xi: float | None = None,
    absolute: bool = False,
    registry: Registry | None = None,
    **options: Any,
) -> HallResult:
    """Hall conductivities of a registered metal, energies relative to its Fermi level.

    Parameters
    ----------
    material : str
        Parameter-set name, e.g. ``"Pt"``.
    energies : array_like of float
        eV from the Fermi level found from the valence electron count (absolute energies
        of the parameter set if ``absolute``).
    shells, soc_scale, xi
        As in :func:`orbdiff.load_material`.
    **options
        As in :func:`model_hall` (``grid`` and ``gamma`` are required).
    """
    registry = registry or Registry()
    model = load_material(material, registry=registry, shells=shells, soc_scale=soc_scale,
                          xi=xi)
    energies = check_energies(energies)
    if absolute:
        return model_hall(model, energies, **options)
    electrons = load_parameter_set(material, registry=registry).valence_electrons
    level = fermi_level(model, electrons * len(model.crystal.symbols))
    result = model_hall(model, energies + level.energy, **options)
    inputs = {**result.inputs, "material": material, "fermi_level": level.energy,
              "fermi_accuracy": level.accuracy, "fermi_grid": level.grid}
    return replace(result, energies=result.energies - level.energy, inputs=inputs,
                   fermi_level=level.energy)
