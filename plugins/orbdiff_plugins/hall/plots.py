"""Matplotlib figure of the spin and orbital Hall conductivities versus energy."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from .result import HallResult

__all__ = ["plot_hall"]


def plot_hall(result: HallResult, path: str | Path, title: str = "") -> None:
    """Save σ^{s_z}_{xy} and σ^{l_z}_{xy} vs energy, with k-sampling error bands."""
    e = result.energies
    fig, ax = plt.subplots(figsize=(6, 4), constrained_layout=True)
    for op, color, label in (("sz", "darkred", r"$\sigma^{s_z}_{xy}$"),
                             ("lz", "darkblue", r"$\sigma^{l_z}_{xy}$")):
        value = result.sigma(op, "x", "y")
        ax.plot(e, value, color=color, label=label, marker="o" if len(e) < 4 else None)
        error = result.sigma_error(op, "x", "y")
        if error is not None:
            ax.fill_between(e, value - error, value + error, color=color, alpha=0.25, lw=0)
    ax.axhline(0, color="0.8", lw=0.5)
    ax.set_xlabel("E − E_F (eV)" if result.fermi_level is not None else "energy (eV)")
    ax.set_ylabel(f"Hall conductivity ((ħ/e) {result.unit})")
    ax.legend()
    if title:
        ax.set_title(title)
    fig.savefig(path, dpi=120)
    plt.close(fig)
