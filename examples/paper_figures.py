"""Regenerate the paper's realistic figures (main text Figs. 2–4) for V and Ta.

Settings of the paper: Γ = 0.1 eV, 50×50×50 k-grid, Slater-Koster parameters up to
the second neighbour shell (Papaconstantopoulos sets of ``materials_db/``), energies
relative to the Fermi level from the valence electron count.

- Fig. 2: charge, spin and orbital diffusivities vs energy, V and Ta, ξ = 0 and full SOC.
- Fig. 3: spin-to-orbit and orbit-to-spin diffusivities vs energy in Ta; polarizations
  vs SOC strength (0–100 % of Ta's) at the Fermi level.
- Fig. 4: spin, orbital and spin↔orbit swapping diffusivities vs energy in Ta, and the
  swapping efficiencies vs SOC strength.

Every case is saved to ``OUTPUT/data/`` as soon as it is computed; a rerun reuses it.
Run: ``python examples/paper_figures.py --output examples/paper``
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from common import ETA, ETA_TEXT, SavedResults, legend_above_data, use_style

import orbdiff
from orbdiff_plugins.diffusion.materials import material_diffusivity

GAMMA, SHELLS = 0.1, 2
SCALES = np.round(np.linspace(0.0, 1.0, 11), 3)


EF_LABEL = r"$E - E_\mathrm{F}$ (eV)"


def compute_all(output: Path, grid: int, energies: np.ndarray):
    registry = orbdiff.Registry()
    saved = SavedResults(output / "data", 4 + len(SCALES), "paper figures", registry)

    def run(material, scale, values):
        return lambda: material_diffusivity(material, values, grid=grid, gamma=GAMMA,
                                            shells=SHELLS, soc_scale=scale, registry=registry)

    sweeps = {
        (material, scale): saved.get(f"{material}_soc{scale:g}_grid{grid}.json",
                                     run(material, scale, energies))
        for material in ("V", "Ta") for scale in (0.0, 1.0)
    }
    soc = [saved.get(f"Ta_EF_soc{scale:g}_grid{grid}.json", run("Ta", scale, [0.0]))
           for scale in SCALES]
    return sweeps, soc, saved.report()


def _settings(grid: int) -> str:
    return f"Γ = {GAMMA} eV, grid {grid}³, {SHELLS} shells"


def fig2(sweeps, output: Path, grid: int) -> None:
    fig, axes = plt.subplots(2, 2, figsize=(11, 8), constrained_layout=True)
    for row, material in enumerate(("V", "Ta")):
        for scale, style in ((0.0, "--"), (1.0, "-")):
            r = sweeps[material, scale]
            e = r.energies
            axes[row, 0].plot(e, r.charge[:, 0, 0], style, color="k")
            axes[row, 0].plot(e, r.D("sx x", "sx x"), style, color="darkred")
            axes[row, 0].plot(e, r.D("sy x", "sy x"), style, color="salmon")
            axes[row, 1].plot(e, r.D("lx x", "lx x"), style, color="darkblue")
            axes[row, 1].plot(e, r.D("ly x", "ly x"), style, color="cornflowerblue")
        xi = sweeps[material, 1.0].inputs["parameters"].get("xi")
        soc = f"ξ = {xi:.3f} eV" if xi is not None else "full SOC"
        for ax, kind, entries in (
                (axes[row, 0], "charge and spin",
                 [("k", "charge $D_{xx}$"), ("darkred", r"$D^{s_x x}_{s_x x}$"),
                  ("salmon", r"$D^{s_y x}_{s_y x}$")]),
                (axes[row, 1], "orbital",
                 [("darkblue", r"$D^{l_x x}_{l_x x}$"),
                  ("cornflowerblue", r"$D^{l_y x}_{l_y x}$")])):
            for color, label in entries:
                ax.plot([], [], color=color, label=label)
            ax.plot([], [], "k--", label="ξ = 0")
            ax.set_title(f"{material}: {kind}, solid {soc}")
    _finish(axes.ravel(), EF_LABEL, "diffusivity (S/m)",
            f"Fig. 2: V and Ta, {_settings(grid)}", fig, output / "fig2_V_Ta.png")


def fig3(sweeps, soc, output: Path, grid: int) -> None:
    r = sweeps["Ta", 1.0]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.6), constrained_layout=True)
    axes[0].plot(r.energies, r.D("lx x", "sx x"), color="red", label=r"$D^{l_x x}_{s_x x}$")
    axes[0].plot(r.energies, r.D("ly x", "sy x"), color="salmon", label=r"$D^{l_y x}_{s_y x}$")
    axes[0].plot(r.energies, r.D("sx x", "lx x"), color="blue", label=r"$D^{s_x x}_{l_x x}$")
    axes[0].plot(r.energies, r.D("sy x", "ly x"), color="cornflowerblue",
                 label=r"$D^{s_y x}_{l_y x}$")
    axes[0].set(xlabel=EF_LABEL, ylabel="diffusivity (S/m)",
                title="Ta, full SOC: spin → orbit (reds), orbit → spin (blues)")
    axes[0].axhline(0, color="0.85", lw=0.5)
    percent = 100 * SCALES
    axes[1].plot(percent, [x.spin_to_orbit_polarization()[0, 0, 0] for x in soc], "r-o",
                 label=r"$P_l$ (spin → orbit)")
    axes[1].plot(percent, [x.orbit_to_spin_polarization()[0, 0, 0] for x in soc], "b-o",
                 label=r"$P_s$ (orbit → spin)")
    axes[1].set(xlabel="SOC strength (% of Ta's ξ)", ylabel=r"polarization at $E_\mathrm{F}$",
                title="Ta: spin-orbit polarization at the Fermi level")
    for ax in axes:
        legend_above_data(ax)
    fig.suptitle(f"Fig. 3: Ta, {_settings(grid)}")
    fig.savefig(output / "fig3_Ta.png", dpi=120)
    plt.close(fig)


def fig4(sweeps, soc, output: Path, grid: int) -> None:
    fig, axes = plt.subplots(2, 2, figsize=(11, 8), constrained_layout=True)
    for scale, style in ((0.0, "--"), (1.0, "-")):
        r = sweeps["Ta", scale]
        axes[0, 0].plot(r.energies, r.D("sy y", "sx x"), style, color="red")
        axes[0, 0].plot(r.energies, r.D("ly y", "lx x"), style, color="blue")
        axes[1, 0].plot(r.energies, r.D("ly y", "sx x"), style, color="red")
        axes[1, 0].plot(r.energies, r.D("sy y", "lx x"), style, color="blue")
    for ax, entries in ((axes[0, 0], [("red", r"$D^{s_y y}_{s_x x}$"),
                                      ("blue", r"$D^{l_y y}_{l_x x}$")]),
                        (axes[1, 0], [("red", r"$D^{l_y y}_{s_x x}$ (s → l)"),
                                      ("blue", r"$D^{s_y y}_{l_x x}$ (l → s)")])):
        for color, label in entries:
            ax.plot([], [], color=color, label=label)
        ax.plot([], [], "k--", label="ξ = 0")
        ax.set(xlabel=EF_LABEL, ylabel="diffusivity (S/m)")
        ax.axhline(0, color="0.85", lw=0.5)
    axes[0, 0].set_title("spin and orbital swapping, solid full SOC")
    axes[1, 0].set_title("spin ↔ orbit swapping, solid full SOC")
    percent = 100 * SCALES
    for key, color, ax in (("s->s", "red", axes[0, 1]), ("l->l", "blue", axes[0, 1]),
                           ("s->l", "red", axes[1, 1]), ("l->s", "blue", axes[1, 1])):
        ax.plot(percent, [x.swapping_efficiencies()[key][0] for x in soc], "-o", color=color,
                label=ETA[key])
        ax.set(xlabel="SOC strength (% of Ta's ξ)",
               ylabel=r"swapping efficiency at $E_\mathrm{F}$",
               title="swapping efficiencies at the Fermi level")
    for ax in axes.ravel():
        legend_above_data(ax)
    fig.suptitle(f"Fig. 4: Ta, {_settings(grid)}")
    fig.savefig(output / "fig4_Ta.png", dpi=120)
    plt.close(fig)


def _finish(axes, xlabel, ylabel, title, fig, path) -> None:
    for ax in axes:
        ax.set(xlabel=xlabel, ylabel=ylabel)
        ax.axhline(0, color="0.85", lw=0.5)
        legend_above_data(ax)
    fig.suptitle(title)
    fig.savefig(path, dpi=120)
    plt.close(fig)


def summary(sweeps, soc) -> str:
    lines = ["At E_F (Γ = 0.1 eV, 2 shells), diffusivities in S/m:",
             f"{'':8}{'E_F (eV)':>10}{'D_xx':>12}{'Dsx.sx':>12}{'Dlx.lx':>12}{'Dly.ly':>12}"
             f"{'P_l':>8}{'P_s':>8}{ETA_TEXT['l->l']:>9}"]
    for (material, scale), r in sweeps.items():
        i = int(np.argmin(abs(r.energies)))
        eta = r.swapping_efficiencies()["l->l"][i]
        lines.append(
            f"{material} ξ×{scale:<3g}{r.fermi_level:10.4f}{r.charge[i, 0, 0]:12.5g}"
            f"{r.D('sx x', 'sx x')[i]:12.5g}{r.D('lx x', 'lx x')[i]:12.5g}"
            f"{r.D('ly x', 'ly x')[i]:12.5g}{r.spin_to_orbit_polarization()[i, 0, 0]:8.4f}"
            f"{r.orbit_to_spin_polarization()[i, 0, 0]:8.4f}{eta:9.4f}")
    lines.append("Ta polarization vs SOC (%): " + ", ".join(
        f"{100 * s:.0f}%: P_l={r.spin_to_orbit_polarization()[0, 0, 0]:.3f} "
        f"P_s={r.orbit_to_spin_polarization()[0, 0, 0]:.3f}" for s, r in zip(SCALES, soc,
                                                                             strict=True)))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("examples/paper"))
    parser.add_argument("--grid", type=int, default=50)
    parser.add_argument("--energies", default="-2:2:81", help="start:stop:count, eV from E_F")
    args = parser.parse_args()
    start, stop, count = args.energies.split(":")
    energies = np.linspace(float(start), float(stop), int(count))
    began = time.perf_counter()
    use_style()
    sweeps, soc, reuse = compute_all(args.output, args.grid, energies)
    fig2(sweeps, args.output, args.grid)
    fig3(sweeps, soc, args.output, args.grid)
    fig4(sweeps, soc, args.output, args.grid)
    text = summary(sweeps, soc)
    (args.output / "summary.txt").write_text(text + "\n")
    print(text)
    print(reuse)
    print(f"Figures and data in {args.output}/ ({time.perf_counter() - began:.0f} s)")


if __name__ == "__main__":
    main()
