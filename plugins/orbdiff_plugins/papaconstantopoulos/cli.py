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
from orbdiff.errors import invalid
from orbdiff.observables import band_energies, fermi_level, projected_dos
from orbdiff.structure import KGrid, standard_path
from orbdiff.units import RYDBERG

_material_options = [
    click.argument("material"),
    click.option("--shells", type=int, default=None,
                 help="Neighbour shells to keep (default: all of the set's, 3 for bcc and 2 "
                      "for fcc sets; the paper used 2). bands and dos share this default."),
    click.option("--soc-scale", type=float, default=1.0, show_default=True,
                 help="Fraction of the set's spin-orbit constant (0 = no SOC)."),
    click.option("--xi", type=float, default=None,
                 help="Explicit ξ (eV, coefficient of σ·L), overrides --soc-scale."),
]


def _example(*commands: str) -> str:
    """A help epilog listing example commands, kept unwrapped by click."""
    return "\b\nExamples:\n" + "\n".join(f"  {command}" for command in commands)


def material_options(command):
    for option in reversed(_material_options):
        command = option(command)
    return command


@click.command(epilog=_example("orbdiff materials"))
@reports_errors
def materials():
    """List the parameter sets: species, lattice, shells, SOC, Fermi energy and source.

    Spin-polarized sets (a ferromagnet's majority and minority fits, e.g. Fe-fm) are
    marked in the spin column; a ξ borrowed from another set is starred. Conventions that
    a set's source does not print but were inferred are flagged.
    """
    registry = get_registry()
    header = ("name", "species", "lattice", "atoms", "shells", "a (Å)", "valence", "spin",
              "ξ σ·L (eV)", "E_F tab (Ry)", "inferred", "plugin: source")
    inferred_column = header.index("inferred")
    sets = [(name, record, load_parameter_set(name, registry=registry))
            for name, record in registry.parameter_sets.records.items()]
    rows = [_material_row(name, record, ps) for name, record, ps in sets]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header) - 1)]
    for row in (header, *rows):
        cells = [cell.ljust(w) if i < 3 or i in (7, inferred_column) else cell.rjust(w)
                 for i, (cell, w) in enumerate(zip(row, widths, strict=False))]
        click.echo("  ".join([*cells, row[-1]]).rstrip())
    borrowed = [f"{name} from {', '.join(sorted(set(lenders.values())))}"
                for name, _, ps in sets
                if (lenders := ps.provenance.get("spin_orbit_borrowed_from"))]
    if borrowed:
        click.echo("*: ξ borrowed from the paramagnetic set of the same element (the set's "
                   f"source gives none): {'; '.join(borrowed)}")
    if any(row[inferred_column] != "-" for row in rows):
        click.echo("inferred: conventions needed to build the set that no source prints "
                   "(see the file's convention_status and materials_db/README.md)")


def _material_row(name, record, ps) -> tuple[str, ...]:
    species = ps.species_by_symbol
    xis = {s.xi for s in species.values()}
    star = "*" if ps.provenance.get("spin_orbit_borrowed_from") else ""
    xi = "none" if None in xis else "/".join(f"{x:.4f}" for x in sorted(xis)) + star
    ef = "none" if ps.fermi_energy is None else f"{ps.fermi_energy / RYDBERG:.4f}"
    inferred = ",".join(ps.provenance.get("inferred", ())) or "-"
    spin = "polarized" if ps.spin_polarized else "-"
    return (name, ",".join(species), ps.structure, str(len(ps.basis)), str(len(ps.shells)),
            f"{ps.lattice_constant:.4f}", f"{ps.valence_electrons:g}", spin, xi, ef, inferred,
            f"{record.plugin}: {ps.provenance.get('source', record.source)}")


def _fermi(model, name):
    ps = load_parameter_set(name, registry=get_registry())
    return fermi_level(model, ps.valence_electrons * len(model.crystal.symbols))


_MAX_NPOINTS = 5000
_SEARCH_LIMIT = 1000  # largest --npoints suggested when too few reach every special point
_WINDOW_FORM = "LOW:HIGH in eV relative to E_F with LOW < HIGH, e.g. -8:6"


def check_npoints(npoints: int, option: str = "--npoints") -> int:
    """The number of k-points along the path: an integer from 2 to 5000."""
    if not 2 <= npoints <= _MAX_NPOINTS:
        raise invalid(option, npoints, f"an integer from 2 to {_MAX_NPOINTS} "
                      "(k-points along the whole path)")
    return npoints


