"""Screening of spin-orbit polarization: cases, ase.db store, Dask execution."""

from .cases import ScreeningCase, expand_cases, run_case
from .runner import ScreenSummary, run_screen
from .spec import read_spec
from .store import DEFAULT_DATABASE, ResultsStore

__all__ = [
    "DEFAULT_DATABASE",
    "ResultsStore",
    "ScreenSummary",
    "ScreeningCase",
    "expand_cases",
    "read_spec",
    "run_case",
    "run_screen",
]
