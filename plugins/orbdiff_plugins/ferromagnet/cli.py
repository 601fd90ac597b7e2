"""The ``orbdiff precession`` command."""

from __future__ import annotations

import math
import signal

import click

from orbdiff.cliutils import (
    OrbdiffClickError,
    check_grid,
    check_model_source,
    check_output_path,
    finite_option,
    get_registry,
    parse_energies,
    reports_errors,
    wannier_options,
    write_json,
)
from orbdiff.errors import invalid
from orbdiff.observables.moments import DEFAULT_SMEARING
from orbdiff.store import ResultsStore, signals_interrupt
from orbdiff.validation import GAMMA_RANGE

from .exchange import EXCHANGE_SHELLS
from .source import magnet_source as _magnet_source
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
                      "--exchange 0.1,0.5,1 \\\n      --theta 0:180:37 --grid 30 --plot fig5.png\n"
                      "  orbdiff precession --material Fe --moment 2.2 --theta 0:180:19 "
                      "--grid 30 --plot fe.png")
@click.option("--model", "model_name", default=None, help="Registered model, e.g. bcc-p-toy.")
@click.option("--material", default=None,
              help="Parameter set of a real metal, e.g. Fe, Ni, Pt, or a spin-polarized Fe-fm.")
@wannier_options
@click.option("--soc-scale", type=float, default=None,
              help="Materials: fraction of the set's spin-orbit constant (default 1).")
@click.option("--shells", type=int, default=None, help="Materials: neighbour shells (default all).")
@click.option("--xi", type=float, default=None, help="Spin-orbit coupling ξ (eV).")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Model parameter, repeatable (e.g. --param a=3.3).")
@click.option("--exchange", default=None,
              help="Exchange energies J (eV) of J σ·m: comma list or start:stop:count "
                   "(default 0.1,0.5,1 for --model, 0 for a spin-polarized set).")
@click.option("--moment", type=float, default=None,
              help="Instead of --exchange: target spin moment (μ_B per atom); J is solved at "
                   "the first θ with the Fermi level re-found at each trial J.")
@click.option("--exchange-shells", type=click.Choice(EXCHANGE_SHELLS), default=None,
              help="Orbitals with exchange: the d orbitals of every atom (default for "
                   "--material and --wannier) or all (default for --model).")
@click.option("--theta", default="0:180:37", show_default=True,
              help="Polar angles of m (degrees from +z): comma list or start:stop:count.")
@click.option("--phi", type=float, default=0.0, show_default=True,
              help="Azimuth of the rotation plane (degrees; 0 = x–z plane).")
@click.option("--energy", type=float, default=None,
              help="Energy (eV): absolute for --model (default 0.5), else E − E_F of the "
                   "magnetic model (default 0).")
