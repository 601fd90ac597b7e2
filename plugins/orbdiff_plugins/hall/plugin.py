"""Built-in plugin ``hall``: the Hall observable and the ``hall`` command."""

from __future__ import annotations

from orbdiff.plugin import ObservableRecord, hookimpl

from .observable import HallConductivity


@hookimpl
def orbdiff_register_observables():
    return [ObservableRecord("hall", HallConductivity,
                             "spin, orbital and anomalous Hall conductivities",
                             units="(hbar/e) S/cm")]


@hookimpl
def orbdiff_register_commands(cli):
    from .cli import hall

    cli.add_command(hall)
