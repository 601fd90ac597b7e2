"""Plain-text table of the longitudinal diffusivities, polarizations and swapping."""

from __future__ import annotations

import numpy as np

from orbdiff.observables.labels import component_index

from .result import DiffusivityResult

__all__ = ["UNRESOLVED", "format_table"]

#: Components whose estimated error exceeds this fraction of their scale are marked.
UNRESOLVED = 0.05

# (column, tensor component (upper, lower) or None for charge D_xx, or a ratio getter)
_DIFFUSIVITIES = (
    ("D_xx", None),
    ("Dsx.sx", ("sx x", "sx x")),
    ("Dsy.sy", ("sy x", "sy x")),
    ("Dlx.lx", ("lx x", "lx x")),
    ("Dly.ly", ("ly x", "ly x")),
    ("Dlx.sx", ("lx x", "sx x")),
    ("Dsx.lx", ("sx x", "lx x")),
)
_RATIOS = (
    ("P_l", lambda r: r.spin_to_orbit_polarization()[:, 0, 0]),
    ("P_s", lambda r: r.orbit_to_spin_polarization()[:, 0, 0]),
    ("eta_ss", lambda r: r.swapping_efficiencies()["s->s"]),
    ("eta_ll", lambda r: r.swapping_efficiencies()["l->l"]),
    ("eta_sl", lambda r: r.swapping_efficiencies()["s->l"]),
    ("eta_ls", lambda r: r.swapping_efficiencies()["l->s"]),
)

_LEGEND = (
    "Diffusivities D^{current}_{source} with gradient and current along x, in {units};\n"
    "Dlx.sx = D^{l_x x}_{s_x x} (spin source, orbital current). P_l, P_s: spin-to-orbit and "
    "orbit-to-spin polarization (α = i = x);\n"
    "eta_ab = |D^{b_y y}_{a_x x} / D^{a_x x}_{a_x x}|: swapping efficiencies.\n"
    "* : estimated k-sampling error above {percent:g} % of the component's scale (use a larger "
    "--grid or --converge);\n"
    "nan: ratio not resolved (denominator below its error or 1e-3 of its block scale)."
)


def _relative_error(result: DiffusivityResult, component) -> np.ndarray:
    n = len(result.energies)
    if result.tensor_error is None:
        return np.zeros(n)
    if component is None:
        return result.relative_errors()["charge"][:, 0, 0]
    upper, lower = component
    return result.relative_errors()["tensor"][:, component_index(lower), component_index(upper)]


def _columns(result: DiffusivityResult):
    for name, component in _DIFFUSIVITIES:
        values = result.charge[:, 0, 0] if component is None else result.D(*component)
        yield name, values, _relative_error(result, component) > UNRESOLVED
    for name, get in _RATIOS:
        yield name, np.asarray(get(result)), np.zeros(len(result.energies), bool)


def format_table(result: DiffusivityResult) -> str:
    """Return the table as text, one row per energy."""
    columns = list(_columns(result))
    header = f"{'E (eV)':>8} " + " ".join(f"{name:>12}" for name, _, _ in columns)
    rows = [header, "-" * len(header)]
    for e, energy in enumerate(result.energies):
        cells = [f"{values[e]:11.4g}{'*' if marks[e] else ' '}" for _, values, marks in columns]
        rows.append(f"{energy:8.4f} " + " ".join(cells))
    inputs = ", ".join(f"{k}={v}" for k, v in result.inputs.items()
                       if k not in ("parameters", "unconverged"))
    parameters = ", ".join(f"{k}={v}" for k, v in result.inputs.get("parameters", {}).items())
    units = "m²/s" if result.units == "m2/s" else "S/m (conductivity units)"
    legend = _LEGEND.replace("{units}", units).replace("{percent:g}", f"{100 * UNRESOLVED:g}")
    return "\n".join([f"# {inputs}", f"# parameters: {parameters}", *rows, "", legend])
