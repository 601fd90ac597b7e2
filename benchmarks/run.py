"""Speed and memory benchmarks of the k-space engine (not timed tests).

Cases (issue 4):
  B1  toy model (6×6, ξ = 0.05 eV), full tensor + charge + DOS, 50³ grid, 201 energies
  B2  Ta (18×18, SOC, 2 shells), full tensor, 50³ grid, 201 energies
  B3  both models at 16³, 21 energies, engine vs the direct reference of
      ``benchmarks/reference.py`` in the same process: speed ratio and max deviation
  S   scaling: the engine's cost versus k-points and number of energies

Every figure is also given relative to a calibration run in the same process (a
fixed complex matrix-product workload), so numbers from different machines compare.

Run: ``python benchmarks/run.py [--cases B1,B2,B3,S] [--repeat 3] [--output FILE.json]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
import tracemalloc
from pathlib import Path

import numpy as np

import orbdiff
from orbdiff.structure import KGrid
from orbdiff_plugins.diffusion import compute_diffusion
from reference import direct_diffusivities

GAMMA = 0.1


def models():
    toy = orbdiff.load_model("bcc-p-toy", xi=0.05)
    ta = orbdiff.load_material("Ta", shells=2)
    return {"toy": (toy, 0.0), "Ta": (ta, 9.45)}  # energy window centres (eV)


def calibration_seconds() -> float:
    """A fixed workload: 40 products of 512×512 complex matrices."""
    rng = np.random.default_rng(0)
    a = rng.normal(size=(512, 512)) + 1j * rng.normal(size=(512, 512))
    start = time.perf_counter()
    for _ in range(40):
        a = a @ a
        a /= np.abs(a).max()
    return time.perf_counter() - start


def measure(function, repeat: int) -> tuple[float, float, object]:
    """Median wall time (s), peak traced memory (MiB) and the last result."""
    times, peaks, result = [], [], None
    for _ in range(repeat):
        tracemalloc.start()
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
        peaks.append(tracemalloc.get_traced_memory()[1] / 2**20)
        tracemalloc.stop()
    return statistics.median(times), max(peaks), result


def full_case(name: str, repeat: int, unit: float) -> dict:
    model, centre = models()["toy" if name == "B1" else "Ta"]
    energies = centre + np.linspace(-1.5, 1.5, 201)
    grid = KGrid(model.crystal, 50)
    seconds, peak, _ = measure(lambda: compute_diffusion(model, grid, energies, GAMMA), repeat)
    return {"case": name, "model": model.name, "states": model.n_states, "grid": 50,
            "energies": 201, "seconds": seconds, "calibration_units": seconds / unit,
            "peak_MiB": peak}


def reference_case(repeat: int, unit: float) -> list[dict]:
    rows = []
    for label, (model, centre) in models().items():
        energies = centre + np.linspace(-1.0, 1.0, 21)
        grid = KGrid(model.crystal, 16)
        fast_s, fast_peak, fast = measure(
            lambda m=model, g=grid, e=energies: compute_diffusion(m, g, e, GAMMA), repeat)
        slow_s, _, (charge, tensor) = measure(
            lambda m=model, g=grid, e=energies: direct_diffusivities(m, g.cartesian, e, GAMMA), 1)
        deviation = _max_relative_deviation(fast["tensor"], tensor)
        deviation = max(deviation, _max_relative_deviation(fast["charge"], charge))
        rows.append({"case": "B3", "model": label, "states": model.n_states, "grid": 16,
                     "energies": 21, "engine_seconds": fast_s, "reference_seconds": slow_s,
                     "speedup": slow_s / fast_s, "max_relative_deviation": deviation,
                     "engine_peak_MiB": fast_peak, "calibration_units": fast_s / unit})
    return rows


def _max_relative_deviation(fast: np.ndarray, reference: np.ndarray) -> float:
    """Largest |fast − ref| / |ref| over components above 10⁻⁶ of the largest one."""
    significant = np.abs(reference) > 1e-6 * np.abs(reference).max()
    return float((np.abs(fast - reference)[significant] / np.abs(reference)[significant]).max())


def scaling_case(unit: float) -> list[dict]:
    model, centre = models()["Ta"]
    rows = []
    for grid, n_energies in ((16, 51), (24, 51), (32, 51), (24, 11), (24, 101), (24, 201)):
        energies = centre + np.linspace(-1, 1, n_energies)
        kgrid = KGrid(model.crystal, grid)
        seconds, peak, _ = measure(lambda g=kgrid, e=energies: compute_diffusion(
            model, g, e, GAMMA), 1)
        for symmetry in (True,):
            n_k = len(orbdiff.observables.sampling(model, kgrid, symmetry).points)
        rows.append({"case": "S", "model": "Ta", "grid": grid, "irreducible_k": n_k,
                     "energies": n_energies, "seconds": seconds,
                     "ms_per_k_and_energy": 1e3 * seconds / (n_k * n_energies),
                     "peak_MiB": peak, "calibration_units": seconds / unit})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default="B1,B2,B3,S")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--output", type=Path, default=None)
    args = parser.parse_args()
    unit = statistics.median(calibration_seconds() for _ in range(3))
    machine = {"cpu_count": os.cpu_count(), "platform": platform.platform(),
               "numpy": np.__version__, "calibration_seconds": unit}
    print(json.dumps(machine))
    rows = []
    for case in args.cases.split(","):
        if case in ("B1", "B2"):
            new = [full_case(case, args.repeat, unit)]
        elif case == "B3":
            new = reference_case(args.repeat, unit)
        else:
            new = scaling_case(unit)
        for row in new:
            print(json.dumps({k: float(f"{v:.6g}") if isinstance(v, float) else v
                              for k, v in row.items()}), flush=True)
        rows += new
    if args.output:
        args.output.write_text(json.dumps({"machine": machine, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
