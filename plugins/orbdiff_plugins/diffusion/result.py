"""The labelled result of a diffusivity calculation, with derived quantities."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from orbdiff.errors import invalid
from orbdiff.observables.labels import DIRECTIONS, component_index

__all__ = ["UNITS", "DiffusivityResult"]

UNITS = {
    "energies": "eV",
    "fermi_level": "eV",
    "charge": "S/m (conductivity units, e²Γ/(π n_i V0²) × D)",
    "tensor": "S/m (conductivity units, e²Γ/(π n_i V0²) × D)",
    "kubo": "S/m",
    "dos": "states/eV/cell (both spins)",
}

_ARRAYS = ("energies", "charge", "tensor", "kubo", "dos")


@dataclass(frozen=True, eq=False)
class DiffusivityResult:
    """Diffusivity tensors as functions of energy.

    Attributes
    ----------
    energies : (n_E,) ndarray
        Transport energies, eV (relative to ``fermi_level`` when one is set).
    charge : (n_E, 3, 3) ndarray
        Charge diffusivity D_ij [gradient i, current j], S/m.
    tensor : (n_E, 18, 18) ndarray
        D^{β j}_{α i} at ``[3·α + i, 3·β + j]``, operators ordered σx, σy, σz, Lx, Ly, Lz;
        S/m.
    kubo : (n_E, 3, 3) ndarray
        Kubo conductivity σ_ij, S/m.
    dos : (n_E,) ndarray
        Density of states, states/eV/cell, both spins.
    inputs : dict
        What was computed and how (model, parameters, Γ, grid, ...).
    fermi_level : float or None
        Fermi level in eV on the model's absolute scale, when ``energies`` are relative
        to it (real metals); None for models quoted on their own scale.
    """

    energies: np.ndarray
    charge: np.ndarray
    tensor: np.ndarray
    kubo: np.ndarray
    dos: np.ndarray
    inputs: dict[str, Any] = field(default_factory=dict)
    fermi_level: float | None = None

    def D(self, upper: str, lower: str) -> np.ndarray:
        """``D^{upper}_{lower}`` vs energy, e.g. ``D("lx x", "sx x")`` = D^{l_x x}_{s_x x}.

        ``upper`` is the current (operator, direction), ``lower`` the gradient's.
        """
        return self.tensor[:, component_index(lower), component_index(upper)]

    def _longitudinal(self, source: str, current: str) -> np.ndarray:
        """(n_E, 3, 3) of D^{current_α i}_{source_α i}, indexed [α, i]."""
        out = np.empty((len(self.energies), 3, 3))
        for a, axis in enumerate(DIRECTIONS):
            for i, direction in enumerate(DIRECTIONS):
                out[:, a, i] = self.D(f"{current}{axis} {direction}", f"{source}{axis} {direction}")
        return out

    def spin_to_orbit_polarization(self) -> np.ndarray:
        """P_l = |D^{l_α i}_{s_α i}| / (|D^{s_α i}_{s_α i}| + |D^{l_α i}_{s_α i}|), (n_E, 3, 3)."""
        return _ratio(self._longitudinal("s", "l"), self._longitudinal("s", "s"))

    def orbit_to_spin_polarization(self) -> np.ndarray:
        """P_s = |D^{s_α i}_{l_α i}| / (|D^{l_α i}_{l_α i}| + |D^{s_α i}_{l_α i}|), (n_E, 3, 3)."""
        return _ratio(self._longitudinal("l", "s"), self._longitudinal("l", "l"))

    def swapping_efficiencies(self) -> dict[str, np.ndarray]:
        """η_{A→B} = |D^{B_y y}_{A_x x} / D^{A_x x}_{A_x x}| for A, B in {s, l} (paper Eq. 15)."""
        out = {}
        for a in "sl":
            own = self.D(f"{a}x x", f"{a}x x")
            for b in "sl":
                with np.errstate(divide="ignore", invalid="ignore"):
                    out[f"{a}->{b}"] = np.abs(self.D(f"{b}y y", f"{a}x x") / own)
        return out

    def as_dict(self) -> dict[str, Any]:
        """The JSON contract: arrays as nested lists, units and inputs."""
        data: dict[str, Any] = {name: getattr(self, name).tolist() for name in _ARRAYS}
        data["units"] = dict(UNITS)
        data["inputs"] = self.inputs
        if self.fermi_level is not None:
            data["fermi_level"] = self.fermi_level
        data["polarization"] = {
            "spin_to_orbit": self.spin_to_orbit_polarization().tolist(),
            "orbit_to_spin": self.orbit_to_spin_polarization().tolist(),
        }
        data["swapping"] = {k: v.tolist() for k, v in self.swapping_efficiencies().items()}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DiffusivityResult:
        """Inverse of :meth:`as_dict`."""
        missing = [name for name in _ARRAYS if name not in data]
        if missing:
            raise invalid("result", sorted(data), f"the keys {', '.join(_ARRAYS)}")
        arrays = {name: np.asarray(data[name], dtype=float) for name in _ARRAYS}
        return cls(**arrays, inputs=dict(data.get("inputs", {})),
                   fermi_level=data.get("fermi_level"))

    def save(self, path: str | Path) -> None:
        """Write the result as JSON."""
        Path(path).write_text(json.dumps(self.as_dict(), allow_nan=True))

    @classmethod
    def load(cls, path: str | Path) -> DiffusivityResult:
        """Read a result written by :meth:`save`."""
        return cls.from_dict(json.loads(Path(path).read_text()))


def _ratio(cross: np.ndarray, own: np.ndarray) -> np.ndarray:
    cross, own = np.abs(cross), np.abs(own)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(cross + own > 0, cross / (cross + own), 0.0)
