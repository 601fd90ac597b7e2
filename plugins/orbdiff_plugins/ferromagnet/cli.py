"""The ``orbdiff precession`` command."""

from __future__ import annotations

import math
import signal

import click

from orbdiff.api import load_model
from orbdiff.cliutils import (
    OrbdiffClickError,
    check_grid,
    check_model_parameters,
    check_output_path,
    finite_option,
    get_registry,
    parse_energies,
    parse_parameters,
    reports_errors,
    write_json,
)
from orbdiff.errors import invalid
from orbdiff.store import ResultsStore, signals_interrupt
from orbdiff.validation import GAMMA_RANGE

from .sweep import precession_sweep


def parse_scales(items: tuple[str, ...]) -> dict[float, float]:
    """``J=FACTOR`` pairs for the plot (e.g. ``1=100``)."""
    scales = {}
    for item in items:
        j, sep, factor = item.partition("=")
        try:
            scales[float(j)] = float(factor)
        except ValueError:
            raise invalid("--scale", item, "J=FACTOR with numbers, e.g. 1=100") from None
        if not sep or not all(map(math.isfinite, (float(j), float(factor)))):
            raise invalid("--scale", item, "J=FACTOR with numbers, e.g. 1=100")
    return scales


@click.command(epilog="\b\nExamples:\n  orbdiff precession --model bcc-p-toy --xi 0.05 "
                      "--exchange 0.1,0.5,1 \\\n      --theta 0:180:37 --grid 30 --plot fig5.png")
@click.option("--model", "model_name", required=True, help="Registered model, e.g. bcc-p-toy.")
@click.option("--xi", type=float, default=None, help="Spin-orbit coupling ξ (eV).")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Model parameter, repeatable (e.g. --param a=3.3).")
@click.option("--exchange", default="0.1,0.5,1", show_default=True,
              help="Exchange energies J (eV): comma list or start:stop:count.")
@click.option("--theta", default="0:180:37", show_default=True,
              help="Polar angles of m (degrees from +z): comma list or start:stop:count.")
@click.option("--phi", type=float, default=0.0, show_default=True,
              help="Azimuth of the rotation plane (degrees; 0 = x–z plane).")
@click.option("--energy", type=float, default=0.5, show_default=True, help="Energy (eV).")
@click.option("--gamma", type=float, default=0.1, show_default=True, help="Broadening Γ (eV).")
@click.option("--grid", type=int, default=30, show_default=True,
              help="k-points per reciprocal axis.")
@click.option("--store", "--db", "store", type=click.Path(dir_okay=False), default=None,
              help="ase.db results store (file or URL): each case is written as it finishes "
                   "and reused by later runs. Default: nothing is written.")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), default=None,
              help="Save a PNG of the spin diffusivities versus θ.")
@click.option("--scale", "scales", multiple=True, metavar="J=FACTOR",
              help="Multiply the plotted curves of one J (e.g. --scale 1=100).")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]),
              default="table", help="Output on standard output.")
@reports_errors
def precession(model_name, xi, params, exchange, theta, phi, energy, gamma, grid, store,
               plot_path, scales, output_format):
    """Spin diffusion in a ferromagnet: rotate m from +z to −z (Supplement Fig. 5).

    Accepted ranges: |J|, |ξ|, |energy| ≤ 1000 eV; 1e-6 ≤ Γ ≤ 1000 eV; |θ|, |φ| ≤ 360°.
    """
    for option, value in (("--energy", energy), ("--xi", xi)):
        finite_option(option, value)
    finite_option("--phi", phi, limit=360)
    finite_option("--gamma", gamma, minimum=GAMMA_RANGE[0], limit=GAMMA_RANGE[1])
    check_grid(grid)
    check_output_path(plot_path, "--plot")
    exchanges = parse_energies(exchange, "--exchange")
    angles = parse_energies(theta, "--theta", limit=360)
    factors = parse_scales(scales)
    registry = get_registry()
    parameters = parse_parameters(params)
    if xi is not None:
        parameters["xi"] = xi
    check_model_parameters(registry, model_name, parameters)
    model = load_model(model_name, registry=registry, **parameters)
    results = None
    if store is not None:
        if "://" not in store:
            check_output_path(store, "--store")
        results = ResultsStore(store, option="--store")
    with signals_interrupt() as received:
        try:
            result = precession_sweep(model, exchanges, angles, phi=phi, energy=energy,
                                      grid=grid, gamma=gamma, store=results, registry=registry)
        except KeyboardInterrupt:
            signum = received[-1] if received else signal.SIGINT
            kept = f"cases stored so far are in {store}; rerun to resume" if store else \
                "nothing was stored (use --store to keep finished cases)"
            error = OrbdiffClickError(f"interrupted by {signal.Signals(signum).name}; {kept}")
            error.exit_code = 128 + signum
            raise error from None
    click.echo(f"{result.computed} cases computed, {result.reused} reused"
               + (f"; stored in {store}" if store else ""), err=True)
    if plot_path:
        from .plots import plot_precession

        plot_precession(result, plot_path, factors, f"{model_name}, ε = {energy} eV, "
                                                    f"Γ = {gamma} eV")
    if output_format == "json":
        write_json(result.as_dict())
        return
    click.echo(f"# {model_name}, E = {energy} eV, Γ = {gamma} eV, grid {grid}, φ = {phi}°; "
               "S/m")
    click.echo(f"{'J (eV)':>8}{'θ (deg)':>9}{'Dsx.sx':>12}{'Dsy.sy':>12}{'Dsz.sz':>12}")
    sx, sy, sz = (result.D(f"{a} x", f"{a} x") for a in ("sx", "sy", "sz"))
    for n, j in enumerate(result.exchange):
        for t, angle in enumerate(result.angles):
            click.echo(f"{j:8.3f}{angle:9.1f}{sx[n, t]:12.4g}{sy[n, t]:12.4g}{sz[n, t]:12.4g}")
