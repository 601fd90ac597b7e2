"""Built-in plugin ``ferromagnet``: the ``exchange`` on-site term and ``orbdiff precession``."""

from __future__ import annotations

from orbdiff.plugin import OnsiteTermRecord, hookimpl

from .exchange import Exchange


@hookimpl
def orbdiff_register_onsite_terms():
    return [OnsiteTermRecord("exchange", Exchange, "ferromagnetic exchange J σ·m (J in eV)",
                             example={"j": 0.5, "m": (0.0, 0.0, 1.0)})]


@hookimpl
def orbdiff_register_commands(cli):
    from .cli import precession

    cli.add_command(precession)
