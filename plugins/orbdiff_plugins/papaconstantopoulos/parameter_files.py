"""Parameter files of ``materials_db/``: find, validate against the schema, load.

A file holds one two-centre Slater-Koster set in the units its source prints (energies in
Ry, spin-orbit constant in eV as the coefficient of L·S), each number with its source;
see ``materials_db/README.md``. :func:`load_parameter_set` converts to orbdiff's units:
energies in eV, ``xi`` as the coefficient of σ·L (half the L·S constant).
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from orbdiff.errors import InputError
from orbdiff.hamiltonian.parameter_set import ParameterSet, Site, Species
from orbdiff.units import RYDBERG

from .schema_messages import dotted, explain, reading_order

__all__ = [
    "ENVIRONMENT_VARIABLE",
    "MATERIALS_DB",
    "SCHEMA_FILE",
    "load_parameter_set",
    "materials_db_path",
    "parameter_files",
    "read_parameter_file",
    "schema_path",
]

#: Environment variable naming a folder of parameter files to use instead of the built-in one.
ENVIRONMENT_VARIABLE = "ORBDIFF_MATERIALS_DB"

#: The folder of parameter files in use, resolved on each access (see :func:`materials_db_path`).
MATERIALS_DB: Path  # provided by the module __getattr__ below, never computed at import

#: Name of the JSON Schema file inside a materials_db folder.
SCHEMA_FILE = "schema.json"




def _default_folders() -> list[Path]:
    """The built-in materials_db: in the source tree, then installed under sys.prefix."""
    return [
        Path(__file__).resolve().parents[3] / "materials_db",
        Path(sys.prefix) / "share" / "orbdiff" / "materials_db",
    ]


def _candidate_folders() -> list[tuple[str, Path]]:
    override = os.environ.get(ENVIRONMENT_VARIABLE)
    if override:
        return [(f"${ENVIRONMENT_VARIABLE}", Path(override).expanduser())]
    return [("built-in", folder) for folder in _default_folders()]


def materials_db_path() -> Path:
    """The folder of parameter files in use.

    ``$ORBDIFF_MATERIALS_DB`` if set, else the repository's ``materials_db/``, else
    ``<sys.prefix>/share/orbdiff/materials_db``. Resolved on every call, never at import.

    Returns
    -------
    pathlib.Path
        An existing folder.

    Raises
    ------
    InputError
        If none of the places exists; the message lists them.
    """
    candidates = _candidate_folders()
    for _, folder in candidates:
        if folder.is_dir():
            return folder
    looked = "; ".join(f"{label} {folder}" for label, folder in candidates)
    raise InputError(
        f"materials_db: no folder of parameter files found (looked in: {looked}); "
        f"expected an existing folder, e.g. set {ENVIRONMENT_VARIABLE} to one"
    )


def __getattr__(name: str) -> Any:
    # MATERIALS_DB is computed on access (PEP 562), so importing never touches the disk.
    if name == "MATERIALS_DB":
        return materials_db_path()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def parameter_files(folder: str | os.PathLike[str] | None = None) -> list[Path]:
    """The parameter files of a folder, sorted by name.

    Parameters
    ----------
    folder : path-like, optional
        Folder to list (default: :func:`materials_db_path`).

    Returns
    -------
    list of pathlib.Path
        Every ``*.json`` file except ``schema.json``.
    """
    root = materials_db_path() if folder is None else Path(folder)
    if not root.is_dir():
        raise InputError(f"materials_db: got {str(root)!r}; expected an existing folder")
    return sorted(p for p in root.glob("*.json") if p.name != SCHEMA_FILE)


def schema_path() -> Path:
    """The JSON Schema of parameter files.

    orbdiff's own schema (source tree, then installed copy) takes precedence, so a folder
    given by ``$ORBDIFF_MATERIALS_DB`` cannot loosen it; that folder's ``schema.json`` is
    used only if orbdiff ships none.
    """
    folders = _default_folders()
    override = os.environ.get(ENVIRONMENT_VARIABLE)
    if override:
        folders.append(Path(override).expanduser())
    for folder in folders:
        if (folder / SCHEMA_FILE).is_file():
            return folder / SCHEMA_FILE
    raise InputError(
        f"materials_db: {SCHEMA_FILE} not found in {', '.join(map(str, folders))}; "
        "expected orbdiff's parameter-file schema"
    )


@functools.cache
def _validator(path: Path):
    """The schema's validator (jsonschema imported here: it costs start-up time)."""
    from jsonschema import Draft202012Validator

    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def read_parameter_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Parse a parameter file and validate it against the schema.

    Parameters
    ----------
    path : path-like
        A JSON parameter file (format: ``materials_db/README.md``).

    Returns
    -------
    dict
        The file's content, unchanged (energies in Ry, spin-orbit constant of L·S in eV).

    Raises
    ------
    InputError
        If the file is missing, is not valid JSON (the message gives the line), has a
        duplicated key or a non-finite number, or breaks the schema. The message names
        the file, the field (e.g. ``shells[1].integrals.pps``) and the expected form.
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{file}: cannot read ({exc.strerror}); expected a readable "
                         "JSON parameter file") from None
    data = _parse(file, text)
    for where, number in _numbers(data, ()):
        if not math.isfinite(number):
            raise InputError(f"{file}: field {dotted(where)}: got {number}; "
                             "expected a finite number")
    validator = _validator(schema_path())
    errors = sorted(validator.iter_errors(data), key=lambda e: reading_order(data, e))
    if errors:
        where, message, expected = explain(errors[0], validator.schema)
        raise InputError(f"{file}: field {where}: {message}; expected {expected}")
    return data


