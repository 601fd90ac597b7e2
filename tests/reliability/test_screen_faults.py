"""Screening under faults: wrong identities on workers, signals, concurrent screens."""

from __future__ import annotations

import dataclasses
import json
import logging
import shutil
import signal
import time

import pytest

from orbdiff_plugins.diffusion.screening import ResultsStore, expand_cases, run_screen
from orbdiff_plugins.diffusion.screening import runner as runner_module

from .helpers import ROOT, orbdiff

logging.getLogger("distributed").setLevel(logging.ERROR)


@pytest.fixture(scope="module")
def case(registry):
    return expand_cases(["V"], [1.0], [0.1], 3, shells=1, registry=registry)[0]


def _only_failure(store):
    rows = store.select()
    assert len(rows) == 1 and rows[0].status == "failed"
    assert "D_charge" not in rows[0] and "tensor" not in rows[0].data  # no numbers stored
    return rows[0].error


def test_a_worker_with_other_parameter_numbers_stores_a_failure_not_numbers(case, tmp_path):
    forged = dataclasses.replace(case, parameter_set_version="ps-000000000000")
    store = ResultsStore(tmp_path / "r.db")
    summary = run_screen([forged], store, progress=False)
    assert (summary.computed, summary.failed) == (0, 1)
    error = _only_failure(store)
    assert "IdentityMismatch" in error and "differs on worker" in error
    assert "different parameter files" in error


def test_a_worker_with_another_code_version_stores_a_failure(case, tmp_path):
    forged = dataclasses.replace(case, code_version="0.0.0-other")
    store = ResultsStore(tmp_path / "r.db")
    assert run_screen([forged], store, progress=False).failed == 1
    assert "orbdiff" in _only_failure(store) and "0.0.0-other on the client" in _only_failure(store)


def test_a_worker_without_the_plugin_of_a_material_stores_a_failure(case, tmp_path,
                                                                    monkeypatch):
    monkeypatch.setattr(runner_module, "requirements",
                        lambda c, r: {"plugin": "orbdiff-extra-metals", "version": "1.0"})
    store = ResultsStore(tmp_path / "r.db")
    assert run_screen([case], store, progress=False).failed == 1
    assert "'orbdiff-extra-metals' 1.0 on the client" in _only_failure(store)


def test_a_worker_lacking_the_material_stores_a_failure(case, tmp_path, monkeypatch):
    from orbdiff.plugin import Registry, plugin_manager
    from orbdiff_plugins.diffusion.screening import worker as worker_module

    without = Registry(plugin_manager(autoload=False, disable=["papaconstantopoulos"]))
    monkeypatch.setattr(worker_module, "Registry", lambda: without)  # the worker's view
    store = ResultsStore(tmp_path / "r.db")
    assert run_screen([case], store, progress=False).failed == 1
    assert "has no parameter set 'V' (plugin 'papaconstantopoulos'" in _only_failure(store)


def test_a_failing_case_keeps_its_traceback_in_the_row_not_on_stderr(registry, tmp_path,
                                                                    capfd):
    cases = expand_cases(["Ag"], [1.0], [0.1], 3, shells=1, registry=registry)
    store = ResultsStore(tmp_path / "r.db")
    assert run_screen(cases, store, progress=False).failed == 1
    row = store.select()[0]
    assert "Traceback (most recent call last)" in row.traceback
    assert "no spin-orbit constant" in row.error
    assert "Traceback" not in capfd.readouterr().err


def test_the_in_process_cluster_serves_nothing_beyond_localhost(case, tmp_path, monkeypatch):
    psutil = pytest.importorskip("psutil")
    seen = []

    def record(_case):
        seen.extend((c.laddr.ip, c.laddr.port) for c in psutil.Process().net_connections()
                    if c.status == "LISTEN")

    run_screen([case], ResultsStore(tmp_path / "r.db"), progress=False, on_result=record)
    assert seen and all(ip == "127.0.0.1" for ip, _ in seen), seen
    assert all(port != 8787 for _, port in seen)


def test_no_workers_is_reported_every_interval(case, tmp_path):
    import threading

    from distributed import Client, LocalCluster

    messages = []
    with LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        def stop_after_two(text):
            messages.append(text)
            if len(messages) == 2:
                cluster.scale(1)  # a worker arrives: the run finishes

        backstop = threading.Timer(30, cluster.scale, (1,))  # never hang, even when broken
        backstop.start()
        summary = run_screen([case], ResultsStore(tmp_path / "r.db"), scheduler=client,
                             progress=False, poll=0.1, idle_report=0.5, say=stop_after_two)
        backstop.cancel()
    assert summary.computed == 1
    assert len(messages) >= 2 and all("no Dask workers" in m for m in messages)


