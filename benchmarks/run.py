"""Speed and memory benchmarks of the k-space engine (not timed tests).

Cases (issue 4):
  B1  toy model (6×6, ξ = 0.05 eV), full tensor + charge + DOS, 50³ grid, 201 energies
  B2  Ta (18×18, SOC, 2 shells), full tensor, 50³ grid, 201 energies
  B3  both models at 16³, 21 energies, engine vs the direct references of
      ``benchmarks/reference.py`` (component by component, and batched) in the same
      process: speed ratios and max deviation
  S   scaling: the engine's cost versus k-points and number of energies
  K   the three trace kernels per k-point versus the number of energies (FEW_ENERGIES)
  E1  Ta 50³ at E_F only: k-space part against the batched direct reference per
      full-grid k-point, CPU per wedge point, the run with its error estimate, and the
      fixed costs (imports, model, point group, Fermi level, wedge)
  CLI the whole ``orbdiff diffusivity --material Ta ... --grid 50 --energies 0`` command
  E100 Ta 100³ at E_F only, with the error estimate (second grid 80³) as the headline
  M50, M100, M200, M400  peak resident memory of a Ta run at E_F (own process each)
  SCREEN the issue's screen (18 cubic materials × 11 SOC scales, grid 30, E_F), in-process
  README-SCREEN the README's ``orbdiff screen`` command (6 materials × 11 SOC, grid 30, with
      Hall) as a subprocess with a fresh database

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
from orbdiff.observables import BandData, sampling
from orbdiff.observables.blas import single_threaded_blas
from orbdiff.observables.compiled import im_green_traces
from orbdiff.observables.convergence import coarse_grid
from orbdiff.observables.engine import default_workers
from orbdiff.observables.fermi import fermi_level
from orbdiff.observables.kernels import (
    charge_traces,
    density_of_states,
    green_traces,
    kubo_traces,
)
from orbdiff.observables.orbital import OrbitalData, orbital_traces
from orbdiff.observables.orbital_compiled import warm as warm_compiled_orbital_loop
from orbdiff.observables.poles import im_green_traces_poles
from orbdiff.observables.products import im_green_traces_products
from orbdiff.structure import KGrid
from orbdiff.structure.symmetry import irreducible_wedge
from orbdiff_plugins.diffusion import compute_diffusion
from orbdiff_plugins.diffusion.materials import material_diffusivity
from orbdiff_plugins.diffusion.tensor import angular_momentum_operators

CLI = ["diffusivity", "--material", "Ta", "--shells", "2", "--soc-scale", "1", "--gamma",
       "0.1", "--grid", "50", "--energies", "0"]

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


def interleaved(runs: dict, rounds: int) -> dict[str, list[float]]:
    """Wall times (s) of each run, ``rounds`` times, the runs taken in turn in each round.

    The order rotates from round to round, so that no run always follows the same one.
    """
    times: dict[str, list[float]] = {name: [] for name in runs}
    names = list(runs)
    for index in range(rounds):
        for name in names[index % len(names):] + names[:index % len(names)]:
            start = time.perf_counter()
            runs[name]()
            times[name].append(time.perf_counter() - start)
    return times


def peak_rss_mib() -> float:
    """Peak resident set size of this process in MiB (each case runs in its own process)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def warm_up(model) -> None:
    """Load (or compile) the numba kernels outside the timed region."""
    warm_compiled_orbital_loop()
    compute_diffusion(model, KGrid(model.crystal, 2), np.array([0.0]), GAMMA)


def full_case(name: str, repeat: int, unit: float) -> dict:
    model, centre = models()["toy" if name == "B1" else "Ta"]
    warm_up(model)
    energies = centre + np.linspace(-1.5, 1.5, 201)
    # the many-energy kernels too (numba caches loaded or compiled outside the timing)
    compute_diffusion(model, KGrid(model.crystal, 2), energies, GAMMA)
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


def kernel_case(unit: float) -> list[dict]:
    """The trace kernels on the same 256 wedge points, one thread, by energy count."""
    with single_threaded_blas():  # as inside the engine
        return (_kernel_rows("Ta") + _kernel_rows("toy") + _basis_rows("Ta")
                + _basis_rows("toy"))


