"""The spin-polarized sets Fe-fm, Co-fm, Ni-fm: exact to the shared data, with provenance.

The reference is the shared file itself (``spin_polarized``), read here; the borrowed
spin-orbit constants are compared with the paramagnetic files they come from.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from orbdiff_plugins.papaconstantopoulos import parameter_files as pf

REPO = Path(__file__).resolve().parents[3]
SHARED_DATA = REPO.parent / "shared" / "data" / "papaconstantopoulos-hcp-and-spin-polarized.json"
RY_IN_EV = 13.605693122994  # the shared data's own units text
SYMBOLS = ("Fe", "Co", "Ni")
#: The paramagnetic set of each element, which lends its spin-orbit constant.
PARAMAGNETIC = {"Fe": "Fe", "Co": "Co-hcp", "Ni": "Ni"}
NAMES = {"ss_sigma": "sss", "sp_sigma": "sps", "pp_sigma": "pps", "pp_pi": "ppp",
         "sd_sigma": "sds", "pd_sigma": "pds", "pd_pi": "pdp", "dd_sigma": "dds",
         "dd_pi": "ddp", "dd_delta": "ddd"}


def path_of(symbol: str) -> Path:
    return REPO / "materials_db" / f"{symbol}-fm.json"


def renamed(integrals: dict) -> dict:
    return {NAMES[k]: v for k, v in integrals.items()}


def test_shared_data_lists_exactly_these_sets(shared):
    assert set(shared["spin_polarized"]) == set(SYMBOLS)


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_numbers_equal_the_shared_data(symbol, shared):
    ref = shared["spin_polarized"][symbol]
    data = json.loads(path_of(symbol).read_text())
    species = data["species"][symbol]
    assert data["schema_version"] == 2 and data["structure"] == ref["structure"]
    assert data["lattice"]["a"]["value"] == ref["a_angstrom"]
    assert data["lattice"]["a"]["source"] == ref["lattice_source"]
    if "c_over_a" in ref:
        assert data["lattice"]["cell"][2][2] == ref["c_over_a"]
    assert species["valence_electrons"]["value"] == ref["valence"]
    for spin in ("up", "down"):
        assert species["onsite"][spin] == ref[spin]["onsite"]
        integrals = [shell["integrals"][f"{symbol}-{symbol}"][spin] for shell in data["shells"]]
        assert integrals == [renamed(shell) for shell in ref[spin]["shells"]]
        assert data["spin_channels"][spin] == ref[spin]["source"]
        assert ref[spin]["source"] in data["source"]
    assert data["fermi_energy"]["value"] is None  # none printed (the shared data's caveats)


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_loaded_in_ev_with_both_channels(symbol, shared):
    ref = shared["spin_polarized"][symbol]
    ps = pf.load_parameter_set(path_of(symbol))
    assert ps.spin_polarized and ps.name == f"{symbol}-fm" and ps.element == symbol
    assert ps.valence_electrons == ref["valence"]
    species = ps.species[0]
    for spin, levels, shells in (("up", species.onsite, ps.shells),
                                 ("down", species.onsite_down, ps.shells_down)):
        for name, value in ref[spin]["onsite"].items():
            assert levels[name] == pytest.approx(value * RY_IN_EV, rel=1e-11)
        for shell, ref_shell in zip(shells, ref[spin]["shells"], strict=True):
            for name, value in renamed(ref_shell).items():
                assert shell[name] == pytest.approx(value * RY_IN_EV, rel=1e-11, abs=1e-14)


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_spin_orbit_is_borrowed_from_the_paramagnetic_set(symbol):
    lender = json.loads((REPO / "materials_db" / f"{PARAMAGNETIC[symbol]}.json").read_text())
    own = lender.get("spin_orbit") or lender["species"][symbol]["spin_orbit"]
    data = json.loads(path_of(symbol).read_text())
    soc = data["species"][symbol]["spin_orbit"]
    assert soc["value"] == own["value"] is not None
    assert soc["borrowed_from"] == PARAMAGNETIC[symbol]
    assert soc["source"].startswith(f"borrowed from the paramagnetic set {PARAMAGNETIC[symbol]}")
    ps = pf.load_parameter_set(path_of(symbol))
    assert ps.xi == pytest.approx(own["value"] / 2, rel=1e-12)
    assert ps.provenance["spin_orbit_borrowed_from"] == {symbol: PARAMAGNETIC[symbol]}


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_recipe_and_inferred_conventions(symbol, shared):
    ref = shared["spin_polarized"][symbol]
    ps = pf.load_parameter_set(path_of(symbol))
    counts = ps.bond_counts()
    expected = {"bcc": [8, 6, 12], "fcc": [12, 6], "hcp": [12, 6, 2]}[ref["structure"]]
    assert [counts[(0, shell)] for shell in range(len(ps.shells))] == expected
    assert len(ref["up"]["shells"]) == len(ref["down"]["shells"]) == len(expected)
    inferred = {"spin_energy_reference", "spin_orbit"}
    if ref["structure"] == "hcp":
        inferred |= {"hcp_shells", "hcp_onsite"}
        q = ref["c_over_a"]
        np.testing.assert_allclose(ps.cell, [[1, 0, 0], [-0.5, math.sqrt(3) / 2, 0], [0, 0, q]])
        signs = [{(b, k, level): f for b, k, level, f in site.couplings} for site in ps.basis]
        assert signs == [{("px", "dxy", "pd0"): 1, ("py", "dx2-y2", "pd0"): 1},
                         {("px", "dxy", "pd0"): -1, ("py", "dx2-y2", "pd0"): -1}]
    else:
        levels = ps.species[0].orbital_levels
        assert [levels[o] for o in ("s", "px", "dxy", "dyz", "dx2-y2", "d3z2-r2")] == [
            "es", "ep", "et2g", "et2g", "eeg", "eeg"]
        np.testing.assert_allclose(ps.lattice_constant ** 3 * abs(np.linalg.det(ps.cell)),
                                   ref["a_angstrom"] ** 3 / {"bcc": 2, "fcc": 4}[ref["structure"]])
    assert set(ps.provenance["inferred"]) == inferred
    assert "assumed" in shared["conventions"]["spin_polarized"]  # why it is marked inferred


def _broken(change) -> dict:
    data = json.loads(path_of("Fe").read_text())
    change(data)
    return data


MALFORMED = [
    (lambda d: d["species"]["Fe"]["onsite"].pop("down"), "species.Fe.onsite.down: missing"),
    (lambda d: d["species"]["Fe"]["onsite"].update(es=1.0), "unknown field 'es'"),
    (lambda d: d["shells"][1]["integrals"]["Fe-Fe"].pop("up"),
     "shells[1].integrals.Fe-Fe.up: missing"),
    (lambda d: d["shells"][0]["integrals"]["Fe-Fe"]["down"].pop("pds"),
     "shells_down[0].integrals.pds: got 'missing'"),
    (lambda d: d["species"]["Fe"]["onsite"]["down"].pop("eeg"),
     "onsite_down: got ['ep', 'es', 'et2g']"),
    (lambda d: d.pop("spin_channels"), "species.Fe.onsite.up: got an object"),
    (lambda d: d["spin_channels"].pop("energy_reference"),
     "spin_channels.energy_reference: missing"),
]


@pytest.mark.parametrize(("change", "message"), MALFORMED, ids=[m for _, m in MALFORMED])
def test_malformed_spin_polarized_file_names_the_field(change, message, malformed_file_error):
    assert message in malformed_file_error(_broken(change))


def test_spin_channels_are_refused_in_a_version_1_file(tmp_path):
    data = json.loads((REPO / "materials_db" / "Fe.json").read_text())
    data["spin_channels"] = {"up": "x", "down": "y", "energy_reference": "z"}
    path = tmp_path / "Bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(pf.InputError, match="field spin_channels: unknown field"):
        pf.load_parameter_set(path)
