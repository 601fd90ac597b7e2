"""The ``orbdiff diffusivity`` command."""

from __future__ import annotations

from dataclasses import replace

import click

from orbdiff.api import compute, load_material, load_model, load_parameter_set
from orbdiff.cliutils import (
    OrbdiffClickError,
    check_grid,
    check_model_parameters,
    finite_option,
    get_registry,
    parse_energies,
    parse_parameters,
    reports_errors,
    write_json,
)
from orbdiff.observables import FermiLevel, fermi_level

from .result import DiffusivityResult
from .table import format_table


def relative_to_fermi_level(result: DiffusivityResult, level: FermiLevel | None):
    """The same result with energies measured from the Fermi level ``level``."""
    if level is None:
        return result
    inputs = {**result.inputs, "fermi_level": level.energy, "fermi_accuracy": level.accuracy,
              "fermi_grid": level.grid}
    return replace(result, energies=result.energies - level.energy, inputs=inputs,
                   fermi_level=level.energy)


def material_model(registry, material, shells, soc_scale, xi, absolute):
    """The model of a real metal and, unless ``absolute``, its Fermi level."""
    model = load_material(material, registry=registry, shells=shells, soc_scale=soc_scale, xi=xi)
    if absolute:
        return model, None
    electrons = load_parameter_set(material, registry=registry).valence_electrons
    return model, fermi_level(model, electrons * len(model.crystal.symbols))


@click.command()
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
              default="table", show_default=True)
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
    registry = get_registry()
    energy_values = parse_energies(energies)
    level = None
    if material is not None:
        if params:
            raise OrbdiffClickError("--param applies to --model; materials take --soc-scale, "
                                    "--shells and --xi")
        model, level = material_model(registry, material, shells, soc_scale, xi, absolute)
    else:
        parameters = parse_parameters(params)
        if xi is not None:
            parameters["xi"] = xi
        check_model_parameters(registry, model_name, parameters)
        model = load_model(model_name, registry=registry, **parameters)
    shift = 0.0 if level is None else level.energy
    result = compute("diffusivity", model, grid=grid, energies=energy_values + shift,
                     gamma=gamma, registry=registry)
    result = relative_to_fermi_level(result, level)
    if output:
        result.save(output)
    if plot_path:
        from .plots import plot_diffusivities

        plot_diffusivities(result, plot_path, title=f"{model.name}, Γ = {gamma} eV")
    if output_format == "json":
        write_json(result.as_dict())
    else:
        click.echo(format_table(result))
