"""Assemble the Slater-Koster model of a parameter set on a crystal."""

from __future__ import annotations

from collections import Counter

import numpy as np

from ..basis.orbitals import OrbitalSet
from ..errors import invalid
from ..structure.crystal import Crystal
from ..structure.neighbours import bonds_at_distances
from .builder import ModelBuilder, spin_split
from .onsite import SpinOrbitCoupling
from .parameter_set import DISTANCE_TOLERANCE, LATTICE_TOLERANCE, ParameterSet, orbital_names

__all__ = ["assemble_model"]


def assemble_model(ps: ParameterSet, crystal: Crystal, n_shells: int,
                   xi: dict[str, float], rescale: bool,
                   magnetization: np.ndarray | None = None) -> ModelBuilder:
    """A builder holding the set's on-site levels, couplings, hoppings and SOC (eV).

    A spin-polarized set (``magnetization`` the unit vector m) gets
    ``½(H↑ + H↓) ⊗ 1 + ½(H↑ − H↓) ⊗ σ·m`` on site and in every hopping.
    """
    a = _check_structure(ps, crystal, n_shells, rescale)
    species = ps.species_by_symbol
    orbitals = {symbol: OrbitalSet(s.shells) for symbol, s in species.items()}
    builder = ModelBuilder(crystal, orbitals)
    sites = _sites_of_atoms(ps, crystal, a)
    for atom, symbol in enumerate(crystal.symbols):
        onsite = _onsite_matrix(ps, symbol, sites[atom])
        if magnetization is not None:
            onsite = spin_split(onsite, _onsite_matrix(ps, symbol, sites[atom], "onsite_down"),
                                magnetization)
        builder.add_onsite_matrix(atom, onsite)
    distances = [[d * a for d in group] for group in ps.shell_distances[:n_shells]]
    bonds = bonds_at_distances(crystal, distances, DISTANCE_TOLERANCE * a)
    if magnetization is None:
        builder.add_slater_koster(bonds, ps.shells[:n_shells])
    else:
        builder.add_spin_polarized_slater_koster(bonds, ps.shells[:n_shells],
                                                 ps.shells_down[:n_shells], magnetization)
        builder.set_magnetization(magnetization)
    for symbol, coupling in xi.items():
        shells = {s: coupling if s == "d" else 0.0 for s in species[symbol].shells if s != "s"}
        atoms = [i for i, s in enumerate(crystal.symbols) if s == symbol]
        if coupling and shells:
            builder.add_onsite_term(SpinOrbitCoupling(shells), atoms)
    return builder


def _onsite_matrix(ps: ParameterSet, symbol: str, site: int | None,
                   channel: str = "onsite") -> np.ndarray:
    """Levels on the diagonal and the site's couplings off it (eV).

    ``channel`` names the levels used: ``"onsite"`` (spin up of a spin-polarized set)
    or ``"onsite_down"``.
    """
    species = ps.species_by_symbol[symbol]
    levels = getattr(species, channel)
    names = orbital_names(species)
    matrix = np.diag([levels[species.orbital_levels[n]] for n in names]).astype(complex)
    if site is not None:
        for bra, ket, level, factor in ps.basis[site].couplings:
            i, j = names.index(bra), names.index(ket)
            matrix[i, j] += factor * levels[level]
            matrix[j, i] += factor * levels[level]
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
    expected = _neighbours_by_species(ps, ps.prototype(), n_shells, ps.lattice_constant)
    found = _neighbours_by_species(ps, crystal, n_shells, a)
    for (symbol, shell), neighbours in found.items():
        wanted = expected.get((symbol, shell), set())
        if neighbours != wanted:
            raise invalid("structure", f"neighbours of a {symbol} atom in shell {shell + 1}: "
                          f"{_describe(neighbours)}", f"{_describe(wanted)} as in the "
                          f"{ps.structure} lattice of set {ps.name!r}")
    return a


def _neighbours_by_species(ps: ParameterSet, crystal: Crystal, n_shells: int,
                           a: float) -> dict[tuple[str, int], set[tuple]]:
    """Per (species, shell): the neighbour counts by partner species seen on its atoms."""
    distances = [[d * a for d in group] for group in ps.shell_distances[:n_shells]]
    partners: dict[tuple[int, int], Counter] = {
        (atom, shell): Counter() for atom in range(len(crystal.symbols))
        for shell in range(n_shells)}
    for bond in bonds_at_distances(crystal, distances, DISTANCE_TOLERANCE * a):
        partners[bond.i, bond.shell][crystal.symbols[bond.j]] += 1
    by_species: dict[tuple[str, int], set[tuple]] = {}
    for (atom, shell), counter in partners.items():
        key = (crystal.symbols[atom], shell)
        by_species.setdefault(key, set()).add(tuple(sorted(counter.items())))
    return by_species


def _describe(neighbours: set[tuple]) -> str:
    texts = [" + ".join(f"{n} {symbol}" for symbol, n in counts) or "none"
             for counts in sorted(neighbours)]
    return " or ".join(texts) or "none"


def _sites_of_atoms(ps: ParameterSet, crystal: Crystal, a: float) -> list[int | None]:
    """The basis site of each atom, needed only when sites carry on-site couplings.

    The crystal may be a supercell of the set's cell, shifted as a whole, but not rotated.
    """
    if not any(site.couplings for site in ps.basis):
        return [None] * len(crystal.symbols)
    cell = a * np.asarray(ps.cell)
    sites = np.array([s.position for s in ps.basis]) @ cell
    for candidate, site in enumerate(ps.basis):
        if site.species != crystal.symbols[0]:
            continue
        shift = sites[candidate] - crystal.positions[0]
        found = [_site_at(ps, crystal.symbols[i], p + shift, sites, cell)
                 for i, p in enumerate(crystal.positions)]
        if None not in found:
            return found
    raise invalid("structure", "atoms off the set's basis sites",
                  f"a crystal made of the cell of set {ps.name!r} in its orientation (its "
                  "sites carry on-site couplings), e.g. a supercell of its prototype()")


def _site_at(ps: ParameterSet, symbol: str, position: np.ndarray, sites: np.ndarray,
             cell: np.ndarray) -> int | None:
    offsets = (position - sites) @ np.linalg.inv(cell)
    match = [i for i, offset in enumerate(offsets)
             if np.allclose(offset, np.round(offset), atol=1e-4) and ps.basis[i].species == symbol]
    return match[0] if len(match) == 1 else None
