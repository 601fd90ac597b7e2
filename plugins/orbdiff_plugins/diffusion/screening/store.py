"""Screening results in an ase.db database (SQLite file or PostgreSQL URL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ase.db

from orbdiff.api import load_parameter_set
from orbdiff.errors import InputError
from orbdiff.plugin import Registry

from .cases import ScreeningCase

__all__ = ["DEFAULT_DATABASE", "ResultsStore"]

DEFAULT_DATABASE = "orbdiff-results.db"


class ResultsStore:
    """One row per case: inputs and scalar results as key-value pairs, arrays as data.

    Parameters
    ----------
    address : str or Path
        A file name (SQLite, the default ``orbdiff-results.db``) or any ase.db URL such
        as ``postgresql://user:pw@host/db``.
    """

    def __init__(self, address: str | Path = DEFAULT_DATABASE) -> None:
        self.address = str(address)
        if "://" not in self.address and not Path(self.address).resolve().parent.is_dir():
            raise InputError(f"--db: cannot create {self.address!r}: its folder does not exist")
        try:
            self.db = ase.db.connect(self.address)
            self.db.count()  # ase.db connects lazily: touch it now
        except Exception as exc:
            raise InputError(f"--db: cannot open {self.address!r}: {exc}") from exc

    def identities(self, status: str = "ok") -> set[str]:
        """Identities of the stored cases with ``status`` (``ok`` or ``failed``)."""
        return {row.identity for row in self.select(f"status={status}") if "identity" in row}

    def write(self, case: ScreeningCase, outcome: dict[str, Any] | None, error: str = "",
              registry: Registry | None = None) -> int:
        """Store a finished case; ``outcome`` None means it failed with ``error``."""
        self.delete_identity(case.identity)  # a failed attempt is replaced by the new one
        atoms = _prototype(case.material, registry)
        pairs = case.key_value_pairs()
        if outcome is None:
            pairs |= {"status": "failed", "error": error[:500] or "unknown error"}
            return self.db.write(atoms, key_value_pairs=pairs)
        pairs |= {"status": "ok", **outcome["scalars"]}
        return self.db.write(atoms, key_value_pairs=pairs, data=outcome["arrays"])

    def delete_identity(self, identity: str) -> None:
        """Remove the row of one case (it will be recomputed by the next run)."""
        self.db.delete([row.id for row in self.db.select(identity=identity)])

    def select(self, query: str = "") -> list:
        """Rows matching an ase.db query such as ``"P_s>0.5,material=Ta"``."""
        try:
            return list(self.db.select(query or None))
        except Exception as exc:
            raise InputError(
                f"query {query!r} is not valid: {exc}; expected ase.db syntax, e.g. "
                "'P_s>0.5' or 'material=Ta,status=ok'"
            ) from exc


def _prototype(material: str, registry: Registry | None):
    try:
        return load_parameter_set(material, registry=registry or Registry()).prototype().to_ase()
    except Exception:  # an unknown material still gets a row (without atoms) for its failure
        return None
