"""Slater-Koster parameter sets of elements and compounds, and the models built from them.

A set describes a crystal (cell in units of the lattice constant a, basis sites), its
species (orbitals, on-site levels, valence electrons, spin-orbit constant) and the
two-centre integrals per neighbour shell, a shell being a list of bond lengths. One
species on a bcc or fcc lattice needs only the fields of the one-element form.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from ..basis.orbitals import SHELL_ORBITALS, OrbitalSet
from ..errors import InputError, invalid
from ..structure.crystal import Crystal, as_crystal
from ..structure.neighbours import bonds_at_distances
from .model import TightBindingModel

__all__ = ["CUBIC_LEVELS", "SHELL_GEOMETRY", "ParameterSet", "Site", "Species"]

#: Neighbour shells of the cubic prototypes: (count, distance / a) per shell.
SHELL_GEOMETRY: dict[str, tuple[tuple[int, float], ...]] = {
    "bcc": ((8, math.sqrt(3) / 2), (6, 1.0), (12, math.sqrt(2))),
    "fcc": ((12, 1 / math.sqrt(2)), (6, 1.0), (24, math.sqrt(1.5))),
}

#: Primitive cells of the cubic prototypes, rows in units of a.
CUBIC_CELLS = {
    "bcc": 0.5 * np.array([[-1.0, 1.0, 1.0], [1.0, -1.0, 1.0], [1.0, 1.0, -1.0]]),
    "fcc": 0.5 * np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 0.0]]),
}

#: The level of each orbital in the cubic sets (es, ep, et2g, eeg).
CUBIC_LEVELS: dict[str, str] = {
    "s": "es", "px": "ep", "py": "ep", "pz": "ep",
    "dxy": "et2g", "dyz": "et2g", "dzx": "et2g", "dx2-y2": "eeg", "d3z2-r2": "eeg",
}  # fmt: skip

#: Relative deviation of the lattice constant tolerated without ``rescale``.
LATTICE_TOLERANCE = 0.02

#: Bonds within this fraction of a of a listed length belong to its shell.
DISTANCE_TOLERANCE = 1e-3


@dataclass(frozen=True)
class Species:
    """One chemical species of a parameter set.

    Attributes
    ----------
    symbol : str
        Chemical symbol, the name the crystal's atoms carry.
    valence_electrons : float
        Electrons per atom of this species.
    onsite : mapping of str to float
        On-site levels in eV by name (``es``, ``ep``, ... or ``ss0``, ``dd1``, ...).
    orbital_levels : mapping of str to str, optional
        The level of each orbital (default :data:`CUBIC_LEVELS`).
    xi : float or None
        Spin-orbit coefficient of σ·L on the d shell (eV); None if unknown.
    shells : tuple of str
        Orbital shells on the atom (default s, p, d).
    onsite_down : mapping of str to float, optional
        Spin-down (minority) on-site levels in eV, with the names of ``onsite``, in a
        spin-polarized set; ``onsite`` then holds the spin-up (majority) levels.
    """

    symbol: str
    valence_electrons: float
    onsite: Mapping[str, float]
    orbital_levels: Mapping[str, str] | None = None
    xi: float | None = None
    shells: tuple[str, ...] = ("s", "p", "d")
    onsite_down: Mapping[str, float] | None = None


@dataclass(frozen=True)
class Site:
    """One atom of the basis, with its on-site couplings between orbitals.

    Attributes
    ----------
    species : str
        Symbol of a species of the set.
    position : (3,) tuple of float
        Fractional coordinates in the set's cell.
    couplings : tuple of (bra, ket, level, factor)
        ``⟨bra|H|ket⟩ = factor × onsite[level]`` on this atom (plus the Hermitian
        conjugate), e.g. ``("px", "dxy", "pd0", 1.0)``.
    """

    species: str
    position: tuple[float, float, float] = (0.0, 0.0, 0.0)
    couplings: tuple[tuple[str, str, str, float], ...] = ()


@dataclass(frozen=True, eq=False)
class ParameterSet:
    """An orthogonal two-centre Slater-Koster parameter set; all energies in eV.

    One element on a bcc or fcc lattice needs ``element``, ``structure``,
    ``lattice_constant``, ``valence_electrons``, ``onsite`` (es, ep, et2g, eeg),
    ``shells`` and ``xi``. Other lattices add ``cell``, ``basis`` and
    ``shell_distances``; compounds give ``species`` instead of ``element``,
    ``valence_electrons``, ``onsite`` and ``xi``, and per-pair ``shells``.

    A spin-polarized set (a ferromagnet's majority and minority fits) adds
    ``shells_down`` and ``onsite_down`` (per species: ``Species.onsite_down``); ``onsite``
    and ``shells`` then hold the spin-up channel. Its model is
    H = ½(H↑ + H↓) ⊗ 1 + ½(H↑ − H↓) ⊗ σ·m for a unit magnetization m.

    Attributes
    ----------
    name : str
        Registry name.
    element : str
        Chemical symbol (a compound: its formula, derived).
    structure : str
        Lattice name, e.g. ``"bcc"``, ``"fcc"``, ``"hcp"``, ``"B2"``.
    lattice_constant : float
        Lattice constant a in Å.
    valence_electrons : float
        Electrons per atom (a compound: the average over the basis, derived).
    onsite : mapping of str to float
        On-site levels (eV) of the element (empty for a compound).
    shells : sequence of mapping
        Per shell, nearest first: the integrals (eV, ``sss``, ``sps``, ...) of a
        one-species set, or per ordered species pair ``{"Cs-Cl": {...}, "Cl-Cs": {...}}``
        with the first orbital of each integral name on the first species.
    xi : float or None
        Spin-orbit coefficient of σ·L (eV) of the element; None if unknown.
    fermi_energy : float or None
        Tabulated Fermi energy in eV (same zero as ``onsite``), if known.
    provenance : mapping
        Citation of every number (free-form strings by field).
    cell : (3, 3) array_like, optional
        Lattice vectors (rows) in units of a (default: the bcc or fcc primitive cell).
    basis : sequence of Site, optional
        Atoms of the cell (default: one atom of ``element`` at the origin).
    species : sequence of Species, optional
        The species of a compound (default: ``element`` with ``onsite`` and ``xi``).
    shell_distances : sequence of sequence of float, optional
        Bond lengths of each shell in units of a (default: the bcc or fcc shells).
    orbital_levels : mapping of str to str, optional
        The level of each orbital of ``element`` (default :data:`CUBIC_LEVELS`).
    onsite_down : mapping of str to float, optional
        Spin-down on-site levels (eV) of ``element``, names as in ``onsite``.
    shells_down : sequence of mapping, optional
        Spin-down integrals (eV) per shell, in the form of ``shells``.
    """

    name: str
    element: str | None = None
    structure: str | None = None
    lattice_constant: float | None = None
    valence_electrons: float | None = None
    onsite: Mapping[str, float] | None = None
    shells: Sequence[Mapping[str, Any]] = ()
    xi: float | None = None
    fermi_energy: float | None = None
    provenance: Mapping[str, Any] = field(default_factory=dict)
    cell: Any = None
    basis: Sequence[Site] | None = None
    species: Sequence[Species] | None = None
    shell_distances: Sequence[Sequence[float]] | None = None
    orbital_levels: Mapping[str, str] | None = None
    onsite_down: Mapping[str, float] | None = None
    shells_down: Sequence[Mapping[str, Any]] | None = None

    def __post_init__(self) -> None:
        from .parameter_validation import validated_fields  # imports this module

        for key, value in validated_fields(self).items():
            object.__setattr__(self, key, value)

    @property
    def species_by_symbol(self) -> Mapping[str, Species]:
        """The species, by chemical symbol."""
        return MappingProxyType({s.symbol: s for s in self.species})

    @property
    def spin_polarized(self) -> bool:
        """True for a set with separate spin-up and spin-down levels and integrals."""
        return self.shells_down is not None

    def spin_channel(self, spin: str) -> ParameterSet:
        """The spin-independent set of one channel, ``"up"`` or ``"down"``, same crystal.

        Its model is the block of that spin of this set's model for m ∥ z without SOC.
        """
        from .parameter_validation import channel_set  # imports this module

        if not self.spin_polarized:
            raise invalid("spin_channel", self.name, "a spin-polarized set")
        if spin not in ("up", "down"):
            raise invalid("spin", spin, '"up" or "down"')
        return channel_set(self, spin)

    @property
    def orbitals(self) -> OrbitalSet:
        """The orbitals of a one-species set (s, p and d for the handbook sets)."""
        if len(self.species) != 1:
            raise invalid("orbitals", self.name, "a one-species set (use species_by_symbol)")
        return OrbitalSet(self.species[0].shells)

    def prototype(self) -> Crystal:
        """The set's own crystal: its cell and basis at its lattice constant (Å)."""
        cell = self.lattice_constant * np.asarray(self.cell)
        positions = np.array([site.position for site in self.basis]) @ cell
        return Crystal(cell, positions, tuple(site.species for site in self.basis))

    def build_model(
        self,
        structure: Any = None,
        *,
        shells: int | None = None,
        soc_scale: float = 1.0,
        xi: float | None = None,
        rescale: bool = False,
        magnetization: Any = None,
    ) -> TightBindingModel:
        """The spinful tight-binding model of this set (18 states per s-p-d atom).

        Parameters
        ----------
        structure : ase.Atoms, pymatgen Structure or Crystal, optional
            The crystal (default: the set's prototype). It must be the set's lattice
            (e.g. a supercell of it) and species, with a lattice constant within 2 %
            unless ``rescale``.
        shells : int, optional
            Neighbour shells to include (default: all shells of the set).
        soc_scale : float
            Multiplies the set's ξ (1: the set's value, 0: no SOC), ≥ 0.
        xi : float, optional
            Explicit ξ in eV (coefficient of σ·L) on every species; overrides ``soc_scale``.
        rescale : bool
            Accept a lattice constant other than the set's (the integrals are kept).
        magnetization : (3,) array_like of float, optional
            Unit vector m of a spin-polarized set (default (0, 0, 1)): spin up is along m.
            The model records it, so symmetry keeps the operations that leave m
            (an axial vector) unchanged. Not accepted by a set without spin polarization.
        """
        from .parameter_model import assemble_model  # imports this module

        m = self._magnetization(magnetization)
        crystal = self.prototype() if structure is None else as_crystal(structure)
        n_shells = len(self.shells) if shells is None else _shell_count(shells, len(self.shells))
        couplings = self.species_spin_orbit(soc_scale, xi)
        builder = assemble_model(self, crystal, n_shells, couplings, rescale, m)
        single = len(self.species) == 1
        parameters = {"material": self.name, "shells": n_shells, "soc_scale": soc_scale,
                      "xi": couplings[self.species[0].symbol] if single else couplings,
                      "rescale": rescale}
        if m is not None:
            parameters["magnetization"] = m.tolist()
        return builder.finalized(name=self.name, parameters=parameters)

    def _magnetization(self, magnetization: Any) -> np.ndarray | None:
        """The unit vector m of a spin-polarized set (None for any other set)."""
        from .parameter_checks import check_unit_vector

        if not self.spin_polarized:
            if magnetization is not None:
                raise InputError(f"magnetization: parameter set {self.name!r} has no spin "
                                 "polarization; expected no magnetization (only spin-polarized "
                                 "sets such as Fe-fm take one)")
            return None
        return check_unit_vector("magnetization", (0.0, 0.0, 1.0) if magnetization is None
                                 else magnetization)

    def spin_orbit(self, soc_scale: float = 1.0, xi: float | None = None) -> float:
        """ξ (eV, σ·L convention) on the d shell of a one-species set."""
        if len(self.species) != 1:
            raise invalid("spin_orbit", self.name, "a one-species set (use species_spin_orbit)")
        return self.species_spin_orbit(soc_scale, xi)[self.species[0].symbol]

    def species_spin_orbit(self, soc_scale: float = 1.0,
                           xi: float | None = None) -> dict[str, float]:
        """ξ (eV, σ·L convention) of every species for a scale or an explicit value."""
        if xi is not None:
            value = _non_negative("xi", xi)
            return {s.symbol: value for s in self.species}
        scale = _non_negative("soc_scale", soc_scale)
        if scale == 0:
            return {s.symbol: 0.0 for s in self.species}
        unknown = [s.symbol for s in self.species if s.xi is None]
        if unknown:
            raise InputError(
                f"parameter set {self.name!r} has no spin-orbit constant for {unknown}; "
                "give xi explicitly (eV, coefficient of σ·L) or use soc_scale=0"
            )
        return {s.symbol: scale * s.xi for s in self.species}

    def bond_counts(self, crystal: Crystal | None = None, n_shells: int | None = None,
                    a: float | None = None) -> Counter:
        """Bonds per (atom, shell) of ``crystal`` (default: the prototype)."""
        crystal = self.prototype() if crystal is None else crystal
        a = self.lattice_constant if a is None else a
        distances = [[d * a for d in group] for group in self.shell_distances[:n_shells]]
        bonds = bonds_at_distances(crystal, distances, DISTANCE_TOLERANCE * a)
        return Counter((b.i, b.shell) for b in bonds)


def orbital_names(species: Species) -> tuple[str, ...]:
    """The orbitals of a species in basis order."""
    return tuple(name for shell in species.shells for name in SHELL_ORBITALS[shell])


def _non_negative(name: str, value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not (math.isfinite(number) and number >= 0):
        raise invalid(name, value, "a finite number ≥ 0")
    return number


def _shell_count(shells: Any, available: int) -> int:
    if isinstance(shells, bool) or not isinstance(shells, int | np.integer) or not (
        1 <= shells <= available
    ):
        raise invalid("shells", shells, f"an integer from 1 to {available}")
    return int(shells)
