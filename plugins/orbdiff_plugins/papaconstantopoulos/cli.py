"""Commands ``orbdiff materials``, ``orbdiff bands`` and ``orbdiff dos``."""

from __future__ import annotations

import click
import numpy as np

from orbdiff.api import load_material, load_parameter_set
from orbdiff.cliutils import (
    check_grid,
    check_output_path,
    finite_option,
    get_registry,
    parse_energies,
    reports_errors,
    write_json,
)
from orbdiff.observables import band_energies, fermi_level, projected_dos
from orbdiff.structure import KGrid, standard_path
from orbdiff.units import RYDBERG

_material_options = [
    click.argument("material"),
    click.option("--shells", type=int, default=None, help="Neighbour shells (default: all)."),
    click.option("--soc-scale", type=float, default=1.0, show_default=True,
                 help="Fraction of the set's spin-orbit constant."),
    click.option("--xi", type=float, default=None,
                 help="Explicit ξ (eV, σ·L), overrides the scale."),
]


def material_options(command):
    for option in reversed(_material_options):
        command = option(command)
    return command


@click.command()
@reports_errors
def materials():
    """List the parameter sets with their lattice, SOC, Fermi energy and source."""
    registry = get_registry()
    click.echo(f"{'name':6}{'lattice':>8}{'a (Å)':>9}{'valence':>9}{'ξ σ·L (eV)':>12}"
               f"{'E_F tab (Ry)':>14}  plugin / source")
    for name, record in registry.parameter_sets.records.items():
        ps = load_parameter_set(name, registry=registry)
        xi = "none" if ps.xi is None else f"{ps.xi:.4f}"
        ef = "none" if ps.fermi_energy is None else f"{ps.fermi_energy / RYDBERG:.4f}"
        click.echo(f"{name:6}{ps.structure:>8}{ps.lattice_constant:9.4f}"
                   f"{ps.valence_electrons:9g}{xi:>12}{ef:>14}  {record.plugin}: "
                   f"{ps.provenance.get('source', record.source)}")


def _fermi(model, name):
    ps = load_parameter_set(name, registry=get_registry())
    return fermi_level(model, ps.valence_electrons * len(model.crystal.symbols))


@click.command()
@material_options
@click.option("--npoints", type=click.IntRange(2, 100_000), default=200, show_default=True)
@click.option("--absolute", is_flag=True, help="Raw energies instead of E − E_F.")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), default=None)
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
@reports_errors
def bands(material, shells, soc_scale, xi, npoints, absolute, plot_path, output_format):
    """Band structure along the standard path, with and without SOC."""
    registry = get_registry()
    finite_option("--soc-scale", soc_scale, minimum=0.0)
    check_output_path(plot_path, "--plot")
    with_soc = load_material(material, registry=registry, shells=shells, soc_scale=soc_scale,
                             xi=xi)
    without = load_material(material, registry=registry, shells=shells, soc_scale=0.0)
    path = standard_path(with_soc.crystal, npoints=npoints)
    results = {}
    for label, model in (("soc", with_soc), ("no_soc", without)):
        level = _fermi(model, material)
        shift = 0.0 if absolute else level.energy
        results[label] = {"bands": band_energies(model, path.cartesian) - shift,
                          "fermi_level": level.energy, "fermi_accuracy": level.accuracy}
    if plot_path:
        from .plots import plot_bands

        plot_bands(path, results, plot_path, f"{material}, ξ = {with_soc.parameters['xi']:.3f} eV",
                   absolute)
    if output_format == "json":
        write_json({"material": material, "distance": path.distance.tolist(),
                    "labels": [[x, name] for x, name in path.labels],
                    **{k: {**v, "bands": v["bands"].tolist()} for k, v in results.items()},
                    "units": {"bands": "eV", "distance": "1/Angstrom"}, "absolute": absolute})
        return
    click.echo(f"# {material}: bands in eV {'(absolute)' if absolute else 'relative to E_F'}; "
               f"E_F = {results['soc']['fermi_level']:.4f} eV with SOC, "
               f"{results['no_soc']['fermi_level']:.4f} eV without")
    for x, name in path.labels:
        index = int(np.argmin(abs(path.distance - x)))
        values = " ".join(f"{e:8.3f}" for e in results["soc"]["bands"][index])
        click.echo(f"{name:>3} {values}")


@click.command()
@material_options
@click.option("--gamma", type=float, default=0.1, show_default=True, help="Broadening Γ (eV).")
@click.option("--grid", type=int, default=24, show_default=True)
@click.option("--energies", default="-10:6:321", show_default=True,
              help="Energies (eV) relative to E_F unless --absolute.")
@click.option("--absolute", is_flag=True, help="Raw energies instead of E − E_F.")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), default=None)
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
@reports_errors
def dos(material, shells, soc_scale, xi, gamma, grid, energies, absolute, plot_path,
        output_format):
    """Broadened density of states, total and projected on s, p, d."""
    finite_option("--gamma", gamma, minimum=0.0, strict=True)
    finite_option("--soc-scale", soc_scale, minimum=0.0)
    check_grid(grid)
    check_output_path(plot_path, "--plot")
    values = parse_energies(energies)
    model = load_material(material, registry=get_registry(), shells=shells, soc_scale=soc_scale,
                          xi=xi)
    level = _fermi(model, material)
    shift = 0.0 if absolute else level.energy
    pdos = projected_dos(model, KGrid(model.crystal, grid), values + shift, gamma)
    total = sum(pdos.values())
    if plot_path:
        from .plots import plot_dos

        plot_dos(values, total, pdos, plot_path, f"{material}, Γ = {gamma} eV", absolute)
    if output_format == "json":
        write_json({"material": material, "energies": values.tolist(), "dos": total.tolist(),
                    "projected": {k: v.tolist() for k, v in pdos.items()},
                    "fermi_level": level.energy, "fermi_accuracy": level.accuracy,
                    "units": {"energies": "eV", "dos": "states/eV/cell (both spins)"}})
        return
    click.echo(f"# {material}: E_F = {level.energy:.4f} eV (± {level.accuracy:.1e}); "
               "DOS in states/eV/cell")
    click.echo(f"{'E (eV)':>9}{'total':>10}" + "".join(f"{k:>10}" for k in pdos))
    for i, e in enumerate(values):
        click.echo(f"{e:9.3f}{total[i]:10.4f}" + "".join(f"{v[i]:10.4f}" for v in pdos.values()))
