"""Main job: the bcc p-orbital toy model of Supplement Sec. IV, end to end.

Computes the charge, spin and orbital diffusivities versus energy without and
with spin-orbit coupling (ξ = 0.05 eV), and the polarizations and swapping
efficiencies versus ξ at ε = 0.5 eV (Supplement Figs. 2–4), writes every result
to ``OUTPUT/`` as soon as it is computed (a rerun reuses what is there), plots
them and prints a summary.

Run: ``python examples/toy_model.py --output output/toy``
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
from orbdiff_plugins.diffusion import DiffusivityResult
from orbdiff_plugins.diffusion.plots import plot_diffusivities

GAMMA = 0.1  # eV
ENERGY = 0.5  # eV, transport energy of the ξ sweeps
XI_SOC = 0.05  # eV
XI_SWEEP = np.round(np.linspace(0.0, 0.3, 13), 6)  # eV


def diffusivity(registry, xi: float, energies, grid: int) -> DiffusivityResult:
    model = orbdiff.load_model("bcc-p-toy", registry=registry, xi=xi)
    # progress=False: the per-case k-point bar would fight with the run's case count
    return orbdiff.compute("diffusivity", model, grid=grid, energies=energies, gamma=GAMMA,
                           registry=registry, progress=False)


def plot_energy_comparison(without, with_soc, path: Path, grid: int) -> None:
    """Supplement Fig. 2(a, b) and 3(a): ξ = 0 dashed, ξ = 0.05 eV solid."""
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.6), constrained_layout=True)
    e = without.energies
    axes[0].plot(e, without.charge[:, 0, 0], "k--", label="charge = spin, ξ = 0")
    axes[0].plot(e, with_soc.charge[:, 0, 0], color="gray", label="charge")
    axes[0].plot(e, with_soc.D("sx x", "sx x"), color="darkred", label=r"$D^{s_x x}_{s_x x}$")
    axes[0].plot(e, with_soc.D("sy x", "sy x"), color="salmon", label=r"$D^{s_y x}_{s_y x}$")
    for result, style in ((without, "--"), (with_soc, "-")):
        axes[1].plot(e, result.D("lx x", "lx x"), style, color="darkblue")
        axes[1].plot(e, result.D("ly x", "ly x"), style, color="cornflowerblue")
    axes[1].plot([], [], color="darkblue", label=r"$D^{l_x x}_{l_x x}$")
    axes[1].plot([], [], color="cornflowerblue", label=r"$D^{l_y x}_{l_y x}$")
    axes[1].plot([], [], "k--", label="ξ = 0")
    axes[2].plot(e, with_soc.D("lx x", "sx x"), color="red", label=r"$D^{l_x x}_{s_x x}$")
    axes[2].plot(e, with_soc.D("ly x", "sy x"), color="salmon", label=r"$D^{l_y x}_{s_y x}$")
    axes[2].plot(e, with_soc.D("sx x", "lx x"), color="blue", label=r"$D^{s_x x}_{l_x x}$")
    axes[2].plot(
        e, with_soc.D("sy x", "ly x"), color="cornflowerblue", label=r"$D^{s_y x}_{l_y x}$"
    )
    titles = ["charge and spin", "orbital", "spin → orbit (reds), orbit → spin (blues)"]
    for ax, title in zip(axes, titles, strict=True):
        ax.set(xlabel="energy ε (eV)", ylabel="diffusivity (S/m)", title=title)
        ax.axhline(0, color="0.85", lw=0.5)
        legend_above_data(ax)
    fig.suptitle(f"bcc p-orbital toy model, Γ = {GAMMA} eV, grid {grid}³: "
                 f"solid ξ = {XI_SOC} eV, dashed ξ = 0")
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_soc_sweep(sweep: list[DiffusivityResult], path: Path, grid: int) -> None:
    """Supplement Figs. 2(c), 3(b), 4(b, c) at ε = 0.5 eV versus ξ."""
    xi = XI_SWEEP
    pick = np.array
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.6), constrained_layout=True)
    for upper, style, label in (("sx x", "r-", r"$D^{s_x x}_{s_x x}$"),
                                ("sy x", "r--", r"$D^{s_y x}_{s_y x}$"),
                                ("lx x", "b-", r"$D^{l_x x}_{l_x x}$"),
                                ("ly x", "b--", r"$D^{l_y x}_{l_y x}$")):
        axes[0].plot(xi, pick([r.D(upper, upper)[0] for r in sweep]), style, label=label)
    axes[1].plot(xi, pick([r.spin_to_orbit_polarization()[0, 0, 0] for r in sweep]), "r",
                 label=r"$P_l$ (spin → orbit)")
    axes[1].plot(xi, pick([r.orbit_to_spin_polarization()[0, 0, 0] for r in sweep]), "b",
                 label=r"$P_s$ (orbit → spin)")
    for key, style in (("s->s", "r-"), ("l->l", "b-"), ("s->l", "r:"), ("l->s", "b:")):
        axes[2].plot(xi, pick([r.swapping_efficiencies()[key][0] for r in sweep]), style,
                     label=ETA[key])
    panels = [("diffusivities", "diffusivity (S/m)"),
              ("spin-orbit polarization", "polarization"),
              ("swapping efficiency", "efficiency η")]
    for ax, (title, ylabel) in zip(axes, panels, strict=True):
        ax.set(xlabel="spin-orbit coupling ξ (eV)", ylabel=ylabel, title=title)
        legend_above_data(ax)
    fig.suptitle(f"bcc p-orbital toy model at ε = {ENERGY} eV, Γ = {GAMMA} eV, grid {grid}³")
    fig.savefig(path, dpi=120)
    plt.close(fig)


def summary(without, with_soc, sweep) -> str:
    i = int(np.argmin(abs(without.energies - ENERGY)))
    lines = [
        f"Toy model at ε = {without.energies[i]:.2f} eV, Γ = {GAMMA} eV (S/m):",
        f"{'':28}{'ξ = 0':>14}{'ξ = 0.05 eV':>14}",
    ]
    rows = [("charge D_xx", lambda r: r.charge[:, 0, 0])]
    for upper, lower in (
        ("sx x", "sx x"),
        ("sy x", "sy x"),
        ("lx x", "lx x"),
        ("ly x", "ly x"),
        ("lx x", "sx x"),
        ("sx x", "lx x"),
    ):
        rows.append((f"D^{{{upper}}}_{{{lower}}}", lambda r, u=upper, lo=lower: r.D(u, lo)))
    for name, get in rows:
        lines.append(f"{name:28}{get(without)[i]:14.5g}{get(with_soc)[i]:14.5g}")
    lines += [
        "",
        f"Versus ξ at ε = {ENERGY} eV:",
        f"{'ξ (eV)':>8}{'P_l':>10}{'P_s':>10}"
        + "".join(f"{ETA_TEXT[k]:>10}" for k in ("s->s", "l->l", "s->l", "l->s")),
    ]
    for xi, r in zip(XI_SWEEP, sweep, strict=True):
        eta = r.swapping_efficiencies()
        lines.append(
            f"{xi:8.3f}{r.spin_to_orbit_polarization()[0, 0, 0]:10.4f}"
            f"{r.orbit_to_spin_polarization()[0, 0, 0]:10.4f}"
            + "".join(f"{eta[k][0]:10.4f}" for k in ("s->s", "l->l", "s->l", "l->s"))
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("output/toy"))
    parser.add_argument("--grid", type=int, default=24)
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)
    use_style()
    registry = orbdiff.Registry()
    start = time.perf_counter()
    energies = np.linspace(-1.5, 1.5, 61)
    saved = SavedResults(args.output, 2 + len(XI_SWEEP), "toy model", registry)
    without, with_soc = (
        saved.get(f"energies_xi{xi:g}_grid{args.grid}.json",
                  lambda xi=xi: diffusivity(registry, xi, energies, args.grid))
        for xi in (0.0, XI_SOC)
    )
    sweep = [
        saved.get(f"soc_xi{xi:g}_grid{args.grid}.json",
                  lambda xi=xi: diffusivity(registry, xi, [ENERGY], args.grid))
        for xi in XI_SWEEP
    ]
    reuse = saved.report()
    plot_energy_comparison(without, with_soc, args.output / "diffusivities_vs_energy.png",
                           args.grid)
    plot_diffusivities(with_soc, args.output / "soc_0.05eV.png",
                       title=f"toy model, ξ = {XI_SOC} eV, Γ = {GAMMA} eV, grid {args.grid}³")
    plot_soc_sweep(sweep, args.output / "polarization_swapping_vs_xi.png", args.grid)
    text = summary(without, with_soc, sweep)
    (args.output / "summary.txt").write_text(text + "\n")
    print(text)
    print(f"\n{reuse}")
    print(f"Results and plots in {args.output}/ "
          f"({time.perf_counter() - start:.1f} s, grid {args.grid}³)")


if __name__ == "__main__":
    main()
