"""Screening Wannier90 models from a spec: Ta written in Wannier90's conventions is Ta."""

import logging

import numpy as np
import pytest
from click.testing import CliRunner

import orbdiff
from orbdiff.cli import build_cli
from orbdiff.errors import InputError
from orbdiff.plugin import plugin_manager
from orbdiff_plugins.diffusion.screening import ResultsStore, read_spec
from orbdiff_plugins.diffusion.screening.cases import expand_wannier_cases
from orbdiff_plugins.diffusion.screening.wannier import WannierSource
from orbdiff_plugins.diffusion.screening.worker import requirements, verified_run
from orbdiff_plugins.wannier90 import write_wannier90

logging.getLogger("distributed").setLevel(logging.ERROR)

XI_D = 0.13  # eV, coefficient of σ·L: Ta's 0.26 eV (L·S) on its d shell


def orbit_to_spin(row):
    """P_s = |D^{s_x x}_{l_x x}| / (|D^{l_x x}_{l_x x}| + |D^{s_x x}_{l_x x}|) from a row."""
    return abs(row.D_orbit_to_spin) / (abs(row.D_orbital) + abs(row.D_orbit_to_spin))


def screen(spec):
    pm = plugin_manager(autoload=False, strict=True)
    return CliRunner().invoke(build_cli(pm), ["screen", "--spec", str(spec)],
                              obj={"plugin_manager": pm})


@pytest.fixture
def campaign(tmp_path):
    """Spinless Ta (2 shells) in Wannier90's files + SOC on d, beside the material Ta."""
    assert orbdiff.load_material("Ta", shells=2).parameters["xi"] == XI_D
    (tmp_path / "w90").mkdir()
    write_wannier90(orbdiff.load_material("Ta", shells=2, soc_scale=0), tmp_path / "w90" / "ta",
                    spinors=False, mp_grid=(4, 4, 4))
    spec = tmp_path / "campaign.toml"
    spec.write_text(f"""[screen]
materials = ["Ta"]
soc_scale = [1.0]
shells = 2
gamma = [0.1]
grid = 5
energies = [-0.2, 0.0, 0.3]
db = '{tmp_path / "w.db"}'

[[screen.wannier]]
seedname = "w90/ta"
electrons = 5
xi = {{d = {XI_D}}}
name = "Ta-w90"
""")
    return spec


def test_wannier_row_equals_the_material_row_and_reruns_are_noops(campaign):
    result = screen(campaign)
    assert result.exit_code == 0, result.output
    assert "2 cases: 2 computed" in result.output
    store = ResultsStore(read_spec(campaign)["db"])
    rows = {row.material: row for row in store.select()}
    wannier, material = rows["Ta-w90"], rows["Ta"]
    assert wannier.model == "wannier90" and wannier.seedname.endswith("w90/ta")
    assert "soc_scale" not in wannier and wannier.electrons == 5
    assert wannier.fermi_level == pytest.approx(material.fermi_level, abs=1e-9)
    for key in ("D_charge", "D_spin", "D_spin_y", "D_orbital", "D_orbit_to_spin"):
        assert wannier[key] == pytest.approx(material[key], rel=1e-8), key
    for key in ("P_s", "P_l"):  # NaN (ill-conditioned on this coarse grid) in both or neither
        np.testing.assert_allclose(wannier[key], material[key], rtol=1e-8, err_msg=key)
    assert orbit_to_spin(wannier) == pytest.approx(orbit_to_spin(material), rel=1e-8)
    assert orbit_to_spin(material) > 0
    reference = material.data["tensor"]
    assert np.abs(wannier.data["tensor"] - reference).max() <= 1e-8 * np.abs(reference).max()
    for key in ("SHC", "OHC"):  # the Hall scalars come from the Wannier model too
        assert wannier[key] == pytest.approx(material[key], rel=1e-8), key
    assert "0 computed, 2 already stored" in screen(campaign).output


def test_an_edited_hr_file_is_recomputed(campaign):
    assert screen(campaign).exit_code == 0
    hr = campaign.parent / "w90" / "ta_hr.dat"
    # same numbers, different file: a new version of the model
    hr.write_text("edited header\n" + hr.read_text().split("\n", 1)[1])
    again = screen(campaign)
    assert again.exit_code == 0, again.output
    assert "2 cases: 1 computed, 1 already stored" in again.output
    rows = ResultsStore(read_spec(campaign)["db"]).select("material=Ta-w90")
    assert len(rows) == 2 and len({row.parameter_set_version for row in rows}) == 2


