"""Magnetization-rotation sweeps: the full tensor versus exchange J and the angle of m."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from orbdiff.api import compute
from orbdiff.errors import InputError, invalid
from orbdiff.hamiltonian import TightBindingModel, model_fingerprint
from orbdiff.observables import magnetic_moments
from orbdiff.observables.labels import component_index
from orbdiff.observables.moments import DEFAULT_SMEARING
from orbdiff.plugin import Registry
from orbdiff.progress import Progress
from orbdiff.store import ResultsStore
from orbdiff.validation import ENERGY_LIMIT, check_number

from .exchange import magnetization, with_exchange
from .solve import exchange_for_moment

__all__ = ["PrecessionResult", "model_version", "precession_sweep"]

_ARRAYS = ("charge", "tensor", "kubo", "dos")


@dataclass(frozen=True, eq=False)
class PrecessionResult:
    """Diffusivity tensors at one energy for every exchange J and magnetization angle θ.

    Attributes
    ----------
    exchange : (n_J,) ndarray
        J in eV (the extra exchange ``J σ·m``; 0 for a spin-polarized set alone).
    angles : (n_θ,) ndarray
        Polar angle θ of m from +z, in degrees, at azimuth ``phi`` (degrees).
    energy : float
        Transport energy in eV: absolute for a model without an electron count,
        else relative to each case's Fermi level.
    charge, kubo : (n_J, n_θ, 3, 3) ndarray
        S/m.
    tensor : (n_J, n_θ, 18, 18) ndarray
        S/m, layout of :class:`~orbdiff_plugins.diffusion.DiffusivityResult`.
    dos : (n_J, n_θ) ndarray
        states/eV/cell.
    moment, orbital_moment : (n_J, n_θ) ndarray
        Spin and orbital moment along m, μ_B per atom
        (:mod:`orbdiff.observables.moments`).
    fermi_level : (n_J, n_θ) ndarray
        Absolute Fermi level of each magnetic model, eV.
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
    moment: np.ndarray
    orbital_moment: np.ndarray
    fermi_level: np.ndarray
    inputs: dict[str, Any] = field(default_factory=dict)
    computed: int = 0
    reused: int = 0

    def D(self, upper: str, lower: str) -> np.ndarray:
        """``D^{upper}_{lower}`` as an (n_J, n_θ) array, e.g. ``D("sx x", "sx x")``."""
        return self.tensor[:, :, component_index(lower), component_index(upper)]

    def as_dict(self) -> dict[str, Any]:
        """JSON contract: the diffusivity keys, ``exchange``, ``angles`` and the moments.

        Every (J, θ) case has ``tensor``, ``charge``, ``moment``, ``orbital_moment`` and
        ``fermi_level`` at index ``[n_J][n_θ]``; ``exchange[n_J]`` is its J.
        """
        data = {name: getattr(self, name).tolist() for name in _ARRAYS + _SCALARS}
        return {"energies": [self.energy], "exchange": self.exchange.tolist(),
                "angles": {"theta": self.angles.tolist(), "phi": self.phi, "unit": "degree"},
                **data, "units": {"energies": "eV", "exchange": "eV", "charge": "S/m",
                                  "tensor": "S/m", "kubo": "S/m", "dos": "states/eV/cell",
                                  "moment": "mu_B/atom", "orbital_moment": "mu_B/atom",
                                  "fermi_level": "eV"},
                "inputs": self.inputs}


#: Shape of each stored array of one case (one energy).
_SHAPES = {"charge": (3, 3), "tensor": (18, 18), "kubo": (3, 3), "dos": (), "moment": (),
           "orbital_moment": (), "fermi_level": ()}
