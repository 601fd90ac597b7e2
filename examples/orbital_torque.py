"""The orbital-torque chain on one model: orbital Hall generation in light metals (V, Cr,
Nb) beside orbit-to-spin conversion (P_s, η) and spin Hall generation in heavy ones (Ta,
W, Pt), all at the Fermi level with the same Slater-Koster models (2 shells) and Γ.

Prints one table and saves one figure (``OUTPUT/orbital-torque.png``). Every metal's
results are written to ``OUTPUT/`` as soon as they are computed; a rerun only computes
what is missing.

Run: ``python examples/orbital_torque.py --output output/orbital-torque``
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from orbdiff_plugins.diffusion import DiffusivityResult
from orbdiff_plugins.diffusion.materials import material_diffusivity
from orbdiff_plugins.hall import HallResult
from orbdiff_plugins.hall.run import material_hall

LIGHT = ("V", "Cr", "Nb")
HEAVY = ("Ta", "W", "Pt")


def cached(path: Path, kind: type, compute: Callable[[], Any]) -> Any:
    """Load ``path`` if it exists; otherwise compute, save at once and return."""
    if path.exists():
        return kind.load(path)
    result = compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    result.save(path)
    return result


def row(metal: str, hall: HallResult, diffusion: DiffusivityResult | None) -> dict[str, float]:
    """σ^{s_z}_{xy}, σ^{l_z}_{xy} (with errors) and, for heavy metals, P_s and η at E_F."""
    out = {"metal": metal,
           "shc": hall.sigma("sz", "x", "y")[0], "shc_err": hall.sigma_error("sz", "x", "y")[0],
           "ohc": hall.sigma("lz", "x", "y")[0], "ohc_err": hall.sigma_error("lz", "x", "y")[0]}
    if diffusion is not None:
        swapping = diffusion.swapping_efficiencies()
        out.update(p_s=diffusion.orbit_to_spin_polarization()[0, 0, 0],
                   eta_ls=swapping["l->s"][0], eta_ll=swapping["l->l"][0])
    return out


def format_table(rows: list[dict[str, float]], unit: str) -> str:
    header = (f"{'metal':>6} {'SHC sz.xy':>18} {'OHC lz.xy':>18} {'OHC/SHC':>8} "
              f"{'P_s':>7} {'eta_ls':>7} {'eta_ll':>7}")
    lines = [f"# at E_F; SHC, OHC in (ħ/e) {unit} ± k-sampling error", header,
             "-" * len(header)]
    for r in rows:
        extra = "".join(f" {r[k]:7.3f}" if k in r else f" {'—':>7}"
                        for k in ("p_s", "eta_ls", "eta_ll"))
        lines.append(f"{r['metal']:>6} {r['shc']:10.0f} ±{r['shc_err']:6.0f} "
                     f"{r['ohc']:10.0f} ±{r['ohc_err']:6.0f} {r['ohc'] / r['shc']:8.1f}{extra}")
    return "\n".join(lines)


def plot(rows: list[dict[str, float]], path: Path, title: str) -> None:
    """Left: SHC and OHC of all six metals; right: P_s and η_{l→s} of the heavy ones."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), constrained_layout=True,
                                      gridspec_kw={"width_ratios": [2, 1]})
    x = range(len(rows))
    left.bar([i - 0.2 for i in x], [r["ohc"] for r in rows], 0.4, yerr=[r["ohc_err"] for r in rows],
             color="darkblue", label=r"$\sigma^{l_z}_{xy}$ (orbital Hall)")
    left.bar([i + 0.2 for i in x], [r["shc"] for r in rows], 0.4, yerr=[r["shc_err"] for r in rows],
             color="darkred", label=r"$\sigma^{s_z}_{xy}$ (spin Hall)")
    left.set_xticks(list(x), [r["metal"] for r in rows])
    left.axhline(0, color="0.5", lw=0.5)
    left.axvline(len(LIGHT) - 0.5, color="0.7", ls=":")
    left.set_ylabel(r"Hall conductivity at $E_F$ ((ħ/e) S/cm)")
    left.set_title("generation: light | heavy")
    left.legend()
    heavy = [r for r in rows if "p_s" in r]
    xh = range(len(heavy))
    right.bar([i - 0.2 for i in xh], [r["p_s"] for r in heavy], 0.4, color="purple",
              label=r"$P_s$ (orbit→spin)")
    right.bar([i + 0.2 for i in xh], [r["eta_ls"] for r in heavy], 0.4, color="orange",
              label=r"$\eta_{l\to s}$")
    right.set_xticks(list(xh), [r["metal"] for r in heavy])
    values = np.array([r[k] for r in heavy for k in ("p_s", "eta_ls")], dtype=float)
    if np.any(np.isfinite(values) & (values > 0)):  # NaN: ratio not resolved (coarse grid)
        right.set_yscale("log")
    else:
        right.text(0.5, 0.5, "P_s, η not resolved on this grid", ha="center",
                   transform=right.transAxes)
    right.set_title("conversion in the heavy metal")
    right.legend()
    fig.suptitle(title)
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("output/orbital-torque"))
    parser.add_argument("--grid", type=int, default=30)
    parser.add_argument("--gamma", type=float, default=0.1)
    parser.add_argument("--formula", choices=("bastin", "intrinsic"), default="bastin")
    parser.add_argument("--metals", default=",".join(LIGHT + HEAVY),
                        help="Comma list (default: V,Cr,Nb,Ta,W,Pt).")
    args = parser.parse_args()
    start = time.perf_counter()
    tag = f"g{args.grid}-G{args.gamma:g}-{args.formula}"
    rows = []
    for metal in args.metals.split(","):
        hall = cached(args.output / f"{metal}-hall-{tag}.json", HallResult,
                      lambda m=metal: material_hall(m, [0.0], shells=2, grid=args.grid,
                                                    gamma=args.gamma, formula=args.formula))
        diffusion = None
        if metal in HEAVY:
            name = f"{metal}-diffusivity-g{args.grid}-G{args.gamma:g}.json"
            diffusion = cached(args.output / name, DiffusivityResult,
                               lambda m=metal: material_diffusivity(m, [0.0], shells=2,
                                                                    grid=args.grid,
                                                                    gamma=args.gamma))
        rows.append(row(metal, hall, diffusion))
    table = format_table(rows, hall.unit)
    print(table)
    (args.output / f"orbital-torque-{tag}.txt").write_text(table + "\n")
    plot(rows, args.output / "orbital-torque.png",
         f"2 shells, Γ = {args.gamma} eV, grid {args.grid}³, {args.formula}")
    print(f"Figure and data in {args.output}/ ({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
