"""What ``orbdiff precession`` magnetizes: a model, a real metal or a Wannier90 model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from orbdiff.api import load_material, load_model, load_parameter_set
from orbdiff.cliutils import (
    check_model_parameters,
    finite_option,
    parse_parameters,
    wannier_fermi_level,
    wannier_parameters,
)
from orbdiff.hamiltonian import TightBindingModel
from orbdiff.plugin import Registry

__all__ = ["MagnetSource", "magnet_source"]


@dataclass(frozen=True)
class MagnetSource:
    """The non-magnetic model of a precession sweep and how its Fermi level is set.

    Attributes
    ----------
    model : TightBindingModel or callable
        The model, or ``m -> model`` for a spin-polarized set magnetized along m.
    label : str
        Name for titles and tables.
    electrons : float or None
        Electrons per cell (the Fermi level of each magnetic model is found from it).
    fermi_level : float or None
        A fixed Fermi level in eV (``--wannier --fermi-energy``).
    relative : bool
        Energies are measured from the Fermi level (not for ``--model``).
    spin_polarized : bool
        The set carries its own exchange splitting (e.g. Fe-fm).
    """

    model: TightBindingModel | Callable[[np.ndarray], TightBindingModel]
    label: str
    electrons: float | None = None
    fermi_level: float | None = None
    relative: bool = False
    spin_polarized: bool = False


def magnet_source(registry: Registry, model_name, material, wannier, spinor_ordering,
                  fermi_energy, electrons, soc_scale, shells, xi, params) -> MagnetSource:
    """Build the source chosen on the command line (checked before any computation)."""
    if material is not None:
        return _material(registry, material, soc_scale, shells, xi)
    if wannier is not None:
        model_name, params = "wannier90", wannier_parameters(wannier, spinor_ordering, params)
    parameters = parse_parameters(params)
    if xi is not None:
        parameters["xi"] = xi
    check_model_parameters(registry, model_name, parameters)
    model = load_model(model_name, registry=registry, **parameters)
    if wannier is None:
        return MagnetSource(model, model_name)
    if electrons is not None and fermi_energy is None:
        count = finite_option("--electrons", electrons, minimum=0.0, strict=True)
        return MagnetSource(model, wannier, electrons=count, relative=True)
    level = wannier_fermi_level(model, fermi_energy, electrons)  # exactly one, or an error
    return MagnetSource(model, wannier, fermi_level=level.energy if level else 0.0,
                        relative=True)


def _material(registry, material, soc_scale, shells, xi) -> MagnetSource:
    parameter_set = load_parameter_set(material, registry=registry)
    options = {"registry": registry, "shells": shells, "xi": xi,
               "soc_scale": 1.0 if soc_scale is None else soc_scale}
    model = load_material(material, **options)
    count = parameter_set.valence_electrons * len(model.crystal.symbols)
    if not getattr(parameter_set, "spin_polarized", False):
        return MagnetSource(model, material, electrons=count, relative=True)

    def magnetized(m: np.ndarray) -> TightBindingModel:
        return load_material(material, **options, magnetization=tuple(float(x) for x in m))

    return MagnetSource(magnetized, material, electrons=count, relative=True,
                        spin_polarized=True)