_SCALARS = ("moment", "orbital_moment", "fermi_level")


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
    model: TightBindingModel | Callable[[np.ndarray], TightBindingModel],
    exchanges: Sequence[float] | None,
    angles: Sequence[float],
    *,
    phi: float = 0.0,
    energy: float,
    grid: int,
    gamma: float,
    store: str | Path | ResultsStore | None = None,
    registry: Registry | None = None,
    progress: bool | None = None,
    exchange_shells: str = "all",
    electrons: float | None = None,
    fermi_level: float | None = None,
    moment: float | None = None,
    smearing: float = DEFAULT_SMEARING,
    material: str | None = None,
) -> PrecessionResult:
    """Rotate m = (sinθ cosφ, sinθ sinφ, cosθ) and compute the tensor for every (J, θ).

    Parameters
    ----------
    model : TightBindingModel or callable
        The non-magnetic model (SOC included if wanted), or ``m -> model`` for a
        spin-polarized set whose own magnetization is rotated to m.
    exchanges : sequence of float or None
        J values in eV, |J| ≤ 1000 eV, of the extra exchange ``J σ·m``; None with
        ``moment``.
    angles : sequence of float
        θ values in degrees (0 = +z, 180 = −z), |θ| ≤ 360.
    phi : float
        Azimuth of the rotation plane in degrees (0: the x–z plane), |φ| ≤ 360.
    energy, grid, gamma
        Transport energy (eV), k-grid size and broadening Γ (eV). With ``electrons``
        or ``fermi_level`` the energy is relative to the Fermi level, else absolute.
    exchange_shells : {"all", "d"}
        Orbitals with exchange.
    electrons : float, optional
        Electrons per cell: the Fermi level of every magnetic model (each J and m) is
        found from this count on the same grid (Fermi–Dirac width ``smearing``, eV).
    fermi_level : float, optional
        Or a fixed Fermi level (eV). Without either, moments count the states below
        the absolute transport energy, which is then reported as the Fermi level.
    moment : float, optional
        Target spin moment (μ_B per atom, needs ``electrons``): J is solved once, at the
        first angle of the sweep, and kept for the other angles (J is a parameter of
        the model; the moment then varies weakly with m through SOC, and is reported).
    store : path or orbdiff.store.ResultsStore, optional
        ase.db results store: every finished case is written at once (one
        transaction), and cases already there with the same identity (numbers of the
        magnetic model, Γ, grid, energy, Fermi-level rule, J, θ, φ, code version) are
        reused.
    material : str, optional
        Parameter-set name, stored as the ``material`` key of each row.
    progress : bool, optional
        False: silent; default: a bar on a terminal, plain lines on stderr otherwise.

    Returns
    -------
    PrecessionResult
        With ``computed`` and ``reused`` case counts.
    """
    angles, phi = _checked_angles(angles, phi)
    base = model if callable(model) and not isinstance(model, TightBindingModel) \
        else (lambda _m, fixed=model: fixed)
    occupation = _occupation_rule(electrons, fermi_level, moment, exchanges, smearing)
    registry = registry or Registry()
    store = _open(store)
    inputs: dict[str, Any] = {}
    if moment is not None:
        first = magnetization(theta=angles[0], phi=phi)
        solved, _ = exchange_for_moment(base(first), moment, first, electrons=electrons,
                                        grid=grid, shells=exchange_shells, smearing=smearing)
        exchanges = [solved]
        inputs = {"moment_target": float(moment), "exchange_solved_at_theta": angles[0]}
    exchanges = _checked_exchanges(exchanges)
    sample = base(magnetization(theta=angles[0], phi=phi))
    signature = {"model": sample.name, "parameters": _plain(sample.parameters),
                 "gamma": gamma, "grid": grid, "energy": energy,
                 "exchange_shells": exchange_shells, **occupation, **inputs}
    if material is not None:
        signature["material"] = material
    results, computed = {}, 0
    cases = [(j, t) for j in exchanges for t in angles]
    with_exchange(sample, exchanges[0], magnetization(theta=angles[0], phi=phi),
                  exchange_shells)  # a bad shell choice is an error before any progress
    report = Progress(len(cases), "magnetization", progress, interval=5.0)
    for j, theta in cases:
        direction = magnetization(theta=theta, phi=phi)
        magnet = with_exchange(base(direction), j, direction, exchange_shells)
        identity = {"kind": "precession", **signature, "model_version": model_version(magnet),
                    "code_version": code_version(), "phi": phi}
        key = _identity({**identity, "j": j, "theta": theta})
        found = _stored(store, key)
        if found is None:
            found = _compute_case(magnet, direction, signature, registry)
            computed += 1
            if store is not None:
                store.store(key, {**_pairs(identity), **_case_pairs(j, theta, direction, found),
                                  "status": "ok"}, found)
        results[j, theta] = found
        report.update(computed=computed, reused=len(results) - computed)
    report.close()
    stacked = {name: np.array([[results[j, t][name] for t in angles] for j in exchanges])
               for name in _ARRAYS + _SCALARS}
    return PrecessionResult(np.array(exchanges), np.array(angles), float(phi), float(energy),
                            **stacked, inputs=signature, computed=computed,
                            reused=len(cases) - computed)


