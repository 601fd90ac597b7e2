"""The ``orbdiff hall`` command."""

from __future__ import annotations

from dataclasses import replace

import click

from orbdiff.api import load_model
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
from orbdiff.errors import invalid
from orbdiff.observables import FermiLevel

from .result import HallResult
from .run import material_hall, model_hall
from .table import format_table


@click.command(epilog="\b\nExamples:\n"
               "  orbdiff hall --material Pt --shells 2 --soc-scale 1 --gamma 0.1 --grid 40 "
               "--energies 0\n"
               "  orbdiff hall --material Pt --shells 2 --grid 50 --energies -1:1:41 "
               "--plot pt_hall.png\n"
               "  orbdiff hall --model bcc-p-toy --xi 0.05 --formula intrinsic --energies 0.5 "
               "--format json\n"
               "  orbdiff hall --wannier bcc_sp --electrons 1 --grid 20 --energies -0.5:0.5:11")
@click.option("--model", "model_name", default=None, help="Registered model, e.g. bcc-p-toy.")
@click.option("--material", default=None, help="Parameter set of a real metal, e.g. Pt.")
@wannier_options
@click.option("--soc-scale", type=float, default=None,
              help="Materials: fraction of the set's spin-orbit constant (default 1).")
@click.option("--shells", type=int, default=None, help="Materials: neighbour shells (default all).")
@click.option("--absolute", is_flag=True, help="Materials: raw energies instead of E − E_F.")
@click.option("--xi", type=float, default=None,
              help="Spin-orbit coupling ξ (eV), coefficient of σ·L.")
@click.option("--gamma", type=float, default=0.1, show_default=True, help="Broadening Γ (eV).")
@click.option("--grid", type=int, default=24, show_default=True,
              help="k-points per reciprocal axis.")
@click.option("--energies", default="0", show_default=True,
              help="Energies (eV): comma list 0.5,0.7 or range start:stop:count.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Model parameter, repeatable (e.g. --param xi=0.05).")
@click.option("--formula", type=click.Choice(["bastin", "intrinsic"]), default="bastin",
              show_default=True, help="Full Kubo–Bastin or the broadened intrinsic formula.")
@click.option("--units", type=click.Choice(["S/cm", "S/m"]), default="S/cm", show_default=True,
              help="Conductivity unit (spin and orbital ones in ħ/e of it).")
@click.option("--no-error-estimate", is_flag=True,
              help="Skip the second grid (≈ 0.8 × grid) of the k-sampling error.")
@click.option("--converge", "converge_to", type=float, default=None,
              help="Relative tolerance in (0, 1): grow the grid until converged.")
@click.option("--max-grid", type=int, default=120, show_default=True,
              help="Largest grid tried by --converge.")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), default=None,
              help="Save a PNG of σ^{s_z}_{xy} and σ^{l_z}_{xy} vs energy.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]),
              default="table", show_default=True,
              help="table: σ^{s_z}_{xy} and σ^{l_z}_{xy} with errors; json: every tensor.")
@click.option("--output", type=click.Path(dir_okay=False), default=None,
              help="Also save the full result as JSON to this file.")
@reports_errors
def hall(model_name, material, wannier, spinor_ordering, fermi_energy, electrons, soc_scale,
         shells, absolute, xi, gamma, grid, energies, params, formula, units, no_error_estimate,
         converge_to, max_grid, plot_path, output_format, output):
    """Spin, orbital and anomalous Hall conductivities vs energy (T = 0, constant Γ).

    Give either --model (energies on the model's own scale) or --material (energies
    relative to the Fermi level from the valence electron count, unless --absolute),
    or --wannier SEEDNAME with --fermi-energy E or --electrons N (energies relative to E_F).
    """
    check_model_source(model_name, material, wannier, params=params,
                       material_only={"--soc-scale": soc_scale, "--shells": shells,
                                      "--absolute": absolute},
                       wannier_only={"--fermi-energy": fermi_energy, "--electrons": electrons})
    if wannier is not None:
        if (fermi_energy is None) == (electrons is None):
            raise OrbdiffClickError("--wannier needs exactly one of --fermi-energy E (eV; 0 for "
                                    "absolute energies) or --electrons N")
        finite_option("--fermi-energy", fermi_energy)
        finite_option("--electrons", electrons, minimum=0.0, strict=True)
        model_name = "wannier90"
        params = wannier_parameters(wannier, spinor_ordering, params)
    finite_option("--xi", xi, minimum=0.0)
    finite_option("--gamma", gamma, minimum=0.0, strict=True)
    finite_option("--soc-scale", soc_scale, minimum=0.0)
    _check_convergence(converge_to, grid, max_grid)
    check_grid(grid)
    check_output_path(plot_path, "--plot")
    check_output_path(output, "--output")
    registry = get_registry()
    energy_values = parse_energies(energies)
    options = {"grid": grid, "gamma": gamma, "formula": formula, "units": units,
               "error_estimate": not no_error_estimate, "converge_to": converge_to,
               "max_grid": max_grid}
    if material is not None:
        result = material_hall(material, energy_values, shells=shells,
                               soc_scale=1.0 if soc_scale is None else soc_scale, xi=xi,
                               absolute=absolute, registry=registry, **options)
    else:
        parameters = parse_parameters(params)
        if xi is not None:
            parameters["xi"] = xi
        check_model_parameters(registry, model_name, parameters)
        model = load_model(model_name, registry=registry, **parameters)
        level = wannier_fermi_level(model, fermi_energy, electrons) if wannier else None
        result = _model_result(model, energy_values, level, options)
    if output:
        result.save(output)
    if plot_path:
        from .plots import plot_hall

        name = wannier or model_name or material
        plot_hall(result, plot_path, title=f"{name}, Γ = {gamma} eV, {formula}")
    if output_format == "json":
        write_json(result.as_dict())
    else:
        click.echo(format_table(result))


def _check_convergence(converge_to: float | None, grid: int, max_grid: int) -> None:
    if converge_to is not None and not 0 < converge_to < 1:
        raise invalid("--converge", converge_to, "a relative tolerance in (0, 1)")
    if max_grid < grid:
        raise invalid("--max-grid", max_grid, f"an integer ≥ --grid ({grid})")


def _model_result(model, energies, level: FermiLevel | None, options) -> HallResult:
    """Hall result of a model at ``energies`` (eV) relative to ``level`` (absolute if None)."""
    if level is None:
        return model_hall(model, energies, **options)
    return _relative_to_fermi_level(model_hall(model, energies + level.energy, **options), level)


def _relative_to_fermi_level(result: HallResult, level: FermiLevel) -> HallResult:
    """The same result with energies (eV) measured from the Fermi level ``level``."""
    inputs = {**result.inputs, "fermi_level": level.energy, "fermi_accuracy": level.accuracy,
              "fermi_grid": level.grid}
    return replace(result, energies=result.energies - level.energy, inputs=inputs,
                   fermi_level=level.energy)
