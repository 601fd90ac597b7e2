"""Built-in plugin ``papaconstantopoulos``: the s-p-d parameter sets of ``materials_db/``."""

from __future__ import annotations

import functools

from orbdiff.plugin import ParameterSetRecord, hookimpl

from .parameter_files import load_parameter_set, parameter_files

CITATION = "Papaconstantopoulos, Handbook of the Band Structure of Elemental Solids (1986)"


@hookimpl
def orbdiff_register_parameter_sets():
    return [
        ParameterSetRecord(
            name=path.stem,
            factory=functools.cache(functools.partial(load_parameter_set, path)),
            summary=f"two-centre s-p-d set, {path.name}",
            element=path.stem.split("-")[0],  # Co-hcp is a set of Co
            source=CITATION,
        )
        for path in parameter_files()
    ]


@hookimpl
def orbdiff_register_commands(cli):
    from .cli import bands, dos, materials

    for command in (materials, bands, dos):
        cli.add_command(command)