def load_parameter_set(path: str | os.PathLike[str]) -> ParameterSet:
    """Read a parameter file and convert it to orbdiff's units.

    Parameters
    ----------
    path : path-like
        A JSON parameter file.

    Returns
    -------
    ParameterSet
        On-site energies, integrals and Fermi energy in eV (file value × ``RYDBERG``);
        ``xi`` in eV as the coefficient of σ·L, half the file's L·S constant (None if the
        file has none); ``provenance`` maps each field to its source string.

    Raises
    ------
    InputError
        As :func:`read_parameter_file`.
    """
    file = Path(path)
    data = read_parameter_file(file)
    try:
        if data["schema_version"] == 1:
            return _version_1(data, file)
        parameter_set = _version_2(data, file)
    except InputError as exc:
        raise InputError(f"{file}: {exc}") from None
    _check_neighbour_counts(parameter_set, data, file)
    return parameter_set


def _version_1(data: dict[str, Any], file: Path) -> ParameterSet:
    soc = data["spin_orbit"]["value"]
    fermi = data["fermi_energy"]["value"]
    return ParameterSet(
        name=data["name"],
        element=data["element"],
        structure=data["structure"],
        lattice_constant=float(data["lattice_constant"]["value"]),
        valence_electrons=float(data["valence_electrons"]["value"]),
        onsite=_to_ev(data["onsite"]),
        shells=[_to_ev(shell["integrals"]) for shell in data["shells"]],
        xi=None if soc is None else soc / 2,  # L·S constant -> coefficient of σ·L
        fermi_energy=None if fermi is None else fermi * RYDBERG,
        provenance=_provenance(data, file),
    )


def _version_2(data: dict[str, Any], file: Path) -> ParameterSet:
    """A schema-2 set; with ``spin_channels`` its levels and integrals are {up, down}."""
    polarized = "spin_channels" in data
    species = [_species(symbol, entry, polarized) for symbol, entry in data["species"].items()]
    one = len(species) == 1
    fermi = data["fermi_energy"]["value"]

    def shells(spin: str | None) -> list[dict[str, Any]]:
        return [_shell_integrals({pair: values if spin is None else values[spin]
                                  for pair, values in shell["integrals"].items()}, one)
                for shell in data["shells"]]

    return ParameterSet(
        name=data["name"],
        structure=data["structure"],
        lattice_constant=float(data["lattice"]["a"]["value"]),
        shells=shells("up" if polarized else None),
        fermi_energy=None if fermi is None else fermi * RYDBERG,
        provenance=_provenance_2(data, file),
        cell=data["lattice"]["cell"],
        basis=[_site(site) for site in data["basis"]],
        species=species,
        shell_distances=[shell["distances"] for shell in data["shells"]],
        shells_down=shells("down") if polarized else None,
    )


def _species(symbol: str, entry: dict[str, Any], polarized: bool) -> Species:
    soc = entry["spin_orbit"]["value"]
    onsite = entry["onsite"]["up"] if polarized else entry["onsite"]
    return Species(
        symbol=symbol,
        valence_electrons=float(entry["valence_electrons"]["value"]),
        onsite=_to_ev(onsite),
        orbital_levels=entry["orbital_levels"],
        xi=None if soc is None else soc / 2,  # L·S constant -> coefficient of σ·L
        shells=tuple(entry["orbitals"]),
        onsite_down=_to_ev(entry["onsite"]["down"]) if polarized else None,
    )