@click.option("--smearing", type=float, default=DEFAULT_SMEARING, show_default=True,
              help="Fermi–Dirac width k_B T (eV) of the moments and the Fermi level.")
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
def precession(model_name, material, wannier, spinor_ordering, fermi_energy, electrons,
               soc_scale, shells, xi, params, exchange, moment, exchange_shells, theta, phi,
               energy, smearing, gamma, grid, store, plot_path, scales, output_format):
    """Spin diffusion in a ferromagnet: rotate m from +z to −z (Supplement Fig. 5).

    Give one of --model (energies absolute), --material (energies from the Fermi level
    of each magnetic model, found from the valence electron count) or --wannier
    SEEDNAME with --electrons N (or a fixed --fermi-energy E). The exchange J σ·m is
    given as --exchange or found from a target --moment.

    Accepted ranges: |J|, |ξ|, |energy| ≤ 1000 eV; 1e-6 ≤ Γ ≤ 1000 eV; |θ|, |φ| ≤ 360°.
    """
    check_model_source(model_name, material, wannier, params=params,
                       material_only={"--soc-scale": soc_scale, "--shells": shells},
                       wannier_only={"--fermi-energy": fermi_energy, "--electrons": electrons})
    for option, value in (("--energy", energy), ("--xi", xi), ("--moment", moment)):
        finite_option(option, value)
    finite_option("--phi", phi, limit=360)
    finite_option("--gamma", gamma, minimum=GAMMA_RANGE[0], limit=GAMMA_RANGE[1])
    finite_option("--smearing", smearing, minimum=1e-4, limit=1.0)
    finite_option("--soc-scale", soc_scale, minimum=0.0)
    check_grid(grid)
    check_output_path(plot_path, "--plot")
    angles = parse_energies(theta, "--theta", limit=360)
    factors = parse_scales(scales)
    registry = get_registry()
    source = _magnet_source(registry, model_name, material, wannier, spinor_ordering,
                            fermi_energy, electrons, soc_scale, shells, xi, params)
    exchanges = _exchanges(exchange, moment, source)
    if exchange_shells is None:
        exchange_shells = "all" if model_name else "d"
    if energy is None:
        energy = 0.5 if model_name else 0.0
    results = None
    if store is not None:
        if "://" not in store:
            check_output_path(store, "--store")
        results = ResultsStore(store, option="--store")
    with signals_interrupt() as received:
        try:
            result = precession_sweep(source.model, exchanges, angles, phi=phi, energy=energy,
                                      grid=grid, gamma=gamma, store=results, registry=registry,
                                      exchange_shells=exchange_shells, moment=moment,
                                      electrons=source.electrons,
                                      fermi_level=source.fermi_level, smearing=smearing,
                                      material=material)
        except KeyboardInterrupt:
            signum = received[-1] if received else signal.SIGINT
            kept = f"cases stored so far are in {store}; rerun to resume" if store else \
                "nothing was stored (use --store to keep finished cases)"
            error = OrbdiffClickError(f"interrupted by {signal.Signals(signum).name}; {kept}")
            error.exit_code = 128 + signum
            raise error from None
    click.echo(f"{result.computed} cases computed, {result.reused} reused"
               + (f"; stored in {store}" if store else ""), err=True)
    label = source.label
    where = f"E − E_F = {energy} eV" if source.relative else f"ε = {energy} eV"
    if moment is not None:
        where += f", M_s = {moment:g} μ_B"
    if plot_path:
        from .plots import plot_precession

        plot_precession(result, plot_path, factors, f"{label}, {where}, Γ = {gamma} eV")
    if output_format == "json":
        write_json(result.as_dict())
        return
    _print_table(result, label, where, gamma, grid, phi)


def _print_table(result, label, where, gamma, grid, phi) -> None:
    click.echo(f"# {label}, {where}, Γ = {gamma} eV, grid {grid}, φ = {phi}°; "
               "D in S/m, moments in μ_B/atom, E_F in eV")
    click.echo(f"{'J (eV)':>10}{'θ (deg)':>9}{'M_s':>9}{'M_l':>9}{'E_F':>10}"
               f"{'Dsx.sx':>12}{'Dsy.sy':>12}{'Dsz.sz':>12}")
    sx, sy, sz = (result.D(f"{a} x", f"{a} x") for a in ("sx", "sy", "sz"))
    for n, j in enumerate(result.exchange):
        for t, angle in enumerate(result.angles):
            click.echo(f"{j:10.5f}{angle:9.1f}{result.moment[n, t]:9.4f}"
                       f"{result.orbital_moment[n, t]:9.4f}{result.fermi_level[n, t]:10.4f}"
                       f"{sx[n, t]:12.4g}{sy[n, t]:12.4g}{sz[n, t]:12.4g}")


def _exchanges(exchange, moment, source):
    """The J list (eV), or None when ``--moment`` asks for J to be solved."""
    if exchange is not None and moment is not None:
        raise OrbdiffClickError("give either --exchange J-list or --moment M, not both")
    if moment is not None:
        if source.spin_polarized:
            raise OrbdiffClickError(
                f"--moment: {source.label} is a spin-polarized set whose own exchange "
                "splitting sets the moment; drop --moment (or add extra J with --exchange)")
        if source.electrons is None:
            raise OrbdiffClickError("--moment: needs an electron count to find the Fermi "
                                    "level: use --material, or --wannier with --electrons N")
        return None
    if exchange is None:
        if source.spin_polarized:
            exchange = "0"
        elif source.relative:
            raise OrbdiffClickError(f"{source.label}: give the exchange J (eV) with "
                                    "--exchange J-list, or a target spin moment with --moment M")
        else:
            exchange = "0.1,0.5,1"
    return list(parse_energies(exchange, "--exchange"))
