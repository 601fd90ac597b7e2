"""``orbdiff diffusivity --wannier``: Ta in Wannier90's conventions equals ``--material Ta``."""

import json

import numpy as np
import pytest
from click.testing import CliRunner

import orbdiff
from orbdiff.cli import build_cli
from orbdiff.plugin import plugin_manager
from orbdiff_plugins.wannier90 import write_wannier90

COMMON = ["--grid", "4", "--energies", "-0.2,0.3", "--format", "json"]


def run(*args):
    pm = plugin_manager(autoload=False, strict=True)
    result = CliRunner().invoke(build_cli(pm), ["diffusivity", *args],
                                obj={"plugin_manager": pm})
    return result


@pytest.mark.parametrize("ordering", ["interleaved", "blocks"])
def test_wannier_file_of_ta_gives_the_material_tensors(tmp_path, ordering):
    write_wannier90(orbdiff.load_material("Ta", shells=2), tmp_path / "ta", spinors=True,
                    spinor_ordering=ordering, mp_grid=(4, 4, 4))
    wannier = run("--wannier", str(tmp_path / "ta"), "--spinor-ordering", ordering,
                  "--electrons", "5", *COMMON)
    material = run("--material", "Ta", "--shells", "2", *COMMON)
    assert wannier.exit_code == 0, wannier.output
    ours, theirs = json.loads(wannier.stdout), json.loads(material.stdout)
    assert ours["fermi_level"] == pytest.approx(theirs["fermi_level"], abs=1e-9)
    for name in ("charge", "tensor", "kubo", "dos"):
        a, b = np.array(ours[name]), np.array(theirs[name])
        assert np.abs(a - b).max() <= 1e-10 * np.abs(b).max(), name


def test_fermi_energy_zero_keeps_absolute_energies():
    absolute = run("--wannier", str(orbdiff_example()), "--fermi-energy", "0", *COMMON)
    shifted = run("--wannier", str(orbdiff_example()), "--fermi-energy", "0.5", "--grid", "4",
                  "--energies", "-0.7,-0.2", "--format", "json")
    assert absolute.exit_code == 0 and shifted.exit_code == 0, absolute.output
    a, b = json.loads(absolute.stdout), json.loads(shifted.stdout)
    assert "fermi_level" not in a and b["fermi_level"] == 0.5
    np.testing.assert_allclose(a["tensor"], b["tensor"], rtol=1e-12, atol=1e-9)


def orbdiff_example():
    from orbdiff_plugins.wannier90.plugin import EXAMPLE

    return EXAMPLE


@pytest.mark.parametrize(("args", "message"), [
    (("--fermi-energy", "0", "--electrons", "2"), "exactly one of --fermi-energy"),
    ((), "exactly one of --fermi-energy"),
    (("--model", "bcc-p-toy", "--fermi-energy", "0"), "exactly one of --model"),
    (("--electrons", "99"), "electrons: got 99"),
])
def test_bad_wannier_options_are_one_line_errors(args, message):
    result = run("--wannier", str(orbdiff_example()), *args, "--grid", "4")
    assert result.exit_code == 2
    assert message in result.output and result.output.startswith("Error: ")
    assert len(result.output.strip().splitlines()) == 1
