"""Band-structure and DOS figures."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import itertools

import matplotlib.pyplot as plt
import numpy as np

_ENERGY_LABEL = {False: r"$E - E_\mathrm{F}$ (eV)", True: "$E$ (eV)"}


def path_segments(distance: np.ndarray) -> list[slice]:
    """Index ranges of the connected pieces of a k-path.

    A break in the path (``H|P``) repeats the same distance for the last point of one
    piece and the first of the next; lines must not join them.
    """
    breaks = np.flatnonzero(np.diff(distance) <= 1e-12) + 1
    edges = [0, *breaks.tolist(), len(distance)]
    return [slice(a, b) for a, b in itertools.pairwise(edges) if b > a]


def plot_bands(path, results, filename, title, absolute=False, window=(-8.0, 6.0)) -> None:
    """Write :func:`band_figure` to ``filename`` (PNG, PDF, SVG)."""
    fig = band_figure(path, results, title, absolute, window)
    fig.savefig(filename, dpi=120)
    plt.close(fig)


def band_figure(path, results, title, absolute=False, window=(-8.0, 6.0)):
    """Bands with SOC (solid) and without (dashed) along ``path``.

    Parameters
    ----------
    path : KPath
        The k-path (distance in Å⁻¹ and special-point labels).
    results : dict
        ``"soc"`` and ``"no_soc"``, each with ``"bands"``: (n_k, n_bands) energies in eV.
    title : str
        Figure title (material, shells, ξ).
    absolute : bool
        Energies are raw rather than relative to E_F.
    window : (float, float)
        Energy range shown, eV, on the scale of the bands.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = plt.subplots(figsize=(6, 5), constrained_layout=True)
    for label, style, color in (("no_soc", "--", "0.55"), ("soc", "-", "darkred")):
        for piece in path_segments(path.distance):
            ax.plot(path.distance[piece], results[label]["bands"][piece], style, color=color,
                    lw=1)
    ax.plot([], [], "--", color="0.55", label="without SOC")
    ax.plot([], [], "-", color="darkred", label="with SOC")
    for x, _ in path.labels:
        ax.axvline(x, color="0.8", lw=0.5)
    ax.set_xticks([x for x, _ in path.labels], [name for _, name in path.labels])
    if not absolute:
        ax.axhline(0, color="k", lw=0.5)
    ax.set(xlim=(path.distance[0], path.distance[-1]), ylim=window, title=title,
           ylabel=_ENERGY_LABEL[absolute], xlabel="k along the standard path")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.06), ncol=2, frameon=False)
    return fig


def plot_dos(energies, total, projected, filename, title, absolute=False):
    """Total DOS and its s, p, d (and majority, minority) projections versus energy.

    DOS in states/eV/cell, energies in eV; the spin projections of a spin-polarized set
    (keys ``majority``, ``minority``) are drawn dashed.
    """
    fig, ax = plt.subplots(figsize=(6.5, 4), constrained_layout=True)
    ax.plot(energies, total, "k", label="total")
    for name, values in projected.items():
        spin = name in ("majority", "minority")
        ax.plot(energies, values, "--" if spin else "-", lw=1.2 if spin else 1.5,
                label=f"{name} spin" if spin else name)
    if not absolute:
        ax.axvline(0, color="0.6", lw=0.5)
    ax.set(xlabel=_ENERGY_LABEL[absolute], ylabel="DOS (states/eV/cell, both spins)",
           title=title, xlim=(energies[0], energies[-1]))
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    fig.savefig(filename, dpi=120)
    plt.close(fig)
