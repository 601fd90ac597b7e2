"""Write materials_db/<X>.json (schema 2) for the hcp sets of the shared parameter data.

Run ``python tests/plugins/papaconstantopoulos/make_hcp_files.py [shared.json]``. Every
number is copied from the shared file; test_hcp_materials_db.py checks that digit for
digit. The recipe (cell, 12 + 6 + 2 shells, d levels dd0/dd1/dd2, ±pd0 on the two
sublattices) is the shared file's ``conventions``; what it marks inferred is marked so.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

SHARED = Path("/work/shared/data/papaconstantopoulos-hcp-and-spin-polarized.json")
TARGET = Path(__file__).resolve().parents[3] / "materials_db"
CITATION = ("D. A. Papaconstantopoulos, Handbook of the Band Structure of Elemental Solids "
            "(Plenum, New York, 1986)")
NAMES = {"ss_sigma": "sss", "sp_sigma": "sps", "pp_sigma": "pps", "pp_pi": "ppp",
         "sd_sigma": "sds", "pd_sigma": "pds", "pd_pi": "pdp", "dd_sigma": "dds",
         "dd_pi": "ddp", "dd_delta": "ddd"}
ORBITAL_LEVELS = {"s": "ss0", "px": "pp0", "py": "pp0", "pz": "pp0", "dxy": "dd0",
                  "dyz": "dd1", "dzx": "dd1", "dx2-y2": "dd0", "d3z2-r2": "dd2"}


def couplings(sign: int) -> list[dict]:
    return [{"bra": "px", "ket": "dxy", "level": "pd0", "factor": sign},
            {"bra": "py", "ket": "dx2-y2", "level": "pd0", "factor": sign}]


def shells(entry: dict, symbol: str) -> list[dict]:
    q = entry["c_over_a"]
    rows = [
        (12, [1.0, math.sqrt(1 / 3 + q**2 / 4)],
         "6 same-sublattice in-plane at a and 6 other-sublattice at sqrt(a^2/3 + c^2/4)"),
        (6, [math.sqrt(4 / 3 + q**2 / 4)], "6 other-sublattice at sqrt(4a^2/3 + c^2/4)"),
        (2, [q], "2 same-sublattice at +-c along z"),
    ]
    return [{"neighbours": n, "distances": [round(d, 10) for d in distances],
             "description": text,
             "integrals": {f"{symbol}-{symbol}": {NAMES[k]: v for k, v in shell.items()}}}
            for (n, distances, text), shell in zip(rows, entry["shells"], strict=True)]


def status(conventions: dict) -> list[dict]:
    onsite = conventions["hcp_onsite"]
    return [
        {"convention": "two_centre", "status": "printed", "statement": conventions["two_centre"],
         "basis": "the standard Slater-Koster table, as stated with the shared parameter data"},
        {"convention": "hcp_lattice", "status": "printed", "statement": conventions["hcp_lattice"],
         "basis": "given without qualification with the shared parameter data"},
        {"convention": "hcp_shells", "status": "inferred",
         "statement": conventions["hcp_shells"]["value"],
         "basis": conventions["hcp_shells"]["status"]},
        {"convention": "hcp_onsite", "status": "inferred", "statement": onsite["value"],
         "basis": onsite["status"]},
        {"convention": "hcp_d_phase", "status": "printed", "statement": conventions["hcp_d_phase"],
         "basis": "the numbers are used as printed, in their own d-orbital gauge"},
    ]


def parameter_file(symbol: str, entry: dict, shared: dict) -> dict:
    name = "Co-hcp" if symbol == "Co" else symbol
    q = entry["c_over_a"]
    soc = entry.get("soc_lds_eV")
    fermi = entry.get("ef_ry_tabulated")
    file_shells = shells(entry, symbol)
    return {
        "schema_version": 2,
        "name": name,
        "structure": "hcp",
        "citation": CITATION,
        "source": entry["source"],
        "conventions": "; ".join(f"{k}: {v if isinstance(v, str) else v['value']}"
                                 for k, v in shared["conventions"].items()
                                 if k.startswith(("two_centre", "hcp", "integral_names"))),
        "convention_status": status(shared["conventions"]),
        "energy_unit": "Ry",
        "lattice": {
            "a": {"value": entry["a_angstrom"], "unit": "Angstrom",
                  "source": entry["lattice_source"]},
            "cell": [[1.0, 0.0, 0.0], [-0.5, math.sqrt(3) / 2, 0.0], [0.0, 0.0, q]],
            "source": f"hcp cell of the shared data's hcp_lattice convention with c/a = {q} "
                      f"({entry['lattice_source']})",
        },
        "species": {symbol: {
            "orbitals": ["s", "p", "d"],
            "valence_electrons": {"value": entry["valence"], "source": "valence electrons per "
                                  "atom given with the set in the shared parameter data "
                                  "(papaconstantopoulos-hcp-and-spin-polarized.json)"},
            "onsite": entry["onsite"],
            "orbital_levels": ORBITAL_LEVELS,
            "spin_orbit": {"value": soc, "unit": "eV", "convention": "L.S", "applies_to": "d",
                           "source": entry.get("soc_source", "not given with the set")},
        }},
        "basis": [
            {"species": symbol, "position": [1 / 3, 2 / 3, 0.25], "couplings": couplings(1)},
            {"species": symbol, "position": [2 / 3, 1 / 3, 0.75], "couplings": couplings(-1)},
        ],
        "shells": file_shells,
        "fermi_energy": {"value": fermi, "unit": "Ry",
                         "source": entry.get("ef_source", "not tabulated with the set")},
    }


def main(shared_path: Path = SHARED) -> None:
    shared = json.loads(shared_path.read_text())
    for symbol, entry in shared["hcp"].items():
        data = parameter_file(symbol, entry, shared)
        path = TARGET / f"{data['name']}.json"
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED)
