"""``orbdiff hall``: table, JSON contract, plot, bad input as one line with exit status 2."""

import json

import numpy as np
import pytest
from click.testing import CliRunner

from orbdiff import plugin_manager
from orbdiff.cli import build_cli

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TOY = ["hall", "--model", "bcc-p-toy", "--param", "xi=0.05", "--grid", "5",
       "--energies", "-0.2,0.25"]


def invoke(*args):
    pm = plugin_manager(autoload=False, strict=True)
    return CliRunner().invoke(build_cli(pm), list(args), obj={"plugin_manager": pm})


def test_json_output_follows_the_contract():
    result = invoke(*TOY, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"energies", "spin_hall", "spin_hall_error", "orbital_hall", "orbital_hall_error",
            "anomalous_hall", "anomalous_hall_error", "units", "inputs"} <= set(data)
    assert np.shape(data["spin_hall"]) == (2, 3, 3, 3)
    assert data["inputs"]["formula"] == "bastin" and data["inputs"]["error_grid"] == [4, 4, 4]


def test_table_plot_and_no_error_estimate(tmp_path):
    plot = tmp_path / "hall.png"
    result = invoke(*TOY, "--no-error-estimate", "--formula", "intrinsic", "--plot", str(plot))
    assert result.exit_code == 0, result.output
    assert "SHC sz.xy" in result.stdout and "±" not in result.stdout.splitlines()[3]
    assert plot.read_bytes().startswith(PNG_SIGNATURE)


@pytest.mark.slow
def test_material_energies_are_relative_to_the_fermi_level():
    result = invoke("hall", "--material", "Cu", "--grid", "4", "--energies", "0",
                    "--no-error-estimate", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["energies"] == [0.0] and "fermi_level" in data


@pytest.mark.parametrize(("options", "needle"), [
    (["--gamma", "0"], "--gamma"),
    (["--grid", "1"], "--grid"),
    (["--energies", "1:2"], "--energies"),
    (["--converge", "2"], "--converge"),
    (["--max-grid", "3"], "--max-grid"),
    (["--material", "Pt"], "exactly one of"),
])
def test_bad_input_is_one_line_with_status_2(options, needle):
    result = invoke(*TOY, *options)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:") and needle in lines[0]
