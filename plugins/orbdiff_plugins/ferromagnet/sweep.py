"""Magnetization-rotation sweeps: the full tensor versus exchange J and the angle of m."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from orbdiff.api import compute
from orbdiff.errors import InputError, invalid
from orbdiff.hamiltonian import TightBindingModel
from orbdiff.observables.labels import component_index
from orbdiff.plugin import Registry

from .exchange import magnetization, with_exchange

__all__ = ["PrecessionResult", "precession_sweep"]

_ARRAYS = ("charge", "tensor", "kubo", "dos")


@dataclass(frozen=True, eq=False)
class PrecessionResult:
    """Diffusivity tensors at one energy for every exchange J and magnetization angle θ.

    Attributes
    ----------
    exchange : (n_J,) ndarray
        J in eV.
    angles : (n_θ,) ndarray
        Polar angle θ of m from +z, in degrees, at azimuth ``phi`` (degrees).
    energy : float
        Transport energy in eV.
    charge, kubo : (n_J, n_θ, 3, 3) ndarray
        S/m.
    tensor : (n_J, n_θ, 18, 18) ndarray
        S/m, layout of :class:`~orbdiff_plugins.diffusion.DiffusivityResult`.
    dos : (n_J, n_θ) ndarray
        states/eV/cell.
    """

    exchange: np.ndarray
    angles: np.ndarray
    phi: float
    energy: float
    charge: np.ndarray
    tensor: np.ndarray
    kubo: np.ndarray
    dos: np.ndarray
    inputs: dict[str, Any] = field(default_factory=dict)

    def D(self, upper: str, lower: str) -> np.ndarray:
        """``D^{upper}_{lower}`` as an (n_J, n_θ) array, e.g. ``D("sx x", "sx x")``."""
        return self.tensor[:, :, component_index(lower), component_index(upper)]

    def as_dict(self) -> dict[str, Any]:
        """JSON contract: the diffusivity keys plus ``exchange`` and ``angles``."""
        data = {name: getattr(self, name).tolist() for name in _ARRAYS}
        return {"energies": [self.energy], "exchange": self.exchange.tolist(),
                "angles": {"theta": self.angles.tolist(), "phi": self.phi, "unit": "degree"},
                **data, "units": {"energies": "eV", "exchange": "eV", "charge": "S/m",
                                  "tensor": "S/m", "kubo": "S/m", "dos": "states/eV/cell"},
                "inputs": self.inputs}


def _case_key(j: float, theta: float, phi: float, signature: dict) -> str:
    return json.dumps({"j": j, "theta": theta, "phi": phi, **signature}, sort_keys=True)


def _read_store(store: Path | None) -> dict[str, dict]:
    if store is None or not store.exists():
        return {}
    done = {}
    for number, line in enumerate(store.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            done[record["key"]] = record["result"]
        except (json.JSONDecodeError, KeyError, TypeError):
            if number == len(store.read_text().splitlines()):
                continue  # a line cut short by an interruption: recompute that case
            raise InputError(f"{store}: line {number} is not a precession record") from None
    return done


def precession_sweep(
    model: TightBindingModel,
    exchanges: Sequence[float],
    angles: Sequence[float],
    *,
    phi: float = 0.0,
    energy: float,
    grid: int,
    gamma: float,
    store: str | Path | None = None,
    registry: Registry | None = None,
    progress: bool | None = None,
) -> PrecessionResult:
    """Rotate m = (sinθ cosφ, sinθ sinφ, cosθ) and compute the tensor for every (J, θ).

    Parameters
    ----------
    model : TightBindingModel
        The non-magnetic model (SOC included if wanted).
    exchanges : sequence of float
        J values in eV.
    angles : sequence of float
        θ values in degrees (0 = +z, 180 = −z).
    phi : float
        Azimuth of the rotation plane in degrees (0: the x–z plane).
    energy, grid, gamma
        Transport energy (eV), k-grid size and broadening Γ (eV).
    store : path, optional
        JSON-lines file: every finished case is appended at once, and cases already
        there (same model, parameters, Γ, grid, energy) are not recomputed.
    """
    exchanges = [float(j) for j in exchanges]
    angles = [float(t) for t in angles]
    if not exchanges or not angles:
        raise invalid("sweep", (exchanges, angles), "at least one exchange and one angle")
    registry = registry or Registry()
    store = Path(store) if store is not None else None
    if store is not None and not store.resolve().parent.is_dir():
        raise invalid("store", str(store), "a file in an existing folder")
    signature = {"model": model.name, "parameters": _plain(model.parameters), "gamma": gamma,
                 "grid": grid, "energy": energy}
    done = _read_store(store)
    results = {}
    cases = [(j, t) for j in exchanges for t in angles]
    from tqdm.auto import tqdm  # here: tqdm.auto imports asyncio, slow at start-up

    for j, theta in tqdm(cases, disable=None if progress is None else not progress,
                         desc="magnetization", unit="case"):
        key = _case_key(j, theta, phi, signature)
        if key not in done:
            magnet = with_exchange(model, j, magnetization(theta=theta, phi=phi))
            result = compute("diffusivity", magnet, grid=grid, energies=[energy], gamma=gamma,
                             registry=registry)
            done[key] = {name: getattr(result, name)[0].tolist() for name in _ARRAYS}
            if store is not None:
                with store.open("a") as handle:
                    handle.write(json.dumps({"key": key, "result": done[key]}) + "\n")
        results[j, theta] = done[key]
    stacked = {name: np.array([[results[j, t][name] for t in angles] for j in exchanges])
               for name in _ARRAYS}
    return PrecessionResult(np.array(exchanges), np.array(angles), float(phi), float(energy),
                            **stacked, inputs=signature)


def _plain(parameters) -> dict:
    return {k: v for k, v in parameters.items()
            if v is None or isinstance(v, str | int | float | bool | list | dict)}
