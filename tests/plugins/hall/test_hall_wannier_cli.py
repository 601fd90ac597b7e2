"""``orbdiff hall --wannier``: the registry's wannier90 model, energies relative to E_F."""

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import orbdiff_plugins.wannier90 as wannier90_plugin
from orbdiff import compute, load_material, load_model, plugin_manager
from orbdiff.cli import build_cli
from orbdiff.observables import fermi_level
from orbdiff.plugin import Registry
from orbdiff_plugins.wannier90 import write_wannier90

SEEDNAME = str(Path(wannier90_plugin.__file__).parent / "example" / "bcc_sp")
COMMON = ["--grid", "5", "--gamma", "0.2", "--format", "json"]


def invoke(*args):
    pm = plugin_manager(autoload=False, strict=True)
    return CliRunner().invoke(build_cli(pm), list(args), obj={"plugin_manager": pm})


def wannier_model():
    registry = Registry(plugin_manager(autoload=False, strict=True))
    return load_model("wannier90", registry=registry, seedname=SEEDNAME), registry


def direct_hall(absolute_energies):
    model, registry = wannier_model()
    return compute("hall", model, grid=5, gamma=0.2, energies=absolute_energies,
                   registry=registry, progress=False)


@pytest.mark.parametrize("fermi_energy", [0.0, 0.7])
def test_wannier_equals_compute_at_the_same_absolute_energies(fermi_energy):
    relative = np.array([-0.4, 0.3])
    result = invoke("hall", "--wannier", SEEDNAME, "--fermi-energy", str(fermi_energy),
                    "--energies", "-0.4,0.3", *COMMON)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    expected = direct_hall(relative + fermi_energy)
    np.testing.assert_allclose(data["energies"], relative)
    for name in ("spin_hall", "orbital_hall", "anomalous_hall"):
        np.testing.assert_allclose(data[name], getattr(expected, name), rtol=1e-10, atol=1e-9)
        np.testing.assert_allclose(data[f"{name}_error"], getattr(expected, f"{name}_error"),
                                   rtol=1e-10, atol=1e-9)


def test_electrons_put_the_energies_relative_to_the_fermi_level_of_the_bands():
    model, _ = wannier_model()
    level = fermi_level(model, 1.0).energy
    result = invoke("hall", "--wannier", SEEDNAME, "--electrons", "1", "--energies", "0",
                    "--no-error-estimate", *COMMON)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["energies"] == [0.0]
    assert data["fermi_level"] == pytest.approx(level, abs=1e-12)
    np.testing.assert_allclose(data["spin_hall"], direct_hall([level]).spin_hall,
                               rtol=1e-10, atol=1e-9)


@pytest.mark.parametrize("ordering", ["interleaved", "blocks"])
def test_wannier_file_of_ta_gives_the_material_hall_tensors(tmp_path, ordering):
    write_wannier90(load_material("Ta", shells=2), tmp_path / "ta", spinors=True,
                    spinor_ordering=ordering, mp_grid=(4, 4, 4))
    options = ["--grid", "4", "--energies", "-0.2,0.1", "--no-error-estimate", "--format",
               "json"]
    wannier = invoke("hall", "--wannier", str(tmp_path / "ta"), "--spinor-ordering", ordering,
                     "--electrons", "5", *options)
    material = invoke("hall", "--material", "Ta", "--shells", "2", *options)
    assert wannier.exit_code == 0, wannier.output
    ours, theirs = json.loads(wannier.stdout), json.loads(material.stdout)
    np.testing.assert_allclose([ours["energies"], theirs["energies"]], [[-0.2, 0.1]] * 2,
                               atol=1e-12)
    assert ours["fermi_level"] == pytest.approx(theirs["fermi_level"], abs=1e-9)
    for name in ("spin_hall", "orbital_hall"):
        a, b = np.array(ours[name]), np.array(theirs[name])
        assert np.abs(a - b).max() <= 1e-8 * np.abs(b).max(), name


@pytest.mark.parametrize(("options", "needle"), [
    (["--wannier", SEEDNAME], "exactly one of --fermi-energy"),
    (["--wannier", SEEDNAME, "--fermi-energy", "0", "--electrons", "1"],
     "exactly one of --fermi-energy"),
    (["--wannier", SEEDNAME, "--model", "bcc-p-toy", "--fermi-energy", "0"], "exactly one of"),
    (["--wannier", SEEDNAME, "--fermi-energy", "0", "--shells", "2"], "--shells"),
    (["--model", "bcc-p-toy", "--fermi-energy", "0"], "--fermi-energy"),
    (["--wannier", SEEDNAME, "--electrons", "-1"], "--electrons"),
])
def test_conflicting_sources_are_one_line_with_status_2(options, needle):
    result = invoke("hall", *options, "--grid", "5")
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:") and needle in lines[0]
