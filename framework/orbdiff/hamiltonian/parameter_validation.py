"""Validate and normalize the fields of a :class:`ParameterSet` (the one validator).

Called by ``ParameterSet.__post_init__``, so a set built in Python and a set loaded
from a ``materials_db`` file pass exactly the same checks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np

from ..basis.orbitals import ANGULAR_MOMENTUM, OrbitalSet
from ..errors import invalid
from . import parameter_checks as checks
from .parameter_set import (
    CUBIC_CELLS,
    CUBIC_LEVELS,
    SHELL_GEOMETRY,
    ParameterSet,
    Site,
    Species,
    orbital_names,
)

__all__ = ["channel_set", "validated_fields"]


class FrozenDict(dict):
    """A read-only dict (still a dict, so it serializes to JSON)."""

    def _read_only(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("parameter set integrals are read-only")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _read_only


def validated_fields(ps: ParameterSet) -> dict[str, Any]:
    """The normalized fields of ``ps``; raises InputError naming the first bad field."""
    checks.check_text("name", ps.name)
    structure = checks.check_text("structure", ps.structure)
    a = checks.check_number("lattice_constant", ps.lattice_constant, "Å", minimum=0,
                            positive=True)
    species = _species(ps)
    single = len(species) == 1
    fields: dict[str, Any] = {"structure": structure, "lattice_constant": a,
                              "species": species}
    fields["cell"] = _cell(ps, structure)
    fields["basis"] = _basis(ps, species, single)
    counts = Counter(site.species for site in fields["basis"])
    if single:
        fields["element"] = species[0].symbol
        fields["valence_electrons"] = species[0].valence_electrons
        fields["onsite"] = species[0].onsite
        fields["onsite_down"] = species[0].onsite_down
        fields["xi"] = species[0].xi
    else:
        fields["element"] = "".join(f"{s}{n if n > 1 else ''}" for s, n in counts.items())
        fields["valence_electrons"] = sum(
            s.valence_electrons * counts[s.symbol] for s in species) / sum(counts.values())
        fields["onsite"] = MappingProxyType({})
    fields["shell_distances"] = _distances(ps, structure)
    if ps.fermi_energy is not None:
        fields["fermi_energy"] = checks.check_number("fermi_energy", ps.fermi_energy, "eV")
    if not isinstance(ps.provenance, Mapping):
        raise invalid("provenance", ps.provenance, "a mapping of field name to source")
    fields["provenance"] = MappingProxyType(dict(ps.provenance))
    fields["shells"] = _shells(ps.shells, "shells", fields, species)
    fields["shells_down"] = _spin_down_shells(ps, fields, species)
    return fields


def _spin_down_shells(ps: ParameterSet, fields: dict[str, Any],
                      species: tuple[Species, ...]) -> tuple | None:
    """The spin-down integrals of a spin-polarized set, checked as ``shells`` are."""
    with_down = [s.symbol for s in species if s.onsite_down is not None]
    if ps.shells_down is None:
        if with_down:
            raise invalid("shells_down", None, "the spin-down integrals of every shell "
                          f"(species {with_down} have spin-down levels onsite_down)")
        return None
    missing = [s.symbol for s in species if s.onsite_down is None]
    if missing:
        raise invalid("onsite_down", f"none for species {missing}", "spin-down levels of "
                      "every species of a spin-polarized set (it has shells_down)")
    if not isinstance(ps.shells_down, Sequence) or len(ps.shells_down) != len(ps.shells):
        raise invalid("shells_down", ps.shells_down, f"one shell of spin-down integrals for "
                      f"each of the {len(ps.shells)} shells")
    return _shells(ps.shells_down, "shells_down", fields, species)


def channel_set(ps: ParameterSet, spin: str) -> ParameterSet:
    """The spin-independent set of the ``"up"`` or ``"down"`` channel of ``ps``."""
    down = spin == "down"
    species = [Species(s.symbol, s.valence_electrons, s.onsite_down if down else s.onsite,
                       s.orbital_levels, s.xi, s.shells) for s in ps.species]
    return ParameterSet(
        name=f"{ps.name}:{spin}", structure=ps.structure,
        lattice_constant=ps.lattice_constant,
        shells=ps.shells_down if down else ps.shells, fermi_energy=ps.fermi_energy,
        provenance={**ps.provenance, "spin_channel": spin}, cell=ps.cell, basis=ps.basis,
        species=species, shell_distances=ps.shell_distances)


def _species(ps: ParameterSet) -> tuple[Species, ...]:
    if ps.species is None:
        one = Species(symbol=ps.element, valence_electrons=ps.valence_electrons,
                      onsite=ps.onsite, orbital_levels=ps.orbital_levels, xi=ps.xi,
                      onsite_down=ps.onsite_down)
        return (_checked_species(one, ""),)
    if any(v is not None for v in (ps.element, ps.valence_electrons, ps.onsite, ps.xi,
                                   ps.orbital_levels, ps.onsite_down)):
        raise invalid("species", "species together with element/onsite/valence_electrons/xi",
                      "either species (a compound) or the one-element fields")
    if not isinstance(ps.species, Sequence) or not ps.species or not all(
            isinstance(s, Species) for s in ps.species):
        raise invalid("species", ps.species, "a non-empty list of Species")
    symbols = [s.symbol for s in ps.species]
    if len(set(symbols)) != len(symbols):
        raise invalid("species", symbols, "each symbol once")
    return tuple(_checked_species(s, f"species[{s.symbol}].") for s in ps.species)


def _checked_species(species: Species, prefix: str) -> Species:
    symbol = checks.check_text(f"{prefix}element", species.symbol)
    try:
        orbitals = OrbitalSet(tuple(species.shells))
    except (TypeError, ValueError):
        raise invalid(f"{prefix}shells", species.shells, "shells among s, p, d") from None
    levels = checks.check_levels(f"{prefix}onsite", species.onsite)
    default = species.orbital_levels
    if default is None:
        default = {o: level for o, level in CUBIC_LEVELS.items() if o in orbitals.names}
    orbital_levels = checks.check_orbital_levels(f"{prefix}orbital_levels", default,
                                                 orbitals.shells, levels, f"{prefix}onsite")
    valence = checks.check_number(f"{prefix}valence_electrons", species.valence_electrons,
                                  minimum=0, positive=True, maximum=2 * orbitals.n_orbitals)
    xi = None if species.xi is None else checks.check_number(f"{prefix}xi", species.xi, "eV",
                                                             minimum=0)
    down = None
    if species.onsite_down is not None:
        down = checks.check_levels(f"{prefix}onsite_down", species.onsite_down)
        if set(down) != set(levels):
            raise invalid(f"{prefix}onsite_down", sorted(down), f"the levels of "
                          f"{prefix}onsite, {sorted(levels)} (spin-down values)")
        down = MappingProxyType(down)
    return Species(symbol, valence, MappingProxyType(levels), MappingProxyType(orbital_levels),
                   xi, tuple(orbitals.shells), down)


def _cell(ps: ParameterSet, structure: str) -> np.ndarray:
    if ps.cell is None:
        if structure not in CUBIC_CELLS:
            raise invalid("cell", None, f"lattice vectors (units of a) for structure "
                          f"{structure!r}; only {', '.join(CUBIC_CELLS)} have a default")
        return checks.check_cell("cell", CUBIC_CELLS[structure])
    return checks.check_cell("cell", ps.cell)


def _basis(ps: ParameterSet, species: tuple[Species, ...], single: bool) -> tuple[Site, ...]:
    if ps.basis is None:
        if not single:
            raise invalid("basis", None, "the sites of a compound")
        return (Site(species[0].symbol),)
    if not isinstance(ps.basis, Sequence) or not ps.basis:
        raise invalid("basis", ps.basis, "a non-empty list of Site")
    by_symbol = {s.symbol: s for s in species}
    return tuple(_site(f"basis[{i}]", site, by_symbol) for i, site in enumerate(ps.basis))


def _site(field: str, site: Any, by_symbol: Mapping[str, Species]) -> Site:
    if not isinstance(site, Site):
        raise invalid(field, site, "a Site(species, position, couplings)")
    if site.species not in by_symbol:
        raise invalid(f"{field}.species", site.species, f"one of {sorted(by_symbol)}")
    species = by_symbol[site.species]
    names = orbital_names(species)
    couplings = []
    for k, coupling in enumerate(site.couplings):
        where = f"{field}.couplings[{k}]"
        if not isinstance(coupling, Sequence) or len(coupling) != 4:
            raise invalid(where, coupling, "(bra orbital, ket orbital, level, factor)")
        bra, ket, level, factor = coupling
        for name in (bra, ket):
            if name not in names:
                raise invalid(where, name, f"orbitals of {site.species}: {', '.join(names)}")
        if bra == ket:
            raise invalid(where, coupling, "two different orbitals (diagonal levels go in "
                          "orbital_levels)")
        if level not in species.onsite:
            raise invalid(where, level, f"a level of {site.species}: {sorted(species.onsite)}")
        couplings.append((bra, ket, level, checks.check_number(f"{where}.factor", factor)))
    position = checks.check_position(f"{field}.position", site.position)
    return Site(site.species, position, tuple(couplings))


def _distances(ps: ParameterSet, structure: str) -> tuple[tuple[float, ...], ...]:
    if not isinstance(ps.shells, Sequence) or not ps.shells:
        raise invalid("shells", ps.shells, "a non-empty list of shells, nearest first")
    n = len(ps.shells)
    if ps.shell_distances is None:
        if ps.cell is not None or structure not in SHELL_GEOMETRY:
            raise invalid("shell_distances", None, "the bond lengths (units of a) of each "
                          "shell; only the default bcc and fcc cells have default shells")
        geometry = SHELL_GEOMETRY[structure]
        if n > len(geometry):
            raise invalid("shells", n, f"1 to {len(geometry)} neighbour shells")
        return tuple((ratio,) for _, ratio in geometry[:n])
    return checks.check_distances("shell_distances", ps.shell_distances, n)


def _shells(given: Sequence, name: str, fields: dict[str, Any],
            species: tuple[Species, ...]) -> tuple:
    draft = ParameterSet.__new__(ParameterSet)
    for key in ("lattice_constant", "cell", "basis", "shell_distances"):
        object.__setattr__(draft, key, fields[key])
    bonds = draft.bond_counts()
    crystal = draft.prototype()
    by_symbol = {s.symbol: s for s in species}
    single = len(species) == 1
    used = _pairs_per_shell(crystal, draft, len(given))
    shells = []
    for index, shell in enumerate(given):
        if not any(shell_index == index for _, shell_index in bonds):
            raise invalid(f"shell_distances[{index}]", list(fields["shell_distances"][index]),
                          "bond lengths of the lattice (no bond of this length in the cell)")
        shells.append(_shell(f"{name}[{index}]", shell, used[index], by_symbol, single))
    return tuple(shells)


def _pairs_per_shell(crystal, draft: ParameterSet, n_shells: int) -> list[set]:
    from ..structure.neighbours import bonds_at_distances
    from .parameter_set import DISTANCE_TOLERANCE

    a = draft.lattice_constant
    distances = [[d * a for d in group] for group in draft.shell_distances[:n_shells]]
    used: list[set] = [set() for _ in range(n_shells)]
    for bond in bonds_at_distances(crystal, distances, DISTANCE_TOLERANCE * a):
        used[bond.shell].add((crystal.symbols[bond.i], crystal.symbols[bond.j]))
    return used


def _shell(field: str, shell: Any, pairs: set, by_symbol: Mapping[str, Species],
           single: bool) -> Mapping[str, Any]:
    if not isinstance(shell, Mapping):
        raise invalid(field, shell, "a mapping of integral name (or species pair) to value")
    if single and not any(isinstance(v, Mapping) for v in shell.values()):
        s = next(iter(by_symbol.values())).shells
        return MappingProxyType(checks.check_shell_integrals(f"{field}.integrals", shell, s, s))
    wanted = {f"{a}-{b}" for a, b in pairs}
    extra = sorted(set(shell) - wanted)
    if extra:
        raise invalid(field, extra, f"integrals only for the species pairs bonded in this "
                      f"shell: {', '.join(sorted(wanted))}")
    checked = {}
    for a, b in sorted(pairs):
        key = f"{a}-{b}"
        if key not in shell:
            raise invalid(f"{field}.{key}", "missing", "the integrals of this ordered species "
                          f"pair (both {a}-{b} and {b}-{a} for two species)")
        checked[key] = FrozenDict(checks.check_shell_integrals(
            f"{field}.{key}", shell[key], by_symbol[a].shells, by_symbol[b].shells))
    _check_shared_integrals(field, checked)
    return MappingProxyType(checked)


def _check_shared_integrals(field: str, pairs: Mapping[str, Mapping[str, float]]) -> None:
    """(A, B) and (B, A) share the integrals between shells of equal l (Hermiticity)."""
    for key, integrals in pairs.items():
        a, b = key.split("-")
        reverse = pairs.get(f"{b}-{a}", {})
        for name, value in integrals.items():
            same_l = ANGULAR_MOMENTUM[name[0]] == ANGULAR_MOMENTUM[name[1]]
            if same_l and name in reverse and reverse[name] != value:
                raise invalid(f"{field}.{b}-{a}.{name}", reverse[name],
                              f"{value}, equal to {key}.{name}: H is Hermitian, so integrals "
                              "between shells of equal l do not depend on the order")

