"""The few calls a script needs: build a model by name, compute an observable."""

from __future__ import annotations

from typing import Any

import numpy as np

from .disorder import ConstantBroadening
from .errors import CapabilityError, InputError, OrbdiffError, PluginError, invalid
from .hamiltonian import ParameterSet, TightBindingModel, check_model_protocol
from .observables.convergence import (
    check_convergence_options,
    with_error_estimate,
)
from .observables.convergence import converge as converge_grid
from .plugin.registry import Registry
from .structure import KGrid
from .validation import check_compute_arguments, check_material_arguments

__all__ = ["check_energies", "compute", "load_material", "load_model", "load_parameter_set"]


def load_model(
    name: str, *, registry: Registry | None = None, **parameters: Any
) -> TightBindingModel:
    """Build a registered model.

    Parameters
    ----------
    name : str
        Model name, e.g. ``"bcc-p-toy"`` (``orbdiff models`` lists them).
    registry : Registry, optional
        Where to look the model up (default: all installed plugins).
    **parameters
        Model parameters; names the model does not accept are rejected.
    """
    registry = registry or Registry()
    record = registry.models[name]
    unknown = sorted(set(parameters) - set(record.parameters))
    if unknown:
        accepted = ", ".join(record.parameters) or "none"
        raise InputError(f"model {name!r} has no parameter {unknown[0]!r}; accepted: {accepted}")
    return _call_plugin(record, **parameters)


def load_parameter_set(name: str, *, registry: Registry | None = None) -> ParameterSet:
    """Load a registered Slater-Koster parameter set, e.g. ``"Ta"`` (``orbdiff materials``)."""
    registry = registry or Registry()
    parameter_set = _call_plugin(registry.parameter_sets[name])
    if not isinstance(parameter_set, ParameterSet):
        raise PluginError(
            f"plugin {registry.parameter_sets[name].plugin!r}: parameter set {name!r} must "
            f"load as a ParameterSet, got {type(parameter_set).__name__}"
        )
    return parameter_set


def load_material(
    name: str,
    structure: Any = None,
    *,
    registry: Registry | None = None,
    shells: int | None = None,
    soc_scale: float = 1.0,
    xi: float | None = None,
    rescale: bool = False,
    magnetization: Any = None,
) -> TightBindingModel:
    """Build the model of a real metal from its registered parameter set.

    Parameters
    ----------
    name : str
        Parameter-set name, e.g. ``"Ta"``.
    structure : ase.Atoms, pymatgen Structure or Crystal, optional
        Default: the set's own prototype (e.g. bcc Ta at the set's lattice constant).
    shells : int, optional
        Neighbour shells (default: all of the set's; the paper used 2).
    soc_scale : float
        Fraction of the set's spin-orbit constant (1 = full, 0 = none).
    xi : float, optional
        Explicit ξ in eV (coefficient of σ·L), overriding ``soc_scale``.
    rescale : bool
        Accept a structure whose lattice constant differs from the set's.
    magnetization : (3,) array_like of float, optional
        Unit vector m of a spin-polarized set such as ``"Fe-fm"`` (default (0, 0, 1));
        an InputError for a set without spin polarization.
    """
    check_material_arguments(shells, soc_scale, xi, rescale)
    parameter_set = load_parameter_set(name, registry=registry)
    return parameter_set.build_model(structure, shells=shells, soc_scale=soc_scale, xi=xi,
                                     rescale=rescale, magnetization=magnetization)


def check_energies(energies: Any) -> np.ndarray:
    """Return energies (eV) as a finite, non-empty 1-D float array, or raise InputError."""
    try:
        array = np.atleast_1d(np.asarray(energies, dtype=float))
    except (TypeError, ValueError):
        raise invalid("energies", energies, "a list of finite numbers (eV)") from None
    if array.ndim != 1 or array.size == 0 or not np.all(np.isfinite(array)):
        raise invalid("energies", energies, "a non-empty list of finite numbers (eV)")
    return array


def compute(
    observable: str,
    model: TightBindingModel,
    *,
    grid: int | tuple[int, int, int],
    energies: Any,
    gamma: float,
    registry: Registry | None = None,
    error_estimate: bool = True,
    converge: float | None = None,
    max_grid: int = 120,
    **options: Any,
):
    """Evaluate a registered observable on a Γ-centred k-grid, with its k-sampling error.

    Parameters
    ----------
    observable : str
        E.g. ``"diffusivity"``, ``"conductivity"``, ``"dos"``.
    model : TightBindingModel
    grid : int or (3,) tuple of int
        k-points along each reciprocal vector (≥ 2).
    energies : array_like of float
        Energies in eV.
    gamma : float
        Constant broadening Γ in eV (> 0).
    error_estimate : bool
        Also evaluate on a second grid of about 0.8 × ``grid`` per axis and attach
        ``|T_N − T_M|`` as the ``*_error`` arrays (default; about 50 % extra cost).
        Observables whose results do not support it are computed once.
    converge : float, optional
        Relative tolerance in (0, 1): grow the grid ×1.25 per step from ``grid`` until
        every component's estimated error is at most ``converge`` × its scale (see
        :mod:`orbdiff.observables.convergence`); ``inputs["grid"]`` is the grid reached.
    max_grid : int
        Largest grid tried by ``converge`` (points per axis); a ``ConvergenceWarning``
        names the components still above the tolerance there.
    **options
        Passed to the observable's ``compute`` (e.g. ``chunk_size``, ``progress``).
    """
    check_model_protocol(model)
    check_compute_arguments(grid, energies, gamma, {**options, "error_estimate": error_estimate})
    registry = registry or Registry()
    record = registry.observables[observable]
    instance = _call_plugin(record)
    missing = sorted(set(instance.requires) - set(model.capabilities))
    if missing:
        raise CapabilityError(
            f"observable {observable!r} needs {', '.join(missing)}, which model "
            f"{model.name!r} cannot provide"
        )
    _check_options(observable, instance, options)
    KGrid(model.crystal, grid)  # bad grids fail here, before any computation
    check_convergence_options(converge, grid, max_grid)
    broadening = ConstantBroadening(gamma)
    energies = check_energies(energies)

    def evaluate(size):
        return instance.compute(model, KGrid(model.crystal, size), energies, broadening, **options)

    if converge is not None:
        return converge_grid(evaluate, grid, converge, max_grid, options.get("progress"))
    if error_estimate:
        return with_error_estimate(evaluate, grid)
    return evaluate(grid)


def _check_options(name: str, instance: Any, options: dict[str, Any]) -> None:
    """Refuse, in one line, options the observable's ``compute`` does not take."""
    import inspect

    parameters = inspect.signature(instance.compute).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return
    accepted = list(parameters)[4:]  # after model, grid, energies and the self-energy
    unknown = sorted(set(options) - set(accepted))
    if unknown:
        raise InputError(f"{unknown[0]}: the observable {name!r} does not take this option; "
                         f"it takes {', '.join(accepted) or 'none'}")


def _call_plugin(record, **kwargs):
    try:
        return record.factory(**kwargs)
    except OrbdiffError:
        raise
    except (TypeError, ValueError) as exc:
        raise InputError(f"{record.kind} {record.name!r}: {exc}") from exc
    except Exception as exc:
        raise PluginError(
            f"plugin {record.plugin!r} failed building {record.name!r}: {exc}"
        ) from exc