def _basis_rows(name: str) -> list[dict]:
    """Band basis (diagonalize, rotate, all traces) against the orbital basis, per k-point.

    Everything one block of the diffusivity needs: H(k), ħv(k) and the charge, tensor,
    Kubo and DOS sums, by the number of energies (the rule ``ORBITAL_ENERGIES``).
    """
    model, centre = models()[name]
    points = sampling(model, KGrid(model.crystal, 50)).points[:256]
    operators = angular_momentum_operators(model)

    def band(energies):
        for start in range(0, len(points), 64):  # the engine's blocks
            bands = BandData.from_model(model, points[start:start + 64], operators)
            charge_traces(bands, energies, GAMMA)
            green_traces(bands, energies, GAMMA, bands.operators, bands.operators)
            kubo_traces(bands, energies, GAMMA)
            density_of_states(bands, energies, GAMMA)

    def orbital(energies):
        for start in range(0, len(points), 64):
            orbital_traces(OrbitalData.from_model(model, points[start:start + 64]), energies,
                           GAMMA, operators)

    rows = []
    for n_energies in (1, 2, 3, 4, 6):
        energies = centre + np.linspace(-0.5, 0.5, n_energies)
        row = {"case": "K-basis", "model": name, "k_points": len(points),
               "energies": n_energies}
        for label, function in (("band", band), ("orbital", orbital)):
            function(energies)  # compile / warm
            seconds, _, _ = measure(lambda f=function, e=energies: f(e), 5)
            row[f"{label}_basis_us_per_k"] = 1e6 * seconds / len(points)
        rows.append(row)
    return rows


def _kernel_rows(name: str) -> list[dict]:
    model, centre = models()[name]
    points = sampling(model, KGrid(model.crystal, 50)).points[:256]
    bands = BandData.from_model(model, points, angular_momentum_operators(model))
    args = (bands.energies, bands.velocities, bands.operators, bands.operators, bands.weights)
    kernels = (("products", im_green_traces_products), ("compiled", im_green_traces),
               ("poles", im_green_traces_poles))
    rows = []
    for n_energies in (1, 2, 4, 8, 12, 16, 24, 32, 64, 201):
        energies = centre + np.linspace(-0.5, 0.5, n_energies)
        row = {"case": "K", "model": name, "k_points": len(points), "energies": n_energies}
        for label, kernel in kernels:
            kernel(*(a[:2] for a in args), energies, GAMMA)  # compile / warm
            seconds, _, _ = measure(lambda k=kernel, e=energies: k(*args, e, GAMMA), 3)
            row[f"{label}_us_per_k"] = 1e6 * seconds / len(points)
        rows.append(row)
    return rows


def fixed_costs() -> dict:
    """Seconds of each fixed part of a Ta run at E_F (same process, after warm-up)."""
    import_s = statistics.median(_seconds([sys.executable, "-c", "import orbdiff.cli"])
                                 for _ in range(3))
    start = time.perf_counter()
    model = orbdiff.load_material("Ta", shells=2)
    model_s = time.perf_counter() - start
    start = time.perf_counter()
    group = model.point_group()
    group_s = time.perf_counter() - start
    start = time.perf_counter()
    level = fermi_level(model, 5.0)
    fermi_s = time.perf_counter() - start
    start = time.perf_counter()
    n_wedge = len(irreducible_wedge(KGrid(model.crystal, 50), group)[0])
    wedge_s = time.perf_counter() - start
    return {"import_seconds": import_s, "model_seconds": model_s,
            "point_group_seconds": group_s, "fermi_seconds": fermi_s,
            "wedge_seconds": wedge_s, "wedge_points": n_wedge, "fermi_level": level.energy}


def _seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def _cpu_seconds(function) -> float:
    """CPU time of this process (all threads) spent in ``function()``."""
    start = time.process_time()
    function()
    return time.process_time() - start


