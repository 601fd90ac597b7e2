"""``orbdiff materials`` marks the spin-polarized sets; ``orbdiff dos`` and ``orbdiff bands``
run on them, the DOS resolved into majority and minority spin."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from orbdiff import plugin_manager
from orbdiff.cli import build_cli

LENDERS = {"Fe-fm": "Fe", "Co-fm": "Co-hcp", "Ni-fm": "Ni"}


def invoke(*args: str) -> str:
    pm = plugin_manager(autoload=False, strict=True)
    result = CliRunner().invoke(build_cli(pm), list(args), obj={"plugin_manager": pm})
    assert result.exit_code == 0, result.output
    return result.output


def test_materials_marks_spin_polarized_sets_and_borrowed_xi():
    lines = invoke("materials").splitlines()
    assert lines[0].split()[8:10] == ["spin", "ξ"]  # after name ... "a (Å)" valence
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    spin, xi, inferred = 7, 8, 10  # columns of a row (its cells hold no spaces)
    for name, lender in LENDERS.items():
        assert rows[name][spin] == "polarized"
        assert rows[name][xi].endswith("*")
        assert rows[name][xi].rstrip("*") == rows[lender][xi]
        assert "spin_energy_reference,spin_orbit" in rows[name][inferred]
    assert rows["Fe"][spin] == "-" and not rows["Fe"][xi].endswith("*")
    footnote = next(line for line in lines if line.startswith("*: ξ borrowed"))
    for name, lender in LENDERS.items():
        assert f"{name} from {lender}" in footnote


def test_dos_of_fe_fm_splits_into_majority_below_minority():
    data = json.loads(invoke("dos", "Fe-fm", "--grid", "6", "--energies", "-8:4:61",
                             "--format", "json"))
    total = np.array(data["dos"])
    majority, minority = (np.array(data["spin_resolved"][k]) for k in ("majority", "minority"))
    np.testing.assert_allclose(majority + minority, total, rtol=1e-10, atol=1e-12)
    assert sum(np.array(v) for v in data["projected"].values()) == pytest.approx(total)
    energies = np.array(data["energies"])
    centre = [float((energies * d).sum() / d.sum()) for d in (majority, minority)]
    assert centre[0] < centre[1] - 0.5  # the exchange splitting pushes majority d bands down


def test_dos_of_a_plain_set_has_no_spin_resolution():
    data = json.loads(invoke("dos", "Fe", "--grid", "4", "--energies", "0", "--format", "json"))
    assert "spin_resolved" not in data


def test_bands_of_fe_fm_run_with_and_without_soc():
    data = json.loads(invoke("bands", "Fe-fm", "--npoints", "60", "--format", "json"))
    with_soc, without = (np.array(data[k]["bands"]) for k in ("soc", "no_soc"))
    assert with_soc.shape == without.shape == (60, 18)
    assert 0 < np.abs(with_soc - without).max() < 0.2  # ξ = 0.027 eV moves bands a little
