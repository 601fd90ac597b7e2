"""Mutable builder that assembles a tight-binding model step by step.

Kwant-style: add on-site matrices, hoppings and on-site terms, then call
:meth:`ModelBuilder.finalized` to get the immutable
:class:`~orbdiff.hamiltonian.TightBindingModel` that the engine uses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from ..basis.angular_momentum import angular_momentum_matrices
from ..basis.orbitals import OrbitalSet
from ..errors import invalid
from ..structure.crystal import Crystal
from ..structure.neighbours import Bond
from .model import TightBindingModel
from .slater_koster import hopping_matrix

__all__ = ["ModelBuilder"]


class ModelBuilder:
    """Collects the pieces of a model.

    Parameters
    ----------
    crystal : Crystal
    orbitals : OrbitalSet or mapping of symbol to OrbitalSet
        Orbitals on every atom, or per chemical symbol.
    """

    def __init__(self, crystal: Crystal, orbitals: OrbitalSet | Mapping[str, OrbitalSet]) -> None:
        self.crystal = crystal
        if isinstance(orbitals, OrbitalSet):
            self.atom_orbitals = tuple(orbitals for _ in crystal.symbols)
        else:
            missing = sorted(set(crystal.symbols) - set(orbitals))
            if missing:
                raise invalid("orbitals", sorted(orbitals), f"orbitals for every species {missing}")
            self.atom_orbitals = tuple(orbitals[s] for s in crystal.symbols)
        sizes = [o.n_orbitals for o in self.atom_orbitals]
        self._offsets = np.concatenate([[0], np.cumsum(sizes)])
        n = int(self._offsets[-1])
        self._onsite = np.zeros((2 * n, 2 * n), dtype=complex)
        self._bond_vectors: list[np.ndarray] = []
        self._hoppings: list[np.ndarray] = []
        self._magnetization: np.ndarray | None = None

    @property
    def n_orbitals(self) -> int:
        """Orbitals per cell, without spin."""
        return int(self._offsets[-1])

    def _atom_slice(self, atom: int, spin: bool) -> slice:
        factor = 2 if spin else 1
        return slice(factor * self._offsets[atom], factor * self._offsets[atom + 1])

    def add_onsite_energies(self, atom: int, energies: Sequence[float]) -> None:
        """Add spin-independent orbital energies (eV) on one atom, in its orbital order."""
        energies = np.asarray(energies, dtype=float)
        block = self._atom_slice(atom, spin=True)
        self._onsite[block, block] += np.diag(np.repeat(energies, 2))

    def add_onsite_term(
        self, term: Callable[[OrbitalSet], np.ndarray], atoms: Iterable[int] | None = None
    ) -> None:
        """Add an on-site term (e.g. SOC) to the given atoms (default: all).

        A term with a ``magnetization`` attribute (an exchange field) makes the model
        magnetic: symmetry reduction then keeps only operations that preserve it.
        """
        if getattr(term, "magnetization", None) is not None:
            self._magnetization = np.asarray(term.magnetization, dtype=float)
        for atom in range(len(self.atom_orbitals)) if atoms is None else atoms:
            block = self._atom_slice(atom, spin=True)
            matrix = np.asarray(term(self.atom_orbitals[atom]), dtype=complex)
            if not np.allclose(matrix, matrix.conj().T, atol=1e-12):
                raise ValueError(f"on-site term {getattr(term, 'name', term)!r} is not Hermitian")
            self._onsite[block, block] += matrix

    def add_hopping(self, bond: Bond, matrix: np.ndarray) -> None:
        """Add a spin-independent hopping ``⟨i, 0|H|j, d⟩`` (eV) along ``bond``."""
        full = np.zeros((self.n_orbitals, self.n_orbitals), dtype=complex)
        full[self._atom_slice(bond.i, False), self._atom_slice(bond.j, False)] = matrix
        self._bond_vectors.append(np.asarray(bond.vector, dtype=float))
        self._hoppings.append(full)

    def add_onsite_matrix(self, atom: int, matrix: np.ndarray) -> None:
        """Add a spin-independent on-site matrix (eV) on one atom.

        Parameters
        ----------
        atom : int
            Atom index in the crystal.
        matrix : (n_a, n_a) array_like
            Hermitian matrix in the atom's orbital order, e.g. the ⟨p_x|H|d_xy⟩
            crystal-field coupling of an atom without inversion symmetry.
        """
        matrix = np.asarray(matrix, dtype=complex)
        size = self.atom_orbitals[atom].n_orbitals
        if matrix.shape != (size, size) or not np.all(np.isfinite(matrix)):
            raise invalid("onsite matrix", matrix.shape, f"a finite ({size}, {size}) matrix")
        if not np.allclose(matrix, matrix.conj().T, atol=1e-12):
            raise invalid("onsite matrix", "a non-Hermitian matrix", "a Hermitian matrix")
        block = self._atom_slice(atom, spin=True)
        self._onsite[block, block] += np.kron(matrix, np.eye(2))

    def add_slater_koster(
        self,
        bonds: Iterable[Bond],
        integrals: Sequence[Mapping[str, float] | Mapping[str, Mapping[str, float]]],
    ) -> None:
        """Add two-centre hoppings for every bond, with the integrals of ``bond.shell``.

        Parameters
        ----------
        bonds : iterable of Bond
        integrals : sequence, one entry per shell
            Either the integrals (eV) of a one-species shell, ``{"sss": ..., ...}``, or
            the integrals per ordered species pair, ``{"Cs-Cl": {...}, "Cl-Cs": {...}}``,
            where the first orbital of each name sits on the first species.
        """
        for bond in bonds:
            shell = integrals[bond.shell]
            species = self.crystal.symbols[bond.i], self.crystal.symbols[bond.j]
            matrix = hopping_matrix(
                self.atom_orbitals[bond.i],
                bond.vector,
                _pair_integrals(shell, *species),
                ket_orbitals=self.atom_orbitals[bond.j],
                reverse_integrals=_pair_integrals(shell, *species[::-1]),
            )
            self.add_hopping(bond, matrix)

    def finalized(self, name: str = "model", parameters: Mapping[str, Any] | None = None):
        """Return the immutable :class:`TightBindingModel`; checks that H(k) is Hermitian."""
        n = self.n_orbitals
        hoppings = np.array(self._hoppings) if self._hoppings else np.zeros((0, n, n), complex)
        vectors = np.array(self._bond_vectors) if self._bond_vectors else np.zeros((0, 3))
        moment = np.zeros((3, n, n), dtype=complex)
        for atom, orbitals in enumerate(self.atom_orbitals):
            block = self._atom_slice(atom, spin=False)
            moment[:, block, block] = angular_momentum_matrices(orbitals)
        model = TightBindingModel(
            self.crystal,
            self.atom_orbitals,
            vectors,
            hoppings,
            self._onsite.copy(),
            moment,
            name=name,
            parameters=parameters or {},
            magnetization=self._magnetization,
        )
        _check_hermitian(model)
        return model


def _pair_integrals(shell: Mapping[str, Any], bra: str, ket: str) -> Mapping[str, float]:
    """The integrals of one shell for the ordered species pair (bra, ket)."""
    if not any(isinstance(value, Mapping) for value in shell.values()):
        return shell
    pair = f"{bra}-{ket}"
    if pair not in shell:
        raise invalid("integrals", sorted(shell), f"integrals for the species pair {pair!r}")
    return shell[pair]


def _check_hermitian(model: TightBindingModel) -> None:
    k = np.random.default_rng(0).normal(size=(2, 3))
    h = model.hamiltonian(k)
    if not np.allclose(h, np.conj(np.swapaxes(h, 1, 2)), atol=1e-10):
        raise ValueError(
            "H(k) is not Hermitian: every hopping i→j along d needs its partner j→i along −d"
        )
