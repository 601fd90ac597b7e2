"""Speed of the ``hall`` kernels against the direct references (not a timed test).

Per k-point and energy: the band-basis kernels (Kubo–Bastin closed form, intrinsic) on
the toy model (6×6, ξ = 0.1 eV) versus the direct references of
``tests/plugins/hall/hall_reference.py`` (explicit inversion + adaptive energy
quadrature; eigenstate double loop), evaluated in the same process on the same k-points.

Run: ``python benchmarks/hall.py [--points 4] [--energies 5]``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

import orbdiff
from orbdiff.observables import BandData
from orbdiff_plugins.hall import hall_operators
from orbdiff_plugins.hall.kernels import bastin_traces, intrinsic_traces

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "plugins" / "hall"))
from hall_reference import bastin_reference, intrinsic_reference

GAMMA = 0.1


def per_point(function, n_points: int, n_energies: int) -> float:
    """Seconds per (k-point × energy) of ``function()``."""
    start = time.perf_counter()
    function()
    return (time.perf_counter() - start) / (n_points * n_energies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=4)
    parser.add_argument("--energies", type=int, default=5)
    args = parser.parse_args()
    model = orbdiff.load_model("bcc-p-toy", xi=0.1)
    k = np.random.default_rng(0).normal(size=(args.points, 3))
    energies = np.linspace(-0.5, 0.5, args.energies)
    many = np.random.default_rng(1).normal(size=(64, 3))
    bands = BandData.from_model(model, many, hall_operators(model))
    rows = [
        ("bastin kernel", per_point(lambda: bastin_traces(bands, energies, GAMMA), 64,
                                    args.energies)),
        ("intrinsic kernel", per_point(lambda: intrinsic_traces(bands, energies, GAMMA), 64,
                                       args.energies)),
        ("bastin reference", per_point(lambda: bastin_reference(model, k, energies, GAMMA),
                                       args.points, args.energies)),
        ("intrinsic reference", per_point(lambda: intrinsic_reference(model, k, energies,
                                                                      GAMMA),
                                          args.points, args.energies)),
    ]
    for name, seconds in rows:
        print(f"{name:>20}: {1e6 * seconds:10.1f} µs per k-point and energy")
    print(f"speed-up: bastin {rows[2][1] / rows[0][1]:.0f}×, "
          f"intrinsic {rows[3][1] / rows[1][1]:.0f}×")


if __name__ == "__main__":
    main()
