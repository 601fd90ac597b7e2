"""Screening: ase.db store, Dask execution in-process and on a real local cluster."""

import logging
import os
import signal

import numpy as np
import pytest
from click.testing import CliRunner

from orbdiff import compute, load_material, load_parameter_set
from orbdiff.cli import build_cli
from orbdiff.errors import InputError
from orbdiff.observables import fermi_level
from orbdiff.plugin import Registry, plugin_manager
from orbdiff_plugins.diffusion.screening import (
    ResultsStore,
    expand_cases,
    read_spec,
    run_screen,
)
from orbdiff_plugins.diffusion.screening.cases import run_case

logging.getLogger("distributed").setLevel(logging.ERROR)

GRID = 5


@pytest.fixture(scope="module")
def cases(registry):
    return expand_cases(["V", "Ta"], [1.0], [0.1], GRID, shells=2, registry=registry)


def _rows(store):
    return {row.identity: row for row in store.select()}


@pytest.mark.slow
def test_in_process_and_two_worker_cluster_give_the_same_rows(cases, tmp_path):
    from distributed import Client, LocalCluster

    local = ResultsStore(tmp_path / "local.db")
    assert run_screen(cases, local).computed == 2
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1")
        remote = ResultsStore(tmp_path / "remote.db")
        assert run_screen(cases, remote, scheduler=client).computed == 2
    one, other = _rows(local), _rows(remote)
    assert set(one) == set(other) == {case.identity for case in cases}
    for identity, row in one.items():
        twin = other[identity]
        for key in ("P_l", "P_s", "D_charge", "D_spin", "D_orbital", "eta_ll", "fermi_level"):
            np.testing.assert_equal(row[key], twin[key], err_msg=key)  # NaN == NaN here
        np.testing.assert_array_equal(row.data["tensor"], twin.data["tensor"])


def test_rerun_is_a_noop_and_a_deleted_row_is_recomputed(cases, tmp_path):
    store = ResultsStore(tmp_path / "r.db")
    run_screen(cases, store)
    before = _rows(store)
    summary = run_screen(cases, store)
    assert (summary.computed, summary.skipped) == (0, 2)
    store.delete_identity(cases[0].identity)
    summary = run_screen(cases, store)
    assert (summary.computed, summary.skipped) == (1, 1)
    after = _rows(store)
    assert after[cases[1].identity].id == before[cases[1].identity].id  # untouched
    np.testing.assert_equal(after[cases[0].identity].P_s, before[cases[0].identity].P_s)
    assert after[cases[0].identity].D_charge == before[cases[0].identity].D_charge


def test_a_failing_case_is_stored_with_its_error(registry, tmp_path):
    cases = expand_cases(["Ag", "V"], [1.0], [0.1], 4, shells=2, registry=registry)
    store = ResultsStore(tmp_path / "f.db")
    summary = run_screen(cases, store)
    assert (summary.computed, summary.failed) == (1, 1)
    failed = store.select("status=failed")
    assert [row.material for row in failed] == ["Ag"]
    assert "no spin-orbit constant" in failed[0].error
    assert [row.material for row in store.select("status=ok")] == ["V"]
    # a rerun retries the failed case (it may have been transient) and replaces its row
    again = run_screen(cases, store)
    assert (again.computed, again.skipped, again.failed) == (0, 1, 1)
    assert len(store.select("status=failed")) == 1 and len(store.select()) == 2


@pytest.mark.slow
def test_killing_a_worker_mid_run_still_completes(registry, tmp_path):
    from distributed import Client, LocalCluster

    cases = expand_cases(["V", "Nb", "Ta", "Mo"], [0.0, 1.0], [0.1], 4, shells=2,
                         registry=registry)
    store = ResultsStore(tmp_path / "k.db")
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        killed = []
        pids = client.run(os.getpid)  # worker address -> process id

        def kill_one_worker(_case):
            if not killed:  # SIGKILL one worker process while the other cases run
                victim = sorted(pids)[0]
                os.kill(pids[victim], signal.SIGKILL)
                killed.append(victim)

        summary = run_screen(cases, store, scheduler=client, on_result=kill_one_worker)
    assert killed
    assert summary.computed + summary.failed == len(cases) and summary.failed == 0
    assert len(store.select("status=ok")) == len(cases)


