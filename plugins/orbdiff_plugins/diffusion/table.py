"""Plain-text table of the longitudinal diffusivities, polarizations and swapping."""

from __future__ import annotations

import numpy as np

from .result import DiffusivityResult

__all__ = ["format_table"]

_COLUMNS = (
    ("D_xx", lambda r: r.charge[:, 0, 0]),
    ("Dsx.sx", lambda r: r.D("sx x", "sx x")),
    ("Dsy.sy", lambda r: r.D("sy x", "sy x")),
    ("Dlx.lx", lambda r: r.D("lx x", "lx x")),
    ("Dly.ly", lambda r: r.D("ly x", "ly x")),
    ("Dlx.sx", lambda r: r.D("lx x", "sx x")),
    ("Dsx.lx", lambda r: r.D("sx x", "lx x")),
    ("P_l", lambda r: r.spin_to_orbit_polarization()[:, 0, 0]),
    ("P_s", lambda r: r.orbit_to_spin_polarization()[:, 0, 0]),
    ("eta_ss", lambda r: r.swapping_efficiencies()["s->s"]),
    ("eta_ll", lambda r: r.swapping_efficiencies()["l->l"]),
    ("eta_sl", lambda r: r.swapping_efficiencies()["s->l"]),
    ("eta_ls", lambda r: r.swapping_efficiencies()["l->s"]),
)

_LEGEND = (
    "Diffusivities D^{current}_{source} with gradient and current along x, in S/m "
    "(conductivity units);\n"
    "Dlx.sx = D^{l_x x}_{s_x x} (spin source, orbital current). P_l, P_s: spin-to-orbit and "
    "orbit-to-spin polarization (α = i = x);\n"
    "eta_ab = |D^{b_y y}_{a_x x} / D^{a_x x}_{a_x x}|: swapping efficiencies."
)


def format_table(result: DiffusivityResult) -> str:
    """Return the table as text, one row per energy."""
    columns = [(name, np.asarray(get(result))) for name, get in _COLUMNS]
    header = f"{'E (eV)':>8} " + " ".join(f"{name:>11}" for name, _ in columns)
    rows = [header, "-" * len(header)]
    for e, energy in enumerate(result.energies):
        rows.append(f"{energy:8.4f} " + " ".join(f"{values[e]:11.4g}" for _, values in columns))
    inputs = ", ".join(f"{k}={v}" for k, v in result.inputs.items() if k != "parameters")
    parameters = ", ".join(f"{k}={v}" for k, v in result.inputs.get("parameters", {}).items())
    return "\n".join([f"# {inputs}", f"# parameters: {parameters}", *rows, "", _LEGEND])