# --- whole commands in child processes (slow: each starts orbdiff and Dask) ----------------

SCREEN = ["screen", "--materials", "V,Nb,Ta,Mo", "--soc-scale", "0,1", "--grid", "4",
          "--shells", "1"]


def _wait_for_rows(path, count, process, limit=240):
    start = time.time()
    while time.time() - start < limit:
        if path.exists() and len(ResultsStore(path).select(status="ok")) >= count:
            return
        assert process.poll() is None, process.communicate()
        time.sleep(0.2)
    raise AssertionError("no rows appeared")


def _check_complete(path, n=8):
    rows = ResultsStore(path).select()
    assert len(rows) == n and {row.status for row in rows} == {"ok"}
    assert len({row.identity for row in rows}) == n


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_screen_resumes_without_losing_or_duplicating_rows(tmp_path, signum):
    db = tmp_path / "r.db"
    first = orbdiff(*SCREEN, "--db", str(db), wait=False)
    _wait_for_rows(db, 1, first)
    first.send_signal(signum)
    _, err = first.communicate(timeout=60)
    if signum == signal.SIGTERM:
        assert first.returncode == 128 + signal.SIGTERM
        assert err.strip().splitlines()[-1].startswith("Error: interrupted by SIGTERM")
        assert "Traceback" not in err
    else:
        assert first.returncode == -signal.SIGKILL
    stored = len(ResultsStore(db).select(status="ok"))
    second = orbdiff(*SCREEN, "--db", str(db), timeout=300)
    assert second.returncode == 0, second.stderr
    assert f"{8 - stored} computed, {stored} already stored" in second.stdout
    progress = [line for line in second.stderr.splitlines() if line.startswith("screening: ")]
    assert progress[-1].startswith(f"screening: done, 8/8 cases ({8 - stored} computed, "
                                   f"{stored} reused, 0 failed)"), progress
    _check_complete(db)


@pytest.mark.slow
def test_two_concurrent_screens_compute_each_case_once(tmp_path):
    db = tmp_path / "r.db"
    runs = [orbdiff(*SCREEN, "--db", str(db), wait=False) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    computed = [int(out.split(" computed")[0].split()[-1]) for out, _ in outputs]
    assert sum(computed) == 8  # nothing computed twice
    _check_complete(db)


@pytest.mark.slow
def test_a_worker_with_different_parameter_files_stores_failures(registry, tmp_path):
    from distributed import Client, LocalCluster

    other = tmp_path / "materials_db"
    shutil.copytree(ROOT / "materials_db", other)
    data = json.loads((other / "V.json").read_text())
    data["lattice_constant"]["value"] = data["lattice_constant"]["value"] * 1.01
    (other / "V.json").write_text(json.dumps(data))
    cases = expand_cases(["V"], [1.0], [0.1], 3, shells=1, registry=registry)
    store = ResultsStore(tmp_path / "r.db")
    with LocalCluster(n_workers=1, processes=True, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=None, env={"ORBDIFF_MATERIALS_DB": str(other)}
                      ) as cluster, Client(cluster) as client:
        summary = run_screen(cases, store, scheduler=client, progress=False)
    assert (summary.computed, summary.failed) == (0, 1)
    assert "differs on worker" in _only_failure(store)


@pytest.mark.slow
def test_a_killed_scheduler_is_one_error_line(tmp_path):
    import subprocess
    import sys

    port = _free_port()
    scheduler = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler",
                                  "--host", "127.0.0.1", "--port", str(port),
                                  "--no-dashboard"], stderr=subprocess.DEVNULL)
    worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker",
                               f"tcp://127.0.0.1:{port}", "--nthreads", "1",
                               "--no-dashboard"], stderr=subprocess.DEVNULL)
    try:
        db = tmp_path / "r.db"
        screen = orbdiff(*SCREEN, "--db", str(db), "--scheduler", f"tcp://127.0.0.1:{port}",
                         wait=False)
        _wait_for_rows(db, 1, screen)
        scheduler.send_signal(signal.SIGKILL)
        _, err = screen.communicate(timeout=120)
        lines = [line for line in err.splitlines() if line.startswith("Error:")]
        assert screen.returncode != 0 and len(lines) == 1, err
        assert "Traceback" not in err
    finally:
        for process in (worker, scheduler):
            process.kill()
            process.wait()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