def test_queries(cases, tmp_path):
    store = ResultsStore(tmp_path / "q.db")
    run_screen(cases, store)
    assert {r.material for r in store.select("P_s>0.0")} <= {"V", "Ta"}
    assert [r.material for r in store.select("material=Ta")] == ["Ta"]
    for bad in ("P_s>>0.5", "P_s=1=2", "==3"):
        with pytest.raises(InputError, match="not valid"):
            store.select(bad)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("[screen]\nmaterials = ['V']\nsoc_scale = [1]\ngamma = [0.1]\n", "missing key 'grid'"),
        ("[screen]\nmaterials = 'V'\nsoc_scale = [1]\ngamma = [0.1]\ngrid = 4\n", "materials"),
        ("[screen]\nmaterials = ['V']\nsoc_scale = [-1]\ngamma = [0.1]\ngrid = 4\n",
         "soc_scale"),
        ("[screen]\nmaterials = ['V']\nsoc_scale = [1]\ngamma = [0]\ngrid = 4\n", "gamma"),
        ("[screen]\nmaterials = ['V']\nsoc_scale = [1]\ngamma = [0.1]\ngrid = 1\n", "grid"),
        ("[screen]\nmaterials = ['V']\nsoc = [1]\n", "unknown key 'soc'"),
        ("[other]\nx = 1\n", "exactly one table"),
        ("[screen\n", "not valid TOML"),
    ],
)
def test_malformed_spec_files(tmp_path, text, match):
    path = tmp_path / "spec.toml"
    path.write_text(text)
    with pytest.raises(InputError, match=match):
        read_spec(path)


