"""Commands ``orbdiff screen``, ``orbdiff query`` and ``orbdiff plot-screen``."""

from __future__ import annotations

import math
import time
from pathlib import Path

import click
import numpy as np

from orbdiff.api import load_parameter_set
from orbdiff.cliutils import (
    check_grid,
    check_output_path,
    finite_option,
    get_registry,
    parse_energies,
    reports_errors,
)
from orbdiff.errors import InputError
from orbdiff.validation import GAMMA_RANGE

from .cases import ScreeningCase, expand_cases, expand_wannier_cases
from .runner import run_screen
from .spec import read_spec
from .store import DEFAULT_DATABASE, ResultsStore
from .wannier import WannierSource, wannier_model

QUERY_COLUMNS = ("material", "soc_scale", "gamma", "grid", "status", "P_l", "P_s", "eta_ll",
                 "D_charge", "D_spin", "D_orbital", "SHC", "OHC")


def _numbers(text: str, option: str) -> list[float]:
    return [float(v) for v in parse_energies(text, option)]


@click.command(epilog="\b\nExamples:\n  orbdiff screen --materials V,Nb,Ta,Mo,W,Pt "
                      "--soc-scale 0:1:11 --grid 30 --db results.db")
@click.option("--materials", default=None, help="Comma list of parameter sets, e.g. V,Nb,Ta.")
@click.option("--soc-scale", "soc_scale", default="1", show_default=True,
              help="SOC scales: comma list or start:stop:count.")
@click.option("--gamma", default="0.1", show_default=True, help="Broadenings Γ (eV), comma list.")
@click.option("--grid", type=int, default=None, help="k-points per axis (default 30).")
@click.option("--shells", type=int, default=None, help="Neighbour shells (default: all).")
@click.option("--energies", default=None, help="Energies from E_F (eV); default 0.")
@click.option("--db", default=None, help=f"Database file or ase.db URL [{DEFAULT_DATABASE}].")
@click.option("--spec", "spec_path", type=click.Path(dir_okay=False), default=None,
              help="TOML campaign file with a [screen] table (options override it).")
@click.option("--scheduler", default=None,
              help="tcp://HOST:PORT of a running Dask scheduler (default: in-process).")
@click.option("--dashboard", is_flag=True,
              help="Serve the in-process cluster's Dask dashboard on 127.0.0.1:8787.")
@click.option("--converge", "tolerance", type=float, default=None, metavar="TOL",
              help="Grow each case's grid from --grid until every estimated error is ≤ TOL × "
                   "its scale (0 < TOL < 1; also the spec key converge).")
@reports_errors
def screen(materials, soc_scale, gamma, grid, shells, energies, db, spec_path, scheduler,
           dashboard, tolerance):
    """Screen materials × SOC scales × broadenings; resumable, results in an ase.db.

    Exits with status 1 when any case failed (the failures are listed on stderr).
    """
    spec = read_spec(spec_path) if spec_path is not None else {}
    names = materials.split(",") if materials is not None else spec.get("materials", [])
    if not names and "wannier" not in spec:
        raise InputError("--materials: give a comma list of parameter sets (or --spec with "
                         "materials or [[screen.wannier]] tables)")
    registry = get_registry()
    unknown = [n for n in names if n not in registry.parameter_sets]
    if unknown:
        raise InputError(f"--materials: unknown parameter set {unknown[0]!r}; known: "
                         f"{', '.join(registry.parameter_sets)}")
    scales = _spec_or_option(spec, "soc_scale", soc_scale, "--soc-scale", "1")
    if any(s < 0 for s in scales):
        raise InputError(f"--soc-scale: got {soc_scale!r}; expected scales ≥ 0")
    gammas = _spec_or_option(spec, "gamma", gamma, "--gamma", "0.1")
    for value in gammas:
        finite_option("--gamma", value, minimum=GAMMA_RANGE[0], limit=GAMMA_RANGE[1])
    grid = check_grid(grid if grid is not None else spec.get("grid", 30))
    shells = shells if shells is not None else spec.get("shells")
    for name in names:  # reject a bad shell count now, not as failed cases
        available = len(load_parameter_set(name, registry=registry).shells)
        if shells is not None and not 1 <= shells <= available:
            raise InputError(f"--shells: got {shells}; set {name!r} has 1 to {available} shells")
    energy_values = (_numbers(energies, "--energies") if energies is not None
                     else spec.get("energies", [0.0]))
    store = ResultsStore(db if db is not None else spec.get("db", DEFAULT_DATABASE))
    tolerance = tolerance if tolerance is not None else spec.get("converge")
    if tolerance is not None and not (math.isfinite(tolerance) and 0 < tolerance < 1):
        raise InputError(f"--converge: got {tolerance!r}; expected a tolerance between 0 and 1")
    sources = _wannier_sources(spec_path, spec.get("wannier", []), registry)
    cases = expand_cases(names, scales, gammas, grid, shells, energy_values, registry,
                         converge=tolerance) if names else []
    cases += expand_wannier_cases(sources, gammas, grid, energy_values, converge=tolerance)
    start = time.perf_counter()
    summary = run_screen(cases, store, scheduler=scheduler, registry=registry,
                         dashboard=dashboard)
    click.echo(f"{len(cases)} cases: {summary.computed} computed, {summary.skipped} already "
               f"stored, {summary.failed} failed ({time.perf_counter() - start:.1f} s); "
               f"results in {store.address}")
    for case, message in summary.failures[:20]:
        click.echo(f"failed: {_describe(case)}, Γ {case.gamma:g} eV: {message}", err=True)
    if summary.failed:
        click.echo(f"{summary.failed} cases failed; `orbdiff query --db {store.address} "
                   "status=failed` shows them; a rerun retries them", err=True)
        click.get_current_context().exit(1)


