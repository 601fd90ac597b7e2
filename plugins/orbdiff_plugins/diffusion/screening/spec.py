"""Screening campaigns described in a TOML spec file."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

from orbdiff.errors import InputError

__all__ = ["SPEC_KEYS", "read_spec"]

#: Accepted keys of the ``[screen]`` table and what each holds.
SPEC_KEYS = {
    "materials": "list of parameter-set names, e.g. [\"V\", \"Ta\"]",
    "soc_scale": "list of numbers ≥ 0, or a range string \"0:1:11\"",
    "gamma": "list of numbers > 0 (eV)",
    "grid": "integer ≥ 2",
    "shells": "integer ≥ 1 (default: all shells of each set)",
    "energies": "list of energies relative to E_F (eV), default [0.0]",
    "db": "database file or ase.db URL",
    "converge": "relative tolerance in (0, 1): grow each case's grid until converged",
}


def read_spec(path: str | Path) -> dict[str, Any]:
    """Read and check ``[screen]`` of a TOML file; errors name the file and the key."""
    path = Path(path)
    if path.suffix.lower() != ".toml":
        raise InputError(f"{path}: spec files are TOML (.toml); got {path.suffix or 'no suffix'}")
    try:
        data = tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise InputError(f"{path}: no such spec file") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from None
    if set(data) != {"screen"}:
        raise InputError(f"{path}: expected exactly one table [screen]; found "
                         f"{sorted(data) or 'none'}")
    spec = data["screen"]
    for key in spec:
        if key not in SPEC_KEYS:
            raise InputError(f"{path}: unknown key {key!r}; accepted: {', '.join(SPEC_KEYS)}")
    for key in ("materials", "soc_scale", "gamma", "grid"):
        if key not in spec:
            raise InputError(f"{path}: missing key {key!r} ({SPEC_KEYS[key]})")
    _check(path, spec)
    return spec


def _check(path: Path, spec: dict[str, Any]) -> None:
    def fail(key: str) -> InputError:
        return InputError(f"{path}: key {key!r} = {spec[key]!r}; expected {SPEC_KEYS[key]}")

    if not (isinstance(spec["materials"], list) and spec["materials"]
            and all(isinstance(m, str) for m in spec["materials"])):
        raise fail("materials")
    if not (isinstance(spec["soc_scale"], str) or _numbers(spec["soc_scale"], 0, False)):
        raise fail("soc_scale")
    if not _numbers(spec["gamma"], 0, True):
        raise fail("gamma")
    if not (isinstance(spec["grid"], int) and spec["grid"] >= 2):
        raise fail("grid")
    if "shells" in spec and not (isinstance(spec["shells"], int) and spec["shells"] >= 1):
        raise fail("shells")
    if "energies" in spec and not _numbers(spec["energies"], None, False):
        raise fail("energies")
    if "db" in spec and not isinstance(spec["db"], str):
        raise fail("db")
    if "converge" in spec and not (_numbers([spec["converge"]], 0, True)
                                   and spec["converge"] < 1):
        raise fail("converge")


def _numbers(values: Any, minimum: float | None, strict: bool) -> bool:
    if not isinstance(values, list) or not values:
        return False
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        if not math.isfinite(value):
            return False
        if minimum is not None and (value <= minimum if strict else value < minimum):
            return False
    return True
