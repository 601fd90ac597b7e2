"""Load a saved result without knowing which plugin made it.

An observable that returns a result object declares its class as ``result_type``
(a class with ``from_dict``, the inverse of the ``as_dict`` that ``save`` writes).
:func:`load_result` asks the registered observables which result types exist and
hands the file to the one it names (a ``"kind"`` key equal to the observable's
name) or, for files without one, to the first type that accepts its keys. The core
imports no plugin: the result classes are found through the registry.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import InputError, invalid
from .plugin.registry import Registry

__all__ = ["load_result", "result_types"]


def result_types(registry: Registry | None = None) -> dict[str, type]:
    """Result classes of the registered observables, by observable name."""
    registry = registry if registry is not None else Registry()
    types = {}
    for name, record in registry.observables.records.items():
        result_type = getattr(record.factory, "result_type", None)
        if result_type is not None and hasattr(result_type, "from_dict"):
            types[name] = result_type
    return types


def load_result(path: str | Path, *, registry: Registry | None = None) -> Any:
    """Read a result written by its ``save(path)`` method.

    Parameters
    ----------
    path : str or Path
        A JSON file written by, e.g., ``DiffusivityResult.save``.
    registry : Registry, optional
        Where the observables' result types are looked up; all plugins by default.

    Returns
    -------
    object
        The result object, e.g. a ``DiffusivityResult`` (diffusivities in S/m,
        energies in eV).

    Raises
    ------
    InputError
        If the file is missing, is not JSON, or no registered result type reads it.
    """
    data = _read_json(Path(path))
    types = result_types(registry)
    kind = data.get("kind")
    if kind is not None:
        if kind not in types:
            raise invalid(f"{path}: kind", kind, f"one of {', '.join(types) or 'none'}")
        return types[kind].from_dict(data)
    for result_type in types.values():
        try:
            return result_type.from_dict(data)
        except (InputError, KeyError, TypeError, ValueError):
            continue
    saved_by = ", ".join(types) or "no registered observable"
    raise InputError(f"path: got {str(path)!r} with keys {', '.join(sorted(data))}; "
                     f"expected a result saved by one of: {saved_by}")


def _read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise invalid("path", str(path), "an existing result file (JSON)")
    try:
        data = json.loads(path.read_text())
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise invalid("path", str(path), "a JSON file written by a result's save()") from None
    if not isinstance(data, dict):
        raise invalid("path", str(path), "a JSON object written by a result's save()")
    return data
