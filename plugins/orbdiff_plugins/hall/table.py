"""Plain-text table of σ^{s_z}_{xy}, σ^{l_z}_{xy} and σ_xy with their k-sampling errors."""

from __future__ import annotations

import numpy as np

from .result import HallResult

__all__ = ["format_table"]

_COLUMNS = (("SHC sz.xy", "sz"), ("OHC lz.xy", "lz"), ("AHC xy", "charge"))


def _cell(value: float, error: float | None) -> str:
    if error is None or np.isnan(error):
        return f"{value:11.5g} {'':>10}"
    return f"{value:11.5g} ±{error:9.2g}"


def format_table(result: HallResult) -> str:
    """Return the table as text, one row per energy."""
    columns = [(name, result.sigma(op, "x", "y"), result.sigma_error(op, "x", "y"))
               for name, op in _COLUMNS]
    header = f"{'E (eV)':>8} " + " ".join(f"{name:>22}" for name, _, _ in columns)
    rows = [header, "-" * len(header)]
    for e, energy in enumerate(result.energies):
        cells = [_cell(v[e], None if err is None else err[e]) for _, v, err in columns]
        rows.append(f"{energy:8.4f} " + " ".join(f"{c:>22}" for c in cells))
    inputs = ", ".join(f"{k}={v}" for k, v in result.inputs.items() if k != "parameters")
    legend = (f"σ^{{s_z}}_{{xy}} (s = σ/2) and σ^{{l_z}}_{{xy}} in (ħ/e) {result.unit}; "
              f"anomalous σ_xy in {result.unit}; ± k-sampling error (two grids).")
    return "\n".join([f"# {inputs}", *rows, "", legend])
