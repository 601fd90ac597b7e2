"""``orbdiff diffusivity``: error estimates, --converge, --units and bad input (issues 10, 13)."""

import json

import numpy as np
import pytest
from click.testing import CliRunner

from orbdiff.cli import build_cli
from orbdiff.plugin import plugin_manager

TOY = ["diffusivity", "--model", "bcc-p-toy", "--xi", "0.05", "--energies", "0.3,0.5"]


def run(*args):
    pm = plugin_manager(autoload=False, strict=True)
    return CliRunner().invoke(build_cli(pm), list(args), obj={"plugin_manager": pm})


def test_json_has_errors_and_masks_and_no_error_estimate_gives_null():
    data = json.loads(run(*TOY, "--grid", "6", "--format", "json").stdout)
    for key in ("charge", "tensor", "kubo", "dos"):
        assert np.shape(data[f"{key}_error"]) == np.shape(data[key])
    assert np.shape(data["ill_conditioned"]["spin_to_orbit"]) == (2, 3, 3)
    plain = json.loads(run(*TOY, "--grid", "6", "--format", "json",
                           "--no-error-estimate").stdout)
    assert plain["tensor_error"] is None and plain["charge"] == data["charge"]


def test_converge_reports_the_grid_reached_and_warns_at_max_grid():
    result = run(*TOY, "--grid", "6", "--converge", "0.001", "--max-grid", "8",
                 "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["inputs"]["grid"] == [8, 8, 8] and data["inputs"]["converge"] == 0.001
    assert data["inputs"]["grids_tried"] == [[5, 5, 5], [6, 6, 6], [8, 8, 8]]
    warning = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert len(warning) == 1 and "unconverged: D^{" in warning[0]


def test_units_m2_per_s_divides_by_the_einstein_dos():
    si = json.loads(run(*TOY, "--grid", "6", "--format", "json").stdout)
    m2 = json.loads(run(*TOY, "--grid", "6", "--format", "json", "--units", "m2/s").stdout)
    assert m2["units"]["charge"].startswith("m2/s")
    ratio = np.array(m2["charge"])[:, 0, 0] / np.array(si["charge"])[:, 0, 0]
    volume = si["inputs"]["cell_volume"] * 1e-30  # m³
    np.testing.assert_allclose(ratio, volume / (1.602176634e-19 * np.array(si["dos"])))
    assert m2["kubo"] == si["kubo"]


def test_table_marks_unresolved_components_and_plot_is_written(tmp_path):
    result = run(*TOY, "--grid", "6", "--plot", str(tmp_path / "d.png"))
    assert result.exit_code == 0
    assert "*" in result.stdout.splitlines()[4] and "estimated k-sampling error" in result.stdout
    assert (tmp_path / "d.png").stat().st_size > 10_000


@pytest.mark.parametrize(("options", "needle"), [
    (["--converge", "0"], "Error: --converge: got 0.0"),
    (["--converge", "1"], "Error: --converge: got 1.0"),
    (["--converge", "nan"], "Error: --converge: got nan"),
    (["--converge", "0.1", "--grid", "30", "--max-grid", "20"], "Error: --max-grid: got 20"),
    (["--converge", "0.1", "--no-error-estimate"], "Error: --converge"),
    (["--soc-scale", "0.5"], "Error: --soc-scale: applies to --material"),
    (["--shells", "2"], "Error: --shells: applies to --material"),
    (["--absolute"], "Error: --absolute: applies to --material"),
    (["--fermi-energy", "0"], "Error: --fermi-energy: applies to --wannier"),
    (["--electrons", "3"], "Error: --electrons: applies to --wannier"),
    (["--param", "xi=0.1"], "Error: --xi: got 0.05 and --param xi=0.1"),
    (["--units", "cm2/s"], "Invalid value for '--units'"),
])
def test_bad_input_is_one_error_line_with_exit_status_2(options, needle):
    result = run(*TOY, "--grid", "4", *options)
    assert result.exit_code == 2, result.output
    assert needle in result.output
    assert len([line for line in result.output.splitlines() if line.startswith("Error")]) == 1
