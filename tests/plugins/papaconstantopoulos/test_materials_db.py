"""materials_db: every file is schema-valid, exact to the shared data, and loads in eV."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from orbdiff.errors import InputError
from orbdiff.hamiltonian.parameter_set import ParameterSet
from orbdiff_plugins.papaconstantopoulos import parameter_files as pf

REPO = Path(__file__).resolve().parents[3]
MATERIALS_DB = REPO / "materials_db"
SHARED_DATA = REPO.parent / "shared" / "data" / "papaconstantopoulos-two-centre.json"

#: eV per Ry as written in the shared data's "units" text (independent of orbdiff.units).
RY_IN_EV = 13.605693122994

ELEMENTS = {"V", "Nb", "Ta", "Cr", "Mo", "W", "Fe", "Mn",
            "Cu", "Ag", "Au", "Pd", "Pt", "Rh", "Ir", "Al", "Ni", "Co"}
INTEGRALS = ("sss", "sps", "pps", "ppp", "sds", "pds", "pdp", "dds", "ddp", "ddd")
#: The hcp sets (schema 2), tested in test_hcp_materials_db.py.
HCP = {"Be", "Mg", "Sc", "Ti", "Zn", "Y", "Zr", "Tc", "Ru", "Cd", "Hf", "Re", "Os", "Co-hcp"}
#: The spin-polarized sets (schema 2), tested in test_spin_polarized_materials_db.py.
FERROMAGNETS = {"Fe-fm", "Co-fm", "Ni-fm"}
ALL_FILES = sorted(p for p in MATERIALS_DB.glob("*.json") if p.name != "schema.json")
FILES = [p for p in ALL_FILES if p.stem in ELEMENTS]


def _ids(path: Path) -> str:
    return path.stem


def test_exactly_the_cubic_hcp_and_spin_polarized_sets():
    assert {p.stem for p in pf.parameter_files()} == ELEMENTS | HCP | FERROMAGNETS
    assert pf.parameter_files() == ALL_FILES
    assert pf.materials_db_path() == MATERIALS_DB


@pytest.mark.parametrize("path", FILES, ids=_ids)
def test_file_validates_and_loads(path):
    data = pf.read_parameter_file(path)
    assert data["name"] == data["element"] == path.stem
    pset = pf.load_parameter_set(path)
    assert isinstance(pset, ParameterSet)
    assert pset.name == path.stem
    assert len(pset.shells) == {"bcc": 3, "fcc": 2}[pset.structure]


def test_units_text_of_the_shared_data(shared):
    assert f"1 Ry = {RY_IN_EV!r} eV" in shared["units"]["energies"]
    assert "L.S" in shared["units"]["soc_lds_eV"]


@pytest.mark.parametrize("path", FILES, ids=_ids)
def test_numbers_equal_the_shared_data(path, shared):
    ref = shared["elements"][path.stem]
    data = json.loads(path.read_text())
    assert data["structure"] == ref["structure"]
    assert data["conventions"] == shared["conventions"]
    assert data["source"] == ref["source"]
    assert data["lattice_constant"]["value"] == ref["a_angstrom"]
    assert data["lattice_constant"]["source"] == ref["a_source"]
    assert data["valence_electrons"]["value"] == ref["valence"]
    assert data["onsite"] == ref["onsite"]
    assert [s["integrals"] for s in data["shells"]] == ref["shells"]
    assert data["spin_orbit"]["value"] == ref["soc_lds_eV"]
    assert data["spin_orbit"]["source"] == ref["soc_source"]
    assert data["fermi_energy"]["value"] == ref["ef_ry_tabulated"]


@pytest.mark.parametrize("path", FILES, ids=_ids)
def test_loaded_set_is_in_ev_with_half_the_ls_constant(path, shared):
    ref = shared["elements"][path.stem]
    pset = pf.load_parameter_set(path)
    approx = dict(rel=1e-12, abs=1e-15)
    for key, value in ref["onsite"].items():
        assert pset.onsite[key] == pytest.approx(value * RY_IN_EV, **approx)
    for shell, ref_shell in zip(pset.shells, ref["shells"], strict=True):
        assert set(shell) == set(INTEGRALS)
        for key in INTEGRALS:
            assert shell[key] == pytest.approx(ref_shell[key] * RY_IN_EV, **approx)
    soc = ref["soc_lds_eV"]
    assert pset.xi == (None if soc is None else pytest.approx(soc / 2, rel=1e-15))
    ef = ref["ef_ry_tabulated"]
    assert pset.fermi_energy == (None if ef is None else pytest.approx(ef * RY_IN_EV, **approx))
    assert pset.lattice_constant == ref["a_angstrom"]
    assert pset.valence_electrons == ref["valence"]
    assert pset.provenance["spin_orbit"] == ref["soc_source"]
    assert pset.provenance["lattice_constant"] == ref["a_source"]
    assert pset.provenance["file"] == path.name
    for key in ("citation", "source", "conventions", "valence_electrons", "fermi_energy"):
        assert pset.provenance[key]


def test_readme_table_matches_the_files():
    rows = {}
    for line in (MATERIALS_DB / "README.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 7 and cells[0] in ELEMENTS:
            rows[cells[0]] = cells
    assert set(rows) == ELEMENTS
    for path in FILES:
        data = json.loads(path.read_text())
        soc, ef = data["spin_orbit"]["value"], data["fermi_energy"]["value"]
        expected = [path.stem, data["structure"], str(data["lattice_constant"]["value"]),
                    str(data["valence_electrons"]["value"]),
                    "none" if soc is None else str(soc), "none" if soc is None else str(soc / 2),
                    "none" if ef is None else str(ef)]
        assert rows[path.stem] == expected


# --- malformed files -------------------------------------------------------------------


def _drop_pps(d):
    del d["shells"][1]["integrals"]["pps"]


def _string_energy(d):
    d["onsite"]["es"] = "0.93"


def _extra_key(d):
    d["spin_orbit"]["zeta"] = 0.1


def _bohr(d):
    d["lattice_constant"]["unit"] = "bohr"


def _negative_soc(d):
    d["spin_orbit"]["value"] = -0.26


def _four_shells(d):
    d["shells"].append(copy.deepcopy(d["shells"][0]))


def _unknown_integral(d):
    d["shells"][2]["integrals"]["ddf"] = d["shells"][2]["integrals"].pop("ddd")


def _wrong_convention(d):
    d["spin_orbit"]["convention"] = "sigma.L"


def _fcc_with_bcc_shells(d):
    d["structure"] = "fcc"


def _no_electrons(d):
    d["valence_electrons"]["value"] = 0


MALFORMED = [
    (_drop_pps, "shells[1].integrals.pps", "a number"),
    (lambda d: d.pop("lattice_constant"), "lattice_constant", "value, unit, source"),
    (_string_energy, "onsite.es", "a number"),
    (_extra_key, "spin_orbit.zeta", "only the fields value, unit"),
    (lambda d: d.update(comment="x"), "comment", "only the fields"),
    (_bohr, "lattice_constant.unit", '"Angstrom"'),
    (_negative_soc, "spin_orbit.value", "≥ 0"),
    (_four_shells, "shells", "1 to 3"),
    (_unknown_integral, "shells[2].integrals.ddf", "sss, sps, pps"),
    (_wrong_convention, "spin_orbit.convention", '"L.S"'),
    (lambda d: d.update(structure="hcp"), "structure", '"bcc", "fcc"'),
    (_fcc_with_bcc_shells, "shells[0].neighbours", "12"),
    (_no_electrons, "valence_electrons.value", "> 0"),
]


@pytest.fixture()
def ta_data() -> dict:
    return json.loads((MATERIALS_DB / "Ta.json").read_text())


@pytest.mark.parametrize(("edit", "field", "expected"), MALFORMED,
                         ids=[m[1] + "-" + m[0].__name__.strip("_") for m in MALFORMED])
def test_malformed_file_names_file_field_and_expectation(tmp_path, ta_data, edit, field,
                                                         expected):
    edit(ta_data)
    path = tmp_path / "Bad.json"
    path.write_text(json.dumps(ta_data, indent=2))
    with pytest.raises(InputError) as info:
        pf.load_parameter_set(path)
    message = str(info.value)
    assert str(path) in message
    assert f"field {field}:" in message
    assert expected in message.split("; expected ", 1)[1]


def test_broken_json_syntax_names_file_and_line(tmp_path):
    text = (MATERIALS_DB / "Ta.json").read_text()
    lines = text.splitlines()
    row = next(i for i, line in enumerate(lines) if '"pps"' in line)
    lines[row] = lines[row].rstrip(",")  # drop one comma
    path = tmp_path / "Broken.json"
    path.write_text("\n".join(lines))
    with pytest.raises(InputError, match=re.escape(str(path))) as info:
        pf.read_parameter_file(path)
    message = str(info.value)
    assert f"line {row + 2}" in message  # the parser stops at the next line
    assert "near field 'pps'" in message


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_number_is_rejected(tmp_path, constant):
    text = (MATERIALS_DB / "Ta.json").read_text().replace('"es": 0.93239', f'"es": {constant}')
    path = tmp_path / "Nan.json"
    path.write_text(text)
    with pytest.raises(InputError, match=r"Nan\.json: field onsite\.es: .*finite"):
        pf.read_parameter_file(path)


def test_duplicate_key_is_rejected(tmp_path):
    text = (MATERIALS_DB / "Ta.json").read_text().replace(
        '"es": 0.93239', '"es": 0.93239, "es": 1.0')
    path = tmp_path / "Twice.json"
    path.write_text(text)
    with pytest.raises(InputError, match=r"Twice\.json: field 'es' appears twice"):
        pf.read_parameter_file(path)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match=r"Nope\.json: cannot read"):
        pf.load_parameter_set(tmp_path / "Nope.json")


# --- where the folder is found ---------------------------------------------------------


def test_environment_variable_overrides_the_folder(tmp_path, monkeypatch, ta_data):
    ta_data["name"] = "Ta-custom"
    (tmp_path / "Ta-custom.json").write_text(json.dumps(ta_data))
    monkeypatch.setenv(pf.ENVIRONMENT_VARIABLE, str(tmp_path))
    assert pf.materials_db_path() == tmp_path
    assert pf.MATERIALS_DB == tmp_path
    assert pf.parameter_files() == [tmp_path / "Ta-custom.json"]
    assert pf.load_parameter_set(pf.parameter_files()[0]).name == "Ta-custom"
    assert pf.schema_path() == MATERIALS_DB / "schema.json"  # orbdiff's own schema


def test_missing_override_folder_names_where_it_looked(tmp_path, monkeypatch):
    missing = tmp_path / "nowhere"
    monkeypatch.setenv(pf.ENVIRONMENT_VARIABLE, str(missing))
    with pytest.raises(InputError, match=re.escape(str(missing))):
        pf.materials_db_path()


def test_builtin_folder_is_the_repository_one():
    assert pf.MATERIALS_DB == MATERIALS_DB