def _site(entry: dict[str, Any]) -> Site:
    couplings = tuple((c["bra"], c["ket"], c["level"], c["factor"])
                      for c in entry.get("couplings", []))
    return Site(entry["species"], tuple(entry["position"]), couplings)


def _shell_integrals(pairs: dict[str, dict[str, float]], one_species: bool) -> dict[str, Any]:
    """Integrals in eV; a one-species shell is given as plain integrals."""
    converted = {pair: _to_ev(integrals) for pair, integrals in pairs.items()}
    if one_species and len(converted) == 1:
        return next(iter(converted.values()))
    return converted


def _check_neighbour_counts(ps: ParameterSet, data: dict[str, Any], file: Path) -> None:
    counts = ps.bond_counts()
    for index, shell in enumerate(data["shells"]):
        found = sorted({counts.get((atom, index), 0) for atom in range(len(ps.basis))})
        if found != [shell["neighbours"]]:
            raise InputError(
                f"{file}: field shells[{index}].neighbours: got {shell['neighbours']}; expected "
                f"the bonds per atom at shells[{index}].distances in the cell, found {found}")


def _to_ev(energies: dict[str, float]) -> dict[str, float]:
    return {key: value * RYDBERG for key, value in energies.items()}


def _provenance(data: dict[str, Any], file: Path) -> dict[str, str]:
    soc = data["spin_orbit"]
    return {
        "citation": data["citation"],
        "source": data["source"],
        "conventions": data["conventions"],
        "lattice_constant": data["lattice_constant"]["source"],
        "valence_electrons": data["valence_electrons"]["source"],
        "spin_orbit": soc["source"],
        "spin_orbit_convention": f"file: {soc['value']} eV × L·S on {soc['applies_to']}; "
                                 "xi = value / 2 (coefficient of σ·L)",
        "fermi_energy": data["fermi_energy"]["source"],
        "energy_unit": f"file in Ry, converted with 1 Ry = {RYDBERG} eV",
        "file": file.name,
    }


def _provenance_2(data: dict[str, Any], file: Path) -> dict[str, Any]:
    status = data["convention_status"]
    species = {symbol: {"valence_electrons": entry["valence_electrons"]["source"],
                        "spin_orbit": entry["spin_orbit"]["source"]}
               for symbol, entry in data["species"].items()}
    borrowed = {symbol: entry["spin_orbit"]["borrowed_from"]
                for symbol, entry in data["species"].items()
                if "borrowed_from" in entry["spin_orbit"]}
    spin = {"spin_channels": dict(data["spin_channels"])} if "spin_channels" in data else {}
    if borrowed:
        spin["spin_orbit_borrowed_from"] = borrowed
    return {
        "citation": data["citation"],
        "source": data["source"],
        "conventions": data["conventions"],
        "lattice_constant": data["lattice"]["a"]["source"],
        "cell": data["lattice"]["source"],
        "species": species,
        "convention_status": {c["convention"]: f"{c['status']}: {c['basis']}" for c in status},
        "inferred": tuple(c["convention"] for c in status if c["status"] == "inferred"),
        "spin_orbit_convention": "file: value eV × L·S on d; xi = value / 2 (coefficient of σ·L)",
        "fermi_energy": data["fermi_energy"]["source"],
        "energy_unit": f"file in Ry, converted with 1 Ry = {RYDBERG} eV",
        "file": file.name,
        **spin,
    }


class _DuplicateKeyError(Exception):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def _parse(file: Path, text: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        keys = re.findall(r'"([^"\\]+)"\s*:', text[: exc.pos])
        near = f", near field {keys[-1]!r}" if keys else ""
        raise InputError(
            f"{file}: line {exc.lineno}, column {exc.colno}{near}: invalid JSON ({exc.msg}); "
            "expected a JSON object (check commas, quotes and brackets)"
        ) from None
    except _DuplicateKeyError as exc:
        raise InputError(f"{file}: field {exc.args[0]!r} appears twice in one object; "
                         "expected each field once") from None


def _numbers(node: Any, where: tuple) -> Iterator[tuple[tuple, float]]:
    if isinstance(node, float):
        yield where, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _numbers(value, (*where, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _numbers(value, (*where, index))
