"""Type and range checks of the Python API: no silent coercion of bad arguments.

Accepted ranges (the command line states the same ones):

- energies, ξ, J: finite, ``|value| ≤ 1000 eV``. Tight-binding bands of the
  handbook sets span about ±20 eV; 1000 eV is 50 times that, and keeps every power of
  ``E − H + iΓ`` in the Green's functions far from floating-point overflow (1e300 gave
  NaN tables).
- Γ: ``1e-6 eV ≤ Γ ≤ 1000 eV`` (Γ⁻⁴ enters the diffusivities; smaller Γ overflows and
  would need astronomically fine grids anyway).
- at most 10 000 energies per call; a chunk size is an integer ≥ 1.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np

from .errors import invalid

__all__ = [
    "ENERGY_LIMIT",
    "GAMMA_RANGE",
    "MAX_ENERGIES",
    "check_compute_arguments",
    "check_count",
    "check_energy_values",
    "check_flag",
    "check_material_arguments",
    "check_number",
]

#: Largest accepted |energy|, |ξ|, |J| in eV.
ENERGY_LIMIT = 1e3
#: Accepted broadening Γ in eV, inclusive.
GAMMA_RANGE = (1e-6, 1e3)
#: Most energies one computation accepts.
MAX_ENERGIES = 100_000


def _is_real(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def check_number(field: str, value: Any, *, minimum: float | None = None,
                 maximum: float | None = None, unit: str = "") -> float:
    """A real number (never a bool or a string), finite and within [minimum, maximum]."""
    bounds = "".join([f" ≥ {minimum:g}" if minimum is not None else "",
                      " and" if minimum is not None and maximum is not None else "",
                      f" ≤ {maximum:g}" if maximum is not None else ""])
    accepted = f"a finite number{bounds}{f' ({unit})' if unit else ''}"
    if not _is_real(value) or not math.isfinite(value):
        raise invalid(field, value, accepted)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise invalid(field, value, accepted)
    return float(value)


def check_flag(field: str, value: Any, *, optional: bool = False) -> bool | None:
    """``True`` or ``False`` (or None if ``optional``); ``"no"`` is not a flag."""
    if value is None and optional:
        return None
    if not isinstance(value, bool | np.bool_):
        raise invalid(field, value, "True or False" + (" (or None)" if optional else ""))
    return bool(value)


def check_count(field: str, value: Any, minimum: int = 1) -> int:
    """An integer (not a bool) ≥ ``minimum``."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral) \
            or value < minimum:
        raise invalid(field, value, f"an integer ≥ {minimum}")
    return int(value)


def check_energy_values(field: str, values: Any) -> None:
    """A non-empty sequence of at most MAX_ENERGIES real numbers with |E| ≤ ENERGY_LIMIT."""
    if isinstance(values, str | bytes) or isinstance(values, bool | np.bool_):
        raise invalid(field, values, "a list of numbers (eV)")
    array = np.asarray(values) if not _is_real(values) else np.asarray([values])
    shown = _summary(array)
    if array.dtype.kind not in "iuf" or array.ndim != 1 or not 1 <= array.size <= MAX_ENERGIES:
        raise invalid(field, shown, f"a list of 1 to {MAX_ENERGIES} numbers (eV)")
    if not np.all(np.isfinite(array)) or np.max(np.abs(array)) > ENERGY_LIMIT:
        raise invalid(field, shown, f"finite energies with |E| ≤ {ENERGY_LIMIT:g} eV")


def _summary(array: np.ndarray) -> object:
    """The values themselves when few, else a one-line description (errors stay one line)."""
    if array.ndim == 1 and array.size <= 6:
        return array.tolist()
    return f"{array.size} values of shape {array.shape}"


def check_compute_arguments(grid: Any, energies: Any, gamma: Any,
                            options: Mapping[str, Any]) -> None:
    """Arguments of :func:`orbdiff.compute`, before any work."""
    grids = grid if isinstance(grid, tuple | list) else (grid,)
    if len(grids) not in (1, 3):
        raise invalid("grid", grid, "an integer ≥ 2 or three of them")
    for size in grids:
        check_count("grid", size, minimum=2)
    check_energy_values("energies", energies)
    check_number("gamma", gamma, minimum=GAMMA_RANGE[0], maximum=GAMMA_RANGE[1], unit="eV")
    if "symmetry" in options:
        check_flag("symmetry", options["symmetry"])
    if "progress" in options:
        check_flag("progress", options["progress"], optional=True)
    if options.get("chunk_size") is not None:
        check_count("chunk_size", options["chunk_size"])
    if "basis" in options:
        check_basis(options["basis"])


#: Where few-energy traces are evaluated: by run size, in the band basis, or in the
#: orbital basis (:mod:`orbdiff.observables.orbital`).
BASES = ("auto", "band", "orbital")


def check_basis(value: Any) -> str:
    """``value`` if it is one of :data:`BASES`, else a one-line :class:`InputError`."""
    if not isinstance(value, str) or value not in BASES:
        raise invalid("basis", value, " or ".join(repr(b) for b in BASES))
    return value


def check_material_arguments(shells: Any, soc_scale: Any, xi: Any, rescale: Any) -> None:
    """Arguments of :func:`orbdiff.load_material`, before any work."""
    if shells is not None:
        check_count("shells", shells)
    check_number("soc_scale", soc_scale, minimum=0.0, maximum=ENERGY_LIMIT)
    if xi is not None:
        check_number("xi", xi, minimum=-ENERGY_LIMIT, maximum=ENERGY_LIMIT, unit="eV")
    check_flag("rescale", rescale)
