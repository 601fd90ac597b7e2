"""The ``orbdiff`` command line.

Plugins add sub-commands through the ``orbdiff_register_commands`` hook; the core
provides ``plugins`` and ``models``.
"""

from __future__ import annotations

import re
import sys

import click

from .cliutils import get_registry, reports_errors
from .errors import OrbdiffError, PluginError
from .plugin.manager import PluginManager, plugin_manager

_NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())
# a sentence ends at a full stop followed by a capital letter (not "Fig. 5", "e.g. 'x'")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


class _CommandGroup(click.Group):
    """A group that refuses a command name registered twice, naming both plugins."""

    current_plugin = "orbdiff"

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        name = name or cmd.name
        if name in self.commands:
            owner = getattr(self.commands[name], "plugin", "?")
            raise PluginError(
                f"command {name!r} is registered by both plugin {owner!r} and "
                f"plugin {self.current_plugin!r}"
            )
        cmd.plugin = self.current_plugin
        super().add_command(cmd, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the commands with their whole first sentence, wrapped, never cut."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.short_help or first_sentence(command.help or "")))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def first_sentence(text: str) -> str:
    """The first sentence of the first paragraph of a help text, on one line."""
    paragraph = " ".join(text.strip().split("\n\n")[0].split()).removeprefix("\b ")
    return _SENTENCE_END.split(paragraph, maxsplit=1)[0]


def example_epilog(*commands: str) -> str:
    """Help epilog listing example command lines, kept unwrapped by click."""
    return "\b\nExamples:\n" + "\n".join(f"  {command}" for command in commands)


@click.group(cls=_CommandGroup, epilog=example_epilog(
    "orbdiff diffusivity --model bcc-p-toy --xi 0.05 --grid 24 --energies -1.5:1.5:61",
    "orbdiff bands Ta --shells 2 --plot bands.png",
    "orbdiff COMMAND --help      options and an example of one command"))
@click.version_option(package_name="orbdiff", help="Show the version and exit.")
def cli() -> None:
    """orbdiff: charge, spin and orbital diffusion tensors of metals.

    Plugins add models, parameter sets and commands; `orbdiff plugins` lists them.
    """


@cli.command(epilog=example_epilog("orbdiff plugins",
                                   "ORBDIFF_DISABLE_PLUGINS=ferromagnet orbdiff plugins"))
@reports_errors
def plugins() -> None:
    """List the loaded plugins, their versions and what they register.

    Built-in plugins come first by name, then those of installed packages
    (entry-point group ``orbdiff``) and of ORBDIFF_PLUGINS=module,module.
    """
    registry = get_registry()
    group = click.get_current_context().find_root().command
    for name in registry.plugin_names():
        click.echo(f"{name} {registry.versions.get(name, 'unknown')}")
        for kind, names in registry.registered_by(name).items():
            click.echo(f"    {kind.replace('_', ' ')}: {', '.join(names)}")
        commands = [c for c, cmd in group.commands.items() if getattr(cmd, "plugin", "") == name]
        if commands:
            click.echo(f"    commands: {', '.join(sorted(commands))}")


@cli.command(epilog=example_epilog(
    "orbdiff models",
    "orbdiff diffusivity --model bcc-p-toy --param v_sigma=0.25 --grid 16 --energies 0.5"))
@reports_errors
def models() -> None:
    """List the registered models and their parameters.

    Each parameter is shown with its default; pass another value with
    `--param NAME=VALUE` to commands that take `--model`.
    """
    for name, record in get_registry().models.records.items():
        parameters = ", ".join(f"{k}={v!r}" for k, v in record.parameters.items())
        click.echo(f"{name}  [{record.plugin}]  {record.summary}")
        click.echo(f"    parameters: {parameters or 'none'}")


def build_cli(pm: PluginManager) -> click.Group:
    """Return the ``orbdiff`` group with every plugin's commands added."""
    group = _CommandGroup(
        name="orbdiff",
        commands=dict(cli.commands),
        callback=cli.callback,
        params=list(cli.params),
        help=cli.help,
        epilog=cli.epilog,
    )
    for name in group.commands:
        group.commands[name].plugin = "orbdiff"
    hook = pm.hook.orbdiff_register_commands
    for impl in reversed(hook.get_hookimpls()):
        group.current_plugin = impl.plugin_name
        try:
            impl.function(cli=group)
        except OrbdiffError:
            raise
        except Exception as exc:
            raise PluginError(f"plugin {impl.plugin_name!r} failed adding commands: {exc}") from exc
    return group


def main(argv: list[str] | None = None, pm: PluginManager | None = None) -> None:
    """Entry point of the ``orbdiff`` console script."""
    try:
        pm = pm or plugin_manager()
        group = build_cli(pm)
    except OrbdiffError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    try:
        code = group.main(args=argv, prog_name="orbdiff", obj={"plugin_manager": pm},
                          standalone_mode=False)
    except _NO_ARGS_IS_HELP as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else exc.format_message())
        sys.exit(0)
    except click.ClickException as exc:  # usage errors too: one line, no usage dump
        click.echo(f"Error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