def parse_window(text: str, option: str = "--window") -> tuple[float, float]:
    """``LOW:HIGH`` (eV) into a pair of finite numbers with LOW < HIGH."""
    try:
        low, high = (float(part) for part in text.split(":"))
    except ValueError:
        raise invalid(option, text, _WINDOW_FORM) from None
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise invalid(option, text, _WINDOW_FORM)
    return low, high


def path_with_every_special_point(crystal, npoints: int, option: str = "--npoints"):
    """The standard path, refused when ``npoints`` is too few to reach each special point.

    With too few points ase puts two special points at the same distance, which reads
    like a break in the path (``Γ|H``); the labels of a dense path are the reference.
    """
    expected = _label_names(standard_path(crystal, npoints=_MAX_NPOINTS))
    path = standard_path(crystal, npoints=npoints)
    if _resolves(path, expected):
        return path
    enough = next((n for n in range(npoints + 1, _SEARCH_LIMIT + 1)
                   if _resolves(standard_path(crystal, npoints=n), expected)), _SEARCH_LIMIT)
    raise invalid(option, npoints, f"at least {enough} for the path {'-'.join(expected)} "
                  "of this lattice, so that every special point gets a k-point of its own")


def _label_names(path) -> list[str]:
    return [name for _, name in path.labels]


def _resolves(path, expected: list[str]) -> bool:
    rows = _special_rows(path)
    return _label_names(path) == expected and len(rows) == len("|".join(expected).split("|"))


def _special_rows(path) -> list[tuple[str, int]]:
    """(name, k-point index) of each special point; both sides of a break ``H|P``."""
    rows = []
    for x, label in path.labels:
        at = np.flatnonzero(abs(path.distance - x) < 1e-9)
        names = label.split("|")
        if len(at) < len(names):
            return []
        rows += [(names[0], int(at[0]))] if len(names) == 1 else [(names[0], int(at[0])),
                                                                  (names[1], int(at[-1]))]
    return rows


@click.command(short_help="Band structure along the standard k-path, with and without SOC.",
               epilog=_example("orbdiff bands Ta --shells 2 --window -8:6 --plot bands.png"))
@material_options
@click.option("--npoints", type=int, default=200, show_default=True,
              help="k-points along the whole path (2 to 5000).")
@click.option("--window", default="-8:6", show_default=True, metavar="LOW:HIGH",
              help="Energy window of the plot, LOW:HIGH in eV relative to E_F (the d bands).")
@click.option("--absolute", is_flag=True, help="Raw energies instead of E − E_F.")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), default=None,
              help="Write the band structure to this image file (PNG, PDF, SVG).")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]),
              default="table", show_default=True,
              help="table: bands at the special points; json: every k-point.")
@reports_errors
def bands(material, shells, soc_scale, xi, npoints, window, absolute, plot_path,
          output_format):
    """Band structure of MATERIAL along the standard k-path, with and without SOC.

    Energies are relative to the Fermi level from the set's valence electron count
    (both models have their own E_F); the table lists the bands with SOC at each
    special point, both sides of a path break (H|P) included.
    """
    registry = get_registry()
    finite_option("--soc-scale", soc_scale, minimum=0.0)
    check_npoints(npoints)
    low, high = parse_window(window)
    check_output_path(plot_path, "--plot")
    with_soc = load_material(material, registry=registry, shells=shells, soc_scale=soc_scale,
                             xi=xi)
    without = load_material(material, registry=registry, shells=shells, soc_scale=0.0)
    path = path_with_every_special_point(with_soc.crystal, npoints)
    results = {}
    for label, model in (("soc", with_soc), ("no_soc", without)):
        level = _fermi(model, material)
        shift = 0.0 if absolute else level.energy
        results[label] = {"bands": band_energies(model, path.cartesian) - shift,
                          "fermi_level": level.energy, "fermi_accuracy": level.accuracy}
    n_shells = with_soc.parameters["shells"]
    if plot_path:
        from .plots import plot_bands

        offset = results["soc"]["fermi_level"] if absolute else 0.0
        plot_bands(path, results, plot_path,
                   f"{material}, {n_shells} shells, ξ = {with_soc.parameters['xi']:.3f} eV"
                   + _magnetization_text(with_soc),
                   absolute, window=(low + offset, high + offset))
    if output_format == "json":
        write_json({"material": material, "shells": n_shells,
                    "distance": path.distance.tolist(),
                    "labels": [[x, name] for x, name in path.labels],
                    **{k: {**v, "bands": v["bands"].tolist()} for k, v in results.items()},
                    "units": {"bands": "eV", "distance": "1/Angstrom"}, "absolute": absolute})
        return
    _print_band_table(material, n_shells, path, results, absolute)


