"""Magnetization-rotation sweeps: the full tensor versus exchange J and the angle of m."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from orbdiff.api import compute
from orbdiff.cliutils import ProgressReport
from orbdiff.errors import InputError, invalid
from orbdiff.hamiltonian import TightBindingModel, model_fingerprint
from orbdiff.observables.labels import component_index
from orbdiff.plugin import Registry
from orbdiff.store import ResultsStore
from orbdiff.validation import ENERGY_LIMIT, check_number

from .exchange import magnetization, with_exchange

__all__ = ["PrecessionResult", "model_version", "precession_sweep"]

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
    computed, reused : int
        Cases computed by this call, and cases taken from the store.
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
    computed: int = 0
    reused: int = 0

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


#: Shape of each stored array of one case (one energy).
_SHAPES = {"charge": (3, 3), "tensor": (18, 18), "kubo": (3, 3), "dos": ()}


def model_version(model: TightBindingModel) -> str:
    """A short hash of what the model computes (:func:`orbdiff.hamiltonian.model_fingerprint`)."""
    return model_fingerprint(model)


def _identity(case: dict[str, Any]) -> str:
    text = json.dumps(case, sort_keys=True)
    return "precession-" + hashlib.sha256(text.encode()).hexdigest()[:32]


def _open(store: str | Path | ResultsStore | None) -> ResultsStore | None:
    if store is None or isinstance(store, ResultsStore):
        return store
    return ResultsStore(store, option="--store")


def _stored(store: ResultsStore | None, identity: str) -> dict[str, np.ndarray] | None:
    """The arrays of a stored case, checked; None if it is not stored (or failed)."""
    if store is None:
        return None
    rows = store.select(identity=identity, status="ok")
    if not rows:
        return None
    row = rows[0]
    arrays = {}
    for name, shape in _SHAPES.items():
        value = np.asarray(row.data.get(name, np.nan), dtype=float)
        if value.shape != shape or not np.all(np.isfinite(value)):
            raise InputError(f"--store: row {row.id} of {store.address!r} ({identity}) has "
                             f"{name} of shape {value.shape}, finite={np.all(np.isfinite(value))};"
                             f" expected finite numbers of shape {shape}; delete that row")
        arrays[name] = value
    return arrays


def precession_sweep(
    model: TightBindingModel,
    exchanges: Sequence[float],
    angles: Sequence[float],
    *,
    phi: float = 0.0,
    energy: float,
    grid: int,
    gamma: float,
    store: str | Path | ResultsStore | None = None,
    registry: Registry | None = None,
    progress: bool | None = None,
) -> PrecessionResult:
    """Rotate m = (sinθ cosφ, sinθ sinφ, cosθ) and compute the tensor for every (J, θ).

    Parameters
    ----------
    model : TightBindingModel
        The non-magnetic model (SOC included if wanted).
    exchanges : sequence of float
        J values in eV, |J| ≤ 1000 eV.
    angles : sequence of float
        θ values in degrees (0 = +z, 180 = −z), |θ| ≤ 360.
    phi : float
        Azimuth of the rotation plane in degrees (0: the x–z plane), |φ| ≤ 360.
    energy, grid, gamma
        Transport energy (eV), k-grid size and broadening Γ (eV).
    store : path or orbdiff.store.ResultsStore, optional
        ase.db results store: every finished case is written at once (one
        transaction), and cases already there with the same identity (model numbers,
        parameters, Γ, grid, energy, J, θ, φ, code version) are reused.
    progress : bool, optional
        False: silent; default: a bar on a terminal, plain lines on stderr otherwise.

    Returns
    -------
    PrecessionResult
        With ``computed`` and ``reused`` case counts.
    """
    exchanges, angles, phi = _checked_sweep(exchanges, angles, phi)
    registry = registry or Registry()
    store = _open(store)
    signature = {"model": model.name, "parameters": _plain(model.parameters), "gamma": gamma,
                 "grid": grid, "energy": energy}
    identity = {"kind": "precession", **signature, "model_version": model_version(model),
                "code_version": code_version(), "phi": phi}
    results, computed = {}, 0
    cases = [(j, t) for j in exchanges for t in angles]
    report = ProgressReport(len(cases), "magnetization", progress)
    for j, theta in cases:
        key = _identity({**identity, "j": j, "theta": theta})
        found = _stored(store, key)
        if found is None:
            found = _compute_case(model, j, theta, phi, signature, registry)
            computed += 1
            if store is not None:
                store.store(key, {**_pairs(identity), "exchange": j, "theta": theta,
                                  "status": "ok"}, found)
        results[j, theta] = found
        report.update(computed=computed, reused=len(results) - computed)
    report.close()
    stacked = {name: np.array([[results[j, t][name] for t in angles] for j in exchanges])
               for name in _ARRAYS}
    return PrecessionResult(np.array(exchanges), np.array(angles), float(phi), float(energy),
                            **stacked, inputs=signature, computed=computed,
                            reused=len(cases) - computed)


def _checked_sweep(exchanges, angles, phi) -> tuple[list[float], list[float], float]:
    exchanges = [check_number("exchange", j, minimum=-ENERGY_LIMIT, maximum=ENERGY_LIMIT,
                              unit="eV") for j in exchanges]
    angles = [check_number("theta", t, minimum=-360, maximum=360, unit="degree")
              for t in angles]
    if not exchanges or not angles:
        raise invalid("sweep", (exchanges, angles), "at least one exchange and one angle")
    return exchanges, angles, check_number("phi", phi, minimum=-360, maximum=360,
                                           unit="degree")


def _compute_case(model, j, theta, phi, signature, registry) -> dict[str, np.ndarray]:
    magnet = with_exchange(model, j, magnetization(theta=theta, phi=phi))
    result = compute("diffusivity", magnet, grid=signature["grid"],
                     energies=[signature["energy"]], gamma=signature["gamma"],
                     registry=registry)
    return {name: np.asarray(getattr(result, name)[0]) for name in _ARRAYS}


def _pairs(identity: dict[str, Any]) -> dict[str, Any]:
    """Inputs as ase.db key-value pairs (numbers and strings only)."""
    return {"kind": "precession", "model": identity["model"],
            "model_parameters": json.dumps(identity["parameters"], sort_keys=True),
            "model_version": identity["model_version"],
            "code_version": identity["code_version"], "gamma": float(identity["gamma"]),
            "grid": int(identity["grid"]), "transport_energy": float(identity["energy"]),
            "phi": identity["phi"]}


def code_version() -> str:
    """The installed orbdiff version (part of every stored case's identity)."""
    try:
        return version("orbdiff")
    except PackageNotFoundError:
        return "unknown"


def _plain(parameters) -> dict:
    return {k: v for k, v in parameters.items()
            if v is None or isinstance(v, str | int | float | bool | list | dict)}
