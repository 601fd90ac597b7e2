"""The one validator of Slater-Koster parameter sets.

Every :class:`~orbdiff.hamiltonian.ParameterSet` passes these checks when it is
created, whether it is built in Python or loaded from a ``materials_db`` file (the
file's JSON Schema only checks its format: provenance, units, field names). Each
check raises :class:`~orbdiff.errors.InputError` with ``<field>: got X; expected Y``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from ..basis.orbitals import SHELL_ORBITALS
from ..errors import invalid
from .slater_koster import INTEGRAL_NAMES, required_integrals

__all__ = [
    "check_cell",
    "check_distances",
    "check_levels",
    "check_number",
    "check_orbital_levels",
    "check_position",
    "check_shell_integrals",
    "check_text",
    "check_unit_vector",
]

#: Allowed deviation of |m| from 1 for a magnetization direction.
UNIT_TOLERANCE = 1e-6


def check_number(field: str, value: Any, unit: str = "", *, minimum: float | None = None,
                 positive: bool = False, maximum: float | None = None) -> float:
    """A finite real number (never a bool or a string) within the given bounds."""
    is_number = isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_)
    bounds = [f"> {minimum}" if positive else f"≥ {minimum}"] if minimum is not None else []
    bounds += [f"≤ {maximum}"] if maximum is not None else []
    expected = "a finite number" + (" " + " and ".join(bounds) if bounds else "") + (
        f" ({unit})" if unit else "")
    if not is_number or not math.isfinite(float(value)):
        raise invalid(field, value, expected)
    number = float(value)
    too_low = minimum is not None and (number <= minimum if positive else number < minimum)
    if too_low or (maximum is not None and number > maximum):
        raise invalid(field, value, expected)
    return number


def check_text(field: str, value: Any) -> str:
    """A non-empty string."""
    if not isinstance(value, str) or not value.strip():
        raise invalid(field, value, "a non-empty string")
    return value


def check_levels(field: str, levels: Any) -> dict[str, float]:
    """On-site levels: a mapping of level name to a finite energy (eV)."""
    if not isinstance(levels, Mapping) or not levels:
        raise invalid(field, levels, "a mapping of level name to energy (eV)")
    return {check_text(field, name): check_number(f"{field}.{name}", value, "eV")
            for name, value in levels.items()}


def check_orbital_levels(field: str, orbital_levels: Any, shells: Iterable[str],
                         levels: Mapping[str, float], levels_field: str) -> dict[str, str]:
    """Every orbital of ``shells`` takes one of ``levels`` (named ``levels_field``)."""
    if not isinstance(orbital_levels, Mapping):
        raise invalid(field, orbital_levels, "a mapping of orbital name to level name")
    orbitals = [name for shell in shells for name in SHELL_ORBITALS[shell]]
    for orbital in orbitals:
        if orbital not in orbital_levels:
            raise invalid(f"{field}.{orbital}", "missing", f"one of the levels {sorted(levels)}")
        if orbital_levels[orbital] not in levels:
            raise invalid(f"{levels_field}.{orbital_levels[orbital]}", "missing",
                          f"a finite number (eV), the level of {orbital}")
    extra = sorted(set(orbital_levels) - set(orbitals))
    if extra:
        raise invalid(field, extra, f"only the orbitals {', '.join(orbitals)}")
    return {orbital: orbital_levels[orbital] for orbital in orbitals}


def check_shell_integrals(field: str, integrals: Any, shells_a: str,
                          shells_b: str) -> dict[str, float]:
    """The integrals of one ordered species pair in one shell: all those the pair uses."""
    if not isinstance(integrals, Mapping):
        raise invalid(field, integrals, "a mapping of integral name to energy (eV)")
    unknown = sorted(set(integrals) - set(INTEGRAL_NAMES))
    if unknown:
        raise invalid(field, unknown, f"names among {', '.join(INTEGRAL_NAMES)}")
    for name in required_integrals(shells_a, shells_b):
        if name not in integrals:
            raise invalid(f"{field}.{name}", "missing", "a finite number (eV); every integral "
                          "of the orbitals on both atoms is needed (write 0 for a zero one)")
    return {name: check_number(f"{field}.{name}", value, "eV")
            for name, value in integrals.items()}


def check_cell(field: str, cell: Any) -> np.ndarray:
    """Three non-coplanar lattice vectors (rows), in units of the lattice constant."""
    try:
        array = np.array(cell, dtype=float)
    except (TypeError, ValueError):
        raise invalid(field, cell, "a 3 × 3 list of numbers (lattice vectors / a)") from None
    if array.shape != (3, 3) or not np.all(np.isfinite(array)) or abs(
            np.linalg.det(array)) < 1e-8:
        raise invalid(field, cell, "three finite, non-coplanar lattice vectors (units of a)")
    array.setflags(write=False)
    return array


def check_position(field: str, position: Any) -> tuple[float, float, float]:
    """A fractional position: three finite numbers."""
    if not isinstance(position, Sequence | np.ndarray) or len(position) != 3:
        raise invalid(field, position, "three fractional coordinates")
    x, y, z = (check_number(f"{field}[{i}]", v) for i, v in enumerate(position))
    return x, y, z


def check_distances(field: str, distances: Any, n_shells: int) -> tuple[tuple[float, ...], ...]:
    """Bond lengths (units of a) of each shell: one non-empty list per shell."""
    if not isinstance(distances, Sequence) or len(distances) != n_shells:
        raise invalid(field, distances, f"one list of bond lengths (units of a) for each of "
                      f"the {n_shells} shells")
    checked = []
    for index, group in enumerate(distances):
        if not isinstance(group, Sequence) or not group:
            raise invalid(f"{field}[{index}]", group, "a non-empty list of bond lengths / a")
        checked.append(tuple(check_number(f"{field}[{index}][{k}]", d, "units of a",
                                          minimum=0, positive=True)
                             for k, d in enumerate(group)))
    return tuple(checked)


def check_unit_vector(field: str, vector: Any) -> np.ndarray:
    """A direction: three finite numbers of unit length (within 10⁻⁶), as a float array."""
    try:
        array = np.array(vector, dtype=float)
    except (TypeError, ValueError):
        raise invalid(field, vector, "a unit vector of three numbers, e.g. (0, 0, 1)") from None
    if array.shape != (3,) or not np.all(np.isfinite(array)) or isinstance(vector, str):
        raise invalid(field, vector, "a unit vector of three finite numbers, e.g. (0, 0, 1)")
    norm = float(np.linalg.norm(array))
    if abs(norm - 1) > UNIT_TOLERANCE:
        raise invalid(field, vector, f"a unit vector (|m| = {norm:.6g}, not 1)")
    array.setflags(write=False)
    return array
