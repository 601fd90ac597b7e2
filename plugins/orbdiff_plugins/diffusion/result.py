"""The labelled result of a diffusivity calculation, with errors and derived quantities."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from orbdiff.errors import invalid
from orbdiff.observables.labels import DIRECTIONS, OPERATORS, component_index
from orbdiff.units import ELEMENTARY_CHARGE

from .estimated import (
    KSamplingErrors,
    dos_scale,
    matrix_scale,
    optional_array,
    round_energies,
    tensor_blocks,
)
from .ratios import ILL_CONDITIONED_RULE, Ratio, polarization, swapping

__all__ = ["DIFFUSIVITY_UNITS", "UNITS", "DiffusivityResult"]

_CONDUCTIVITY_UNITS = "S/m (conductivity units, e²Γ/(π n_i V0²) × D)"
#: Units a diffusivity result can be expressed in (see :meth:`DiffusivityResult.in_units`).
DIFFUSIVITY_UNITS = ("S/m", "m2/s")

UNITS = {
    "energies": "eV",
    "fermi_level": "eV",
    "charge": _CONDUCTIVITY_UNITS,
    "tensor": _CONDUCTIVITY_UNITS,
    "kubo": "S/m",
    "dos": "states/eV/cell (both spins)",
}

_ARRAYS = ("energies", "charge", "tensor", "kubo", "dos")
_ERRORS = ("charge_error", "tensor_error", "kubo_error", "dos_error")


@dataclass(frozen=True, eq=False)
class DiffusivityResult(KSamplingErrors):
    """Diffusivity tensors as functions of energy, with their k-sampling errors.

    Attributes
    ----------
    energies : (n_E,) ndarray
        Transport energies, eV (relative to ``fermi_level`` when one is set).
    charge : (n_E, 3, 3) ndarray
        Charge diffusivity D_ij [gradient i, current j], in ``units``.
    tensor : (n_E, 18, 18) ndarray
        D^{β j}_{α i} at ``[3·α + i, 3·β + j]``, operators ordered σx, σy, σz, Lx, Ly, Lz;
        in ``units``.
    kubo : (n_E, 3, 3) ndarray
        Kubo conductivity σ_ij, S/m.
    dos : (n_E,) ndarray
        Density of states, states/eV/cell, both spins.
    inputs : dict
        What was computed and how (model, parameters, Γ, grid, error grid, ...).
    fermi_level : float or None
        Fermi level in eV on the model's absolute scale, when ``energies`` are relative
        to it (real metals); None for models quoted on their own scale.
    charge_error, tensor_error, kubo_error, dos_error : ndarray or None
        Estimated k-sampling errors, same shapes and units as the values (None when
        not estimated), see :mod:`orbdiff.observables.convergence`.
    units : str
        Units of ``charge`` and ``tensor``: ``"S/m"`` (conductivity units) or ``"m2/s"``.
    """

    error_fields: ClassVar[tuple[str, ...]] = ("charge", "tensor", "kubo", "dos")

    energies: np.ndarray
    charge: np.ndarray
    tensor: np.ndarray
    kubo: np.ndarray
    dos: np.ndarray
    inputs: dict[str, Any] = field(default_factory=dict)
    fermi_level: float | None = None
    charge_error: np.ndarray | None = None
    tensor_error: np.ndarray | None = None
    kubo_error: np.ndarray | None = None
    dos_error: np.ndarray | None = None
    units: str = "S/m"

    def D(self, upper: str, lower: str) -> np.ndarray:
        """``D^{upper}_{lower}`` vs energy, e.g. ``D("lx x", "sx x")`` = D^{l_x x}_{s_x x}.

        ``upper`` is the current (operator, direction), ``lower`` the gradient's.
        """
        return self.tensor[:, component_index(lower), component_index(upper)]

    def D_error(self, upper: str, lower: str) -> np.ndarray | None:
        """Estimated k-sampling error of :meth:`D` (None if not estimated)."""
        return _component(self.tensor_error, upper, lower)

    # --- scales and labels of the k-sampling errors ----------------------------------

    def error_scale(self, name: str) -> np.ndarray:
        """Scale of each component for relative errors (same shape and units as ``name``).

        Charge and Kubo: their largest |component| at that energy. Tensor: the largest
        |D| of the component's 3×3 block (source operator × current operator), or 10⁻³
        of the largest |charge D_ij| if that is larger. DOS: |DOS|, at least 10⁻³ of
        its largest value.
        """
        if name == "charge":
            return matrix_scale(self.charge)
        if name == "kubo":
            return matrix_scale(self.kubo)
        if name == "dos":
            return dos_scale(self.dos)
        if name == "tensor":
            return self._tensor_scale()
        raise invalid("name", name, f"one of {', '.join(self.error_fields)}")

    def _tensor_scale(self) -> np.ndarray:
        floor = 1e-3 * np.abs(self.charge).max(axis=(1, 2))
        return np.maximum(tensor_blocks(self.tensor), floor[:, None, None])

    def component_label(self, name: str, index: tuple[int, ...]) -> str:
        """E.g. ``"D^{ly x}_{ly x} at E = 0 eV"`` for ``("tensor", (e, 12, 12))``."""
        e = index[0]
        at = f"at E = {round(float(self.energies[e]), 12):g} eV"
        if name == "tensor":
            return f"D^{{{_label(index[2])}}}_{{{_label(index[1])}}} {at}"
        if name in ("charge", "kubo"):
            symbol = "D" if name == "charge" else "sigma"
            return f"{symbol}_{DIRECTIONS[index[1]]}{DIRECTIONS[index[2]]} {at}"
        return f"{name} {at}"

    # --- ratios -------------------------------------------------------------------------

    def _longitudinal(self, array: np.ndarray | None, source: str, current: str):
        """(n_E, 3, 3) of ``array``'s D^{current_α i}_{source_α i}, indexed [α, i]."""
        if array is None:
            return None
        rows = [[component_index(f"{source}{a} {i}") for i in DIRECTIONS] for a in DIRECTIONS]
        cols = [[component_index(f"{current}{a} {i}") for i in DIRECTIONS] for a in DIRECTIONS]
        return array[:, np.array(rows), np.array(cols)]

    def _polarization(self, source: str, current: str) -> Ratio:
        scale = self.error_scale("tensor")
        return polarization(*(self._longitudinal(a, source, c) for a, c in (
            (self.tensor, current), (self.tensor, source), (self.tensor_error, current),
            (self.tensor_error, source), (scale, source))))

    def _swapping(self) -> dict[str, Ratio]:
        scale = self.error_scale("tensor")
        out = {}
        for a in "sl":
            own = (f"{a}x x", f"{a}x x")
            for b in "sl":
                out[f"{a}->{b}"] = swapping(self.D(f"{b}y y", f"{a}x x"), self.D(*own),
                                            self.D_error(*own), _component(scale, *own))
        return out

    def spin_to_orbit_polarization(self) -> np.ndarray:
        """P_l = |D^{l_α i}_{s_α i}| / (|D^{s_α i}_{s_α i}| + |D^{l_α i}_{s_α i}|), (n_E, 3, 3).

        NaN where ill-conditioned (see :meth:`ill_conditioned`).
        """
        return self._polarization("s", "l").values

    def orbit_to_spin_polarization(self) -> np.ndarray:
        """P_s = |D^{s_α i}_{l_α i}| / (|D^{l_α i}_{l_α i}| + |D^{s_α i}_{l_α i}|), (n_E, 3, 3).

        NaN where ill-conditioned (see :meth:`ill_conditioned`).
        """
        return self._polarization("l", "s").values

    def swapping_efficiencies(self) -> dict[str, np.ndarray]:
        """η_{A→B} = |D^{B_y y}_{A_x x} / D^{A_x x}_{A_x x}| for A, B in {s, l} (paper Eq. 15).

        NaN where D^{A_x x}_{A_x x} is not resolved (see :meth:`ill_conditioned`).
        """
        return {key: ratio.values for key, ratio in self._swapping().items()}

    def ill_conditioned(self) -> dict[str, Any]:
        """Boolean masks (True = NaN) of the ratios, keyed like :meth:`as_dict`."""
        return {
            "spin_to_orbit": self._polarization("s", "l").ill_conditioned,
            "orbit_to_spin": self._polarization("l", "s").ill_conditioned,
            "swapping": {k: r.ill_conditioned for k, r in self._swapping().items()},
        }

    # --- units ----------------------------------------------------------------------------

    def in_units(self, units: str) -> DiffusivityResult:
        """The result with ``charge`` and ``tensor`` (and their errors) in ``units``.

        ``"m2/s"`` uses the Einstein relation D = σ/(e² N_F) at each energy, with N_F =
        ``dos`` / (e · V_cell); the DOS error is propagated. Kubo stays in S/m.
        """
        if units not in DIFFUSIVITY_UNITS:
            raise invalid("units", units, " or ".join(DIFFUSIVITY_UNITS))
        if units == self.units:
            return self
        if self.units != "S/m" or "cell_volume" not in self.inputs:
            raise invalid("units", units, "S/m: conversion needs a result in S/m with "
                                          "inputs['cell_volume']")
        # V_cell [m³] / (e [C] · dos [1/eV]) turns S/m into m²/s (docs/theory.md)
        factor = self.inputs["cell_volume"] * 1e-30 / (ELEMENTARY_CHARGE * self.dos)
        return replace(self, units=units, **_converted(self, factor[:, None, None]))

    # --- persistence ----------------------------------------------------------------------

    def as_dict(self) -> dict[str, Any]:
        """The JSON contract: arrays as nested lists, errors, units, inputs, ratios."""
        data: dict[str, Any] = {name: getattr(self, name).tolist() for name in _ARRAYS}
        data["energies"] = round_energies(self.energies)
        data.update(self._errors_as_dict())
        data["units"] = self._units()
        data["inputs"] = self.inputs
        if self.fermi_level is not None:
            data["fermi_level"] = self.fermi_level
        data["polarization"] = {
            "spin_to_orbit": self.spin_to_orbit_polarization().tolist(),
            "orbit_to_spin": self.orbit_to_spin_polarization().tolist(),
        }
        data["swapping"] = {k: v.tolist() for k, v in self.swapping_efficiencies().items()}
        masks = self.ill_conditioned()
        data["ill_conditioned"] = {
            "spin_to_orbit": masks["spin_to_orbit"].tolist(),
            "orbit_to_spin": masks["orbit_to_spin"].tolist(),
            "swapping": {k: v.tolist() for k, v in masks["swapping"].items()},
            "rule": ILL_CONDITIONED_RULE,
        }
        return data

    def _units(self) -> dict[str, str]:
        units = dict(UNITS)
        if self.units == "m2/s":
            units["charge"] = units["tensor"] = "m2/s (Einstein relation D = σ/(e² N_F))"
        units.update({f"{name}_error": units[name] for name in self.error_fields})
        return units

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DiffusivityResult:
        """Inverse of :meth:`as_dict` (files without errors load with errors None)."""
        missing = [name for name in _ARRAYS if name not in data]
        if missing:
            raise invalid("result", sorted(data), f"the keys {', '.join(_ARRAYS)}")
        arrays = {name: np.asarray(data[name], dtype=float) for name in _ARRAYS}
        errors = {name: optional_array(data.get(name)) for name in _ERRORS}
        units = "m2/s" if str(data.get("units", {}).get("tensor", "")).startswith("m2/s") \
            else "S/m"
        return cls(**arrays, **errors, inputs=dict(data.get("inputs", {})),
                   fermi_level=data.get("fermi_level"), units=units)

    def save(self, path: str | Path) -> None:
        """Write the result as JSON."""
        Path(path).write_text(json.dumps(self.as_dict(), allow_nan=True))

    @classmethod
    def load(cls, path: str | Path) -> DiffusivityResult:
        """Read a result written by :meth:`save`."""
        return cls.from_dict(json.loads(Path(path).read_text()))


def _label(index: int) -> str:
    return f"{OPERATORS[index // 3]} {DIRECTIONS[index % 3]}"


def _component(array: np.ndarray | None, upper: str, lower: str) -> np.ndarray | None:
    if array is None:
        return None
    return array[:, component_index(lower), component_index(upper)]


def _converted(result: DiffusivityResult, factor: np.ndarray) -> dict[str, Any]:
    out: dict[str, Any] = {"charge": result.charge * factor, "tensor": result.tensor * factor}
    relative_dos = None
    if result.dos_error is not None:
        relative_dos = (result.dos_error / np.abs(result.dos))[:, None, None]
    for name in ("charge", "tensor"):
        error = getattr(result, f"{name}_error")
        if error is not None:
            extra = 0.0 if relative_dos is None else np.abs(getattr(result, name)) * relative_dos
            out[f"{name}_error"] = (error + extra) * np.abs(factor)
    return out
