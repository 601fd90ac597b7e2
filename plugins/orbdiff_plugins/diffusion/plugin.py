"""Built-in plugin ``diffusion``: diffusivity observables and the ``diffusivity`` command."""

from __future__ import annotations

from orbdiff.plugin import ObservableRecord, hookimpl

from .observables import Conductivity, DensityOfStates, Diffusivity


@hookimpl
def orbdiff_register_observables():
    return [
        ObservableRecord(
            "diffusivity", Diffusivity, "charge/spin/orbital diffusivity tensors", units="S/m"
        ),
        ObservableRecord(
            "conductivity", Conductivity, "Kubo Fermi-surface conductivity", units="S/m"
        ),
        ObservableRecord(
            "dos", DensityOfStates, "broadened density of states", units="states/eV/cell"
        ),
    ]


@hookimpl
def orbdiff_register_commands(cli):
    from .cli import diffusivity
    from .screening.cli import plot_screen, query, screen

    for command in (diffusivity, screen, query, plot_screen):
        cli.add_command(command)
