"""The finalized, immutable tight-binding model that the k-space engine uses.

Hoppings are stored per lattice vector R and act between orbitals centred on the
atoms, ``H(k)_ij = Σ_R e^{ik·(R + τ_j − τ_i)} H_R,ij`` (the "atomic gauge"): Slater-Koster
and Wannier90 models are both written this way, and the velocity ``∂H/∂k`` then contains
the intracell positions, as it must for cells with several atoms.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from ..basis.angular_momentum import orbital_rotation
from ..basis.orbitals import OrbitalSet
from ..basis.spin import orbital_operators_spinful, spin_operators, spin_rotation, spinful
from ..errors import invalid
from ..structure.crystal import Crystal
from ..structure.symmetry import PointGroup

__all__ = ["TightBindingModel"]


def _frozen(array: Any, dtype=complex) -> np.ndarray:
    out = np.array(array, dtype=dtype)
    out.flags.writeable = False
    return out


@dataclass(frozen=True, eq=False)
class TightBindingModel:
    """A spinful tight-binding model ``H(k) = Σ_R e^{ik·(R+τ_j−τ_i)} H_R + H_onsite``.

    Build one with :class:`~orbdiff.hamiltonian.ModelBuilder` (Slater-Koster) or from
    hopping matrices per lattice vector (Wannier90); the arrays are read-only. The basis
    is ``orbital ⊗ spin`` with index ``2 * orbital + spin``; orbital ``i`` sits at the
    position τ_i of its atom.

    Attributes
    ----------
    crystal : Crystal
    orbitals : tuple of OrbitalSet
        Orbitals of each atom, in the order of ``crystal.symbols``.
    lattice_vectors : (n_R, 3) ndarray of int
        Lattice vectors R in units of the cell vectors (``R_cart = R @ crystal.cell``).
    hoppings : (n_R, n, n) or (n_R, 2n, 2n) ndarray of complex
        H_R,ij = ⟨i, 0|H|j, R⟩ in eV (n = number of orbitals): spin-independent
        (n × n, extended as ``H_R ⊗ 1₂``) or acting on spin (2n × 2n, spinful index).
    onsite : (2n, 2n) ndarray of complex
        Hermitian on-site matrix in eV (orbital energies, SOC, exchange, ...).
    orbital_moment : (3, n, n) ndarray of complex
        Atomic orbital angular momentum L (units of ħ) in the orbital basis.
    name : str
    parameters : mapping
        The inputs the model was built from (for provenance).
    magnetization : (3,) ndarray or None
        Unit vector of an exchange field, if any; it lowers the symmetry to the
        operations that leave it unchanged.
    """

    crystal: Crystal
    orbitals: tuple[OrbitalSet, ...]
    lattice_vectors: np.ndarray
    hoppings: np.ndarray
    onsite: np.ndarray
    orbital_moment: np.ndarray
    name: str = "model"
    parameters: Mapping[str, Any] = field(default_factory=dict)
    magnetization: np.ndarray | None = None

    #: What the engine may ask of this model (see :class:`~orbdiff.errors.CapabilityError`).
    capabilities = frozenset({"hamiltonian", "velocities", "spin", "orbital_moment"})

    def __post_init__(self) -> None:
        object.__setattr__(self, "orbitals", tuple(self.orbitals))
        object.__setattr__(self, "lattice_vectors", _frozen(self.lattice_vectors, int))
        object.__setattr__(self, "hoppings", _frozen(self.hoppings))
        object.__setattr__(self, "onsite", _frozen(self.onsite))
        object.__setattr__(self, "orbital_moment", _frozen(self.orbital_moment))
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))
        if self.magnetization is not None:
            object.__setattr__(self, "magnetization", _frozen(self.magnetization, float))
        self._check_shapes()
        centres = np.repeat(self.crystal.positions, [o.n_orbitals for o in self.orbitals], axis=0)
        if self.spinful_hoppings:
            centres = np.repeat(centres, 2, axis=0)
        object.__setattr__(self, "_centres", centres)
        object.__setattr__(self, "_offsets", bool(np.any(centres != centres[:1])))
        object.__setattr__(self, "_cartesian", self.lattice_vectors @ self.crystal.cell)

    def _check_shapes(self) -> None:
        if len(self.orbitals) != len(self.crystal.symbols):
            raise invalid("orbitals", len(self.orbitals), f"one OrbitalSet per atom "
                          f"({len(self.crystal.symbols)})")
        n, n_r = self.n_orbitals, len(self.lattice_vectors)
        if self.lattice_vectors.shape != (n_r, 3):
            raise invalid("lattice_vectors", self.lattice_vectors.shape, "(n_R, 3) integers")
        if self.hoppings.shape not in ((n_r, n, n), (n_r, 2 * n, 2 * n)):
            raise invalid("hoppings", self.hoppings.shape, f"({n_r}, {n}, {n}) or "
                          f"({n_r}, {2 * n}, {2 * n})")
        if self.onsite.shape != (2 * n, 2 * n):
            raise invalid("onsite", self.onsite.shape, f"({2 * n}, {2 * n})")

    @property
    def n_orbitals(self) -> int:
        """Number of orbitals per cell (without spin)."""
        return sum(orbitals.n_orbitals for orbitals in self.orbitals)

    @property
    def n_states(self) -> int:
        """Dimension of H(k): orbitals × 2 spins."""
        return 2 * self.n_orbitals

    @property
    def spinful_hoppings(self) -> bool:
        """True if the hoppings act on spin (2n × 2n), False if they are ``H_R ⊗ 1₂``."""
        return self.hoppings.shape[-1] == self.n_states

    def hamiltonian(self, k: np.ndarray) -> np.ndarray:
        """Bloch Hamiltonian.

        Parameters
        ----------
        k : (n_k, 3) array_like of float
            Cartesian wave vectors in Å⁻¹.

        Returns
        -------
        (n_k, 2n, 2n) ndarray of complex
            H(k) in eV.
        """
        k = np.atleast_2d(np.asarray(k, dtype=float))
        return self._spinful(self._bloch_sum(k, self._phases(k))) + self.onsite

    def velocity_operators(self, k: np.ndarray) -> np.ndarray:
        """Velocity operators ħ v_i(k) = ∂H/∂k_i, analytic from the same hoppings.

        Parameters
        ----------
        k : (n_k, 3) array_like of float
            Cartesian wave vectors in Å⁻¹.

        Returns
        -------
        (n_k, 3, 2n, 2n) ndarray of complex
            ħ v_i in eV·Å (divide by ħ for m/s).
        """
        return self._spinful(self.hopping_velocity_operators(k))

    def hopping_velocity_operators(self, k: np.ndarray) -> np.ndarray:
        """ħ v_i(k) in the basis of the hoppings, before the extension ``⊗ 1₂``.

        For spin-independent hoppings (:attr:`spinful_hoppings` False) this is the
        (n_k, 3, n, n) orbital velocity ``v`` with ``velocity_operators = v ⊗ 1₂``, in
        eV·Å; for spinful hoppings it equals :meth:`velocity_operators`.
        """
        k = np.atleast_2d(np.asarray(k, dtype=float))
        phases = self._phases(k)
        derivative = [self._bloch_sum(k, 1j * phases * r) for r in self._cartesian.T]
        if self._offsets:
            # ∂/∂k of e^{ik·(τ_j − τ_i)}: i (τ_j − τ_i) times the Bloch sum
            h = self._bloch_sum(k, phases)
            for axis, tau in enumerate(self._centres.T):
                derivative[axis] = derivative[axis] + 1j * (tau[None, :] - tau[:, None]) * h
        return np.stack(derivative, axis=1)

    def spin_operators(self) -> np.ndarray:
        """(3, 2n, 2n) Pauli matrices σ acting on the spin index (dimensionless)."""
        return spin_operators(self.n_orbitals)

    def orbital_moment_operators(self) -> np.ndarray:
        """(3, 2n, 2n) orbital angular momentum L ⊗ 1_spin (units of ħ)."""
        return orbital_operators_spinful(self.orbital_moment)

    def with_onsite(
        self,
        term: np.ndarray,
        name: str | None = None,
        magnetization: np.ndarray | None = None,
        **parameters: Any,
    ) -> TightBindingModel:
        """A new model with the Hermitian (2n, 2n) matrix ``term`` (eV) added on site.

        Give ``magnetization`` (a unit vector) when the term is an exchange field, so
        that symmetry reduction keeps only the operations that preserve it.
        """
        term = np.asarray(term, dtype=complex)
        if term.shape != self.onsite.shape or not np.allclose(term, term.conj().T, atol=1e-12):
            raise ValueError(f"on-site term must be a Hermitian {self.onsite.shape} matrix")
        if magnetization is None:
            magnetization = self.magnetization
        return self._replace(
            onsite=self.onsite + term,
            name=name or self.name,
            parameters={**self.parameters, **parameters},
            magnetization=magnetization,
        )

    def with_onsite_term(
        self,
        term,
        atoms=None,
        name: str | None = None,
        magnetization: np.ndarray | None = None,
        **parameters: Any,
    ) -> TightBindingModel:
        """A new model with an on-site term (e.g. exchange) added on ``atoms`` (default all).

        ``term(orbitals) -> (2n_a, 2n_a)`` is evaluated for each atom's orbital set and
        placed on that atom's block; see :meth:`with_onsite` for ``magnetization``
        (taken from ``term.magnetization`` when the term has one, e.g. an exchange field).
        """
        if magnetization is None:
            magnetization = getattr(term, "magnetization", None)
        matrix = np.zeros_like(self.onsite)
        offset = 0
        for atom, orbitals in enumerate(self.orbitals):
            size = 2 * orbitals.n_orbitals
            if atoms is None or atom in atoms:
                matrix[offset : offset + size, offset : offset + size] = term(orbitals)
            offset += size
        return self.with_onsite(matrix, name=name, magnetization=magnetization, **parameters)

    def point_group(self) -> PointGroup:
        """Point-group operations that leave this model invariant.

        Verified on the operators: g is kept only if D(g) H(k) D(g)† = H(gk) at test
        points (see :func:`orbdiff.hamiltonian.symmetry.verified_point_group`), so an
        on-site term that breaks the crystal symmetry (e.g. an undeclared exchange
        field) cannot lead to a wrong reduction. Computed once per model.
        """
        from .symmetry import verified_point_group

        if "_point_group" not in self.__dict__:  # the model is immutable: verify once
            object.__setattr__(self, "_point_group", verified_point_group(self))
        return self.__dict__["_point_group"]

    def symmetry_representation(
        self, rotation: np.ndarray, translation: np.ndarray | None = None
    ) -> np.ndarray | None:
        """Matrix D(g) of the space-group operation ``r ↦ R r + t`` on the spinful basis.

        D(g) = atom permutation ⊗ real-harmonic rotation of each shell (×(−1)^l when R
        is improper) ⊗ SU(2) spin rotation of the proper part of R. With orbitals at the
        atoms (see the module docstring) D does not depend on k, and g is a symmetry of
        the model exactly when ``D H(k) D† = H(R k)`` for every k.

        Parameters
        ----------
        rotation : (3, 3) array_like of float
            Cartesian orthogonal matrix R (proper or improper).
        translation : (3,) array_like of float, optional
            Cartesian translation t in Å (default 0).

        Returns
        -------
        (2n, 2n) ndarray of complex or None
            Unitary D(g) with index ``2 * orbital + spin``; None if g does not map
            every atom onto an atom of the same species and orbitals.
        """
        rotation = np.asarray(rotation, dtype=float)
        determinant = float(np.round(np.linalg.det(rotation)))
        proper = determinant * rotation
        permutation = self._atom_permutation(rotation, translation)
        if permutation is None:
            return None
        spin = spin_rotation(proper)
        starts = np.concatenate([[0], np.cumsum([2 * o.n_orbitals for o in self.orbitals])])
        d = np.zeros((self.n_states, self.n_states), dtype=complex)
        for a, b in enumerate(permutation):
            orbitals = self.orbitals[a]
            parity = np.asarray(determinant) ** np.array(orbitals.l_values)
            block = orbital_rotation(orbitals, proper) * parity[None, :]
            d[starts[b] : starts[b + 1], starts[a] : starts[a + 1]] = np.kron(block, spin)
        return d

    def _atom_permutation(self, rotation: np.ndarray, translation) -> list[int] | None:
        shift = np.zeros(3) if translation is None else np.asarray(translation, dtype=float)
        positions, inverse_cell = self.crystal.positions, np.linalg.inv(self.crystal.cell)
        permutation = []
        for a, image in enumerate(positions @ rotation.T + shift):
            fractional = (image - positions) @ inverse_cell
            match = [b for b in np.flatnonzero(np.all(np.abs(fractional - np.round(fractional))
                                                      < 1e-5, axis=1))
                     if self.crystal.symbols[b] == self.crystal.symbols[a]
                     and self.orbitals[b] == self.orbitals[a]]
            if not match:
                return None
            permutation.append(int(match[0]))
        return permutation if len(set(permutation)) == len(permutation) else None

    def with_basis(self, unitary: np.ndarray) -> TightBindingModel:
        """The same model in the orbital basis rotated by ``unitary`` (n, n).

        Hoppings, on-site matrix and L all transform, so every observable is unchanged.
        ``unitary`` may mix only orbitals of the same atom (orbitals keep their centres).
        """
        u = np.asarray(unitary, dtype=complex)
        atom = np.repeat(np.arange(len(self.orbitals)), [o.n_orbitals for o in self.orbitals])
        if u.shape != (self.n_orbitals,) * 2 or np.abs(u[atom[:, None] != atom[None, :]]).max(
                initial=0.0) > 1e-12:
            raise invalid("unitary", u.shape, f"a ({self.n_orbitals}, {self.n_orbitals}) "
                          "matrix mixing only orbitals of the same atom")
        us = spinful(u)
        uh = us if self.spinful_hoppings else u
        return self._replace(
            hoppings=uh @ self.hoppings @ uh.conj().T,
            onsite=us @ self.onsite @ us.conj().T,
            orbital_moment=u @ self.orbital_moment @ u.conj().T,
        )

    def _replace(self, **changes) -> TightBindingModel:
        fields = {name: getattr(self, name) for name in self.__dataclass_fields__}
        return TightBindingModel(**{**fields, **changes})

    def _phases(self, k: np.ndarray) -> np.ndarray:
        return np.exp(1j * (k @ self._cartesian.T))

    def _bloch_sum(self, k: np.ndarray, phases: np.ndarray) -> np.ndarray:
        """Σ_R phases_R H_R, times e^{ik·(τ_j − τ_i)}; (n_k, m, m) in the hopping basis."""
        m = self.hoppings.shape[-1]
        h = (phases @ self.hoppings.reshape(len(self.hoppings), m * m)).reshape(-1, m, m)
        if self._offsets:
            centre = np.exp(1j * (k @ self._centres.T))
            h = np.conj(centre)[:, :, None] * h * centre[:, None, :]
        return h

    def _spinful(self, matrices: np.ndarray) -> np.ndarray:
        return matrices if self.spinful_hoppings else spinful(matrices)
