"""Slater-Koster parameter sets of elements, and the models built from them."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from ..basis.orbitals import OrbitalSet
from ..errors import InputError, invalid
from ..structure.crystal import Crystal, as_crystal
from ..structure.neighbours import neighbour_shells
from .builder import ModelBuilder
from .model import TightBindingModel
from .onsite import SpinOrbitCoupling

__all__ = ["SHELL_GEOMETRY", "ParameterSet"]

#: Neighbour shells of the prototypes: (count, distance / a) per shell.
SHELL_GEOMETRY: dict[str, tuple[tuple[int, float], ...]] = {
    "bcc": ((8, math.sqrt(3) / 2), (6, 1.0), (12, math.sqrt(2))),
    "fcc": ((12, 1 / math.sqrt(2)), (6, 1.0), (24, math.sqrt(1.5))),
}

#: On-site energy names and the orbitals they apply to.
ONSITE_ORBITALS = {
    "es": ("s",),
    "ep": ("px", "py", "pz"),
    "et2g": ("dxy", "dyz", "dzx"),
    "eeg": ("dx2-y2", "d3z2-r2"),
}

#: Relative deviation of the nearest-neighbour distance tolerated without ``rescale``.
LATTICE_TOLERANCE = 0.02


@dataclass(frozen=True, eq=False)
class ParameterSet:
    """An orthogonal two-centre Slater-Koster parameter set of one element.

    All energies are in eV (files in Ry are converted on load).

    Attributes
    ----------
    name : str
        Registry name, usually the element symbol.
    element : str
        Chemical symbol.
    structure : {"bcc", "fcc"}
        Prototype lattice of the fit.
    lattice_constant : float
        Cubic lattice constant a in Å.
    valence_electrons : float
        Electrons per atom filled into the 2 × 9 spin-orbitals.
    onsite : mapping of str to float
        ``es``, ``ep``, ``et2g``, ``eeg`` in eV.
    shells : sequence of mapping of str to float
        Two-centre integrals (``sss``, ``sps``, ...) in eV, nearest shell first.
    xi : float or None
        Spin-orbit coefficient of σ·L in eV (half the L·S constant); None if unknown.
    fermi_energy : float or None
        Tabulated Fermi energy in eV (same zero as ``onsite``), if known.
    provenance : mapping
        Citation of every number (free-form strings by field).
    """

    name: str
    element: str
    structure: str
    lattice_constant: float
    valence_electrons: float
    onsite: Mapping[str, float]
    shells: Sequence[Mapping[str, float]]
    xi: float | None = None
    fermi_energy: float | None = None
    provenance: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.structure not in SHELL_GEOMETRY:
            raise invalid("structure", self.structure, f"one of {', '.join(SHELL_GEOMETRY)}")
        if not 1 <= len(self.shells) <= len(SHELL_GEOMETRY[self.structure]):
            raise invalid("shells", len(self.shells), "1 to 3 neighbour shells")
        object.__setattr__(self, "onsite", MappingProxyType(dict(self.onsite)))
        object.__setattr__(self, "shells", tuple(MappingProxyType(dict(s)) for s in self.shells))
        object.__setattr__(self, "provenance", MappingProxyType(dict(self.provenance)))

    @property
    def orbitals(self) -> OrbitalSet:
        """s, p and d on every atom."""
        return OrbitalSet(("s", "p", "d"))

    def prototype(self) -> Crystal:
        """The primitive cell of the set's own lattice (Å)."""
        return getattr(Crystal, self.structure)(self.lattice_constant, self.element)

    def build_model(
        self,
        structure: Any = None,
        *,
        shells: int | None = None,
        soc_scale: float = 1.0,
        xi: float | None = None,
        rescale: bool = False,
    ) -> TightBindingModel:
        """The spinful (18 per atom) tight-binding model of this set.

        Parameters
        ----------
        structure : ase.Atoms, pymatgen Structure or Crystal, optional
            The crystal (default: the set's prototype). It must be the set's lattice
            and element, with a lattice constant within 2 % unless ``rescale``.
        shells : int, optional
            Neighbour shells to include (default: all shells of the set).
        soc_scale : float
            Multiplies the set's ξ (1: the set's value, 0: no SOC), ≥ 0.
        xi : float, optional
            Explicit ξ in eV (coefficient of σ·L); overrides ``soc_scale``.
        rescale : bool
            Accept a lattice constant other than the set's (the integrals are kept).
        """
        crystal = self.prototype() if structure is None else as_crystal(structure)
        n_shells = len(self.shells) if shells is None else _shell_count(shells, len(self.shells))
        self._check_structure(crystal, rescale)
        builder = ModelBuilder(crystal, self.orbitals)
        energies = [self.onsite[key] for key, names in ONSITE_ORBITALS.items() for _ in names]
        for atom in range(len(crystal.symbols)):
            builder.add_onsite_energies(atom, energies)
        builder.add_slater_koster(neighbour_shells(crystal, n_shells), self.shells[:n_shells])
        coupling = self.spin_orbit(soc_scale, xi)
        if coupling:
            builder.add_onsite_term(SpinOrbitCoupling({"p": 0.0, "d": coupling}))
        parameters = {"material": self.name, "shells": n_shells, "soc_scale": soc_scale,
                      "xi": coupling, "rescale": rescale}
        return builder.finalized(name=self.name, parameters=parameters)

    def spin_orbit(self, soc_scale: float = 1.0, xi: float | None = None) -> float:
        """ξ (eV, σ·L convention) on the d shell for a scale or an explicit value."""
        if xi is not None:
            return _non_negative("xi", xi)
        scale = _non_negative("soc_scale", soc_scale)
        if scale == 0:
            return 0.0
        if self.xi is None:
            raise InputError(
                f"parameter set {self.name!r} has no spin-orbit constant; "
                "give xi explicitly (eV, coefficient of σ·L) or use soc_scale=0"
            )
        return scale * self.xi

    def _check_structure(self, crystal: Crystal, rescale: bool) -> None:
        others = sorted(set(crystal.symbols) - {self.element})
        if others:
            raise invalid("structure", f"atoms {others}", f"only {self.element} atoms for set "
                                                          f"{self.name!r}")
        count, ratio = SHELL_GEOMETRY[self.structure][0]
        first = [b for b in neighbour_shells(crystal, 1) if b.i == 0]
        nearest = float(np.linalg.norm(first[0].vector))
        if len(first) != count:
            raise invalid("structure", f"{len(first)} nearest neighbours",
                          f"a {self.structure} lattice ({count} nearest neighbours) for set "
                          f"{self.name!r}")
        a = nearest / ratio
        if not rescale and abs(a / self.lattice_constant - 1) > LATTICE_TOLERANCE:
            raise invalid("structure", f"lattice constant {a:.4f} Å",
                          f"{self.lattice_constant} Å ± {LATTICE_TOLERANCE:.0%} for set "
                          f"{self.name!r}, or rescale=True to use its integrals anyway")


def _non_negative(name: str, value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not (math.isfinite(number) and number >= 0):
        raise invalid(name, value, "a finite number ≥ 0")
    return number


def _shell_count(shells: Any, available: int) -> int:
    if isinstance(shells, bool) or not isinstance(shells, int | np.integer) or not (
        1 <= shells <= available
    ):
        raise invalid("shells", shells, f"an integer from 1 to {available}")
    return int(shells)
