"""Click helpers shared by the ``orbdiff`` command and plugin commands.

Plugins that add commands (hook ``orbdiff_register_commands``) use these so that
every command parses energies and parameters and reports errors the same way.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import numpy as np

from .errors import InputError, OrbdiffError, invalid
from .plugin.registry import Registry
from .validation import ENERGY_LIMIT, MAX_ENERGIES

__all__ = [
    "OrbdiffClickError",
    "check_grid",
    "check_model_parameters",
    "check_model_source",
    "check_output_path",
    "finite_option",
    "get_registry",
    "parse_energies",
    "parse_parameters",
    "reports_errors",
    "wannier_fermi_level",
    "wannier_options",
    "wannier_parameters",
    "write_json",
]

_ENERGIES_FORM = "a comma list like 0.5,0.7 or a range start:stop:count like -1.5:1.5:61 (eV)"
#: Image formats ``--plot`` accepts (what matplotlib writes without extra packages).
IMAGE_SUFFIXES = (".png", ".pdf", ".svg", ".eps", ".ps", ".jpg", ".jpeg", ".tif", ".tiff",
                  ".webp")


class OrbdiffClickError(click.ClickException):
    """Printed as one ``Error: ...`` line; exit status 2."""

    exit_code = 2


def reports_errors(command: Callable) -> Callable:
    """Decorator: turn :class:`OrbdiffError` into one error line without a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except OrbdiffError as exc:
            error = OrbdiffClickError(str(exc))
            error.exit_code = getattr(exc, "exit_code", 2)
            raise error from exc

    return wrapper


def get_registry() -> Registry:
    """The registry of the running ``orbdiff`` command (built once per invocation)."""
    ctx = click.get_current_context()
    root = ctx.find_root()
    if not isinstance(root.obj, dict):
        root.obj = {}
    if "registry" not in root.obj:
        root.obj["registry"] = Registry(root.obj.get("plugin_manager"))
    return root.obj["registry"]


def parse_energies(text: str, option: str = "--energies",
                   limit: float = ENERGY_LIMIT) -> np.ndarray:
    """Parse ``0.5,0.7`` or ``start:stop:count`` into at most MAX_ENERGIES values.

    Values must be finite with ``|value| ≤ limit`` (eV by default; degrees for angles).
    """
    try:
        if ":" in text:
            start, stop, count = text.split(":")
            if not 1 <= int(count) <= MAX_ENERGIES or str(int(count)) != count.strip():
                raise ValueError
            # rounded so that 0:1:11 gives 0.6, not 0.6000000000000001
            with np.errstate(invalid="ignore", over="ignore"):
                values = np.round(np.linspace(_decimal(start), _decimal(stop), int(count)),
                                  12)
        else:
            values = np.array([_decimal(part) for part in text.split(",")])
    except ValueError:
        raise invalid(option, text, f"{_ENERGIES_FORM}, count 1 to {MAX_ENERGIES}") from None
    if not 1 <= values.size <= MAX_ENERGIES or not np.all(np.isfinite(values)) \
            or np.max(np.abs(values)) > limit:
        raise invalid(option, text, f"{_ENERGIES_FORM} with 1 to {MAX_ENERGIES} finite "
                                    f"numbers of magnitude ≤ {limit:g}")
    return values


def _decimal(text: str) -> float:
    """A number as written on a command line: ``float`` without Python's ``1_000`` digits."""
    if "_" in text:
        raise ValueError(text)
    return float(text)


def parse_parameters(items: tuple[str, ...], option: str = "--param") -> dict[str, Any]:
    """Parse ``NAME=VALUE`` pairs; values become numbers where they can."""
    parameters: dict[str, Any] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise invalid(option, item, "NAME=VALUE, e.g. a=3.3")
        parameters[name.strip()] = _number_or_text(value.strip(), option, item)
    return parameters


def check_model_parameters(registry: Registry, model: str, parameters: dict[str, Any]) -> None:
    """Reject ``--param`` names that ``model`` does not accept, naming the option."""
    accepted = registry.models[model].parameters
    for name in parameters:
        if name not in accepted:
            raise InputError(
                f"--param: model {model!r} has no parameter {name!r}; "
                f"accepted: {', '.join(accepted) or 'none'}"
            )


def check_grid(grid: int, option: str = "--grid") -> int:
    """A k-grid size from the command line: an integer ≥ 2."""
    if isinstance(grid, bool) or not isinstance(grid, int) or grid < 2:
        raise invalid(option, grid, "an integer ≥ 2 (k-points per reciprocal axis)")
    return grid


def check_output_path(path: str | None, option: str, image: bool | None = None) -> str | None:
    """Fail before any computation if ``path`` cannot be written.

    The folder must exist and accept a new file (checked by creating and removing it;
    an existing file is opened for appending, not truncated). ``image`` (default: when
    ``option`` is ``--plot``) also requires a known image suffix.
    """
    if path is None:
        return None
    target = Path(path).expanduser()
    if image if image is not None else option == "--plot":
        if target.suffix.lower() not in IMAGE_SUFFIXES:
            raise invalid(option, path, f"an image file ending in {', '.join(IMAGE_SUFFIXES)}")
    folder = target.resolve().parent
    if not folder.is_dir():
        raise invalid(option, path, f"a file in an existing folder ({folder} does not exist)")
    if target.is_dir():
        raise invalid(option, path, "a file name, not a folder")
    _try_writing(target, option)
    return path


