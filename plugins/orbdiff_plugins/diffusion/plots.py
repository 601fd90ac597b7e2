"""Matplotlib figures of diffusivities versus energy, with k-sampling error bands."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from .result import DiffusivityResult

__all__ = ["plot_diffusivities", "plot_title"]

# (panel, upper, lower, mathtext label, colour, line style); None = charge D_xx
_CURVES = (
    (0, None, None, r"$D_{xx}$", "k", "-"),
    (0, "sx x", "sx x", r"$D^{s_x x}_{s_x x}$", "darkred", "-"),
    (0, "sy x", "sy x", r"$D^{s_y x}_{s_y x}$", "salmon", "--"),
    (1, "lx x", "lx x", r"$D^{l_x x}_{l_x x}$", "darkblue", "-"),
    (1, "ly x", "ly x", r"$D^{l_y x}_{l_y x}$", "cornflowerblue", "--"),
    (2, "lx x", "sx x", r"$D^{l_x x}_{s_x x}$ (s → l)", "red", "-"),
    (2, "sx x", "lx x", r"$D^{s_x x}_{l_x x}$ (l → s)", "blue", "-"),
)
_PANELS = ("charge and spin", "orbital", "spin → orbit, orbit → spin")


def plot_title(result: DiffusivityResult, name: str, gamma: float) -> str:
    """``"Ta: Γ = 0.1 eV, grid 50³, ξ = 0.13 eV"`` from the result's inputs."""
    grid = result.inputs.get("grid", [])
    size = f"{grid[0]}³" if grid and len(set(grid)) == 1 else "×".join(map(str, grid))
    xi = result.inputs.get("parameters", {}).get("xi")
    parts = [f"Γ = {gamma:g} eV", f"grid {size}" if size else None,
             f"ξ = {xi:g} eV" if isinstance(xi, int | float) else None]
    return f"{name}: " + ", ".join(p for p in parts if p)


def _curve(result: DiffusivityResult, upper, lower):
    if upper is None:
        error = None if result.charge_error is None else result.charge_error[:, 0, 0]
        return result.charge[:, 0, 0], error
    return result.D(upper, lower), result.D_error(upper, lower)


def plot_diffusivities(result: DiffusivityResult, path: str | Path, title: str = "") -> None:
    """Save a three-panel figure: charge and spin, orbital, spin↔orbit, vs energy.

    Shaded bands are ± the estimated k-sampling error (when the result carries one).
    """
    e = result.energies
    fig, axes = plt.subplots(1, 3, figsize=(14, 4.4), constrained_layout=True)
    for panel, upper, lower, label, colour, style in _CURVES:
        values, error = _curve(result, upper, lower)
        axes[panel].plot(e, values, style, color=colour, label=label, marker="o" if len(e) < 4
                         else None)
        if error is not None:
            axes[panel].fill_between(e, values - error, values + error, color=colour, alpha=0.2,
                                     linewidth=0)
    xlabel = r"$E - E_F$ (eV)" if result.fermi_level is not None else r"$E$ (eV)"
    ylabel = ("diffusivity (m$^2$/s)" if result.units == "m2/s"
              else r"diffusivity (S/m, conductivity units)")
    for ax, name in zip(axes, _PANELS, strict=True):
        ax.axhline(0, color="0.8", lw=0.5)
        ax.set(xlabel=xlabel, ylabel=ylabel, title=name)
        ax.legend(fontsize=8, loc="best", framealpha=0.8)
    if result.charge_error is not None:
        fig.text(0.005, 0.005, "bands: ± estimated k-sampling error", fontsize=7, color="0.4")
    if title:
        fig.suptitle(title)
    fig.savefig(path, dpi=120)
    plt.close(fig)


