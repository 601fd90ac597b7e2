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
from orbdiff.observables import FermiLevel, fermi_level

from .materials import material_diffusivity, relative_to_fermi_level
from .table import format_table


@click.command()
@click.option("--model", "model_name", default=None, help="Registered model, e.g. bcc-p-toy.")
@click.option("--material", default=None, help="Parameter set of a real metal, e.g. Ta.")
@click.option("--wannier", default=None, metavar="SEEDNAME",
              help="Wannier90 model: path without extension (.win + _hr.dat or _tb.dat).")
@click.option("--spinor-ordering", type=click.Choice(["interleaved", "blocks"]),
              default="interleaved", show_default=True,
              help="Wannier90 spinor files: up/down per orbital, or all up then all down.")
@click.option("--fermi-energy", type=float, default=None,
              help="Wannier90: E_F (eV) the energies are measured from (0: absolute).")
@click.option("--electrons", type=float, default=None,
              help="Wannier90: electrons per cell; E_F from the bands.")
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
def diffusivity(model_name, material, wannier, spinor_ordering, fermi_energy, electrons,
                soc_scale, shells, absolute, xi, gamma, grid, energies,
                params, plot_path, output_format, output):
    """Charge, spin and orbital diffusivity tensors vs energy.

    Give either --model (energies on the model's own scale) or --material (energies
    relative to the Fermi level from the valence electron count, unless --absolute),
    or --wannier SEEDNAME with --fermi-energy E or --electrons N.
    """
    if [model_name, material, wannier].count(None) != 2:
        raise OrbdiffClickError("give exactly one of --model NAME, --material NAME or "
                                "--wannier SEEDNAME")
    if wannier is not None:
        model_name, params = "wannier90", _wannier_params(wannier, spinor_ordering, params)
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
        level = _wannier_fermi_level(model, fermi_energy, electrons) if wannier else None
        shift = level.energy if level else 0.0
        result = compute("diffusivity", model, grid=grid, energies=energy_values + shift,
                         gamma=gamma, registry=registry)
        if level:
            result = relative_to_fermi_level(result, level)
    if output:
        result.save(output)
    if plot_path:
        from .plots import plot_diffusivities

        plot_diffusivities(result, plot_path, title=f"{model_name or material}, Γ = {gamma} eV")
    if output_format == "json":
        write_json(result.as_dict())
    else:
        click.echo(format_table(result))


def _wannier_params(seedname, spinor_ordering, params):
    """--wannier goes through the registry's ``wannier90`` model like any --model."""
    return (f"seedname={seedname}", f"spinor_ordering={spinor_ordering}", *params)


def _wannier_fermi_level(model, fermi_energy, electrons) -> FermiLevel | None:
    """E_F given (None for 0: absolute energies) or found from the electron count."""
    if (fermi_energy is None) == (electrons is None):
        raise OrbdiffClickError("--wannier needs exactly one of --fermi-energy E (eV; 0 for "
                                "absolute energies) or --electrons N")
    if electrons is not None:
        return fermi_level(model, finite_option("--electrons", electrons, minimum=0.0,
                                                strict=True))
    finite_option("--fermi-energy", fermi_energy)
    return FermiLevel(fermi_energy, 0.0, 0, ()) if fermi_energy else None
