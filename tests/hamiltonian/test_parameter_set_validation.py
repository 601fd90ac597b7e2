"""ParameterSet built in Python is validated like a parameter file (one validator)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

import orbdiff
from orbdiff.errors import InputError
from orbdiff.hamiltonian.parameter_set import Site
from orbdiff_plugins.papaconstantopoulos import parameter_files as pf

MATERIALS_DB = Path(__file__).resolve().parents[2] / "materials_db"
NAMES = ("sss", "sps", "pps", "ppp", "sds", "pds", "pdp", "dds", "ddp", "ddd")
BASE = dict(name="X", element="Nb", structure="bcc", lattice_constant=3.3, valence_electrons=5,
            onsite={"es": 1.0, "ep": 2.0, "et2g": 0.5, "eeg": 0.4},
            shells=[dict.fromkeys(NAMES, -0.1)], xi=0.05)

BAD = [
    ({"lattice_constant": "3.31 Å"}, "lattice_constant: got '3.31 Å'"),
    ({"lattice_constant": True}, "lattice_constant: got True"),
    ({"lattice_constant": -1.0}, "lattice_constant: got -1.0"),
    ({"valence_electrons": 19}, "valence_electrons: got 19"),
    ({"valence_electrons": "5"}, "valence_electrons: got '5'"),
    ({"xi": -0.1}, "xi: got -0.1"),
    ({"xi": math.nan}, "xi: got nan"),
    ({"fermi_energy": math.inf}, "fermi_energy: got inf"),
    ({"onsite": {"es": 1.0, "ep": 2.0, "et2g": 0.5}}, "onsite.eeg: got 'missing'"),
    ({"onsite": {"es": 1.0, "ep": 2.0, "et2g": 0.5, "eeg": math.nan}}, "onsite.eeg: got nan"),
    ({"shells": [{"sss": -0.1}]}, "shells[0].integrals.sps: got 'missing'"),
    ({"shells": [{**dict.fromkeys(NAMES, -0.1), "pds": math.nan}]},
     "shells[0].integrals.pds: got nan"),
    ({"shells": [{**dict.fromkeys(NAMES, -0.1), "pds": False}]},
     "shells[0].integrals.pds: got False"),
    ({"shells": [{**dict.fromkeys(NAMES, -0.1), "xyz": 1.0}]}, "shells[0].integrals: got ['xyz']"),
    ({"shells": [dict.fromkeys(NAMES, -0.1)] * 4}, "shells: got 4"),
    ({"structure": "hcp"}, "cell: got None"),
    ({"basis": [Site("Mo")]}, "basis[0].species: got 'Mo'"),
]


@pytest.mark.parametrize(("change", "message"), BAD, ids=[m for _, m in BAD])
def test_bad_python_input_names_the_field(change, message):
    with pytest.raises(InputError) as info:
        orbdiff.ParameterSet(**{**BASE, **change})
    assert str(info.value).startswith(message)


def test_valid_set_builds():
    assert orbdiff.ParameterSet(**BASE).build_model().n_states == 18


def test_shell_without_bonds_fails_alike_in_python_and_in_a_file(tmp_path):
    """The same rule, from the one validator: the file's message adds only its name."""
    data = json.loads((MATERIALS_DB / "Ti.json").read_text())
    data["shells"][2]["distances"] = [1.7]
    path = tmp_path / "Bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(InputError) as from_file:
        pf.load_parameter_set(path)
    ti = pf.load_parameter_set(MATERIALS_DB / "Ti.json")
    with pytest.raises(InputError) as from_python:
        orbdiff.ParameterSet(
            name="Ti", structure="hcp", lattice_constant=ti.lattice_constant, cell=ti.cell,
            basis=ti.basis, species=ti.species, shells=ti.shells,
            shell_distances=[*ti.shell_distances[:2], [1.7]])
    assert str(from_python.value).startswith("shell_distances[2]: got [1.7]")
    assert str(from_file.value) == f"{path}: {from_python.value}"


def test_nan_integral_fails_alike_in_python_and_in_a_file(tmp_path):
    data = json.loads((MATERIALS_DB / "Ti.json").read_text())
    data["species"]["Ti"]["onsite"]["pd0"] = "x"
    path = tmp_path / "Bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(InputError, match=r"species\.Ti\.onsite\.pd0: got \"x\""):
        pf.load_parameter_set(path)
