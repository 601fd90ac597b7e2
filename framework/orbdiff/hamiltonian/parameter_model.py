"""Assemble the Slater-Koster model of a parameter set on a crystal."""

from __future__ import annotations

import numpy as np

from ..basis.orbitals import OrbitalSet
from ..errors import invalid
from ..structure.crystal import Crystal
from ..structure.neighbours import bonds_at_distances
from .builder import ModelBuilder
from .onsite import SpinOrbitCoupling
from .parameter_set import DISTANCE_TOLERANCE, LATTICE_TOLERANCE, ParameterSet, orbital_names

__all__ = ["assemble_model"]


def assemble_model(ps: ParameterSet, crystal: Crystal, n_shells: int,
                   xi: dict[str, float], rescale: bool) -> ModelBuilder:
    """A builder holding the set's on-site levels, couplings, hoppings and SOC (eV)."""
    a = _check_structure(ps, crystal, n_shells, rescale)
    species = ps.species_by_symbol
    orbitals = {symbol: OrbitalSet(s.shells) for symbol, s in species.items()}
    builder = ModelBuilder(crystal, orbitals)
    sites = _sites_of_atoms(ps, crystal, a)
    for atom, symbol in enumerate(crystal.symbols):
        builder.add_onsite_matrix(atom, _onsite_matrix(ps, symbol, sites[atom]))
    distances = [[d * a for d in group] for group in ps.shell_distances[:n_shells]]
    builder.add_slater_koster(bonds_at_distances(crystal, distances, DISTANCE_TOLERANCE * a),
                              ps.shells[:n_shells])
    for symbol, coupling in xi.items():
        shells = {s: coupling if s == "d" else 0.0 for s in species[symbol].shells if s != "s"}
        atoms = [i for i, s in enumerate(crystal.symbols) if s == symbol]
        if coupling and shells:
            builder.add_onsite_term(SpinOrbitCoupling(shells), atoms)
    return builder


def _onsite_matrix(ps: ParameterSet, symbol: str, site: int | None) -> np.ndarray:
    """Levels on the diagonal and the site's couplings off it (eV)."""
    species = ps.species_by_symbol[symbol]
    names = orbital_names(species)
    matrix = np.diag([species.onsite[species.orbital_levels[n]] for n in names]).astype(complex)
    if site is not None:
        for bra, ket, level, factor in ps.basis[site].couplings:
            i, j = names.index(bra), names.index(ket)
            matrix[i, j] += factor * species.onsite[level]
            matrix[j, i] += factor * species.onsite[level]
    return matrix


def _lattice_constant(ps: ParameterSet, crystal: Crystal) -> float:
    """a of the crystal (Å), from its volume per atom against the set's cell."""
    per_atom = abs(np.linalg.det(np.asarray(ps.cell))) / len(ps.basis)
    return float((crystal.volume / len(crystal.symbols) / per_atom) ** (1 / 3))


def _check_structure(ps: ParameterSet, crystal: Crystal, n_shells: int, rescale: bool) -> float:
    others = sorted(set(crystal.symbols) - set(ps.species_by_symbol))
    if others:
        raise invalid("structure", f"atoms {others}",
                      f"only {', '.join(ps.species_by_symbol)} atoms for set {ps.name!r}")
    a = _lattice_constant(ps, crystal)
    if not rescale and abs(a / ps.lattice_constant - 1) > LATTICE_TOLERANCE:
        raise invalid("structure", f"lattice constant {a:.4f} Å",
                      f"{ps.lattice_constant} Å ± {LATTICE_TOLERANCE:.0%} for set "
                      f"{ps.name!r}, or rescale=True to use its integrals anyway")
    expected = _counts_by_species(ps.prototype(), ps.bond_counts(n_shells=n_shells), n_shells)
    found = _counts_by_species(crystal, ps.bond_counts(crystal, n_shells, a), n_shells)
    for (symbol, shell), counts in found.items():
        if counts != expected.get((symbol, shell)):
            raise invalid("structure", f"{sorted(counts)} neighbours of a {symbol} atom in "
                          f"shell {shell + 1}", f"{sorted(expected.get((symbol, shell), {0}))} "
                          f"as in the {ps.structure} lattice of set {ps.name!r}")
    return a


def _counts_by_species(crystal: Crystal, counts, n_shells: int) -> dict[tuple, set[int]]:
    """The bond counts per shell of each species' atoms."""
    by_species: dict[tuple, set[int]] = {}
    for atom, symbol in enumerate(crystal.symbols):
        for shell in range(n_shells):
            by_species.setdefault((symbol, shell), set()).add(counts.get((atom, shell), 0))
    return by_species


def _sites_of_atoms(ps: ParameterSet, crystal: Crystal, a: float) -> list[int | None]:
    """The basis site of each atom, needed only when sites carry on-site couplings."""
    if not any(site.couplings for site in ps.basis):
        return [None] * len(crystal.symbols)
    cell = a * np.asarray(ps.cell)
    fractional = np.array([s.position for s in ps.basis]) @ cell
    inverse = np.linalg.inv(cell)
    sites = []
    for atom, position in enumerate(crystal.positions):
        offsets = (position - fractional) @ inverse
        match = [i for i, off in enumerate(offsets)
                 if np.allclose(off, np.round(off), atol=1e-4)
                 and ps.basis[i].species == crystal.symbols[atom]]
        if len(match) != 1:
            raise invalid("structure", f"atom {atom} at {np.round(position, 4).tolist()} Å",
                          f"atoms on the basis sites of set {ps.name!r} in its orientation "
                          "(its sites carry on-site couplings)")
        sites.append(match[0])
    return sites