def _print_band_table(material, n_shells, path, results, absolute) -> None:
    reference = "(absolute)" if absolute else "relative to E_F"
    click.echo(f"# {material}, {n_shells} shells: bands with SOC in eV {reference}; "
               f"E_F = {results['soc']['fermi_level']:.4f} eV with SOC, "
               f"{results['no_soc']['fermi_level']:.4f} eV without")
    energies = results["soc"]["bands"]
    click.echo(f"{'point':>5} " + " ".join(f"{f'band {n}':>8}"
                                          for n in range(1, energies.shape[1] + 1)))
    for name, index in _special_rows(path):
        click.echo(f"{name:>5} " + " ".join(f"{e:8.3f}" for e in energies[index]))


def _magnetization_text(model) -> str:
    """``", m = (0, 0, 1)"`` for a spin-polarized set's model, else empty."""
    m = model.parameters.get("magnetization")
    return "" if m is None else ", m = (" + ", ".join(f"{x:.3g}" for x in m) + ")"


def _spin_resolved_dos(model, grid: KGrid, energies: np.ndarray,
                       gamma: float) -> dict[str, np.ndarray]:
    """DOS (states/eV/cell) of spin along m (majority) and against it (minority).

    Projectors ½(1 ± σ·m) with m the model's magnetization; they add up to the total.
    """
    m = np.asarray(model.parameters["magnetization"], dtype=float)
    sigma_m = np.einsum("a,aij->ij", m, model.spin_operators())
    unit = np.eye(model.n_states)
    projectors = {"majority": 0.5 * (unit + sigma_m), "minority": 0.5 * (unit - sigma_m)}
    return projected_dos(model, grid, energies, gamma, projectors=projectors)


@click.command(short_help="Broadened density of states, total and projected on s, p, d.",
               epilog=_example("orbdiff dos Ta --shells 2 --plot dos.png",
                               "orbdiff dos Pt --energies -8:4:121 --format json"))
@material_options
@click.option("--gamma", type=float, default=0.1, show_default=True, help="Broadening Γ (eV).")
@click.option("--grid", type=int, default=24, show_default=True,
              help="k-points per reciprocal axis (≥ 2).")
@click.option("--energies", default="-10:6:321", show_default=True,
              help="Energies (eV) relative to E_F unless --absolute: comma list 0.5,0.7 or "
                   "range start:stop:count.")
@click.option("--absolute", is_flag=True, help="Raw energies instead of E − E_F.")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), default=None,
              help="Write the DOS to this image file (PNG, PDF, SVG).")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]),
              default="table", show_default=True, help="Output on standard output.")
@reports_errors
def dos(material, shells, soc_scale, xi, gamma, grid, energies, absolute, plot_path,
        output_format):
    """Broadened density of states of MATERIAL, total and projected on s, p, d.

    States per eV per cell, both spins, with the broadening Γ of the transport
    calculations; energies relative to the Fermi level unless --absolute. A
    spin-polarized set (e.g. Fe-fm) adds the majority and minority DOS (spin along and
    against its magnetization m).
    """
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
    spin = {} if model.parameters.get("magnetization") is None else _spin_resolved_dos(
        model, KGrid(model.crystal, grid), values + shift, gamma)
    n_shells = model.parameters["shells"]
    if plot_path:
        from .plots import plot_dos

        plot_dos(values, total, {**pdos, **spin}, plot_path,
                 f"{material}, {n_shells} shells, ξ = {model.parameters['xi']:.3f} eV"
                 f"{_magnetization_text(model)}, Γ = {gamma:g} eV, grid {grid}³", absolute)
    if output_format == "json":
        write_json({"material": material, "shells": n_shells, "energies": values.tolist(),
                    "dos": total.tolist(),
                    "projected": {k: v.tolist() for k, v in pdos.items()},
                    **({"spin_resolved": {k: v.tolist() for k, v in spin.items()}}
                       if spin else {}),
                    "fermi_level": level.energy, "fermi_accuracy": level.accuracy,
                    "units": {"energies": "eV", "dos": "states/eV/cell (both spins)"}})
        return
    click.echo(f"# {material}, {n_shells} shells: E_F = {level.energy:.4f} eV "
               f"(± {level.accuracy:.1e}); "
               "DOS in states/eV/cell")
    columns = {**pdos, **spin}
    click.echo(f"{'E (eV)':>9}{'total':>10}" + "".join(f"{k:>10}" for k in columns))
    for i, e in enumerate(values):
        click.echo(f"{e:9.3f}{total[i]:10.4f}"
                   + "".join(f"{v[i]:10.4f}" for v in columns.values()))