def fermi_only_case(grid: int, repeat: int, unit: float) -> dict:
    """Ta at E_F only: the k-space part (one grid) and the run with its error estimate.

    ``seconds`` is ``compute_diffusion`` on the grid (no error estimate) as the engine
    chooses (at 50³ the band basis: below ``orbital.COMPILED_WORK``),
    ``orbital_basis_seconds`` the same with ``basis="orbital"`` (numba loaded outside the
    timing); case E1 (row E50) compares both per full-grid k-point with the batched
    direct reference.
    The runs and the reference are timed in turn, round by round (at least 5 rounds):
    times are medians over the rounds, ratios the median of the ratios within a round.
    ``error_estimate_seconds``
    is ``orbdiff.compute`` with ``error_estimate=True`` (the grid and its coarse partner
    ``round(0.8 N)``, plus symmetrization and the result), the figure of the E100 target.
    """
    model, _ = models()["Ta"]
    warm_up(model)
    energy = np.array([fermi_level(model, 5.0).energy])
    kgrid = KGrid(model.crystal, grid)
    coarse = KGrid(model.crystal, coarse_grid(grid))
    n_wedge = len(sampling(model, kgrid).points)
    n_coarse = len(sampling(model, coarse).points)
    runs = {"band": lambda: compute_diffusion(model, kgrid, energy, GAMMA),
            "orbital": lambda: compute_diffusion(model, kgrid, energy, GAMMA, basis="orbital")}
    if grid == 50:
        sample = kgrid.cartesian[np.random.default_rng(0).choice(kgrid.n_points, 64)]
        runs["reference"] = lambda: direct_diffusivities_vectorized(model, sample, energy,
                                                                    GAMMA)
    # in turn, round by round: the machine's speed drifts over seconds, and a ratio of two
    # runs measured far apart carries that drift
    times = interleaved(runs, max(repeat, 5))
    seconds = statistics.median(times["band"])
    orbital_seconds = statistics.median(times["orbital"])
    cpu = _cpu_seconds(runs["band"])
    orbital_cpu = _cpu_seconds(runs["orbital"])
    estimated, peak, _ = measure(lambda: orbdiff.compute(
        "diffusivity", model, grid=grid, energies=energy, gamma=GAMMA, error_estimate=True),
        repeat)
    row = {"case": f"E{grid}", "model": "Ta", "grid": grid, "energies": 1, "seconds": seconds,
           "calibration_units": seconds / unit, "peak_MiB": peak,
           "us_per_full_grid_k": 1e6 * seconds / kgrid.n_points,
           "wedge_points": n_wedge, "cpu_us_per_wedge_point": 1e6 * cpu / n_wedge,
           "threads": default_workers(), "error_grid": coarse_grid(grid)[0],
           "error_grid_wedge_points": n_coarse, "error_estimate_seconds": estimated,
           "orbital_basis_seconds": orbital_seconds,
           "orbital_basis_cpu_us_per_wedge_point": 1e6 * orbital_cpu / n_wedge,
           "error_estimate_calibration_units": estimated / unit}
    if grid == 50:
        def speedups(name: str) -> list[float]:
            """Per round: reference per k-point over the run per full-grid k-point."""
            return [ref / len(sample) / (run / kgrid.n_points)
                    for ref, run in zip(times["reference"], times[name], strict=True)]

        band, orbital = speedups("band"), speedups("orbital")
        reference = statistics.median(times["reference"])
        reference_cpu = _cpu_seconds(runs["reference"])
        row |= {"reference_us_per_k": 1e6 * reference / len(sample),
                "speedup_per_full_grid_k": statistics.median(band),
                "orbital_basis_speedup_per_full_grid_k": statistics.median(orbital),
                "orbital_basis_speedup_range": [min(orbital), max(orbital)],
                # CPU seconds against CPU seconds: meaningful on a loaded machine too
                "cpu_speedup_per_full_grid_k": reference_cpu / len(sample) / (
                    cpu / kgrid.n_points)}
        row |= fixed_costs()
    return row


def command_case(repeat: int, unit: float) -> dict:
    """Wall time of the whole command, in a fresh process each time."""
    orbdiff_command = str(Path(sys.executable).with_name("orbdiff"))
    _seconds([orbdiff_command, *CLI])  # numba caches and page cache warm
    seconds = statistics.median(_seconds([orbdiff_command, *CLI]) for _ in range(repeat))
    return {"case": "CLI", "command": "orbdiff " + " ".join(CLI), "seconds": seconds,
            "calibration_units": seconds / unit}


