"""The finalized, immutable tight-binding model that the k-space engine uses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from ..basis.orbitals import OrbitalSet
from ..basis.spin import orbital_operators_spinful, spin_operators, spinful
from ..structure.crystal import Crystal
from ..structure.symmetry import PointGroup

__all__ = ["TightBindingModel"]


def _frozen(array: Any, dtype=complex) -> np.ndarray:
    out = np.array(array, dtype=dtype)
    out.flags.writeable = False
    return out


@dataclass(frozen=True, eq=False)
class TightBindingModel:
    """A spinful tight-binding model ``H(k) = Σ_b e^{ik·d_b} T_b ⊗ 1_spin + H_onsite``.

    Build one with :class:`~orbdiff.hamiltonian.ModelBuilder`; the arrays are read-only.
    The basis is ``orbital ⊗ spin`` with index ``2 * orbital + spin``.

    Attributes
    ----------
    crystal : Crystal
    orbitals : tuple of OrbitalSet
        Orbitals of each atom, in the order of ``crystal.symbols``.
    bond_vectors : (n_bonds, 3) ndarray of float
        Bond vectors d_b in Å.
    hoppings : (n_bonds, n, n) ndarray of complex
        Spin-independent hopping matrices T_b in eV (n = number of orbitals).
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
    bond_vectors: np.ndarray
    hoppings: np.ndarray
    onsite: np.ndarray
    orbital_moment: np.ndarray
    name: str = "model"
    parameters: Mapping[str, Any] = field(default_factory=dict)
    magnetization: np.ndarray | None = None

    #: What the engine may ask of this model (see :class:`~orbdiff.errors.CapabilityError`).
    capabilities = frozenset({"hamiltonian", "velocities", "spin", "orbital_moment"})

    def __post_init__(self) -> None:
        object.__setattr__(self, "bond_vectors", _frozen(self.bond_vectors, float))
        object.__setattr__(self, "hoppings", _frozen(self.hoppings))
        object.__setattr__(self, "onsite", _frozen(self.onsite))
        object.__setattr__(self, "orbital_moment", _frozen(self.orbital_moment))
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))
        if self.magnetization is not None:
            object.__setattr__(self, "magnetization", _frozen(self.magnetization, float))

    @property
    def n_orbitals(self) -> int:
        """Number of orbitals per cell (without spin)."""
        return self.hoppings.shape[1]

    @property
    def n_states(self) -> int:
        """Dimension of H(k): orbitals × 2 spins."""
        return 2 * self.n_orbitals

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
        phases = self._phases(k)
        return spinful(self._fourier(phases)) + self.onsite

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
        phases = self._phases(k)
        derivative = [self._fourier(1j * phases * d) for d in self.bond_vectors.T]
        return spinful(np.stack(derivative, axis=1))

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
        field) cannot lead to a wrong reduction.
        """
        from .symmetry import verified_point_group

        return verified_point_group(self)

    def with_basis(self, unitary: np.ndarray) -> TightBindingModel:
        """The same model in the orbital basis rotated by ``unitary`` (n, n).

        Hoppings, on-site matrix and L all transform, so every observable is unchanged.
        """
        u = np.asarray(unitary, dtype=complex)
        us = spinful(u)
        return self._replace(
            hoppings=u @ self.hoppings @ u.conj().T,
            onsite=us @ self.onsite @ us.conj().T,
            orbital_moment=u @ self.orbital_moment @ u.conj().T,
        )

    def _replace(self, **changes) -> TightBindingModel:
        fields = {name: getattr(self, name) for name in self.__dataclass_fields__}
        return TightBindingModel(**{**fields, **changes})

    def _phases(self, k: np.ndarray) -> np.ndarray:
        k = np.atleast_2d(np.asarray(k, dtype=float))
        return np.exp(1j * (k @ self.bond_vectors.T))

    def _fourier(self, phases: np.ndarray) -> np.ndarray:
        n = self.n_orbitals
        return (phases @ self.hoppings.reshape(len(self.hoppings), n * n)).reshape(-1, n, n)
