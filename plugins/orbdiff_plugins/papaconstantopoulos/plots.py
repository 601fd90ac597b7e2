"""Band-structure and DOS figures."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def plot_bands(path, results, filename, title, absolute=False):
    """Bands with SOC (solid) and without (dashed) along ``path``."""
    fig, ax = plt.subplots(figsize=(6, 5), constrained_layout=True)
    for label, style, color in (("no_soc", "--", "0.5"), ("soc", "-", "darkred")):
        ax.plot(path.distance, results[label]["bands"], style, color=color, lw=1)
    ax.plot([], [], "--", color="0.5", label="without SOC")
    ax.plot([], [], "-", color="darkred", label="with SOC")
    for x, _ in path.labels:
        ax.axvline(x, color="0.8", lw=0.5)
    ax.set_xticks([x for x, _ in path.labels], [name for _, name in path.labels])
    if not absolute:
        ax.axhline(0, color="k", lw=0.5)
    ax.set(xlim=(path.distance[0], path.distance[-1]), title=title,
           ylabel="E (eV)" if absolute else "E − E_F (eV)")
    ax.legend(loc="lower right", fontsize=8)
    fig.savefig(filename, dpi=120)
    plt.close(fig)


def plot_dos(energies, total, projected, filename, title, absolute=False):
    """Total DOS and its s, p, d projections."""
    fig, ax = plt.subplots(figsize=(6, 4), constrained_layout=True)
    ax.plot(energies, total, "k", label="total")
    for name, values in projected.items():
        ax.plot(energies, values, label=name)
    if not absolute:
        ax.axvline(0, color="0.6", lw=0.5)
    ax.set(xlabel="E (eV)" if absolute else "E − E_F (eV)", ylabel="DOS (states/eV/cell)",
           title=title)
    ax.legend(fontsize=8)
    fig.savefig(filename, dpi=120)
    plt.close(fig)