def test_spec_must_be_toml(tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_text("screen: {}")
    with pytest.raises(InputError, match="TOML"):
        read_spec(path)


def test_screen_query_and_plot_from_the_command_line(tmp_path):
    pm = plugin_manager(autoload=False)
    cli = build_cli(pm)
    runner = CliRunner()
    spec = tmp_path / "campaign.toml"
    db = tmp_path / "cli.db"
    spec.write_text(f"[screen]\nmaterials = ['V']\nsoc_scale = '0:1:2'\ngamma = [0.1]\n"
                    f"grid = 4\nshells = 2\ndb = '{db}'\n")
    result = runner.invoke(cli, ["screen", "--spec", str(spec)], obj={"plugin_manager": pm})
    assert result.exit_code == 0, result.output
    assert "2 cases: 2 computed" in result.output
    again = runner.invoke(cli, ["screen", "--spec", str(spec)], obj={"plugin_manager": pm})
    assert "0 computed, 2 already stored" in again.output
    table = runner.invoke(cli, ["query", "--db", str(db), "soc_scale>0.5"],
                          obj={"plugin_manager": pm})
    assert table.exit_code == 0 and "1 rows" in table.output
    assert table.output.splitlines()[0].split()[-2:] == ["SHC", "OHC"]  # default columns
    bad = runner.invoke(cli, ["query", "--db", str(db), "P_s>>1"], obj={"plugin_manager": pm})
    assert bad.exit_code == 2 and bad.output.startswith("Error:") and "Traceback" not in bad.output
    picture = tmp_path / "p.png"
    plot = runner.invoke(cli, ["plot-screen", "--db", str(db), "--plot", str(picture)],
                         obj={"plugin_manager": pm})
    assert plot.exit_code == 0 and picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    unknown = runner.invoke(cli, ["screen", "--materials", "Xx", "--db", str(db)],
                            obj={"plugin_manager": pm})
    assert unknown.exit_code == 2 and "unknown parameter set 'Xx'" in unknown.output


def test_rows_store_the_grid_reached_and_the_largest_relative_error(registry, tmp_path):
    plain, = expand_cases(["V"], [1.0], [0.2], 4, shells=2, registry=registry)
    converging, = expand_cases(["V"], [1.0], [0.2], 4, shells=2, registry=registry,
                               converge=0.5)
    assert converging.identity != plain.identity
    assert "converge" not in plain.key_value_pairs()  # identities of older rows unchanged
    store = ResultsStore(tmp_path / "c.db")
    run_screen([plain, converging], store)
    rows = {row.identity: row for row in store.select()}
    one, grown = rows[plain.identity], rows[converging.identity]
    assert one.grid_reached == 4 and one.largest_relative_error > 0
    assert grown.grid_reached >= 4 and grown.converge == 0.5
    assert grown.converged == (grown.largest_relative_error <= 0.5)
    assert grown.data["tensor_error"].shape == grown.data["tensor"].shape
    assert grown.data["ill_conditioned_P_l"].shape == (1, 3, 3)
    assert one.hall_grid_reached == 4 and "hall_converged" not in one
    assert grown.hall_grid_reached >= 4 and grown.hall_converged in (True, False)
    assert grown.data["spin_hall"].shape == (1, 3, 3, 3)


@pytest.mark.parametrize("value", ["0", "1.0", "-0.1", "'x'"])
def test_spec_rejects_a_bad_converge_tolerance(tmp_path, value):
    path = tmp_path / "s.toml"
    path.write_text(f'[screen]\nmaterials = ["V"]\nsoc_scale = [1.0]\ngamma = [0.1]\n'
                    f'grid = 10\nconverge = {value}\n')
    with pytest.raises(InputError, match="'converge'"):
        read_spec(path)


def test_screen_converge_option_and_spec_key_reach_the_rows(tmp_path):
    pm = plugin_manager(autoload=False)
    cli = build_cli(pm)
    runner = CliRunner()
    db = tmp_path / "conv.db"
    result = runner.invoke(cli, ["screen", "--materials", "V", "--shells", "2", "--grid", "4",
                                 "--gamma", "0.2", "--converge", "0.5", "--db", str(db)],
                           obj={"plugin_manager": pm})
    assert result.exit_code == 0, result.output
    row, = ResultsStore(db).select()
    assert row.converge == 0.5 and row.grid_reached >= 4
    spec = tmp_path / "s.toml"
    spec.write_text(f"[screen]\nmaterials = ['V']\nsoc_scale = [1.0]\ngamma = [0.2]\n"
                    f"grid = 4\nshells = 2\nconverge = 0.5\ndb = '{db}'\n")
    again = runner.invoke(cli, ["screen", "--spec", str(spec)], obj={"plugin_manager": pm})
    assert "0 computed, 1 already stored" in again.output  # the same case as the option's
    bad = runner.invoke(cli, ["screen", "--materials", "V", "--converge", "1.5", "--db", str(db)],
                        obj={"plugin_manager": pm})
    assert bad.exit_code == 2 and bad.output.startswith("Error: --converge")


def _direct_hall(case, registry):
    """Hall tensors of the case's model at its energies, E_F from the valence count."""
    model = load_material(case.material, registry=registry, shells=case.shells,
                          soc_scale=case.soc_scale)
    electrons = load_parameter_set(case.material, registry=registry).valence_electrons
    level = fermi_level(model, electrons * len(model.crystal.symbols)).energy
    return compute("hall", model, grid=case.grid, gamma=case.gamma, registry=registry,
                   energies=np.asarray(case.energies) + level, progress=False)


def test_rows_hold_the_spin_and_orbital_hall_conductivities_at_the_fermi_level(registry,
                                                                                tmp_path):
    case, = expand_cases(["V"], [1.0], [0.2], 4, shells=2, energies=(-0.3, 0.05),
                         registry=registry)
    store = ResultsStore(tmp_path / "hall.db")
    run_screen([case], store)
    row, = store.select()
    hall = _direct_hall(case, registry)
    at = 1  # 0.05 eV is the energy closest to E_F
    np.testing.assert_allclose(row.SHC, hall.spin_hall[at, 2, 0, 1], rtol=1e-8)
    np.testing.assert_allclose(row.OHC, hall.orbital_hall[at, 2, 0, 1], rtol=1e-8)
    np.testing.assert_allclose(row.SHC_error, hall.spin_hall_error[at, 2, 0, 1], rtol=1e-8)
    np.testing.assert_allclose(row.OHC_error, hall.orbital_hall_error[at, 2, 0, 1], rtol=1e-8)
    for name in ("spin_hall", "orbital_hall", "spin_hall_error", "orbital_hall_error"):
        np.testing.assert_allclose(row.data[name], getattr(hall, name), rtol=1e-8, atol=1e-12)
    assert abs(row.OHC) > 0  # the orbital Hall conductivity of a metal does not vanish
    assert [r.identity for r in store.select(f"OHC={row.OHC}")] == [case.identity]


def test_without_the_hall_plugin_rows_have_no_hall_conductivities(tmp_path):
    registry = Registry(plugin_manager(autoload=False, disable=("hall",)))
    assert "hall" not in registry.observables
    case, = expand_cases(["V"], [1.0], [0.2], 4, shells=2, registry=registry)
    outcome = run_case(case, registry)
    assert not {"SHC", "OHC", "SHC_error", "OHC_error"} & set(outcome["scalars"])
    assert "spin_hall" not in outcome["arrays"] and "D_spin" in outcome["scalars"]
    store = ResultsStore(tmp_path / "nohall.db")
    store.write(case, outcome, registry=registry)
    row, = store.select()
    assert row.status == "ok" and "SHC" not in row
