"""The ``orbdiff diffusivity`` command."""

from __future__ import annotations

import warnings

import click

from orbdiff.api import compute, load_model
from orbdiff.cliutils import (
    OrbdiffClickError,
    check_grid,
    check_model_parameters,
    check_model_source,
    check_output_path,
    finite_option,
    get_registry,
    parse_energies,
    parse_parameters,
    reports_errors,
    wannier_fermi_level,
    wannier_options,
    wannier_parameters,
    write_json,
)
from orbdiff.observables.convergence import ConvergenceWarning, check_convergence_options

from .materials import material_diffusivity, relative_to_fermi_level
from .result import DIFFUSIVITY_UNITS
from .table import format_table


@click.command(epilog="\b\nExamples:\n  orbdiff diffusivity --model bcc-p-toy --xi 0.05 --grid 24 "
                      "\\\n      --energies -1.5:1.5:61 --plot toy.png\n"
                      "  orbdiff diffusivity --material Ta --shells 2 --grid 30 --energies "
                      "-1:1:41 --format json")
@click.option("--model", "model_name", default=None, help="Registered model, e.g. bcc-p-toy.")
@click.option("--material", default=None, help="Parameter set of a real metal, e.g. Ta.")
@wannier_options
@click.option("--soc-scale", type=float, default=None,
              help="Materials: fraction of the set's spin-orbit constant (default 1).")
@click.option("--shells", type=int, default=None, help="Materials: neighbour shells (default all).")
@click.option("--absolute", is_flag=True, help="Materials: raw energies instead of E − E_F.")
@click.option("--xi", type=float, default=None,
              help="Spin-orbit coupling ξ (eV), coefficient of σ·L.")
@click.option("--gamma", type=float, default=0.1, show_default=True, help="Broadening Γ (eV).")
@click.option("--grid", type=int, default=24, show_default=True,
              help="k-points per reciprocal axis (the first grid with --converge).")
@click.option("--converge", "tolerance", type=float, default=None, metavar="TOL",
              help="Grow the grid ×1.25 per step until every component's estimated error "
                   "is ≤ TOL × its scale (0 < TOL < 1).")
@click.option("--max-grid", type=int, default=120, show_default=True,
              help="Largest grid tried by --converge.")
@click.option("--no-error-estimate", is_flag=True,
              help="Skip the second grid (≈ 0.8 × --grid) that estimates k-sampling errors.")
@click.option("--units", type=click.Choice(DIFFUSIVITY_UNITS), default="S/m", show_default=True,
              help="Diffusivity units: conductivity units (S/m) or m2/s (Einstein relation).")
@click.option("--energies", default="-1.5:1.5:61", show_default=True,
              help="Energies (eV): comma list 0.5,0.7 or range start:stop:count.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Model parameter, repeatable (e.g. --param a=3.3).")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), default=None,
              help="Save a PNG of charge/spin/orbital diffusivities vs energy, with error bands.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]),
              default="table", show_default=True, help="Output on standard output.")
@click.option("--output", type=click.Path(dir_okay=False), default=None,
              help="Also save the full result as JSON to this file.")
@reports_errors
def diffusivity(model_name, material, wannier, spinor_ordering, fermi_energy, electrons,
                soc_scale, shells, absolute, xi, gamma, grid, tolerance, max_grid,
                no_error_estimate, units, energies, params, plot_path, output_format, output):
    """Charge, spin and orbital diffusivity tensors vs energy, with k-sampling errors.

    Give either --model (energies on the model's own scale) or --material (energies
    relative to the Fermi level from the valence electron count, unless --absolute),
    or --wannier SEEDNAME with --fermi-energy E or --electrons N.
    """
    check_model_source(model_name, material, wannier, params=params,
                       material_only={"--soc-scale": soc_scale, "--shells": shells,
                                      "--absolute": absolute},
                       wannier_only={"--fermi-energy": fermi_energy, "--electrons": electrons})
    if wannier is not None:
        model_name, params = "wannier90", wannier_parameters(wannier, spinor_ordering, params)
    finite_option("--xi", xi, minimum=0.0)
    finite_option("--gamma", gamma, minimum=0.0, strict=True)
    finite_option("--soc-scale", soc_scale, minimum=0.0)
    check_grid(grid)
    _check_convergence(tolerance, grid, max_grid, no_error_estimate)
    check_output_path(plot_path, "--plot")
    check_output_path(output, "--output")
    registry = get_registry()
    energy_values = parse_energies(energies)
    settings = {"grid": grid, "gamma": gamma, "registry": registry, "converge": tolerance,
                "max_grid": max_grid, "error_estimate": not no_error_estimate}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        if material is not None:
            result = material_diffusivity(material, energy_values, shells=shells,
                                          soc_scale=1.0 if soc_scale is None else soc_scale,
                                          xi=xi, absolute=absolute, **settings)
        else:
            model = load_model(model_name, registry=registry,
                               **_model_parameters(registry, model_name, params, xi))
            level = wannier_fermi_level(model, fermi_energy, electrons) if wannier else None
            shift = level.energy if level else 0.0
            result = compute("diffusivity", model, energies=energy_values + shift, **settings)
            if level:
                result = relative_to_fermi_level(result, level)
    for warning in caught:
        if issubclass(warning.category, ConvergenceWarning):
            click.echo(f"Warning: {warning.message}", err=True)
    result = result.in_units(units)
    _write(result, model_name or material, gamma, plot_path, output_format, output)


def _check_convergence(tolerance, grid, max_grid, no_error_estimate) -> None:
    if tolerance is not None:
        if no_error_estimate:
            raise OrbdiffClickError("--converge: needs the error estimate; drop "
                                    "--no-error-estimate")
        finite_option("--converge", tolerance)
    try:
        check_convergence_options(tolerance, grid, max_grid)
    except ValueError as exc:  # name the options as the user typed them
        message = str(exc).replace("converge:", "--converge:").replace("max_grid:", "--max-grid:")
        raise OrbdiffClickError(message) from None


def _model_parameters(registry, model_name, params, xi) -> dict:
    parameters = parse_parameters(params)
    if xi is not None:
        if "xi" in parameters:
            raise OrbdiffClickError(f"--xi: got {xi!r} and --param xi={parameters['xi']!r}; "
                                    f"expected ξ given once (--xi or --param xi=...)")
        parameters["xi"] = xi
    check_model_parameters(registry, model_name, parameters)
    return parameters


def _write(result, name, gamma, plot_path, output_format, output) -> None:
    if output:
        result.save(output)
    if plot_path:
        from .plots import plot_diffusivities, plot_title

        plot_diffusivities(result, plot_path, title=plot_title(result, name, gamma))
    if output_format == "json":
        write_json(result.as_dict())
    else:
        click.echo(format_table(result))

