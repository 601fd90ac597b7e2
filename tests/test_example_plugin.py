"""docs/examples/orbdiff-example-plugin installs as a real package and orbdiff sees it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLUGIN = ROOT / "docs" / "examples" / "orbdiff-example-plugin"
ORBDIFF = Path(sys.executable).parent / "orbdiff"


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    """The plugin pip-installed into a fresh target folder put on PYTHONPATH."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(target), str(PLUGIN)], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORBDIFF_")}
    env["PYTHONPATH"] = str(target) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run(environment, *args):
    return subprocess.run([str(ORBDIFF), *args], capture_output=True, text=True,
                          env=environment, check=False)


@pytest.mark.slow
def test_orbdiff_sees_the_installed_plugin(environment):
    plugins = run(environment, "plugins")
    assert plugins.returncode == 0, plugins.stderr
    assert "example 0.1.0" in plugins.stdout
    materials = run(environment, "materials")
    assert "Nb-2shell" in materials.stdout
    result = run(environment, "diffusivity", "--material", "Nb-2shell", "--grid", "4",
                 "--energies", "0", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["inputs"]["model"] == "Nb-2shell" and data["fermi_level"] > 0
    model = run(environment, "diffusivity", "--model", "sc-s-band", "--param", "t=-0.4",
                "--grid", "4", "--energies", "0", "--format", "json")
    assert model.returncode == 0, model.stderr


@pytest.mark.slow
def test_the_plugins_own_tests_pass(environment):
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             str(PLUGIN / "tests")], capture_output=True, text=True,
                            env=environment, cwd=PLUGIN, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed" in result.stdout