def test_a_worker_with_other_files_stores_a_failed_row(campaign, registry):
    spec = read_spec(campaign)
    entry, = spec["wannier"]
    source = WannierSource(entry["seedname"], electrons=5.0, xi=(("d", XI_D),))
    case, = expand_wannier_cases({"Ta-w90": source}, [0.1], 4)
    needs = requirements(case, registry)
    hr = campaign.parent / "w90" / "ta_hr.dat"
    hr.write_text("edited header\n" + hr.read_text().split("\n", 1)[1])
    outcome = verified_run(case, needs)
    assert "IdentityMismatch" in outcome["error"] and "differ" in outcome["error"]
    hr.unlink()
    assert "missing" in verified_run(case, needs)["error"]


def test_identity_covers_the_fermi_level_ordering_and_xi(campaign):
    seedname = read_spec(campaign)["wannier"][0]["seedname"]
    variants = [WannierSource(seedname, electrons=5.0), WannierSource(seedname, electrons=5.5),
                WannierSource(seedname, fermi_energy=9.0),
                WannierSource(seedname, "blocks", electrons=5.0),
                WannierSource(seedname, electrons=5.0, xi=(("d", XI_D),))]
    identities = {case.identity for source in variants
                  for case in expand_wannier_cases({"x": source}, [0.1], 4)}
    assert len(identities) == len(variants)


ENTRY = 'seedname = "w90/ta"\nelectrons = 5\n'


@pytest.mark.parametrize(
    ("table", "match"),
    [
        ('seedname = "w90/nope"\nelectrons = 5\n', r"'seedname'.*not found.*nope\.win"),
        ('electrons = 5\n', "missing key 'seedname'"),
        ('seedname = "w90/ta"\n', "exactly one of 'fermi_energy'"),
        (ENTRY + "fermi_energy = 1.0\n", "exactly one of 'fermi_energy'"),
        ('seedname = "w90/ta"\nelectrons = -1\n', "'electrons' = -1"),
        ('seedname = "w90/ta"\nfermi_energy = "high"\n', "'fermi_energy'"),
        (ENTRY + 'spinor_ordering = "up-down"\n', "'spinor_ordering'"),
        (ENTRY + "xi = -0.1\n", "'xi'"),
        (ENTRY + "xi = {f = 0.1}\n", "'xi'"),
        (ENTRY + 'name = ""\n', "'name'"),
        (ENTRY + "soc_scale = 1\n", "unknown key 'soc_scale'"),
    ],
)
def test_malformed_wannier_entries(campaign, table, match):
    head = campaign.read_text().split("[[screen.wannier]]")[0]
    campaign.write_text(head + "[[screen.wannier]]\n" + table)
    with pytest.raises(InputError, match=match) as error:
        read_spec(campaign)
    assert str(campaign) in str(error.value) and "\n" not in str(error.value)


def test_spec_errors_on_the_command_line(campaign):
    head = campaign.read_text().split("[[screen.wannier]]")[0]
    campaign.write_text(head.replace('materials = ["Ta"]\n', "")
                        .replace("soc_scale = [1.0]\n", "")
                        + "[[screen.wannier]]\n" + ENTRY + "\n[[screen.wannier]]\n" + ENTRY)
    twice = screen(campaign)
    assert twice.exit_code == 2 and "given twice" in twice.output
    campaign.write_text(head.replace('materials = ["Ta"]\n', ""))
    neither = screen(campaign)
    assert neither.exit_code == 2 and "missing key 'materials' or 'wannier'" in neither.output
    campaign.write_text(head + "wannier = 3\n")
    assert "key 'wannier' = 3" in screen(campaign).output


def test_xi_on_a_spinor_file_is_rejected_before_any_computation(campaign):
    write_wannier90(orbdiff.load_material("Ta", shells=2), campaign.parent / "w90" / "spin",
                    spinors=True, mp_grid=(3, 3, 3))
    head = campaign.read_text().split("[[screen.wannier]]")[0]
    campaign.write_text(head + '[[screen.wannier]]\nseedname = "w90/spin"\nelectrons = 5\n'
                        "xi = 0.1\n")
    result = screen(campaign)
    assert result.exit_code == 2 and "'spin'" in result.output and "xi" in result.output
    assert not (campaign.parent / "w.db").exists() or not ResultsStore(
        campaign.parent / "w.db").select()


@pytest.mark.slow
def test_wannier_case_on_a_worker_process_equals_in_process(campaign, tmp_path):
    from distributed import Client, LocalCluster

    from orbdiff_plugins.diffusion.screening import run_screen

    entry, = read_spec(campaign)["wannier"]
    source = WannierSource(entry["seedname"], electrons=5.0, xi=(("d", XI_D),))
    cases = expand_wannier_cases({"Ta-w90": source}, [0.1], 4)
    local = ResultsStore(tmp_path / "local.db")
    assert run_screen(cases, local).computed == 1
    with LocalCluster(n_workers=1, processes=True, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        remote = ResultsStore(tmp_path / "remote.db")
        assert run_screen(cases, remote, scheduler=client).computed == 1
    one, other = local.select()[0], remote.select()[0]
    np.testing.assert_array_equal(one.data["tensor"], other.data["tensor"])
