"""Matplotlib figures of diffusivities versus energy."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from .result import DiffusivityResult

__all__ = ["plot_diffusivities"]


def plot_diffusivities(result: DiffusivityResult, path: str | Path, title: str = "") -> None:
    """Save a three-panel figure: charge and spin, orbital, spin↔orbit, vs energy."""
    e = result.energies
    fig, axes = plt.subplots(1, 3, figsize=(13, 4), constrained_layout=True)
    ax = axes[0]
    ax.plot(e, result.charge[:, 0, 0], "k", label=r"$D_{xx}$")
    ax.plot(e, result.D("sx x", "sx x"), color="darkred", label=r"$D^{s_x x}_{s_x x}$")
    ax.plot(e, result.D("sy x", "sy x"), "--", color="salmon", label=r"$D^{s_y x}_{s_y x}$")
    ax.set_title("charge and spin")
    ax = axes[1]
    ax.plot(e, result.D("lx x", "lx x"), color="darkblue", label=r"$D^{l_x x}_{l_x x}$")
    ax.plot(e, result.D("ly x", "ly x"), "--", color="cornflowerblue", label=r"$D^{l_y x}_{l_y x}$")
    ax.set_title("orbital")
    ax = axes[2]
    ax.plot(e, result.D("lx x", "sx x"), color="red", label=r"$D^{l_x x}_{s_x x}$ (s→l)")
    ax.plot(e, result.D("sx x", "lx x"), color="blue", label=r"$D^{s_x x}_{l_x x}$ (l→s)")
    ax.set_title("spin ↔ orbit")
    for ax in axes:
        ax.axhline(0, color="0.8", lw=0.5)
        ax.set_xlabel("energy (eV)")
        ax.set_ylabel("diffusivity (S/m, conductivity units)")
        ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.savefig(path, dpi=120)
    plt.close(fig)