def _describe(case: ScreeningCase) -> str:
    if case.wannier is not None:
        return f"{case.material} (wannier90 {case.wannier.seedname})"
    return f"{case.material}, soc_scale {case.soc_scale:g}"


def _wannier_sources(spec_path, entries, registry) -> dict[str, WannierSource]:
    """The spec's Wannier90 models by name; each is built once here to check its files."""
    sources = {}
    for entry in entries:
        xi = entry["xi"]
        source = WannierSource(
            entry["seedname"], entry["spinor_ordering"],
            None if entry["fermi_energy"] is None else float(entry["fermi_energy"]),
            None if entry["electrons"] is None else float(entry["electrons"]),
            tuple(sorted((k, float(v)) for k, v in xi.items())) if isinstance(xi, dict)
            else float(xi))
        try:
            wannier_model(source, registry)
        except InputError as exc:
            raise InputError(f"{spec_path}: [[screen.wannier]] {entry['name']!r}: {exc}") from None
        sources[entry["name"]] = source
    return sources


def _spec_or_option(spec, key, text, option, default):
    if text != default or key not in spec:
        return _numbers(text, option)
    value = spec[key]
    return _numbers(value, option) if isinstance(value, str) else [float(v) for v in value]


@click.command(epilog="\b\nExamples:\n  orbdiff query --db results.db \"P_s>0.5\"\n"
                      "  orbdiff query --db results.db material=Ta --columns material,P_l,P_s")
@click.argument("selection", default="")
@click.option("--db", default=DEFAULT_DATABASE, show_default=True,
              help="Database file or ase.db URL.")
@click.option("--columns", default=",".join(QUERY_COLUMNS), show_default=True,
              help="Comma list of the columns to print.")
@reports_errors
def query(selection, db, columns):
    """Print the stored cases matching an ase.db SELECTION, e.g. "P_s>0.5,material=Ta"."""
    store = _existing_store(db)
    names = [c.strip() for c in columns.split(",") if c.strip()]
    known = set(store.columns()) | {"id"}
    unknown = [name for name in names if name not in known and name not in QUERY_COLUMNS]
    if not names or unknown:
        reason = f"{unknown[0]!r} is not a column; " if unknown else ""
        raise InputError(f"--columns: got {columns!r}; {reason}expected a comma list of: "
                         f"{', '.join(sorted(known))}")
    rows = store.select(selection)
    widths = [max(12, len(name)) for name in names]
    click.echo(" ".join(f"{name:>{w}}" for name, w in zip(names, widths, strict=True)))
    for row in rows:
        click.echo(" ".join(_cell(row.get(name), w) for name, w in zip(names, widths,
                                                                      strict=True)))
        if row.get("status") == "failed":
            click.echo(f"{'':>12} error: {row.get('error')}")
    click.echo(f"{len(rows)} rows")


def _existing_store(db: str) -> ResultsStore:
    if not Path(db).exists() and "://" not in db:
        raise InputError(f"--db: no database at {db!r}")
    return ResultsStore(db)


def _cell(value, width: int = 12) -> str:
    if value is None:
        return f"{'-':>{width}}"
    if isinstance(value, float):
        return f"{value:{width}.5g}"
    return f"{value!s:>{width}}"


@click.command("plot-screen", epilog="\b\nExamples:\n  orbdiff plot-screen --db results.db "
                                     "--plot screen.png")
@click.option("--db", default=DEFAULT_DATABASE, show_default=True,
              help="Database file or ase.db URL.")
@click.option("--gamma", type=float, default=None, help="Only this broadening (eV).")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), required=True,
              help="Image file to write (PNG, PDF, SVG).")
@reports_errors
def plot_screen(db, gamma, plot_path):
    """Plot P_l and P_s versus SOC scale, one line per material (and Γ)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    finite_option("--gamma", gamma, minimum=0.0, strict=True)
    check_output_path(plot_path, "--plot")
    store = _existing_store(db)
    rows = store.select(status="ok")
    if gamma is not None:
        rows = [r for r in rows if abs(r.get("gamma", math.nan) - gamma) < 1e-12]
    rows = [r for r in rows if all(key in r for key in ("P_l", "P_s", "soc_scale",
                                                          "material", "gamma"))]
    if not rows:
        raise InputError(f"--db: no finished screening rows (with P_l, P_s, soc_scale) in "
                         f"{db!r} to plot" + ("" if gamma is None else f" at Γ = {gamma:g} eV"))
    fig, axes = plt.subplots(1, 2, figsize=(11, 4), constrained_layout=True)
    for (material, g) in sorted({(r.material, r.gamma) for r in rows}):
        mine = sorted((r for r in rows if r.material == material and r.gamma == g),
                      key=lambda r: r.soc_scale)
        scales = np.array([r.soc_scale for r in mine])
        axes[0].plot(scales, [r.P_l for r in mine], "-o", label=f"{material}, Γ={g:g}")
        axes[1].plot(scales, [r.P_s for r in mine], "-o", label=f"{material}, Γ={g:g}")
    for ax, name in zip(axes, ("P_l (spin → orbit)", "P_s (orbit → spin)"), strict=True):
        ax.set(xlabel="SOC scale (fraction of the set's ξ)", ylabel=name)
        ax.legend(fontsize=7, ncol=2)
    fig.savefig(plot_path, dpi=120)
    plt.close(fig)
    click.echo(f"wrote {plot_path}")