def _occupation_rule(electrons, fermi_level, moment, exchanges, smearing) -> dict[str, Any]:
    """How each case's Fermi level is set, as identity entries (checked first)."""
    if electrons is not None and fermi_level is not None:
        raise invalid("electrons/fermi_level", (electrons, fermi_level), "at most one of them")
    if (moment is None) == (exchanges is None):
        raise invalid("exchanges/moment", (exchanges, moment),
                      "exactly one of a list of J (eV) or a target moment (μ_B per atom)")
    if moment is not None and electrons is None:
        raise InputError("--moment: needs an electron count (a --material, or --wannier with "
                         "--electrons) to find the Fermi level at each trial J")
    check_number("smearing", smearing, minimum=1e-4, maximum=1.0, unit="eV")
    if electrons is not None:
        return {"electrons": float(electrons), "smearing": float(smearing)}
    if fermi_level is not None:
        return {"fixed_fermi_level": float(fermi_level), "smearing": float(smearing)}
    return {"absolute_energy": True, "smearing": float(smearing)}


def _checked_exchanges(exchanges) -> list[float]:
    exchanges = [check_number("exchange", j, minimum=-ENERGY_LIMIT, maximum=ENERGY_LIMIT,
                              unit="eV") for j in exchanges]
    if not exchanges:
        raise invalid("exchanges", exchanges, "at least one exchange J (eV)")
    return exchanges


def _checked_angles(angles, phi) -> tuple[list[float], float]:
    angles = [check_number("theta", t, minimum=-360, maximum=360, unit="degree")
              for t in angles]
    if not angles:
        raise invalid("angles", angles, "at least one angle θ (degrees)")
    return angles, check_number("phi", phi, minimum=-360, maximum=360, unit="degree")


def _compute_case(magnet, direction, signature, registry) -> dict[str, np.ndarray]:
    """Moments and Fermi level of one magnetic model, then its tensor at E_F + energy."""
    smearing = signature["smearing"]
    if "electrons" in signature:
        found = magnetic_moments(magnet, signature["grid"], direction,
                                 electrons=signature["electrons"], smearing=smearing)
        transport = signature["energy"] + found.fermi_level
    else:
        level = signature.get("fixed_fermi_level", signature["energy"])
        found = magnetic_moments(magnet, signature["grid"], direction, fermi_level=level,
                                 smearing=smearing)
        transport = signature["energy"] + signature.get("fixed_fermi_level", 0.0)
    result = compute("diffusivity", magnet, grid=signature["grid"], energies=[transport],
                     gamma=signature["gamma"], registry=registry, error_estimate=False)
    arrays = {name: np.asarray(getattr(result, name)[0]) for name in _ARRAYS}
    return {**arrays, "moment": np.asarray(found.spin),
            "orbital_moment": np.asarray(found.orbital),
            "fermi_level": np.asarray(found.fermi_level)}


def _case_pairs(j, theta, direction, found) -> dict[str, Any]:
    """The ase.db keys of one case: J, angles, m and the moments (queryable)."""
    return {"exchange": float(j), "J": float(j), "theta": float(theta),
            "m_x": float(direction[0]), "m_y": float(direction[1]), "m_z": float(direction[2]),
            "moment": float(found["moment"]), "orbital_moment": float(found["orbital_moment"]),
            "fermi_level": float(found["fermi_level"])}


def _pairs(identity: dict[str, Any]) -> dict[str, Any]:
    """Inputs as ase.db key-value pairs (numbers and strings only)."""
    extra = {name: identity[name] for name in ("material", "exchange_shells", "electrons",
                                               "moment_target", "smearing")
             if name in identity}
    return {"kind": "precession", "model": identity["model"], **extra,
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
