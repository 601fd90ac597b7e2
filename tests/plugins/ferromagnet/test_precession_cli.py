"""``orbdiff precession`` on real metals, end to end: JSON, table, store, query, errors."""

import json

import numpy as np
import pytest
from click.testing import CliRunner

import orbdiff
from orbdiff import plugin_manager
from orbdiff.cli import build_cli
from orbdiff.observables import magnetic_moments

FE = ["precession", "--material", "Fe", "--grid", "4", "--theta", "0,90"]


def invoke(*args):
    pm = plugin_manager(autoload=False, strict=True)
    return CliRunner().invoke(build_cli(pm), list(args), obj={"plugin_manager": pm})


@pytest.fixture(scope="module")
def fe_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fe")
    store, plot = folder / "fe.db", folder / "fe.png"
    result = invoke(*FE, "--moment", "2.2", "--store", str(store), "--plot", str(plot),
                    "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), store, plot


def test_moment_run_writes_json_with_moments_per_case(fe_run):
    data, _, plot = fe_run
    assert plot.stat().st_size > 0
    assert len(data["exchange"]) == 1 and data["exchange"][0] < 0
    assert data["inputs"]["moment_target"] == 2.2
    moments = np.array(data["moment"])
    assert moments.shape == (1, 2)
    assert abs(moments[0, 0] - 2.2) < 1e-4  # J solved at the first angle
    assert abs(moments[0, 1] - 2.2) < 0.05  # m ⊥ z: only SOC changes it
    assert np.array(data["orbital_moment"]).shape == (1, 2)
    assert np.array(data["tensor"]).shape == (1, 2, 18, 18)
    levels = np.array(data["fermi_level"])
    assert np.all(np.abs(levels - levels[0, 0]) < 0.05) and data["energies"] == [0.0]
    assert data["units"]["moment"] == "mu_B/atom"


def test_the_store_rows_answer_a_query(fe_run):
    _, store, _ = fe_run
    result = invoke("query", "--db", str(store), "material=Fe,moment>2.1,theta=90",
                    "--columns", "material,J,theta,m_x,m_z,moment,orbital_moment,fermi_level")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[-1] == "1 rows"
    row = lines[1].split()
    assert row[0] == "Fe" and float(row[2]) == 90.0
    assert abs(float(row[3]) - 1.0) < 1e-9 and abs(float(row[4])) < 1e-9
    none = invoke("query", "--db", str(store), "moment>3", "--columns", "material")
    assert none.output.strip().splitlines()[-1] == "0 rows"


def test_rerun_reuses_the_stored_cases(fe_run):
    _, store, _ = fe_run
    again = invoke(*FE, "--moment", "2.2", "--store", str(store))
    assert again.exit_code == 0, again.output
    assert "0 cases computed, 2 reused" in again.stderr


def test_table_output_with_an_exchange_list():
    result = invoke("precession", "--material", "Ni", "--grid", "3", "--theta", "0",
                    "--exchange", "-0.5,0", "--energy", "0.1")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("# Ni, E − E_F = 0.1 eV") and "M_s" in lines[1]
    numbers = [line.split() for line in lines[2:]]
    assert [float(r[0]) for r in numbers] == [-0.5, 0.0]
    assert float(numbers[0][2]) > 0.1 and abs(float(numbers[1][2])) < 1e-6  # M_s column
    # J = 0: the Fermi level of non-magnetic Ni with its 10 valence electrons (3d⁸4s²)
    nickel = orbdiff.load_material("Ni")
    level = magnetic_moments(nickel, 3, [0, 0, 1], electrons=10.0).fermi_level
    assert abs(float(numbers[1][4]) - level) < 1e-4  # printed with 4 decimals


@pytest.mark.parametrize(("args", "message"), [
    (["--moment", "20"], "largest spin moment this model reaches"),
    (["--moment", "1", "--exchange", "0.5"], "either --exchange J-list or --moment M"),
    ([], "give the exchange J (eV) with --exchange"),
    (["--exchange", "0.5", "--param", "a=3"], "--param: applies to --model"),
    (["--moment", "nan"], "--moment"),
])
def test_bad_material_input_is_one_error_line(args, message):
    result = invoke(*FE, *args)
    assert result.exit_code == 2
    assert message in result.output and len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(("args", "message"), [
    (["--exchange-shells", "d"], "without d orbitals"),
    (["--moment", "1"], "--moment: needs an electron count"),
    (["--shells", "2"], "--shells: applies to --material"),
    (["--electrons", "3"], "--electrons: applies to --wannier"),
])
def test_bad_model_input_is_one_error_line(args, message):
    result = invoke("precession", "--model", "bcc-p-toy", "--grid", "2", "--theta", "0",
                    "--exchange", "0.5", *args)
    if "--moment" in args:
        result = invoke("precession", "--model", "bcc-p-toy", "--grid", "2", "--theta", "0",
                        *args)
    assert result.exit_code == 2
    assert message in result.output and len(result.output.strip().splitlines()) == 1


def test_exactly_one_source():
    result = invoke("precession", "--model", "bcc-p-toy", "--material", "Fe")
    assert result.exit_code == 2 and "exactly one of --model" in result.output


def test_a_spin_polarized_set_needs_no_exchange_and_refuses_a_target():
    result = invoke("precession", "--material", "Fe-fm", "--grid", "3", "--theta", "0,90",
                    "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["exchange"] == [0.0]
    moments = np.array(data["moment"])[0]
    assert np.all(moments > 1.0)  # the majority H↑ follows m: positive along m at 0° and 90°
    refused = invoke("precession", "--material", "Fe-fm", "--grid", "3", "--moment", "2")
    assert refused.exit_code == 2 and "spin-polarized set" in refused.output


def test_wannier_file_of_nickel_gives_the_material_sweep(tmp_path):
    from orbdiff_plugins.wannier90 import write_wannier90

    write_wannier90(orbdiff.load_material("Ni", shells=2), tmp_path / "ni", spinors=True,
                    mp_grid=(3, 3, 3))
    common = ["--moment", "0.6", "--grid", "3", "--theta", "0,60", "--format", "json"]
    wannier = invoke("precession", "--wannier", str(tmp_path / "ni"), "--electrons", "10",
                     *common)
    material = invoke("precession", "--material", "Ni", "--shells", "2", *common)
    assert wannier.exit_code == 0, wannier.output
    ours, theirs = json.loads(wannier.stdout), json.loads(material.stdout)
    assert ours["exchange"][0] == pytest.approx(theirs["exchange"][0], abs=1e-7)
    for name in ("moment", "orbital_moment", "fermi_level"):
        np.testing.assert_allclose(ours[name], theirs[name], rtol=0, atol=1e-7)
    scale = np.abs(theirs["tensor"]).max()
    np.testing.assert_allclose(ours["tensor"], theirs["tensor"], rtol=0, atol=1e-6 * scale)
    fixed = invoke("precession", "--wannier", str(tmp_path / "ni"), "--fermi-energy",
                   str(theirs["fermi_level"][0][0]), "--exchange", str(theirs["exchange"][0]),
                   "--grid", "3", "--theta", "0", "--format", "json")
    assert fixed.exit_code == 0, fixed.output
    assert json.loads(fixed.stdout)["moment"][0][0] == pytest.approx(0.6, abs=1e-6)