def _try_writing(target: Path, option: str) -> None:
    existed = target.exists()
    try:
        with target.open("ab"):
            pass
    except OSError as exc:
        raise invalid(option, str(target), f"a writable file ({exc.strerror})") from None
    if not existed:
        target.unlink(missing_ok=True)


def _number_or_text(value: str, option: str, item: str) -> Any:
    try:
        number = float(value)
    except ValueError:
        return value
    if not math.isfinite(number):
        raise invalid(option, item, "a finite value")
    return number


def write_json(data: dict[str, Any]) -> None:
    """Print ``data`` as JSON on standard output."""
    click.echo(json.dumps(data, indent=None, allow_nan=True))


def finite_option(
    name: str, value: float | None, minimum: float | None = None, strict: bool = False,
    limit: float = ENERGY_LIMIT,
) -> float | None:
    """Check a numeric option: finite, ≥ (or >, if ``strict``) ``minimum``, |value| ≤ limit.

    The default ``limit`` is :data:`orbdiff.validation.ENERGY_LIMIT` (1000; eV for
    energies, ξ, J, Γ).
    """
    if value is None:
        return None
    too_small = minimum is not None and (value <= minimum if strict else value < minimum)
    if not math.isfinite(value) or too_small or abs(value) > limit:
        bound = "" if minimum is None else f" {'>' if strict else '≥'} {minimum:g}"
        raise InputError(f"{name}: got {value!r}; expected a finite number{bound} of "
                         f"magnitude ≤ {limit:g}")
    return value


def check_model_source(model_name: str | None, material: str | None, wannier: str | None,
                       *, material_only: dict[str, Any], params: tuple[str, ...] = (),
                       wannier_only: dict[str, Any] | None = None) -> None:
    """Exactly one of ``--model``, ``--material``, ``--wannier``, and no option of another.

    Parameters
    ----------
    model_name, material, wannier : str or None
        The three source options as given (None when absent).
    material_only : dict of str to value
        Options that only ``--material`` takes, by name (None or False when not given).
    params : tuple of str
        ``--param`` items, which ``--material`` does not take.
    wannier_only : dict of str to value, optional
        Options that only ``--wannier`` takes (not checked when None).
    """
    if [model_name, material, wannier].count(None) != 2:
        raise OrbdiffClickError("give exactly one of --model NAME, --material NAME or "
                                "--wannier SEEDNAME")
    if material is None:
        given = [name for name, value in material_only.items()
                 if value is not None and value is not False]  # 0.0 counts as given
        if given:
            raise OrbdiffClickError(f"{given[0]}: applies to --material; with --model or "
                                    "--wannier give model parameters with --param "
                                    "NAME=VALUE or --xi")
    elif params:
        raise OrbdiffClickError("--param: applies to --model; materials take --soc-scale, "
                                "--shells and --xi")
    if wannier is None and wannier_only:
        given = [name for name, value in wannier_only.items() if value is not None]
        if given:
            raise OrbdiffClickError(f"{given[0]}: applies to --wannier")


#: The options that select a Wannier90 model (``--wannier SEEDNAME`` and its E_F), shared
#: by every command that computes on a model; see :func:`wannier_fermi_level`.
_WANNIER_OPTIONS = (
    click.option("--wannier", default=None, metavar="SEEDNAME",
                 help="Wannier90 model: path without extension (.win + _hr.dat or _tb.dat)."),
    click.option("--spinor-ordering", type=click.Choice(["interleaved", "blocks"]),
                 default="interleaved", show_default=True,
                 help="Wannier90 spinor files: up/down per orbital, or all up then all down."),
    click.option("--fermi-energy", type=float, default=None,
                 help="Wannier90: E_F (eV) the energies are measured from (0: absolute)."),
    click.option("--electrons", type=float, default=None,
                 help="Wannier90: electrons per cell; E_F from the bands."),
)


def wannier_options(command: Callable) -> Callable:
    """Decorator: ``--wannier``, ``--spinor-ordering``, ``--fermi-energy`` and ``--electrons``."""
    for option in reversed(_WANNIER_OPTIONS):
        command = option(command)
    return command


def wannier_parameters(seedname: str, spinor_ordering: str, params: tuple[str, ...]) -> tuple:
    """``--param`` items that make ``--wannier`` a ``--model wannier90`` (through the registry)."""
    return (f"seedname={seedname}", f"spinor_ordering={spinor_ordering}", *params)


def wannier_fermi_level(model, fermi_energy: float | None, electrons: float | None):
    """E_F of a Wannier90 model: given (eV; None for 0, absolute energies) or from electrons.

    Exactly one of ``fermi_energy`` and ``electrons`` (per cell) must be given; returns a
    :class:`~orbdiff.observables.FermiLevel` or None.
    """
    from .observables import FermiLevel, fermi_level

    if (fermi_energy is None) == (electrons is None):
        raise OrbdiffClickError("--wannier needs exactly one of --fermi-energy E (eV; 0 for "
                                "absolute energies) or --electrons N")
    if electrons is not None:
        return fermi_level(model, finite_option("--electrons", electrons, minimum=0.0,
                                                strict=True))
    finite_option("--fermi-energy", fermi_energy)
    return FermiLevel(fermi_energy, 0.0, 0, ()) if fermi_energy else None
