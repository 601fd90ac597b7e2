"""``orbdiff --help`` and each command's help: whole summaries, help on every option,
examples that parse, and a reference page with the right usage lines."""

from __future__ import annotations

import shlex
from pathlib import Path

import click
import pytest

from orbdiff import plugin_manager
from orbdiff.cli import build_cli, first_sentence

ROOT = Path(__file__).resolve().parents[2]
GROUP = build_cli(plugin_manager(autoload=False))
COMMANDS = sorted(GROUP.commands)


def help_text(*names: str) -> str:
    context = click.Context(GROUP, info_name="orbdiff", terminal_width=80)
    for name in names:
        context = click.Context(GROUP.commands[name], info_name=name, parent=context,
                                terminal_width=80)
    return context.command.get_help(context)


def examples(text: str) -> list[str]:
    """Example command lines of an epilog, continuation lines joined."""
    block = text.split("Examples:\n", 1)[1].replace("\\\n", " ")
    return [" ".join(line.split()) for line in block.splitlines() if line.strip()]


@pytest.mark.parametrize(
    ("text", "sentence"),
    [("Spin diffusion (Supplement Fig. 5). More text.", "Spin diffusion (Supplement Fig. 5)."),
     ('Cases matching a SELECTION, e.g. "P_s>0.5". Then', 'Cases matching a SELECTION, e.g. '
      '"P_s>0.5".'),
     ("One line\n    wrapped here. Second sentence.\n\nParagraph.", "One line wrapped here."),
     ("No full stop", "No full stop")],
)
def test_first_sentence_keeps_abbreviations_and_numbers(text, sentence):
    assert first_sentence(text) == sentence


def test_the_command_list_shows_every_summary_whole():
    listing = " ".join(help_text().split("Commands:", 1)[1].split())
    assert "..." not in listing
    for name in COMMANDS:
        command = GROUP.commands[name]
        summary = command.short_help or first_sentence(command.help)
        assert f"{name} {summary}" in listing, name
        assert summary.endswith((".", ")")), (name, summary)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_has_help(name):
    for parameter in GROUP.commands[name].params:
        if isinstance(parameter, click.Option):
            assert parameter.help and parameter.help.strip(), (name, parameter.opts)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_shows_examples_that_parse(name):
    lines = examples(help_text(name))
    assert any(shlex.split(line)[1:2] == [name] for line in lines), lines
    for line in lines:
        parse_example(line)


def parse_example(line: str) -> None:
    """Parse (not run) one example: unknown options or bad types raise."""
    words = shlex.split(line)
    words = words[words.index("orbdiff"):]  # after environment variables, if any
    command = GROUP.commands[words[1]]
    command.make_context(words[1], words[2:], parent=click.Context(GROUP, info_name="orbdiff"))


def test_the_group_help_has_examples_that_parse():
    lines = [line for line in examples(help_text()) if "COMMAND" not in line]
    assert len(lines) >= 2
    for line in lines:
        parse_example(line)


def test_the_reference_page_names_each_command_once():
    page = (ROOT / "docs" / "reference" / "cli.md").read_text()
    assert "orbdiff orbdiff" not in page
    for name in COMMANDS:
        assert f"Usage: orbdiff {name} [OPTIONS]" in page, name
