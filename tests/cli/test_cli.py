"""The ``orbdiff`` command line: plugin commands, listings, the JSON contract, bad input.

This module is itself a plugin (like a conftest.py for pytest): its hooks add the
``test-s-band`` model and a ``hello`` command to the CLI built in the tests.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import click
import numpy as np
import pytest
from click.testing import CliRunner

import orbdiff
from orbdiff import PluginError, plugin_manager
from orbdiff.basis import OrbitalSet
from orbdiff.cli import build_cli
from orbdiff.cliutils import get_registry, reports_errors
from orbdiff.plugin import ModelRecord
from orbdiff.structure import neighbour_shells
from orbdiff_plugins.diffusion.result import DiffusivityResult

__version__ = "0.0.1+test"
THIS_PLUGIN = sys.modules[__name__]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
VERSION = importlib.metadata.version("orbdiff")


# --- this module as a plugin -----------------------------------------------------------------


def s_band(t: float = -0.3, a: float = 3.0) -> orbdiff.TightBindingModel:
    """One s orbital on a bcc lattice, nearest-neighbour (ssσ) = t (eV)."""
    crystal = orbdiff.Crystal.bcc(a)
    builder = orbdiff.ModelBuilder(crystal, OrbitalSet(("s",)))
    builder.add_slater_koster(neighbour_shells(crystal, 1), [{"sss": t}])
    return builder.finalized(name="test-s-band", parameters={"t": t, "a": a})


@click.command()
@reports_errors
def hello() -> None:
    """A plugin command that reads the registry of the running CLI."""
    click.echo("models: " + ", ".join(get_registry().models))


@orbdiff.hookimpl
def orbdiff_register_models():
    return [ModelRecord("test-s-band", s_band, parameters={"t": -0.3, "a": 3.0},
                        summary="one s band on bcc (test plugin)")]


@orbdiff.hookimpl
def orbdiff_register_commands(cli):
    cli.add_command(hello)


# --- helpers ---------------------------------------------------------------------------------


@pytest.fixture
def pm():
    return plugin_manager(autoload=False, strict=True, extra=[THIS_PLUGIN])


def invoke(pm, *args: str):
    return CliRunner().invoke(build_cli(pm), list(args), obj={"plugin_manager": pm})


def diffusivity_args(options: dict[str, str] | None = None, *flags: str) -> list[str]:
    """``diffusivity`` on the toy model, 3×3×3 grid, one energy, with ``options`` replaced."""
    values = {"--model": "bcc-p-toy", "--grid": "3", "--energies": "0.5", **(options or {})}
    return ["diffusivity", *(item for pair in values.items() for item in pair), *flags]


def command_plugin(name: str, command_name: str):
    """A plugin module adding a trivial command ``command_name``."""
    plugin = types.ModuleType(name)

    @click.command(name=command_name)
    def command() -> None:
        click.echo(name)

    plugin.orbdiff_register_commands = orbdiff.hookimpl(lambda cli: cli.add_command(command))
    return plugin


def assert_single_error_line(exit_code: int, stdout: str, stderr: str, needles) -> None:
    """DESIGN §6 on the CLI: one ``Error: ...`` line naming the field, non-zero status."""
    assert exit_code not in (0, None)
    assert "Traceback" not in stdout + stderr
    assert not stdout.strip(), stdout
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("Error:"), lines[0]
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def console_script() -> str:
    script = shutil.which("orbdiff", path=str(Path(sys.executable).parent)) or shutil.which(
        "orbdiff"
    )
    assert script, "the `orbdiff` console script is not installed next to the interpreter"
    return script


def run_orbdiff(*args: str, cwd: Path, env: dict[str, str] | None = None):
    """Run the installed console script with only the given ORBDIFF_* variables."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ORBDIFF_")}
    environment["ORBDIFF_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    environment.update(env or {})
    return subprocess.run([console_script(), *args], capture_output=True, text=True,
                          env=environment, cwd=cwd, timeout=120, check=False)


def with_pythonpath(path: Path, **variables: str) -> dict[str, str]:
    existing = os.environ.get("PYTHONPATH")
    return {"PYTHONPATH": os.pathsep.join(filter(None, [str(path), existing])), **variables}


# --- plugins extend the CLI ------------------------------------------------------------------


def test_model_from_a_test_plugin_runs_through_diffusivity(pm):
    args = diffusivity_args({"--model": "test-s-band", "--param": "t=-0.4", "--format": "json"})
    result = invoke(pm, *args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["inputs"]["model"] == "test-s-band"
    assert data["inputs"]["parameters"]["t"] == -0.4
    charge = np.array(data["charge"])
    assert charge.shape == (1, 3, 3) and np.all(np.diag(charge[0]) > 0)


def test_command_from_a_test_plugin_sees_the_running_registry(pm):
    result = invoke(pm, "hello")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "models: bcc-p-toy, test-s-band, wannier90"


def test_plugins_lists_each_plugin_with_version_and_registrations(pm):
    result = invoke(pm, "plugins")
    assert result.exit_code == 0, result.output
    blocks: dict[str, list[str]] = {}
    header = None
    for line in result.stdout.splitlines():
        if line.startswith(" ") and header is not None:
            blocks[header].append(line.strip())
        elif line.strip():
            header = line
            blocks[header] = []
    expected = {
        f"core {VERSION}": ["onsite terms: soc", "self energies: constant"],
        f"diffusion {VERSION}": ["observables: conductivity, diffusivity, dos"],
        f"toy {VERSION}": ["models: bcc-p-toy"],
        f"papaconstantopoulos {VERSION}": ["commands: bands, dos, materials"],
        f"ferromagnet {VERSION}": ["onsite terms: exchange", "commands: precession"],
        f"wannier90 {VERSION}": ["models: wannier90"],
        f"hall {VERSION}": ["observables: hall", "commands: hall"],
        f"{__name__} {__version__}": ["models: test-s-band"],
    }
    assert set(blocks) == set(expected)
    for header, lines in expected.items():
        assert set(lines) <= set(blocks[header]), header


def test_plugins_leaves_out_a_disabled_plugin():
    pm = plugin_manager(autoload=False, disable=("toy",))
    result = invoke(pm, "plugins")
    assert result.exit_code == 0, result.output
    assert not any(line.split()[0] == "toy" for line in result.stdout.splitlines() if line.strip())


def test_models_lists_the_toy_model_and_its_parameters(pm):
    result = invoke(pm, "models")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    toy = next(i for i, line in enumerate(lines) if line.startswith("bcc-p-toy "))
    assert "[toy]" in lines[toy]
    assert lines[toy + 1].strip().startswith("parameters:")
    for parameter in ("v_sigma=0.2", "v_pi=0.05", "a=3.3", "xi=0.0", "structure=None"):
        assert parameter in lines[toy + 1]
    test = next(i for i, line in enumerate(lines) if line.startswith("test-s-band "))
    assert f"[{__name__}]" in lines[test] and "t=-0.3" in lines[test + 1]


@pytest.mark.parametrize(
    ("command_name", "owner"), [("diffusivity", "diffusion"), ("models", "orbdiff")]
)
def test_command_name_taken_by_another_plugin_names_both(command_name, owner):
    pm = plugin_manager(autoload=False, extra=[command_plugin("intruder", command_name)])
    with pytest.raises(PluginError, match=repr(command_name)) as info:
        build_cli(pm)
    assert f"'{owner}'" in str(info.value) and "'intruder'" in str(info.value)


def test_command_name_registered_by_two_extra_plugins_names_both():
    plugins = [command_plugin("first_cmds", "greet"), command_plugin("second_cmds", "greet")]
    with pytest.raises(PluginError, match="'greet'") as info:
        build_cli(plugin_manager(autoload=False, extra=plugins))
    assert "'first_cmds'" in str(info.value) and "'second_cmds'" in str(info.value)


def test_command_hook_raising_is_a_plugin_error_naming_the_plugin():
    plugin = types.ModuleType("clumsy")

    def fail(cli):
        raise RuntimeError("no commands today")

    plugin.orbdiff_register_commands = orbdiff.hookimpl(fail)
    with pytest.raises(PluginError, match=r"'clumsy'.*no commands today"):
        build_cli(plugin_manager(autoload=False, extra=[plugin]))


# --- diffusivity: the JSON contract and options ------------------------------------------------


def test_json_output_follows_the_contract(pm):
    options = {"--energies": "0.5,0.7", "--param": "a=3.1", "--xi": "0.05", "--format": "json"}
    result = invoke(pm, *diffusivity_args(options))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    shapes = {"energies": (2,), "charge": (2, 3, 3), "tensor": (2, 18, 18),
              "kubo": (2, 3, 3), "dos": (2,)}
    for key, shape in shapes.items():
        array = np.array(data[key], dtype=float)
        assert array.shape == shape, key
        assert np.all(np.isfinite(array)), key
    assert set(shapes) <= set(data["units"])
    assert data["units"]["energies"] == "eV"
    np.testing.assert_allclose(data["energies"], [0.5, 0.7])
    inputs = data["inputs"]
    assert inputs["model"] == "bcc-p-toy"
    assert inputs["parameters"]["a"] == 3.1 and inputs["parameters"]["xi"] == 0.05
    assert inputs["gamma"] == 0.1 and inputs["grid"] == [3, 3, 3]
    charge, kubo = np.array(data["charge"]), np.array(data["kubo"])
    np.testing.assert_allclose(charge, kubo, rtol=1e-8, atol=1e-8 * np.abs(kubo).max())


def test_param_changes_the_computed_model(pm):
    default = json.loads(invoke(pm, *diffusivity_args({"--format": "json"})).stdout)
    changed = json.loads(
        invoke(pm, *diffusivity_args({"--format": "json", "--param": "a=3.1"})).stdout
    )
    assert default["inputs"]["parameters"]["a"] == 3.3
    assert not np.allclose(default["charge"], changed["charge"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0.5", [0.5]), ("0.5,0.7", [0.5, 0.7]), ("-1:1:5", np.linspace(-1, 1, 5))],
)
def test_energies_forms_parse(pm, text, expected):
    result = invoke(pm, *diffusivity_args({"--energies": text, "--format": "json"}))
    assert result.exit_code == 0, result.output
    np.testing.assert_allclose(json.loads(result.stdout)["energies"], expected)


def test_plot_writes_a_png_and_table_is_printed(pm, tmp_path):
    path = tmp_path / "diffusivities.png"
    result = invoke(pm, *diffusivity_args({"--energies": "0.5,0.7", "--plot": str(path)}))
    assert result.exit_code == 0, result.output
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    assert result.stdout.strip()


def test_output_round_trips_through_diffusivity_result_load(pm, tmp_path):
    path = tmp_path / "result.json"
    options = {"--energies": "0.5,0.7", "--xi": "0.05", "--format": "json", "--output": str(path)}
    result = invoke(pm, *diffusivity_args(options))
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    loaded = DiffusivityResult.load(path)
    for key in ("energies", "charge", "tensor", "kubo", "dos"):
        np.testing.assert_array_equal(getattr(loaded, key), np.array(printed[key]), err_msg=key)
    assert loaded.inputs == printed["inputs"]


# --- bad input: one "Error:" line naming the field, non-zero exit, no traceback ----------------

BAD_INPUTS = [
    ({"--model": "no-such-model"}, ["'no-such-model'", "bcc-p-toy"]),
    ({"--param": "foo=1"}, ["'foo'", "v_sigma"]),
    ({"--param": "a"}, ["--param", "'a'", "NAME=VALUE"]),
    ({"--gamma": "0"}, ["--gamma", "> 0"]),
    ({"--gamma": "-1"}, ["--gamma", "> 0"]),
    ({"--gamma": "nan"}, ["--gamma", "nan"]),
    ({"--xi": "inf"}, ["--xi", "inf"]),
    ({"--grid": "1"}, ["grid", "2"]),
    ({"--energies": "1:2"}, ["--energies", "'1:2'"]),
    ({"--energies": "a,b"}, ["--energies", "'a,b'"]),
    ({"--energies": "0:1:0"}, ["--energies", "'0:1:0'"]),
    ({"--energies": "0,nan"}, ["--energies", "'0,nan'"]),
]


@pytest.mark.parametrize(("options", "needles"), BAD_INPUTS,
                         ids=[" ".join(*options.items()) for options, _ in BAD_INPUTS])
def test_bad_input_gives_one_error_line(pm, options, needles):
    result = invoke(pm, *diffusivity_args(options))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert_single_error_line(result.exit_code, result.stdout, result.stderr, needles)


@pytest.mark.parametrize(
    ("options", "needles"),
    [({"--model": "no-such-model"}, ["'no-such-model'", "bcc-p-toy"]),
     ({"--gamma": "nan"}, ["--gamma"]),
     ({"--energies": "0:1:0"}, ["--energies"])],
    ids=["unknown-model", "gamma-nan", "energies-zero-count"],
)
def test_console_script_reports_bad_input_on_stderr(tmp_path, options, needles):
    done = run_orbdiff(*diffusivity_args(options), cwd=tmp_path)
    assert_single_error_line(done.returncode, done.stdout, done.stderr, needles)


# --- the real console script with ORBDIFF_PLUGINS ----------------------------------------------

LOCAL_PLUGIN = '''
"""A user's own plugin with one model."""
from orbdiff import Crystal, ModelBuilder, hookimpl
from orbdiff.basis import OrbitalSet
from orbdiff.plugin import ModelRecord
from orbdiff.structure import neighbour_shells

__version__ = "2.0"


def local_s_band(t=-0.3):
    crystal = Crystal.bcc(3.0)
    builder = ModelBuilder(crystal, OrbitalSet(("s",)))
    builder.add_slater_koster(neighbour_shells(crystal, 1), [{"sss": t}])
    return builder.finalized(name="local-s-band", parameters={"t": t})


@hookimpl
def orbdiff_register_models():
    return [ModelRecord("local-s-band", local_s_band, parameters={"t": -0.3})]
'''


def test_console_script_uses_a_local_plugin(tmp_path):
    (tmp_path / "orbdiff_cli_local_plugin.py").write_text(LOCAL_PLUGIN)
    env = with_pythonpath(tmp_path, ORBDIFF_PLUGINS="orbdiff_cli_local_plugin")
    done = run_orbdiff(*diffusivity_args({"--model": "local-s-band", "--format": "json"}),
                       cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["inputs"]["model"] == "local-s-band"
    assert np.array(data["tensor"]).shape == (1, 18, 18)

    listing = run_orbdiff("plugins", cwd=tmp_path, env=env)
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.splitlines()
    header = lines.index("orbdiff_cli_local_plugin 2.0")
    assert lines[header + 1].strip() == "models: local-s-band"


def test_console_script_warns_about_a_missing_plugin_and_goes_on(tmp_path):
    done = run_orbdiff("models", cwd=tmp_path, env={"ORBDIFF_PLUGINS": "orbdiff_no_such_plugin"})
    assert done.returncode == 0, done.stderr
    assert "bcc-p-toy" in done.stdout
    assert "PluginWarning" in done.stderr and "'orbdiff_no_such_plugin'" in done.stderr


def test_console_script_rejects_a_command_registered_twice(tmp_path):
    (tmp_path / "orbdiff_cli_dup_command.py").write_text(textwrap.dedent('''
        import click
        from orbdiff import hookimpl

        @click.command()
        def diffusivity():
            """Clash with the built-in command."""

        @hookimpl
        def orbdiff_register_commands(cli):
            cli.add_command(diffusivity)
    '''))
    env = with_pythonpath(tmp_path, ORBDIFF_PLUGINS="orbdiff_cli_dup_command")
    done = run_orbdiff("models", cwd=tmp_path, env=env)
    assert_single_error_line(done.returncode, done.stdout, done.stderr,
                             ["'diffusivity'", "'diffusion'", "'orbdiff_cli_dup_command'"])


def test_console_script_reports_a_misspelled_hook(tmp_path):
    (tmp_path / "orbdiff_cli_misspelled.py").write_text(
        "def orbdiff_register_model():\n    return []\n"
    )
    env = with_pythonpath(tmp_path, ORBDIFF_PLUGINS="orbdiff_cli_misspelled")
    done = run_orbdiff("models", cwd=tmp_path, env=env)
    assert_single_error_line(done.returncode, done.stdout, done.stderr,
                             ["orbdiff_register_model"])



@pytest.mark.parametrize(("sources", "options", "message"), [
    (("toy", "Ta", None), {}, "give exactly one of --model"),
    ((None, None, None), {}, "give exactly one of --model"),
    (("toy", None, None), {"material_only": {"--soc-scale": 0.0}},
     "--soc-scale: applies to --material"),
    ((None, None, "seed"), {"material_only": {"--absolute": True}},
     "--absolute: applies to --material"),
    ((None, "Ta", None), {"params": ("a=3",)}, "--param: applies to --model"),
    (("toy", None, None), {"wannier_only": {"--electrons": 3.0}},
     "--electrons: applies to --wannier"),
])
def test_one_model_source_and_only_its_options(sources, options, message):
    from orbdiff.cliutils import OrbdiffClickError, check_model_source

    options = {"material_only": {}, **options}
    with pytest.raises(OrbdiffClickError, match=message):
        check_model_source(*sources, **options)
    check_model_source("toy", None, None, material_only={"--absolute": False, "--shells": None},
                       wannier_only={"--electrons": None})
