"""Cases that share a model, computed together: one model, one Fermi level, one
diagonalization per k-point for all their broadenings and energies.

A group's rows equal those of :func:`~.cases.run_case` case by case (to rounding:
the k-point blocks may be sized differently); a case that fails, fails alone.
"""

from __future__ import annotations

import math
import traceback
from collections.abc import Sequence
from typing import Any

from orbdiff.api import check_energies, load_material
from orbdiff.plugin import Registry
from orbdiff.validation import check_compute_arguments

from ..materials import (
    diffusivities_sharing_bands,
    material_diffusivity,
    material_fermi_level,
)
from .cases import MAX_GRID, ScreeningCase, case_outcome, run_case

__all__ = ["group_cases", "model_key", "run_group"]


def model_key(case: ScreeningCase) -> tuple:
    """Everything of a case that its model, Fermi level and k-grids depend on.

    Cases with equal keys differ only in Γ and the transport energies.
    """
    soc = "nan" if math.isnan(case.soc_scale) else case.soc_scale
    return (case.material, case.shells, soc, case.xi, case.grid, case.converge,
            case.wannier, case.parameter_set_version, case.code_version)


def group_cases(cases: Sequence[ScreeningCase]) -> list[list[ScreeningCase]]:
    """``cases`` split into groups of equal :func:`model_key`, in first-seen order."""
    groups: dict[tuple, list[ScreeningCase]] = {}
    for case in cases:
        groups.setdefault(model_key(case), []).append(case)
    return list(groups.values())


def failure(exc: Exception, where: str) -> dict[str, str]:
    """The outcome of a case that raised ``exc`` (message, and traceback for the row)."""
    return {"error": f"{type(exc).__name__}: {exc} (on {where})",
            "traceback": traceback.format_exc()}


def run_group(cases: Sequence[ScreeningCase], registry: Registry, where: str = "this process"
              ) -> list[dict[str, Any]]:
    """Outcomes of cases sharing one :func:`model_key`, in their order; never raises.

    Each outcome is ``{"scalars", "arrays"}`` or ``{"error", "traceback"}`` (``where``
    names the process in messages). The model (with its point group) and the Fermi
    level are found once; without ``converge`` one diagonalization per k-point serves
    every case, with it each case grows its own grid on the shared model. Wannier90
    cases run one by one (:func:`~.cases.run_case`).
    """
    if cases[0].wannier is not None:
        return [_one_case(case, registry, where) for case in cases]
    first = cases[0]
    try:
        model = load_material(first.material, registry=registry, shells=first.shells,
                              soc_scale=first.soc_scale, xi=first.xi)
        level = material_fermi_level(first.material, model, registry)
    except Exception as exc:  # the same failure as each case would meet alone
        return [failure(exc, where) for _ in cases]
    outcomes: list[dict[str, Any] | None] = [None] * len(cases)
    valid = []
    for index, case in enumerate(cases):
        try:
            check_compute_arguments(case.grid, case.energies, case.gamma, {"progress": False})
            valid.append(index)
        except Exception as exc:
            outcomes[index] = failure(exc, where)
    results = _shared_diffusivities([cases[i] for i in valid], model, level)
    for index, result in zip(valid, results, strict=True):
        case = cases[index]
        try:
            if result is None:  # alone on the shared model (converge, or a failed group)
                result = material_diffusivity(
                    case.material, list(case.energies), grid=case.grid, gamma=case.gamma,
                    model=model, level=level, registry=registry, progress=False,
                    converge=case.converge, max_grid=max(MAX_GRID, case.grid))
            outcomes[index] = case_outcome(case, result, registry, model)
        except Exception as exc:
            outcomes[index] = failure(exc, where)
    return outcomes  # type: ignore[return-value]


def _shared_diffusivities(cases: list[ScreeningCase], model, level) -> list:
    """Each case's diffusivity from one diagonalization per k-point, or None per case
    (``converge``, or the shared evaluation failed: then each case runs alone)."""
    if not cases or cases[0].converge is not None:
        return [None] * len(cases)
    requests = [(check_energies(case.energies), case.gamma) for case in cases]
    try:
        return diffusivities_sharing_bands(model, level, requests, cases[0].grid,
                                           progress=False)
    except Exception:
        return [None] * len(cases)


def _one_case(case: ScreeningCase, registry: Registry, where: str) -> dict[str, Any]:
    try:
        return run_case(case, registry)
    except Exception as exc:
        return failure(exc, where)
