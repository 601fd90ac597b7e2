"""The labelled result of a Hall-conductivity calculation, with its k-sampling errors."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from orbdiff.errors import invalid
from orbdiff.observables.labels import DIRECTIONS

__all__ = ["FIELDS", "HallResult"]

#: Value arrays; each has an ``<name>_error`` companion of the same shape.
FIELDS = ("spin_hall", "orbital_hall", "anomalous_hall")

_OPERATOR = {"spin_hall": "s", "orbital_hall": "l"}

#: Relative floor of the error scale, in units of the largest |σ^{l_γ}_{ij}| at that energy.
SCALE_FLOOR = 1e-3


def units(unit: str) -> dict[str, str]:
    """The ``units`` entry of the JSON contract for conductivities in ``unit``."""
    return {"energies": "eV", "fermi_level": "eV", "spin_hall": f"(hbar/e) {unit}",
            "orbital_hall": f"(hbar/e) {unit}", "anomalous_hall": unit}


@dataclass(frozen=True, eq=False)
class HallResult:
    """Spin, orbital and anomalous Hall conductivities as functions of energy.

    Attributes
    ----------
    energies : (n_E,) ndarray
        Energies in eV (relative to ``fermi_level`` when one is set).
    spin_hall : (n_E, 3, 3, 3) ndarray
        σ^{s_γ}_{ij} at ``[E, γ, i, j]``: current along i carrying s_γ = σ_γ/2 (units
        of ħ), field along j; in (ħ/e) S/cm (or ``inputs["units"]``).
    orbital_hall : (n_E, 3, 3, 3) ndarray
        σ^{l_γ}_{ij}, the same with L_γ; (ħ/e) S/cm.
    anomalous_hall : (n_E, 3, 3) ndarray
        Antisymmetric part ``(σ_ij − σ_ji)/2`` of the charge conductivity; S/cm.
    spin_hall_error, orbital_hall_error, anomalous_hall_error : ndarray or None
        k-sampling errors (same shapes and units), None until estimated.
    inputs : dict
        What was computed and how (model, Γ, formula, grid, units, ...).
    fermi_level : float or None
        Fermi level (eV, the model's absolute scale) when ``energies`` are relative to it.
    """

    energies: np.ndarray
    spin_hall: np.ndarray
    orbital_hall: np.ndarray
    anomalous_hall: np.ndarray
    inputs: dict[str, Any] = field(default_factory=dict)
    fermi_level: float | None = None
    spin_hall_error: np.ndarray | None = None
    orbital_hall_error: np.ndarray | None = None
    anomalous_hall_error: np.ndarray | None = None

    error_fields = FIELDS

    @property
    def unit(self) -> str:
        """Conductivity unit of the arrays: ``"S/cm"`` (default) or ``"S/m"``."""
        return self.inputs.get("units", "S/cm")

    def sigma(self, operator: str, i: str, j: str) -> np.ndarray:
        """σ^{O}_{ij} vs energy, e.g. ``sigma("sz", "x", "y")``; ``"lz"``; ``"charge"``."""
        a, b = DIRECTIONS.index(i), DIRECTIONS.index(j)
        if operator == "charge":
            return self.anomalous_hall[:, a, b]
        return self._tensor(operator)[:, DIRECTIONS.index(operator[1]), a, b]

    def sigma_error(self, operator: str, i: str, j: str) -> np.ndarray | None:
        """k-sampling error of :meth:`sigma` (None if not estimated)."""
        name = "anomalous_hall" if operator == "charge" else self._name(operator)
        error = getattr(self, f"{name}_error")
        if error is None:
            return None
        a, b = DIRECTIONS.index(i), DIRECTIONS.index(j)
        return error[:, a, b] if operator == "charge" else error[:, DIRECTIONS.index(
            operator[1]), a, b]

    def _name(self, operator: str) -> str:
        names = {"s": "spin_hall", "l": "orbital_hall"}
        if len(operator) != 2 or operator[0] not in names or operator[1] not in DIRECTIONS:
            raise invalid("operator", operator, "sx, sy, sz, lx, ly, lz or charge")
        return names[operator[0]]

    def _tensor(self, operator: str) -> np.ndarray:
        return getattr(self, self._name(operator))

    # --- k-sampling error protocol (orbdiff.observables.convergence.EstimatedResult) ---

    def with_errors(self, errors: Mapping[str, np.ndarray], inputs: Mapping[str, Any]
                    ) -> HallResult:
        """A copy carrying ``<name>_error`` arrays and ``inputs`` merged into its inputs."""
        arrays = {f"{name}_error": np.asarray(value, float) for name, value in errors.items()}
        return replace(self, inputs={**self.inputs, **inputs}, **arrays)

    def error_scale(self, name: str) -> np.ndarray:
        """Scale for relative errors: the largest |component| of ``name`` at each energy,
        at least :data:`SCALE_FLOOR` × the largest |σ^{l_γ}_{ij}| there (the orbital Hall
        tensor of a metal does not vanish, so SHC without SOC does not stall convergence).
        """
        value = getattr(self, name)
        axes = tuple(range(1, value.ndim))
        floor = SCALE_FLOOR * np.abs(self.orbital_hall).max(axis=(1, 2, 3))
        largest = np.maximum(np.abs(value).max(axis=axes), floor)
        return np.broadcast_to(largest.reshape(-1, *(1,) * len(axes)), value.shape)

    def block_maximum(self, name: str, values: np.ndarray) -> np.ndarray:
        """Largest of ``values`` over each energy's whole tensor, broadcast to its shape.

        The components of one Hall tensor at one energy share a scale (in a cubic crystal
        the non-zero ones are equal up to sign), so they form one block.
        """
        values = np.asarray(values, dtype=float)
        axes = tuple(range(1, values.ndim))
        return np.broadcast_to(values.max(axis=axes, keepdims=True), values.shape)

    def component_label(self, name: str, index: tuple[int, ...]) -> str:
        """E.g. ``"sigma^{sz}_{xy} at E = 0 eV"`` for ``("spin_hall", (e, 2, 0, 1))``."""
        at = f"at E = {round(float(self.energies[index[0]]), 12):g} eV"
        if name == "anomalous_hall":
            return f"sigma_{DIRECTIONS[index[1]]}{DIRECTIONS[index[2]]} {at}"
        gamma, i, j = (DIRECTIONS[k] for k in index[1:])
        return f"sigma^{{{_OPERATOR[name]}{gamma}}}_{{{i}{j}}} {at}"

    # --- serialization ------------------------------------------------------------------

    def as_dict(self) -> dict[str, Any]:
        """The JSON contract: arrays as nested lists (errors NaN if not estimated)."""
        data: dict[str, Any] = {"energies": self.energies.tolist()}
        for name in FIELDS:
            value = getattr(self, name)
            error = getattr(self, f"{name}_error")
            data[name] = value.tolist()
            data[f"{name}_error"] = (np.full_like(value, np.nan) if error is None
                                     else error).tolist()
        data["units"] = units(self.unit)
        data["inputs"] = self.inputs
        if self.fermi_level is not None:
            data["fermi_level"] = self.fermi_level
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> HallResult:
        """Inverse of :meth:`as_dict`."""
        required = ("energies", *FIELDS)
        if any(name not in data for name in required):
            raise invalid("result", sorted(data), f"the keys {', '.join(required)}")
        arrays = {name: np.asarray(data[name], float) for name in required}
        errors = {}
        for name in FIELDS:
            error = np.asarray(data.get(f"{name}_error", np.nan), float)
            if not np.all(np.isnan(error)):
                errors[f"{name}_error"] = error
        return cls(**arrays, **errors, inputs=dict(data.get("inputs", {})),
                   fermi_level=data.get("fermi_level"))

    def save(self, path: str | Path) -> None:
        """Write the result as JSON."""
        Path(path).write_text(json.dumps(self.as_dict(), allow_nan=True))

    @classmethod
    def load(cls, path: str | Path) -> HallResult:
        """Read a result written by :meth:`save`."""
        return cls.from_dict(json.loads(Path(path).read_text()))
