"""Screening cases: their inputs, identity, and the computation a worker runs."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from importlib.metadata import PackageNotFoundError, version
from itertools import product
from typing import Any

import numpy as np

from orbdiff.api import compute, load_material, load_parameter_set
from orbdiff.plugin import Registry

from ..materials import material_diffusivity
from .wannier import WannierSource, wannier_diffusivity, wannier_files_version, wannier_model

__all__ = ["MAX_GRID", "ScreeningCase", "case_outcome", "expand_cases",
           "expand_wannier_cases", "parameter_set_version", "run_case"]

#: Largest grid a case with ``converge`` grows to (or its own grid, if larger).
MAX_GRID = 120


def _code_version() -> str:
    try:
        return version("orbdiff")
    except PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True)
class ScreeningCase:
    """One material at one SOC scale, broadening, grid and shell count.

    Energies are in eV relative to the Fermi level; ``soc_scale`` is the fraction of
    the set's spin-orbit constant unless ``xi`` (eV, σ·L) is given. A Wannier90 case
    has ``wannier`` set: ``material`` is its name, ``soc_scale`` NaN (not applicable)
    and ``parameter_set_version`` the hash of its files.
    """

    material: str
    soc_scale: float
    gamma: float
    grid: int
    shells: int | None = None
    xi: float | None = None
    energies: tuple[float, ...] = (0.0,)
    parameter_set_version: str = ""
    code_version: str = field(default_factory=_code_version)
    converge: float | None = None
    wannier: WannierSource | None = None

    @property
    def identity(self) -> str:
        """SHA-256 of the inputs: a case with the same identity is never recomputed."""
        inputs = asdict(self)
        if inputs["converge"] is None:  # cases stored before ``converge`` keep their identity
            del inputs["converge"]
        if inputs["wannier"] is None:  # material cases keep their identity
            del inputs["wannier"]
        text = json.dumps(inputs, sort_keys=True)
        return "case-" + hashlib.sha256(text.encode()).hexdigest()[:32]

    def key_value_pairs(self) -> dict[str, Any]:
        """Inputs as ase.db key-value pairs (no None values, energies as text)."""
        pairs = {"material": self.material, "soc_scale": self.soc_scale, "gamma": self.gamma,
                 "grid": self.grid, "shells": self.shells if self.shells is not None else 0,
                 "transport_energies": json.dumps(list(self.energies)),
                 "parameter_set_version": self.parameter_set_version,
                 "code_version": self.code_version, "identity": self.identity}
        if self.xi is not None:
            pairs["xi"] = self.xi
        if self.converge is not None:
            pairs["converge"] = self.converge
        if self.wannier is not None:
            pairs |= _wannier_pairs(self.wannier)
            del pairs["soc_scale"], pairs["shells"]
        return pairs


def _wannier_pairs(source: WannierSource) -> dict[str, Any]:
    pairs = {"model": "wannier90", "seedname": source.seedname,
             "spinor_ordering": source.spinor_ordering,
             "xi": json.dumps(dict(source.xi)) if isinstance(source.xi, tuple) else source.xi}
    if source.electrons is not None:
        pairs["electrons"] = source.electrons
    else:
        pairs["fermi_energy"] = source.fermi_energy
    return pairs


def parameter_set_version(name: str, registry: Registry) -> str:
    """A short hash of every number of a parameter set (all fields but its provenance).

    Lattice, cell, basis sites and their couplings, species, shell distances, on-site
    energies, integrals, ξ and the valence count all enter, so two sets that differ
    anywhere (e.g. only in c/a of an hcp set) never share a version.
    """
    ps = load_parameter_set(name, registry=registry)
    numbers = {f.name: _plain(getattr(ps, f.name)) for f in fields(ps) if f.name != "provenance"}
    text = json.dumps(numbers, sort_keys=True, default=repr)
    return "ps-" + hashlib.sha256(text.encode()).hexdigest()[:12]


def _plain(value: Any) -> Any:
    """JSON-ready copy of nested mappings, sequences, dataclasses and arrays."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def expand_cases(materials, soc_scales, gammas, grid, shells=None, energies=(0.0,),
                 registry: Registry | None = None,
                 converge: float | None = None) -> list[ScreeningCase]:
    """Every combination of materials × SOC scales × broadenings, in that order.

    With ``converge`` (relative tolerance), each case grows its grid from ``grid`` until
    converged (see :func:`orbdiff.compute`).
    """
    registry = registry or Registry()
    versions = {name: parameter_set_version(name, registry) for name in materials}
    return [ScreeningCase(material, float(scale), float(gamma), int(grid), shells,
                          None, tuple(float(e) for e in energies), versions[material],
                          converge=None if converge is None else float(converge))
            for material, scale, gamma in product(materials, soc_scales, gammas)]


def expand_wannier_cases(sources: Mapping[str, WannierSource], gammas, grid,
                         energies=(0.0,), converge: float | None = None) -> list[ScreeningCase]:
    """One case per Wannier90 model (by name) × broadening; SOC scales do not apply.

    Each case carries the hash of its files, so changed files are recomputed.
    """
    return [ScreeningCase(name, math.nan, float(gamma), int(grid), None, None,
                          tuple(float(e) for e in energies),
                          wannier_files_version(source.seedname),
                          converge=None if converge is None else float(converge),
                          wannier=source)
            for name, source in sources.items() for gamma in gammas]


