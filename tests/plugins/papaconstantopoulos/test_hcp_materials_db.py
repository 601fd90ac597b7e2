"""The hcp sets of materials_db: exact to the shared data, recipe and provenance as stated."""

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
SYMBOLS = ("Be", "Mg", "Sc", "Ti", "Zn", "Y", "Zr", "Tc", "Ru", "Cd", "Hf", "Re", "Os", "Co")
NAMES = {"ss_sigma": "sss", "sp_sigma": "sps", "pp_sigma": "pps", "pp_pi": "ppp",
         "sd_sigma": "sds", "pd_sigma": "pds", "pd_pi": "pdp", "dd_sigma": "dds",
         "dd_pi": "ddp", "dd_delta": "ddd"}


def file_name(symbol: str) -> str:
    return "Co-hcp" if symbol == "Co" else symbol


def test_shared_data_lists_exactly_these_sets(shared):
    assert set(shared["hcp"]) == set(SYMBOLS)
    assert f"1 Ry = {RY_IN_EV!r} eV" in shared["units"]["energies"]


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_numbers_equal_the_shared_data(symbol, shared):
    ref = shared["hcp"][symbol]
    data = json.loads((REPO / "materials_db" / f"{file_name(symbol)}.json").read_text())
    species = data["species"][symbol]
    assert data["schema_version"] == 2 and data["structure"] == ref["structure"] == "hcp"
    assert data["source"] == ref["source"]
    assert data["lattice"]["a"]["value"] == ref["a_angstrom"]
    assert data["lattice"]["a"]["source"] == ref["lattice_source"]
    assert data["lattice"]["cell"][2][2] == ref["c_over_a"]
    assert species["valence_electrons"]["value"] == ref["valence"]
    assert species["onsite"] == ref["onsite"]
    integrals = [shell["integrals"][f"{symbol}-{symbol}"] for shell in data["shells"]]
    assert integrals == [{NAMES[k]: v for k, v in shell.items()} for shell in ref["shells"]]
    assert species["spin_orbit"]["value"] == ref.get("soc_lds_eV")
    assert data["fermi_energy"]["value"] == ref.get("ef_ry_tabulated")


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_recipe_of_the_shared_conventions(symbol, shared):
    """Cell, sites, 12 + 6 + 2 shells, dd0/dd1/dd2 levels and ±pd0, as the data states."""
    ref = shared["hcp"][symbol]
    ps = pf.load_parameter_set(REPO / "materials_db" / f"{file_name(symbol)}.json")
    q = ref["c_over_a"]
    np.testing.assert_allclose(ps.cell, [[1, 0, 0], [-0.5, math.sqrt(3) / 2, 0], [0, 0, q]])
    np.testing.assert_allclose([s.position for s in ps.basis], [[1 / 3, 2 / 3, 0.25],
                                                                 [2 / 3, 1 / 3, 0.75]])
    counts = ps.bond_counts()
    assert [counts[(atom, shell)] for atom in (0, 1) for shell in (0, 1, 2)] == [12, 6, 2] * 2
    np.testing.assert_allclose(ps.shell_distances[2], [q])
    levels = ps.species[0].orbital_levels
    assert [levels[o] for o in ("s", "px", "dxy", "dx2-y2", "dyz", "dzx", "d3z2-r2")] == [
        "ss0", "pp0", "dd0", "dd0", "dd1", "dd1", "dd2"]
    signs = [{(b, k, level): f for b, k, level, f in site.couplings} for site in ps.basis]
    assert signs[0] == {("px", "dxy", "pd0"): 1, ("py", "dx2-y2", "pd0"): 1}
    assert signs[1] == {("px", "dxy", "pd0"): -1, ("py", "dx2-y2", "pd0"): -1}
    assert ps.onsite["pd0"] == pytest.approx(ref["onsite"]["pd0"] * RY_IN_EV, rel=1e-11)


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_inferred_conventions_are_marked(symbol, shared):
    data = json.loads((REPO / "materials_db" / f"{file_name(symbol)}.json").read_text())
    status = {c["convention"]: c["status"] for c in data["convention_status"]}
    for name in ("hcp_shells", "hcp_onsite"):
        assert "inferred" in shared["conventions"][name]["status"]
        assert status[name] == "inferred"
    ps = pf.load_parameter_set(REPO / "materials_db" / f"{file_name(symbol)}.json")
    assert set(ps.provenance["inferred"]) == {"hcp_shells", "hcp_onsite"}


def test_co_hcp_units_on_load(shared):
    ref = shared["hcp"]["Co"]
    ps = pf.load_parameter_set(REPO / "materials_db" / "Co-hcp.json")
    assert ps.name == "Co-hcp" and ps.element == "Co"
    assert ps.xi == pytest.approx(ref["soc_lds_eV"] / 2, rel=1e-11)
    assert ps.fermi_energy == pytest.approx(ref["ef_ry_tabulated"] * RY_IN_EV, rel=1e-11)


def test_wrong_neighbour_count_names_the_field(tmp_path):
    data = json.loads((REPO / "materials_db" / "Ti.json").read_text())
    data["shells"][2]["neighbours"] = 6
    path = tmp_path / "Bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(pf.InputError, match=r"shells\[2\]\.neighbours: got 6"):
        pf.load_parameter_set(path)


def test_v1_fields_in_a_v2_file_are_refused(tmp_path):
    data = json.loads((REPO / "materials_db" / "Ti.json").read_text())
    data["element"] = "Ti"
    path = tmp_path / "Bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(pf.InputError, match="field element: unknown field 'element'"):
        pf.load_parameter_set(path)


def _broken(change) -> dict:
    data = json.loads((REPO / "materials_db" / "Ti.json").read_text())
    change(data)
    return data


MALFORMED_V2 = [
    (lambda d: d.pop("species"), "field species: missing"),
    (lambda d: d["lattice"].update(cell=[[1, 0, 0], [0, 1, 0]]), "field lattice.cell: got a list"),
    (lambda d: d["lattice"]["a"].update(value="2.95 Å"), 'field lattice.a.value: got "2.95 Å"'),
    (lambda d: d["basis"][0].update(species="Zr"), "basis[0].species: got 'Zr'"),
    (lambda d: d["basis"][0]["couplings"][0].update(level="pd9"), "couplings[0]: got 'pd9'"),
    (lambda d: d["species"]["Ti"]["orbital_levels"].pop("dxy"),
     "species[Ti].orbital_levels.dxy: got 'missing'"),
    (lambda d: d["shells"][0]["integrals"]["Ti-Ti"].pop("pds"),
     "shells[0].integrals.pds: got 'missing'"),
    (lambda d: d["shells"][0]["integrals"].update({"Ti-Zr": {}}), "shells[0]: got ['Ti-Zr']"),
    (lambda d: d["convention_status"][0].update(status="guessed"),
     "field convention_status[0].status: got \"guessed\""),
]


@pytest.mark.parametrize(("change", "message"), MALFORMED_V2, ids=[m for _, m in MALFORMED_V2])
def test_malformed_v2_file_names_file_and_field(change, message, malformed_file_error):
    assert message in malformed_file_error(_broken(change))
