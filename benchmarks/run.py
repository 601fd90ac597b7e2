"""Speed and memory benchmarks of the k-space engine (not timed tests).

Cases (issue 4):
  B1  toy model (6×6, ξ = 0.05 eV), full tensor + charge + DOS, 50³ grid, 201 energies
  B2  Ta (18×18, SOC, 2 shells), full tensor, 50³ grid, 201 energies
  B3  both models at 16³, 21 energies, engine vs the direct references of
      ``benchmarks/reference.py`` (component by component, and batched) in the same
      process: speed ratios and max deviation
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
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from reference import direct_diffusivities, direct_diffusivities_vectorized

import orbdiff
from orbdiff.structure import KGrid
from orbdiff_plugins.diffusion import compute_diffusion

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
    """Median wall time (s), peak resident memory of the process so far (MiB), result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), peak_rss_mib(), result


def peak_rss_mib() -> float:
    """Peak resident set size of this process in MiB (each case runs in its own process)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def warm_up(model) -> None:
    """Compile the numba kernels outside the timed region."""
    compute_diffusion(model, KGrid(model.crystal, 2), np.array([0.0]), GAMMA)


def full_case(name: str, repeat: int, unit: float) -> dict:
    model, centre = models()["toy" if name == "B1" else "Ta"]
    warm_up(model)
    energies = centre + np.linspace(-1.5, 1.5, 201)
    grid = KGrid(model.crystal, 50)
    seconds, peak, _ = measure(lambda: compute_diffusion(model, grid, energies, GAMMA), repeat)
    return {"case": name, "model": model.name, "states": model.n_states, "grid": 50,
            "energies": 201, "seconds": seconds, "calibration_units": seconds / unit,
            "peak_MiB": peak}


def reference_case(repeat: int, unit: float) -> list[dict]:
    rows = []
    for label, (model, centre) in models().items():
        warm_up(model)
        energies = centre + np.linspace(-1.0, 1.0, 21)
        grid = KGrid(model.crystal, 16)
        fast_s, fast_peak, fast = measure(
            lambda m=model, g=grid, e=energies: compute_diffusion(m, g, e, GAMMA), repeat)
        row = {"case": "B3", "model": label, "states": model.n_states, "grid": 16,
               "energies": 21, "engine_seconds": fast_s, "engine_peak_MiB": fast_peak,
               "calibration_units": fast_s / unit}
        for name, reference in (("direct", direct_diffusivities),
                                ("vectorized", direct_diffusivities_vectorized)):
            seconds, _, (charge, tensor) = measure(
                lambda m=model, g=grid, e=energies, f=reference: f(m, g.cartesian, e, GAMMA), 1)
            deviation = max(_max_relative_deviation(fast["tensor"], tensor),
                            _max_relative_deviation(fast["charge"], charge))
            row |= {f"{name}_seconds": seconds, f"speedup_vs_{name}": seconds / fast_s,
                    f"max_relative_deviation_vs_{name}": deviation}
        rows.append(row)
    return rows


def _max_relative_deviation(fast: np.ndarray, reference: np.ndarray) -> float:
    """Largest |fast − ref| / |ref| over components above 10⁻⁶ of the largest one."""
    significant = np.abs(reference) > 1e-6 * np.abs(reference).max()
    return float((np.abs(fast - reference)[significant] / np.abs(reference)[significant]).max())


def scaling_case(unit: float) -> list[dict]:
    model, centre = models()["Ta"]
    warm_up(model)
    rows = []
    for grid, n_energies in ((16, 51), (24, 51), (32, 51), (24, 11), (24, 101), (24, 201)):
        energies = centre + np.linspace(-1, 1, n_energies)
        kgrid = KGrid(model.crystal, grid)
        seconds, peak, _ = measure(lambda g=kgrid, e=energies: compute_diffusion(
            model, g, e, GAMMA), 1)
        n_k = len(orbdiff.observables.sampling(model, kgrid).points)
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
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    unit = statistics.median(calibration_seconds() for _ in range(3))
    machine = {"cpu_count": os.cpu_count(), "platform": platform.platform(),
               "numpy": np.__version__, "calibration_seconds": unit}
    if not args.child:
        # one process per case, so that the peak memory of each case is its own
        print(json.dumps(machine), flush=True)
        rows = []
        for case in args.cases.split(","):
            command = [sys.executable, __file__, "--cases", case, "--repeat", str(args.repeat),
                       "--child"]
            lines = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            for line in lines.splitlines()[1:]:
                print(line, flush=True)
                rows.append(json.loads(line))
        if args.output:
            args.output.write_text(json.dumps({"machine": machine, "rows": rows}, indent=1))
        return
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


if __name__ == "__main__":
    main()
