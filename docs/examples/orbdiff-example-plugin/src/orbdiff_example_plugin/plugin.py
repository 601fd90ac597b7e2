"""Hooks of the example plugin: only orbdiff's public API is used."""

from __future__ import annotations

import json
from importlib.resources import files

import numpy as np

import orbdiff
from orbdiff.basis import OrbitalSet
from orbdiff.hamiltonian.parameter_set import Site
from orbdiff.plugin import ModelRecord, ParameterSetRecord
from orbdiff.structure import neighbour_shells
from orbdiff.units import RYDBERG

__version__ = "0.1.0"


def load_nb_2shell() -> orbdiff.ParameterSet:
    """The Nb set restricted to two shells, energies converted from Ry to eV."""
    data = json.loads(files(__package__).joinpath("nb_2shell.json").read_text())
    return orbdiff.ParameterSet(
        name="Nb-2shell",
        element="Nb",
        structure="bcc",
        lattice_constant=data["lattice_constant"],
        valence_electrons=data["valence_electrons"],
        onsite={k: v * RYDBERG for k, v in data["onsite"].items()},
        shells=[{k: v * RYDBERG for k, v in shell.items()} for shell in data["shells"]],
        xi=data["soc_lds_eV"] / 2,  # σ·L coefficient = half the L·S constant
        fermi_energy=data["fermi_energy_ry"] * RYDBERG,
        provenance={"source": data["source"]},
    )


def load_nb_two_atom_cell() -> orbdiff.ParameterSet:
    """The same two Nb shells on the conventional cubic cell: two atoms, (0,0,0) and (½,½,½).

    A two-atom set: cell and basis given explicitly, shells defined by their bond
    lengths (units of a), so the crystal is a supercell of bcc Nb with the same bands.
    """
    one_atom = load_nb_2shell()
    return orbdiff.ParameterSet(
        name="Nb-2atom",
        element="Nb",
        structure="bcc (conventional cell)",
        lattice_constant=one_atom.lattice_constant,
        valence_electrons=one_atom.valence_electrons,
        onsite=one_atom.onsite,
        shells=one_atom.shells,
        xi=one_atom.xi,
        fermi_energy=one_atom.fermi_energy,
        provenance={**one_atom.provenance, "cell": "conventional bcc cell, 2 atoms"},
        cell=np.eye(3),
        basis=[Site("Nb", (0.0, 0.0, 0.0)), Site("Nb", (0.5, 0.5, 0.5))],
        shell_distances=[[np.sqrt(3) / 2], [1.0]],
    )


def simple_cubic_s_band(t: float = -0.5, a: float = 3.0) -> orbdiff.TightBindingModel:
    """One s orbital per simple-cubic site, nearest-neighbour (ssσ) = t (eV), a in Å."""
    crystal = orbdiff.Crystal(a * np.eye(3), np.zeros((1, 3)), ["X"])
    builder = orbdiff.ModelBuilder(crystal, OrbitalSet(("s",)))
    builder.add_slater_koster(neighbour_shells(crystal, 1), [{"sss": float(t)}])
    return builder.finalized(name="sc-s-band", parameters={"t": float(t), "a": float(a)})


@orbdiff.hookimpl
def orbdiff_register_parameter_sets():
    return [ParameterSetRecord(name="Nb-2shell", factory=load_nb_2shell, element="Nb",
                               structure="bcc", summary="Nb, two neighbour shells",
                               source="Papaconstantopoulos (1986)"),
            ParameterSetRecord(name="Nb-2atom", factory=load_nb_two_atom_cell, element="Nb",
                               structure="bcc (conventional cell)",
                               summary="Nb, two shells, two-atom cubic cell",
                               source="Papaconstantopoulos (1986)")]


@orbdiff.hookimpl
def orbdiff_register_models():
    return [ModelRecord(name="sc-s-band", factory=simple_cubic_s_band,
                        parameters={"t": -0.5, "a": 3.0},
                        summary="simple-cubic s band: t (eV), a (Å)")]
