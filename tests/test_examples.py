"""The example scripts: saved results are reused and the reuse is reported; the demo's
output ends with the summary, not with stray data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import toy_result

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "examples"))

from common import ETA, SavedResults  # noqa: E402


def test_saved_results_compute_once_then_reuse_and_say_so(tmp_path, registry):
    calls = []

    def compute():
        calls.append(1)
        return toy_result(0.05, 6, (-0.3, 0.5))

    first = SavedResults(tmp_path, 1, "test", registry)
    result = first.get("case.json", compute)
    assert (tmp_path / "case.json").exists() and len(calls) == 1
    assert first.report().startswith("Computed all 1 cases")
    again = SavedResults(tmp_path, 1, "test", registry)
    reused = again.get("case.json", compute)
    assert len(calls) == 1
    np.testing.assert_array_equal(reused.tensor, result.tensor)
    assert again.report().startswith(f"Reused 1 of 1 cases already saved in {tmp_path}/")


def test_swapping_labels_use_one_notation():
    assert ETA == {"s->s": r"$\eta_{s\to s}$", "l->l": r"$\eta_{l\to l}$",
                   "s->l": r"$\eta_{s\to l}$", "l->s": r"$\eta_{l\to s}$"}


@pytest.mark.slow
def test_the_demo_reports_reuse_and_ends_with_its_summary(tmp_path):
    env = {**os.environ, "MPLBACKEND": "Agg"}
    command = [sys.executable, str(ROOT / "examples" / "toy_model.py"), "--output",
               str(tmp_path), "--grid", "4"]
    runs = [subprocess.run(command, capture_output=True, text=True, env=env, check=True)
            for _ in range(2)]
    for run in runs:
        assert not any(line.lstrip().startswith("{") for line in run.stdout.splitlines())
        assert run.stdout.rstrip().splitlines()[-1].startswith("Results and plots in")
    assert "Computed all 15 cases" in runs[0].stdout
    assert f"Reused 15 of 15 cases already saved in {tmp_path}/" in runs[1].stdout
    assert "toy model: done, 15/15 cases (0 computed, 15 reused)" in runs[1].stderr
    for name in ("diffusivities_vs_energy.png", "polarization_swapping_vs_xi.png"):
        assert (tmp_path / name).stat().st_size > 10_000
