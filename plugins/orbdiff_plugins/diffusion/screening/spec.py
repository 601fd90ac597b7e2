"""Screening campaigns described in a TOML spec file."""

from __future__ import annotations

import math
import os
import tomllib
from pathlib import Path
from typing import Any

from orbdiff.errors import InputError

__all__ = ["SPEC_KEYS", "WANNIER_KEYS", "read_spec"]

#: Accepted keys of the ``[screen]`` table and what each holds.
SPEC_KEYS = {
    "materials": "list of parameter-set names, e.g. [\"V\", \"Ta\"]",
    "wannier": "list of [[screen.wannier]] tables, one per Wannier90 model",
    "soc_scale": "list of numbers ≥ 0, or a range string \"0:1:11\" (materials only)",
    "gamma": "list of numbers > 0 (eV)",
    "grid": "integer ≥ 2",
    "shells": "integer ≥ 1 (default: all shells of each set)",
    "energies": "list of energies relative to E_F (eV), default [0.0]",
    "db": "database file or ase.db URL",
    "converge": "relative tolerance in (0, 1): grow each case's grid until converged",
}

#: Accepted keys of a ``[[screen.wannier]]`` table and what each holds.
WANNIER_KEYS = {
    "seedname": "path without extension of NAME.win and NAME_hr.dat (or _tb.dat), "
                "relative to the spec file's folder",
    "spinor_ordering": "\"interleaved\" (default) or \"blocks\"",
    "fermi_energy": "a finite number (eV; 0 for absolute energies)",
    "electrons": "a number > 0 (electrons per cell; E_F from the bands)",
    "xi": "a number ≥ 0 (eV) on every p and d shell, or a table such as {d = 0.13} "
          "(spinless files only)",
    "name": "a non-empty label stored as the row's material (default: the seedname's name)",
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
    if "materials" not in spec and "wannier" not in spec:
        raise InputError(f"{path}: missing key 'materials' or 'wannier' (give at least one: "
                         f"{SPEC_KEYS['materials']}; {SPEC_KEYS['wannier']})")
    required = ("soc_scale", "gamma", "grid") if "materials" in spec else ("gamma", "grid")
    for key in required:
        if key not in spec:
            raise InputError(f"{path}: missing key {key!r} ({SPEC_KEYS[key]})")
    _check(path, spec)
    if "wannier" in spec:
        spec["wannier"] = _wannier_entries(path, spec["wannier"])
    return spec


def _wannier_entries(path: Path, entries: Any) -> list[dict[str, Any]]:
    """Checked ``[[screen.wannier]]`` tables, seednames made absolute, defaults filled."""
    if not (isinstance(entries, list) and entries and all(isinstance(e, dict) for e in entries)):
        raise InputError(f"{path}: key 'wannier' = {entries!r}; expected {SPEC_KEYS['wannier']}")
    checked = [_wannier_entry(path, index, entry) for index, entry in enumerate(entries, 1)]
    names = [entry["name"] for entry in checked]
    for name in names:
        if names.count(name) > 1:
            raise InputError(f"{path}: [[screen.wannier]] name {name!r} given twice; expected "
                             "one name per model (set 'name' to tell them apart)")
    return checked


def _wannier_entry(path: Path, index: int, entry: dict[str, Any]) -> dict[str, Any]:
    where = f"{path}: [[screen.wannier]] table {index}"

    def fail(key: str, detail: str = "") -> InputError:
        return InputError(f"{where}: key {key!r} = {entry[key]!r}; expected "
                          f"{WANNIER_KEYS[key]}{detail}")

    for key in entry:
        if key not in WANNIER_KEYS:
            raise InputError(f"{where}: unknown key {key!r}; accepted: {', '.join(WANNIER_KEYS)}")
    if "seedname" not in entry:
        raise InputError(f"{where}: missing key 'seedname' ({WANNIER_KEYS['seedname']})")
    if not (isinstance(entry["seedname"], str) and entry["seedname"].strip()):
        raise fail("seedname")
    base = Path(os.path.abspath(path.parent / entry["seedname"]))
    hamiltonians = [base.with_name(base.name + s) for s in ("_hr.dat", "_tb.dat")]
    missing = [p.name for p in (base.with_name(base.name + ".win"),) if not p.is_file()]
    if not any(p.is_file() for p in hamiltonians):
        missing.append(f"{base.name}_hr.dat or _tb.dat")
    if missing:
        raise fail("seedname", f"; not found in {base.parent}: {', '.join(missing)}")
    ordering = entry.get("spinor_ordering", "interleaved")
    if ordering not in ("interleaved", "blocks"):
        raise fail("spinor_ordering")
    if ("fermi_energy" in entry) == ("electrons" in entry):
        raise InputError(f"{where}: give exactly one of 'fermi_energy' "
                         f"({WANNIER_KEYS['fermi_energy']}) or 'electrons' "
                         f"({WANNIER_KEYS['electrons']})")
    if "fermi_energy" in entry and not _numbers([entry["fermi_energy"]], None, False):
        raise fail("fermi_energy")
    if "electrons" in entry and not _numbers([entry["electrons"]], 0, True):
        raise fail("electrons")
    xi = entry.get("xi", 0.0)
    if isinstance(xi, dict):
        if not (xi and set(xi) <= {"p", "d"} and _numbers(list(xi.values()), 0, False)):
            raise fail("xi")
    elif not _numbers([xi], 0, False):
        raise fail("xi")
    name = entry.get("name", base.name)
    if not (isinstance(name, str) and name.strip()):
        raise fail("name")
    return {"seedname": str(base), "spinor_ordering": ordering, "name": name,
            "fermi_energy": entry.get("fermi_energy"), "electrons": entry.get("electrons"),
            "xi": xi}


def _check(path: Path, spec: dict[str, Any]) -> None:
    def fail(key: str) -> InputError:
        return InputError(f"{path}: key {key!r} = {spec[key]!r}; expected {SPEC_KEYS[key]}")

    if "materials" in spec and not (isinstance(spec["materials"], list) and spec["materials"]
                                    and all(isinstance(m, str) for m in spec["materials"])):
        raise fail("materials")
    if "soc_scale" in spec and not (isinstance(spec["soc_scale"], str)
                                    or _numbers(spec["soc_scale"], 0, False)):
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