def memory_case(grid: int, unit: float) -> dict:
    """Peak resident memory of a whole Ta run at one energy (this process only runs it)."""
    model, centre = models()["Ta"]
    kgrid = KGrid(model.crystal, grid)
    seconds, peak, _ = measure(lambda: compute_diffusion(model, kgrid, np.array([centre]),
                                                         GAMMA), 1)
    return {"case": f"M{grid}", "model": "Ta", "grid": grid, "energies": 1, "seconds": seconds,
            "peak_MiB": peak, "calibration_units": seconds / unit}


#: The 18 cubic (bcc, fcc) parameter sets of the issue's screen (hcp sets excluded).
CUBIC_MATERIALS = ("Ag", "Al", "Au", "Co", "Cr", "Cu", "Fe", "Ir", "Mn", "Mo", "Nb", "Ni",
                   "Pd", "Pt", "Rh", "Ta", "V", "W")

#: The README's screen command (66 cases); the database is added per run.
README_SCREEN = ["screen", "--materials", "V,Nb,Ta,Mo,W,Pt", "--soc-scale", "0:1:11",
                 "--grid", "30"]


def screen_case(unit: float, materials: str | None = None) -> dict:
    """The issue's screen in one process: 18 cubic materials × 11 SOC scales at E_F, grid 30.

    Each case as ``material_diffusivity`` computes it (diffusivity with its error
    estimate; no Hall); sets without ξ fail at SOC scales > 0 and are counted.
    """
    registry = orbdiff.Registry()
    names = materials.split(",") if materials else list(CUBIC_MATERIALS)
    scales = np.linspace(0, 1, 11)
    start = time.perf_counter()
    failed = 0
    for name in names:
        for scale in scales:
            try:
                material_diffusivity(name, [0.0], grid=30, gamma=GAMMA, soc_scale=scale,
                                     registry=registry)
            except orbdiff.OrbdiffError:  # e.g. SOC asked of a set without ξ
                failed += 1
    seconds = time.perf_counter() - start
    cases = len(names) * len(scales)
    return {"case": "SCREEN", "materials": len(names), "soc_scales": len(scales), "grid": 30,
            "cases": cases, "failed": failed, "seconds": seconds,
            "seconds_per_case": seconds / cases, "calibration_units": seconds / unit}


def readme_screen_case(unit: float) -> dict:
    """``orbdiff screen --materials V,Nb,Ta,Mo,W,Pt --soc-scale 0:1:11 --grid 30`` as a
    subprocess with a fresh database: start-up, Dask, Hall, store writes included."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        command = [str(Path(sys.executable).with_name("orbdiff")), *README_SCREEN, "--db",
                   str(Path(folder) / "results.db")]
        start = time.perf_counter()
        done = subprocess.run(command, check=True, capture_output=True, text=True)
        seconds = time.perf_counter() - start
    cases = 66
    if f"{cases} cases: {cases} computed" not in done.stdout:
        raise RuntimeError(f"unexpected screen output: {done.stdout!r}")
    return {"case": "README-SCREEN", "cases": cases, "grid": 30, "seconds": seconds,
            "seconds_per_case": seconds / cases, "calibration_units": seconds / unit}


def run_case(case: str, repeat: int, unit: float) -> list[dict]:
    if case in ("B1", "B2"):
        return [full_case(case, repeat, unit)]
    if case == "B3":
        return reference_case(repeat, unit)
    if case == "K":
        return kernel_case(unit)
    if case in ("E1", "E100"):
        return [fermi_only_case(50 if case == "E1" else 100, repeat, unit)]
    if case == "CLI":
        return [command_case(repeat, unit)]
    if case.startswith("M"):
        return [memory_case(int(case[1:]), unit)]
    if case == "SCREEN":
        return [screen_case(unit)]
    if case == "README-SCREEN":
        return [readme_screen_case(unit)]
    return scaling_case(unit)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases",
                        default="K,E1,CLI,B1,B2,E100,M50,M100,M200,M400,SCREEN,README-SCREEN,S")
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
        new = run_case(case, args.repeat, unit)
        for row in new:
            print(json.dumps({k: float(f"{v:.6g}") if isinstance(v, float) else v
                              for k, v in row.items()}), flush=True)
        rows += new


if __name__ == "__main__":
    main()
