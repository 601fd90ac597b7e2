"""The ``orbdiff diffusivity`` command."""

from __future__ import annotations

import click

from orbdiff.api import compute, load_model
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

from .materials import material_diffusivity
from .table import format_table


@click.command(epilog="\b\nExamples:\n  orbdiff diffusivity --model bcc-p-toy --xi 0.05 --grid 24 "
                      "\\\n      --energies -1.5:1.5:61 --plot toy.png\n"
                      "  orbdiff diffusivity --material Ta --shells 2 --grid 30 --energies "
                      "-1:1:41 --format json")
@click.option("--model", "model_name", default=None, help="Registered model, e.g. bcc-p-toy.")
@click.option("--material", default=None, help="Parameter set of a real metal, e.g. Ta.")
@click.option("--soc-scale", type=float, default=1.0, show_default=True,
              help="Materials: fraction of the set's spin-orbit constant.")
@click.option("--shells", type=int, default=None, help="Materials: neighbour shells (default all).")
@click.option("--absolute", is_flag=True, help="Materials: raw energies instead of E − E_F.")
@click.option("--xi", type=float, default=None,
              help="Spin-orbit coupling ξ (eV), coefficient of σ·L.")
@click.option("--gamma", type=float, default=0.1, show_default=True, help="Broadening Γ (eV).")
@click.option("--grid", type=int, default=24, show_default=True,
              help="k-points per reciprocal axis.")
@click.option("--energies", default="-1.5:1.5:61", show_default=True,
              help="Energies (eV): comma list 0.5,0.7 or range start:stop:count.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Model parameter, repeatable (e.g. --param a=3.3).")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), default=None,
              help="Save a PNG of charge/spin/orbital diffusivities vs energy.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]),
              default="table", show_default=True, help="Output on standard output.")
@click.option("--output", type=click.Path(dir_okay=False), default=None,
              help="Also save the full result as JSON to this file.")
@reports_errors
def diffusivity(model_name, material, soc_scale, shells, absolute, xi, gamma, grid, energies,
                params, plot_path, output_format, output):
    """Charge, spin and orbital diffusivity tensors vs energy.

    Give either --model (energies on the model's own scale) or --material (energies
    relative to the Fermi level from the valence electron count, unless --absolute).
    """
    if (model_name is None) == (material is None):
        raise OrbdiffClickError("give exactly one of --model NAME or --material NAME")
    finite_option("--xi", xi, minimum=0.0)
    finite_option("--gamma", gamma, minimum=0.0, strict=True)
    finite_option("--soc-scale", soc_scale, minimum=0.0)
    check_grid(grid)
    check_output_path(plot_path, "--plot")
    check_output_path(output, "--output")
    registry = get_registry()
    energy_values = parse_energies(energies)
    if material is not None:
        if params:
            raise OrbdiffClickError("--param applies to --model; materials take --soc-scale, "
                                    "--shells and --xi")
        result = material_diffusivity(material, energy_values, grid=grid, gamma=gamma,
                                      shells=shells, soc_scale=soc_scale, xi=xi,
                                      absolute=absolute, registry=registry)
    else:
        parameters = parse_parameters(params)
        if xi is not None:
            parameters["xi"] = xi
        check_model_parameters(registry, model_name, parameters)
        model = load_model(model_name, registry=registry, **parameters)
        result = compute("diffusivity", model, grid=grid, energies=energy_values, gamma=gamma,
                         registry=registry)
    if output:
        result.save(output)
    if plot_path:
        from .plots import plot_diffusivities

        plot_diffusivities(result, plot_path, title=f"{model_name or material}, Γ = {gamma} eV")
    if output_format == "json":
        write_json(result.as_dict())
    else:
        click.echo(format_table(result))
