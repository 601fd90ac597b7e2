"""Screening results in the core results store (ase.db: SQLite file or PostgreSQL URL)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from orbdiff.api import load_parameter_set
from orbdiff.plugin import Registry
from orbdiff.store import ResultsStore as _CoreStore

from .cases import ScreeningCase

__all__ = ["DEFAULT_DATABASE", "ResultsStore"]

DEFAULT_DATABASE = "orbdiff-results.db"


class ResultsStore(_CoreStore):
    """One row per case: inputs and scalar results as key-value pairs, arrays as data.

    Parameters
    ----------
    address : str or Path
        A file name (SQLite, the default ``orbdiff-results.db``) or any ase.db URL such
        as ``postgresql://user:pw@host/db``.
    timeout : float
        Seconds to wait for another process's lock before a clear error.
    """

    def __init__(self, address: str | Path = DEFAULT_DATABASE, *,
                 timeout: float | None = None) -> None:
        options = {} if timeout is None else {"timeout": timeout}
        super().__init__(address, option="--db", **options)

    def write(self, case: ScreeningCase, outcome: dict[str, Any] | None, error: str = "",
              registry: Registry | None = None, traceback: str = "") -> int:
        """Store a finished case in one transaction; ``outcome`` None means it failed."""
        atoms = prototype(case.material, registry) if case.wannier is None else None
        pairs = case.key_value_pairs()
        pairs.pop("identity")
        if outcome is None:
            pairs |= {"status": "failed", "error": error[:500] or "unknown error"}
            if traceback:
                pairs["traceback"] = traceback[-4000:]
            return self.store(case.identity, pairs, atoms=atoms)
        pairs |= {"status": "ok", **outcome["scalars"]}
        with warnings.catch_warnings():  # SHC, OHC read as formulas only in a bare select
            warnings.filterwarnings("ignore", message=r"It is best not to use keys \([SO]HC\)")
            return self.store(case.identity, pairs, outcome["arrays"], atoms=atoms)

    def claim_case(self, case: ScreeningCase, owner: str, **options: Any) -> str:
        """Claim ``case`` before computing it (see :meth:`orbdiff.store.ResultsStore.claim`)."""
        pairs = case.key_value_pairs()
        pairs.pop("identity")
        return self.claim(case.identity, pairs, owner, **options)


def prototype(material: str, registry: Registry | None):
    """The atoms of a parameter set's prototype crystal (None if it cannot be built)."""
    try:
        return load_parameter_set(material, registry=registry or Registry()).prototype().to_ase()
    except Exception:  # an unknown material still gets a row (without atoms) for its failure
        return None
