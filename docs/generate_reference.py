"""Generate docs/reference/*.md from the code: hooks, command line, materials schema.

Run ``python docs/generate_reference.py``; the test suite checks the files are current.
"""

from __future__ import annotations

import inspect
import json
import sys
from pathlib import Path

import click

from orbdiff.cli import build_cli
from orbdiff.plugin import hookspecs, plugin_manager

HERE = Path(__file__).resolve().parent
REFERENCE = HERE / "reference"
SCHEMA = HERE.parent / "materials_db" / "schema.json"


def hooks_page() -> str:
    lines = ["# Reference: plugin hooks", "",
             "Generated from `framework/orbdiff/plugin/hookspecs.py`.", ""]
    for name, function in inspect.getmembers(hookspecs, inspect.isfunction):
        if not name.startswith("orbdiff_"):
            continue
        lines += [f"## `{name}{inspect.signature(function)}`", "", "```text",
                  inspect.getdoc(function) or "", "```", ""]
    return "\n".join(lines)


def cli_page() -> str:
    group = build_cli(plugin_manager(autoload=False))
    lines = ["# Reference: command line", "",
             "Generated from the `orbdiff` command and the built-in plugins' commands.", ""]
    context = click.Context(group, info_name="orbdiff", terminal_width=100,
                            max_content_width=100)
    lines += ["## `orbdiff`", "", "```text", group.get_help(context), "```", ""]
    for name in sorted(group.commands):
        command = group.commands[name]
        sub = click.Context(command, info_name=name, parent=context,
                            terminal_width=100, max_content_width=100)
        lines += [f"## `orbdiff {name}`", "", "```text", command.get_help(sub), "```", ""]
    return "\n".join(lines)


def _describe(schema: dict, path: str, rows: list[str]) -> None:
    for key, spec in schema.get("properties", {}).items():
        where = f"{path}.{key}" if path else key
        kind = spec.get("type", "")
        detail = spec.get("description", "")
        for word in ("const", "enum", "minimum", "exclusiveMinimum", "maximum"):
            if word in spec:
                detail += f" {word}: {spec[word]}"
        required = "yes" if key in schema.get("required", []) else "no"
        rows.append(f"| `{where}` | {kind} | {required} | {detail.strip()} |")
        if spec.get("type") == "object":
            _describe(spec, where, rows)
        if spec.get("type") == "array" and isinstance(spec.get("items"), dict):
            _describe(spec["items"], f"{where}[]", rows)


def schema_page() -> str:
    schema = json.loads(SCHEMA.read_text())
    rows = ["| field | type | required | constraints |", "|---|---|---|---|"]
    _describe(schema, "", rows)
    return "\n".join(["# Reference: materials_db schema", "",
                      "Generated from `materials_db/schema.json`; every parameter file is "
                      "validated against it on load (see `materials_db/README.md`).", "",
                      *rows, ""])


PAGES = {"hooks.md": hooks_page, "cli.md": cli_page, "materials-schema.md": schema_page}


def main(target: Path = REFERENCE) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name, page in PAGES.items():
        (target / name).write_text(page())


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REFERENCE)
