"""Write materials_db/Fe-fm.json, Co-fm.json, Ni-fm.json (schema 2, spin-polarized).

Run ``python tests/plugins/papaconstantopoulos/make_spin_polarized_files.py [shared.json]``.
Every level and integral is copied from the shared file's ``spin_polarized`` entry;
test_spin_polarized_materials_db.py checks that digit for digit. The cubic recipe is the
two-centre sets' (et2g on xy, yz, zx; eeg on x²−y², 3z²−r²), the hcp recipe that of
Co-hcp (make_hcp_files.py). The fits carry no spin-orbit constant: the paramagnetic set
of the same element (Fe, Co-hcp, Ni) lends its own, and the files say so.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import make_hcp_files as hcp

SHARED = Path("/work/shared/data/papaconstantopoulos-hcp-and-spin-polarized.json")
TARGET = Path(__file__).resolve().parents[3] / "materials_db"
#: The paramagnetic set of each element, which lends its spin-orbit constant.
PARAMAGNETIC = {"Fe": "Fe", "Co": "Co-hcp", "Ni": "Ni"}
CUBIC_LEVELS = {"s": "es", "px": "ep", "py": "ep", "pz": "ep", "dxy": "et2g", "dyz": "et2g",
                "dzx": "et2g", "dx2-y2": "eeg", "d3z2-r2": "eeg"}
CUBIC_CELLS = {"bcc": [[-0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0.5, 0.5, -0.5]],
               "fcc": [[0.0, 0.5, 0.5], [0.5, 0.0, 0.5], [0.5, 0.5, 0.0]]}
CUBIC_SHELLS = {"bcc": [(8, math.sqrt(3) / 2, "8 at (1/2,1/2,1/2)a"), (6, 1.0, "6 at (1,0,0)a"),
                        (12, math.sqrt(2), "12 at (1,1,0)a")],
                "fcc": [(12, 1 / math.sqrt(2), "12 at (1/2,1/2,0)a"), (6, 1.0, "6 at (1,0,0)a")]}
CUBIC_CONVENTION = ("on-site es on s, ep on p, et2g on d xy, yz, zx and eeg on d x2-y2, 3z2-r2; "
                    "bcc shells: 8 at (1/2,1/2,1/2)a, 6 at (1,0,0)a, 12 at (1,1,0)a; fcc "
                    "shells: 12 at (1/2,1/2,0)a, 6 at (1,0,0)a")
SPIN_MODEL = ("H = (H_up + H_down)/2 (x) 1 + (H_up - H_down)/2 (x) sigma.m with m the unit "
              "magnetization (spin up along m); SOC, when asked for, is added on top")
ENERGY_REFERENCE = ("both spin channels share one energy zero and are filled to one common "
                    "Fermi level")


def integrals(up: dict, down: dict) -> dict:
    return {"up": {hcp.NAMES[k]: v for k, v in up.items()},
            "down": {hcp.NAMES[k]: v for k, v in down.items()}}


def shell_rows(entry: dict) -> list[tuple[int, list[float], str]]:
    if entry["structure"] == "hcp":
        geometry = hcp.shells({"c_over_a": entry["c_over_a"], "shells": entry["up"]["shells"]},
                              "X")
        return [(s["neighbours"], s["distances"], s["description"]) for s in geometry]
    return [(n, [round(d, 10)], text) for n, d, text in CUBIC_SHELLS[entry["structure"]]]


def shells(symbol: str, entry: dict) -> list[dict]:
    rows = shell_rows(entry)
    pairs = zip(entry["up"]["shells"], entry["down"]["shells"], strict=True)
    return [{"neighbours": n, "distances": distances, "description": text,
             "integrals": {f"{symbol}-{symbol}": integrals(up, down)}}
            for (n, distances, text), (up, down) in zip(rows, pairs, strict=True)]


def spin_status(shared: dict, soc: dict) -> list[dict]:
    basis = shared["conventions"]["spin_polarized"].split(". A non-collinear")[0] + "."
    return [
        {"convention": "spin_model", "status": "printed", "statement": SPIN_MODEL,
         "basis": "stated with the shared parameter data (conventions.spin_polarized); for m "
                  "along z it is the two collinear fits side by side"},
        {"convention": "spin_energy_reference", "status": "inferred",
         "statement": ENERGY_REFERENCE,
         "basis": "assumed in the shared parameter data, not printed by a source: " + basis},
        {"convention": "spin_orbit", "status": "inferred",
         "statement": f"xi of the paramagnetic set {soc['borrowed_from']} on both spins",
         "basis": "the spin-polarized fits carry no spin-orbit constant; borrowed from the "
                  "paramagnetic set of the same element"},
    ]


def lattice_status(shared: dict, entry: dict) -> list[dict]:
    if entry["structure"] == "hcp":
        return hcp.status(shared["conventions"])
    return [
        {"convention": "two_centre", "status": "printed",
         "statement": shared["conventions"]["two_centre"],
         "basis": "the standard Slater-Koster table, as stated with the shared parameter data"},
        {"convention": "cubic_sets", "status": "printed", "statement": CUBIC_CONVENTION,
         "basis": "the two-centre file's conventions (papaconstantopoulos-two-centre.json); "
                  "the shared data's integral_names: cubic spin-polarized on-site names are "
                  "those of the two-centre file"},
    ]


def spin_orbit(symbol: str) -> dict:
    name = PARAMAGNETIC[symbol]
    data = json.loads((TARGET / f"{name}.json").read_text())
    own = data["spin_orbit"] if "spin_orbit" in data else data["species"][symbol]["spin_orbit"]
    return {"value": own["value"], "unit": "eV", "convention": "L.S", "applies_to": "d",
            "source": f"borrowed from the paramagnetic set {name} ({name}.json: "
                      f"{own['source']}); the spin-polarized fits carry no spin-orbit constant",
            "borrowed_from": name}


def lattice(entry: dict) -> dict:
    if entry["structure"] == "hcp":
        q = entry["c_over_a"]
        cell = [[1.0, 0.0, 0.0], [-0.5, math.sqrt(3) / 2, 0.0], [0.0, 0.0, q]]
        where = f"hcp cell of the shared data's hcp_lattice convention with c/a = {q} ("
    else:
        cell = CUBIC_CELLS[entry["structure"]]
        where = f"primitive {entry['structure']} cell ("
    return {"a": {"value": entry["a_angstrom"], "unit": "Angstrom",
                  "source": entry["lattice_source"]},
            "cell": cell, "source": where + entry["lattice_source"] + ")"}


def basis(symbol: str, entry: dict) -> list[dict]:
    if entry["structure"] == "hcp":
        return [{"species": symbol, "position": [1 / 3, 2 / 3, 0.25],
                 "couplings": hcp.couplings(1)},
                {"species": symbol, "position": [2 / 3, 1 / 3, 0.75],
                 "couplings": hcp.couplings(-1)}]
    return [{"species": symbol, "position": [0.0, 0.0, 0.0]}]


def conventions(shared: dict, entry: dict) -> str:
    keys = ("two_centre", "hcp", "integral_names", "spin_polarized")
    text = "; ".join(f"{k}: {v if isinstance(v, str) else v['value']}"
                     for k, v in shared["conventions"].items()
                     if k.startswith(keys) and (entry["structure"] == "hcp"
                                                or not k.startswith("hcp")))
    cubic = "" if entry["structure"] == "hcp" else f"; cubic_sets: {CUBIC_CONVENTION}"
    return text + cubic + f"; spin_model: {SPIN_MODEL}"


def parameter_file(symbol: str, entry: dict, shared: dict) -> dict:
    soc = spin_orbit(symbol)
    levels = hcp.ORBITAL_LEVELS if entry["structure"] == "hcp" else CUBIC_LEVELS
    note = f"; note: {entry['note']}" if "note" in entry else ""
    return {
        "schema_version": 2,
        "name": f"{symbol}-fm",
        "structure": entry["structure"],
        "citation": hcp.CITATION,
        "source": f"spin up: {entry['up']['source']}; spin down: {entry['down']['source']}; "
                  "as collected in orbdiff's shared parameter data "
                  f"(papaconstantopoulos-hcp-and-spin-polarized.json, spin_polarized.{symbol})"
                  + note,
        "conventions": conventions(shared, entry),
        "convention_status": lattice_status(shared, entry) + spin_status(shared, soc),
        "energy_unit": "Ry",
        "spin_channels": {"up": entry["up"]["source"], "down": entry["down"]["source"],
                          "energy_reference": ENERGY_REFERENCE + " (assumed in the shared "
                          "parameter data: a common Fermi level gives moments close to "
                          "experiment)"},
        "lattice": lattice(entry),
        "species": {symbol: {
            "orbitals": ["s", "p", "d"],
            "valence_electrons": {"value": entry["valence"], "source": "valence electrons per "
                                  "atom given with the set in the shared parameter data "
                                  "(papaconstantopoulos-hcp-and-spin-polarized.json)"},
            "onsite": {"up": entry["up"]["onsite"], "down": entry["down"]["onsite"]},
            "orbital_levels": levels,
            "spin_orbit": soc,
        }},
        "basis": basis(symbol, entry),
        "shells": shells(symbol, entry),
        "fermi_energy": {"value": None, "unit": "Ry",
                         "source": "not printed with the spin-polarized sets (shared data "
                                   "caveats); E_F comes from the electron count"},
    }


def main(shared_path: Path = SHARED) -> None:
    shared = json.loads(shared_path.read_text())
    for symbol, entry in shared["spin_polarized"].items():
        data = parameter_file(symbol, entry, shared)
        path = TARGET / f"{data['name']}.json"
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED)
