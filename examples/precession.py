"""Supplement Fig. 5(b): spin diffusion in a ferromagnet while m rotates from +z to −z.

The toy model (ξ = 0.05 eV, Γ = 0.1 eV, ε = 0.5 eV) with an exchange J σ·m, m rotated in
the x–z plane; D^{s_x x}_{s_x x} and D^{s_z x}_{s_z x} for J = 0.1, 0.5 and 1 eV (the
paper multiplies its J = 1 curves by 100; ``orbdiff precession --scale 1=100`` does the
same, unneeded here because our J = 1 curves are not small). Every (J, θ) is stored in
``OUTPUT/precession.db`` (an ase.db) as it finishes; a rerun resumes.

Run: ``python examples/precession.py --output output/precession``
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

import orbdiff
from orbdiff_plugins.ferromagnet import precession_sweep
from orbdiff_plugins.ferromagnet.plots import plot_precession


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("output/precession"))
    parser.add_argument("--grid", type=int, default=30)
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    store = args.output / "precession.db"
    model = orbdiff.load_model("bcc-p-toy", xi=0.05)
    result = precession_sweep(model, [0.1, 0.5, 1.0], np.linspace(0, 180, 37), energy=0.5,
                              grid=args.grid, gamma=0.1, store=store)
    if result.reused:
        print(f"Reused {result.reused} of {result.reused + result.computed} cases stored in "
              f"{store} with the same settings (delete it to recompute them).")
    plot_precession(result, args.output / "fig5b.png", {},
                    f"toy model, ξ = 0.05 eV, Γ = 0.1 eV, ε = 0.5 eV, grid {args.grid}³")
    sx, sz = result.D("sx x", "sx x"), result.D("sz x", "sz x")
    print(f"{'J (eV)':>7}{'D_sx,sx θ=0':>14}{'D_sz,sz θ=0':>14}{'D_sx,sx θ=90':>14}"
          f"{'D_sz,sz θ=90':>14}   (S/m, D^{{s_α x}}_{{s_α x}})")
    for n, j in enumerate(result.exchange):
        print(f"{j:7.2f}{sx[n, 0]:14.5g}{sz[n, 0]:14.5g}{sx[n, 18]:14.5g}{sz[n, 18]:14.5g}")
    print(f"Figure and data in {args.output}/ ({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