def run_case(case: ScreeningCase, registry: Registry | None = None) -> dict[str, Any]:
    """Compute one case (on a worker): scalar results and full arrays.

    With a ``hall`` observable registered, the row also holds the spin and orbital
    Hall conductivities (see :func:`hall_at_fermi_level`).
    """
    registry = registry or Registry()
    if case.wannier is not None:
        result = wannier_diffusivity(case.wannier, list(case.energies), grid=case.grid,
                                     gamma=case.gamma, registry=registry, progress=False,
                                     converge=case.converge, max_grid=max(MAX_GRID, case.grid))
    else:
        result = material_diffusivity(case.material, list(case.energies), grid=case.grid,
                                      gamma=case.gamma, shells=case.shells,
                                      soc_scale=case.soc_scale, xi=case.xi, registry=registry,
                                      progress=False, converge=case.converge,
                                      max_grid=max(MAX_GRID, case.grid))
    return case_outcome(case, result, registry)


def case_outcome(case: ScreeningCase, result, registry: Registry, model=None
                 ) -> dict[str, Any]:
    """The row of ``case`` from its diffusivity ``result``, with the Hall conductivities.

    ``model`` is the case's model if already built (a group shares one).
    """
    at = int(np.argmin(np.abs(result.energies)))  # the energy closest to E_F
    eta = result.swapping_efficiencies()
    scalars = {
        "fermi_level": float(result.fermi_level),
        "D_charge": float(result.charge[at, 0, 0]),
        "D_spin": float(result.D("sx x", "sx x")[at]),
        "D_spin_y": float(result.D("sy x", "sy x")[at]),
        "D_orbital": float(result.D("lx x", "lx x")[at]),
        "D_orbital_y": float(result.D("ly x", "ly x")[at]),
        "D_spin_to_orbit": float(result.D("lx x", "sx x")[at]),
        "D_orbit_to_spin": float(result.D("sx x", "lx x")[at]),
        "P_l": float(result.spin_to_orbit_polarization()[at, 0, 0]),
        "P_s": float(result.orbit_to_spin_polarization()[at, 0, 0]),
        **{f"eta_{key.replace('->', '')}": float(eta[key][at]) for key in eta},
        # k-sampling: the grid reached (with converge) and the largest error / scale
        "grid_reached": int(max(result.inputs["grid"])),
        "largest_relative_error": float(result.largest_relative_error()),
    }
    if case.converge is not None:
        scalars["converged"] = bool(result.inputs.get("converged"))
    arrays = {name: np.asarray(getattr(result, name)) for name in
              ("energies", "charge", "tensor", "kubo", "dos", "charge_error", "tensor_error",
               "kubo_error", "dos_error")}
    masks = result.ill_conditioned()
    arrays["ill_conditioned_P_l"] = masks["spin_to_orbit"]
    arrays["ill_conditioned_P_s"] = masks["orbit_to_spin"]
    hall_scalars, hall_arrays = hall_at_fermi_level(case, float(result.fermi_level), registry,
                                                    model)
    return {"scalars": {**scalars, **hall_scalars}, "arrays": {**arrays, **hall_arrays}}


def hall_at_fermi_level(case: ScreeningCase, fermi_energy: float, registry: Registry,
                        model=None) -> tuple[dict[str, float], dict[str, np.ndarray]]:
    """SHC σ^{s_z}_{xy} and OHC σ^{l_z}_{xy} of a case at the energy closest to E_F.

    Computed through the registry's ``hall`` observable on the case's model, grid, Γ,
    ``converge`` and energies (eV relative to ``fermi_energy``, the absolute Fermi
    level in eV), in (ħ/e) S/cm. Returns ``({}, {})`` if no ``hall`` observable is
    registered (plugin disabled). ``model`` is the case's model if already built.

    Returns
    -------
    scalars : dict
        ``SHC``, ``OHC``, ``SHC_error``, ``OHC_error`` in (ħ/e) S/cm, the grid reached
        ``hall_grid_reached`` and, with ``converge``, ``hall_converged``.
    arrays : dict
        ``spin_hall``, ``orbital_hall`` (n_E, 3, 3, 3) and their ``_error`` arrays.
    """
    if "hall" not in registry.observables:
        return {}, {}
    if model is None and case.wannier is not None:
        model = wannier_model(case.wannier, registry)
    elif model is None:
        model = load_material(case.material, registry=registry, shells=case.shells,
                              soc_scale=case.soc_scale, xi=case.xi)
    hall = compute("hall", model, grid=case.grid, gamma=case.gamma,
                   energies=np.asarray(case.energies) + fermi_energy, registry=registry,
                   progress=False, units="S/cm", converge=case.converge,
                   max_grid=max(MAX_GRID, case.grid))
    at = int(np.argmin(np.abs(np.asarray(case.energies))))  # the energy closest to E_F
    names = ("spin_hall", "orbital_hall", "spin_hall_error", "orbital_hall_error")
    arrays = {name: np.asarray(getattr(hall, name)) for name in names}
    scalars = {"SHC": float(hall.sigma("sz", "x", "y")[at]),
               "OHC": float(hall.sigma("lz", "x", "y")[at]),
               "SHC_error": float(hall.sigma_error("sz", "x", "y")[at]),
               "OHC_error": float(hall.sigma_error("lz", "x", "y")[at]),
               "hall_grid_reached": int(max(hall.inputs["grid"]))}
    if case.converge is not None:
        scalars["hall_converged"] = bool(hall.inputs.get("converged"))
    return scalars, arrays
