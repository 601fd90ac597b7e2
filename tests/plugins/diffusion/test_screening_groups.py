"""Cases sharing a model computed as one group: the same rows as case by case."""

import dataclasses
import logging

import numpy as np
import pytest

from orbdiff_plugins.diffusion import tensor
from orbdiff_plugins.diffusion.screening import ResultsStore, expand_cases, run_screen
from orbdiff_plugins.diffusion.screening import group as group_module
from orbdiff_plugins.diffusion.screening.cases import run_case
from orbdiff_plugins.diffusion.screening.group import group_cases, run_group

logging.getLogger("distributed").setLevel(logging.ERROR)

GRID = 6


@pytest.fixture(scope="module")
def cases(registry):
    """Three Γ of one Ta model (shared) and one case of another SOC scale."""
    return expand_cases(["Ta"], [0.5, 1.0], [0.05, 0.1, 0.3], GRID, shells=2,
                        energies=(0.0, 0.25), registry=registry)


@pytest.fixture(scope="module")
def alone(cases, registry):
    """Every case computed by itself (the reference)."""
    return {case.identity: run_case(case, registry) for case in cases}


def _assert_same_outcome(one, other):
    assert set(one) == set(other)
    if "error" in one:
        assert one["error"] == other["error"]
        return
    assert set(one["scalars"]) == set(other["scalars"])
    for key, value in one["scalars"].items():
        np.testing.assert_allclose(other["scalars"][key], value, rtol=1e-12, atol=0,
                                   err_msg=key)
    assert set(one["arrays"]) == set(other["arrays"])
    for key, value in one["arrays"].items():
        value = np.asarray(value, dtype=float)
        scale = max(float(np.abs(value).max(initial=0.0)), 1e-300)
        np.testing.assert_allclose(np.asarray(other["arrays"][key], dtype=float), value,
                                   rtol=0, atol=1e-12 * scale, err_msg=key)


def test_cases_differing_only_in_gamma_form_one_group(cases):
    groups = group_cases(cases)
    assert [len(group) for group in groups] == [3, 3]
    assert all(len({case.soc_scale for case in group}) == 1 for group in groups)


def test_a_group_gives_the_rows_of_its_cases_alone(cases, alone, registry):
    for group in group_cases(cases):
        for case, outcome in zip(group, run_group(group, registry), strict=True):
            _assert_same_outcome(alone[case.identity], outcome)


def test_a_group_diagonalizes_once_for_all_its_broadenings(cases, registry, monkeypatch):
    calls = []
    original = tensor.integrate

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(tensor, "integrate", counting)
    group = group_cases(cases)[0]
    run_group(group, registry)
    assert len(calls) == 2  # the grid and its error grid, for all three Γ together


def test_a_failing_case_fails_alone_with_the_message_it_has_alone(cases, alone, registry):
    group = group_cases(cases)[0]
    bad = dataclasses.replace(group[1], gamma=-0.1)
    try:
        run_case(bad, registry)
    except Exception as exc:  # what the case meets by itself
        message = f"{type(exc).__name__}: {exc} (on this process)"
    outcomes = run_group([group[0], bad, group[2]], registry)
    assert outcomes[1]["error"] == message and "gamma" in message
    _assert_same_outcome(alone[group[0].identity], outcomes[0])
    _assert_same_outcome(alone[group[2].identity], outcomes[2])


def test_a_case_failing_after_the_shared_part_loses_no_other_row(cases, alone, registry,
                                                                 monkeypatch):
    group = group_cases(cases)[0]
    original = group_module.case_outcome

    def fails_for_the_middle_gamma(case, *args, **kwargs):
        if case.gamma == group[1].gamma:
            raise RuntimeError("injected failure")
        return original(case, *args, **kwargs)

    monkeypatch.setattr(group_module, "case_outcome", fails_for_the_middle_gamma)
    outcomes = run_group(group, registry)
    assert outcomes[1]["error"].startswith("RuntimeError: injected failure")
    assert "Traceback" in outcomes[1]["traceback"]
    _assert_same_outcome(alone[group[0].identity], outcomes[0])
    _assert_same_outcome(alone[group[2].identity], outcomes[2])


def test_a_failed_shared_evaluation_falls_back_to_each_case(cases, alone, registry,
                                                            monkeypatch):
    def broken(*args, **kwargs):
        raise MemoryError("shared evaluation too large")

    monkeypatch.setattr(group_module, "diffusivities_sharing_bands", broken)
    group = group_cases(cases)[0]
    for case, outcome in zip(group, run_group(group, registry), strict=True):
        _assert_same_outcome(alone[case.identity], outcome)


def test_a_screen_of_a_group_with_one_bad_case_stores_one_failed_row(cases, registry,
                                                                      tmp_path):
    group = group_cases(cases)[0]
    bad = dataclasses.replace(group[1], gamma=-0.1)
    store = ResultsStore(tmp_path / "r.db")
    summary = run_screen([group[0], bad, group[2]], store, progress=False)
    assert (summary.computed, summary.failed) == (2, 1)
    rows = {row.identity: row for row in store.select()}
    assert rows[bad.identity].status == "failed" and "gamma" in rows[bad.identity].error
    assert {rows[c.identity].status for c in (group[0], group[2])} == {"ok"}
    rerun = run_screen([group[0], bad, group[2]], store, progress=False)
    assert (rerun.computed, rerun.skipped, rerun.failed) == (0, 2, 1)  # only the failure
