"""k-sampling errors on results, and the small Kubo-conductivity and DOS results.

Every result here follows :class:`orbdiff.observables.convergence.EstimatedResult`: it
names its ``error_fields``, carries ``<name>_error`` arrays (same shape and units, None
when not estimated) and says on which scale a relative error is measured.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from orbdiff.errors import invalid
from orbdiff.observables.convergence import (
    largest_relative_error,
    relative_errors,
    unconverged,
)

__all__ = [
    "ConductivityResult",
    "DosResult",
    "KSamplingErrors",
    "dos_scale",
    "matrix_scale",
    "optional_array",
    "round_energies",
    "tensor_blocks",
]


def round_energies(energies: np.ndarray) -> list[float]:
    """Energies (eV) for JSON, rounded to 12 decimals so that no float noise is written."""
    return np.round(np.asarray(energies, dtype=float), 12).tolist()


def optional_array(value: Any) -> np.ndarray | None:
    """A float array, or None (an error that was not estimated)."""
    return None if value is None else np.asarray(value, dtype=float)


def tensor_blocks(values: np.ndarray) -> np.ndarray:
    """Largest |value| of each 3×3 block of a (n_E, 18, 18) tensor, broadcast to it."""
    values = np.abs(np.asarray(values, dtype=float))
    blocks = values.reshape(len(values), 6, 3, 6, 3).max(axis=(2, 4))
    return np.repeat(np.repeat(blocks, 3, axis=1), 3, axis=2)


def matrix_scale(values: np.ndarray) -> np.ndarray:
    """Largest |component| of each (…, 3, 3) matrix, broadcast to the shape of ``values``."""
    values = np.abs(np.asarray(values, dtype=float))
    return np.broadcast_to(values.max(axis=(-2, -1), keepdims=True), values.shape)


class KSamplingErrors:
    """Methods shared by results that carry k-sampling errors (frozen dataclasses)."""

    error_fields: ClassVar[tuple[str, ...]] = ()
    inputs: dict[str, Any]

    def block_maximum(self, name: str, values: np.ndarray) -> np.ndarray:
        """Largest of ``values`` over the block of components sharing a scale.

        (…, 3, 3) matrices are one block; the (n_E, 18, 18) tensor has one 3×3 block per
        (source, current) operator pair; anything else is its own block.
        """
        values = np.asarray(values, dtype=float)
        if values.ndim == 3 and values.shape[1:] == (18, 18):
            return tensor_blocks(values)
        if values.ndim == 3 and values.shape[1:] == (3, 3):
            return matrix_scale(values)
        return values

    def with_errors(self, errors: Mapping[str, np.ndarray], inputs: Mapping[str, Any]) -> Any:
        """A copy with the given ``<name>_error`` arrays and ``inputs`` merged in."""
        changes = {f"{name}_error": np.asarray(value, dtype=float)
                   for name, value in errors.items()}
        return replace(self, **changes, inputs={**self.inputs, **inputs})

    def relative_errors(self) -> dict[str, np.ndarray]:
        """Estimated error / scale per field (see :meth:`error_scale`)."""
        return relative_errors(self)

    def largest_relative_error(self) -> float:
        """The largest estimated error / scale of any component (NaN if not estimated)."""
        return largest_relative_error(self)

    def unconverged(self, tolerance: float) -> list[str]:
        """Components whose estimated error exceeds ``tolerance`` × their scale."""
        return unconverged(self, tolerance)

    def _errors_as_dict(self) -> dict[str, Any]:
        out = {}
        for name in self.error_fields:
            error = getattr(self, f"{name}_error")
            out[f"{name}_error"] = None if error is None else error.tolist()
        return out


def _energy_label(energies: np.ndarray, e: int) -> str:
    return f"at E = {round(float(energies[e]), 12):g} eV"


@dataclass(frozen=True, eq=False)
class ConductivityResult(KSamplingErrors):
    """Kubo (Fermi-surface) conductivity vs energy.

    Attributes
    ----------
    energies : (n_E,) ndarray
        eV.
    kubo : (n_E, 3, 3) ndarray
        σ_ij, S/m.
    kubo_error : (n_E, 3, 3) ndarray or None
        Estimated k-sampling error of ``kubo``, S/m.
    inputs : dict
    """

    error_fields: ClassVar[tuple[str, ...]] = ("kubo",)

    energies: np.ndarray
    kubo: np.ndarray
    kubo_error: np.ndarray | None = None
    inputs: dict[str, Any] = field(default_factory=dict)

    def error_scale(self, name: str) -> np.ndarray:
        """Largest |σ_ij| at each energy, S/m."""
        return matrix_scale(self.kubo)

    def component_label(self, name: str, index: tuple[int, ...]) -> str:
        e, i, j = index
        return f"sigma_{'xyz'[i]}{'xyz'[j]} {_energy_label(self.energies, e)}"

    def as_dict(self) -> dict[str, Any]:
        """JSON form: ``energies``, ``kubo``, ``kubo_error``, ``units``, ``inputs``."""
        return {"energies": round_energies(self.energies), "kubo": self.kubo.tolist(),
                **self._errors_as_dict(), "units": {"energies": "eV", "kubo": "S/m",
                                                    "kubo_error": "S/m"},
                "inputs": self.inputs}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConductivityResult:
        """Inverse of :meth:`as_dict`."""
        if not {"energies", "kubo"} <= set(data):
            raise invalid("result", sorted(data), "the keys energies, kubo")
        return cls(np.asarray(data["energies"], float), np.asarray(data["kubo"], float),
                   optional_array(data.get("kubo_error")), dict(data.get("inputs", {})))

    def save(self, path: str | Path) -> None:
        """Write the result as JSON."""
        Path(path).write_text(json.dumps(self.as_dict(), allow_nan=True))


@dataclass(frozen=True, eq=False)
class DosResult(KSamplingErrors):
    """Broadened density of states vs energy.

    Attributes
    ----------
    energies : (n_E,) ndarray
        eV.
    dos : (n_E,) ndarray
        States per eV per cell, both spins.
    dos_error : (n_E,) ndarray or None
        Estimated k-sampling error of ``dos``, states/eV/cell.
    inputs : dict
    """

    error_fields: ClassVar[tuple[str, ...]] = ("dos",)

    energies: np.ndarray
    dos: np.ndarray
    dos_error: np.ndarray | None = None
    inputs: dict[str, Any] = field(default_factory=dict)

    def error_scale(self, name: str) -> np.ndarray:
        """|DOS| at each energy, at least 10⁻³ of its largest value (states/eV/cell)."""
        return dos_scale(self.dos)

    def component_label(self, name: str, index: tuple[int, ...]) -> str:
        return f"dos {_energy_label(self.energies, index[0])}"

    def as_dict(self) -> dict[str, Any]:
        """JSON form: ``energies``, ``dos``, ``dos_error``, ``units``, ``inputs``."""
        return {"energies": round_energies(self.energies), "dos": self.dos.tolist(),
                **self._errors_as_dict(),
                "units": {"energies": "eV", "dos": "states/eV/cell (both spins)",
                          "dos_error": "states/eV/cell"}, "inputs": self.inputs}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DosResult:
        """Inverse of :meth:`as_dict`."""
        if not {"energies", "dos"} <= set(data):
            raise invalid("result", sorted(data), "the keys energies, dos")
        return cls(np.asarray(data["energies"], float), np.asarray(data["dos"], float),
                   optional_array(data.get("dos_error")), dict(data.get("inputs", {})))

    def save(self, path: str | Path) -> None:
        """Write the result as JSON."""
        Path(path).write_text(json.dumps(self.as_dict(), allow_nan=True))


def dos_scale(dos: np.ndarray) -> np.ndarray:
    """|DOS| per energy with a floor of 10⁻³ of its largest value."""
    dos = np.abs(np.asarray(dos, dtype=float))
    return np.maximum(dos, 1e-3 * dos.max(initial=0.0))
