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
from ..basis.spin import spinful
from ..errors import invalid
from ..structure.crystal import Crystal
from ..structure.neighbours import Bond
from .model import TightBindingModel
from .slater_koster import hopping_matrix

__all__ = ["ModelBuilder", "spin_split"]


def spin_split(up: np.ndarray, down: np.ndarray, magnetization: np.ndarray) -> np.ndarray:
    """``½(up + down) ⊗ 1 + ½(up − down) ⊗ σ·m``: spin-up along m takes ``up``.

    Parameters
    ----------
    up, down : (n_i, n_j) array_like of complex
        Spin-up and spin-down blocks (eV) in the orbital basis, e.g. one hopping.
    magnetization : (3,) array_like of float
        Unit vector m.

    Returns
    -------
    (2n_i, 2n_j) ndarray of complex
        The block on the spinful index ``2 * orbital + spin`` (eV).
    """
    from ..basis.spin import pauli_matrices

    up, down = np.asarray(up, dtype=complex), np.asarray(down, dtype=complex)
    sigma_m = np.einsum("a,aij->ij", np.asarray(magnetization, dtype=float), pauli_matrices())
    return np.kron(0.5 * (up + down), np.eye(2)) + np.kron(0.5 * (up - down), sigma_m)


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
        # H_R per lattice vector R (fractional, as a tuple): spin-independent (n × n)
        # and acting on spin (2n × 2n, spinful index), summed at finalization
        self._hoppings: dict[tuple[int, int, int], np.ndarray] = {}
        self._spin_hoppings: dict[tuple[int, int, int], np.ndarray] = {}
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
        """Add a hopping ``⟨i, 0|H|j, d⟩`` (eV) along ``bond``.

        Parameters
        ----------
        bond : Bond
            From atom ``bond.i`` in the home cell to atom ``bond.j`` at ``bond.vector`` (Å).
        matrix : (n_i, n_j) or (2n_i, 2n_j) array_like of complex
            Spin-independent block in the atoms' orbital order, or a block acting on
            spin in the spinful index ``2 * orbital + spin``, in eV.
        """
        matrix = np.asarray(matrix, dtype=complex)
        rows, columns = (self.atom_orbitals[a].n_orbitals for a in (bond.i, bond.j))
        if matrix.shape == (rows, columns):
            spin, store, size = False, self._hoppings, self.n_orbitals
        elif matrix.shape == (2 * rows, 2 * columns):
            spin, store, size = True, self._spin_hoppings, 2 * self.n_orbitals
        else:
            raise invalid("hopping matrix", matrix.shape,
                          f"({rows}, {columns}) or, acting on spin, ({2 * rows}, {2 * columns})")
        key = self._lattice_vector(bond)
        full = store.setdefault(key, np.zeros((size, size), dtype=complex))
        full[self._atom_slice(bond.i, spin), self._atom_slice(bond.j, spin)] += matrix

    def _lattice_vector(self, bond: Bond) -> tuple[int, int, int]:
        """R of a bond: ``vector = R + τ_j − τ_i`` with R a lattice vector."""
        positions = self.crystal.positions
        cartesian = np.asarray(bond.vector, dtype=float) - positions[bond.j] + positions[bond.i]
        fractional = cartesian @ np.linalg.inv(self.crystal.cell)
        rounded = np.round(fractional)
        if np.abs(fractional - rounded).max() > 1e-6:
            raise invalid("bond.vector", np.asarray(bond.vector).tolist(),
                          "a lattice vector plus τ_j − τ_i (Å)")
        return tuple(int(x) for x in rounded)

    def add_onsite_matrix(self, atom: int, matrix: np.ndarray) -> None:
        """Add an on-site matrix (eV) on one atom, spin-independent or acting on spin.

        Parameters
        ----------
        atom : int
            Atom index in the crystal.
        matrix : (n_a, n_a) or (2n_a, 2n_a) array_like
            Hermitian matrix in the atom's orbital order, e.g. the ⟨p_x|H|d_xy⟩
            crystal-field coupling of an atom without inversion symmetry, or acting on
            spin in the spinful index ``2 * orbital + spin`` (e.g. from :func:`spin_split`).
        """
        matrix = np.asarray(matrix, dtype=complex)
        size = self.atom_orbitals[atom].n_orbitals
        if matrix.shape not in ((size, size), (2 * size, 2 * size)) or not np.all(
                np.isfinite(matrix)):
            raise invalid("onsite matrix", matrix.shape,
                          f"a finite ({size}, {size}) or ({2 * size}, {2 * size}) matrix")
        if not np.allclose(matrix, matrix.conj().T, atol=1e-12):
            raise invalid("onsite matrix", "a non-Hermitian matrix", "a Hermitian matrix")
        block = self._atom_slice(atom, spin=True)
        self._onsite[block, block] += matrix if len(matrix) == 2 * size else np.kron(
            matrix, np.eye(2))

    def set_magnetization(self, magnetization: np.ndarray) -> None:
        """Record the unit magnetization m of a magnetic model (an axial vector).

        Symmetry reduction of the finalized model then keeps only the operations that
        leave m unchanged (as for an on-site term with a ``magnetization``).
        """
        self._magnetization = np.asarray(magnetization, dtype=float)

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

    def add_spin_polarized_slater_koster(
        self,
        bonds: Iterable[Bond],
        up: Sequence[Mapping[str, Any]],
        down: Sequence[Mapping[str, Any]],
        magnetization: np.ndarray,
    ) -> None:
        """Add spin-dependent two-centre hoppings ``½(t↑ + t↓) ⊗ 1 + ½(t↑ − t↓) ⊗ σ·m``.

        Parameters
        ----------
        bonds : iterable of Bond
        up, down : sequence, one entry per shell
            Spin-up and spin-down integrals (eV), each in the form of
            :meth:`add_slater_koster`.
        magnetization : (3,) array_like of float
            Unit vector m; spin up is along m.
        """
        for bond in bonds:
            species = self.crystal.symbols[bond.i], self.crystal.symbols[bond.j]
            up_down = [hopping_matrix(self.atom_orbitals[bond.i], bond.vector,
                                      _pair_integrals(shells[bond.shell], *species),
                                      ket_orbitals=self.atom_orbitals[bond.j],
                                      reverse_integrals=_pair_integrals(shells[bond.shell],
                                                                        *species[::-1]))
                       for shells in (up, down)]
            self.add_hopping(bond, spin_split(*up_down, magnetization))

    def finalized(self, name: str = "model", parameters: Mapping[str, Any] | None = None):
        """Return the immutable :class:`TightBindingModel`; checks that H(k) is Hermitian.

        The hoppings stay spin-independent (n × n, the cheap case) unless a hopping
        acting on spin was added; then all are stored as 2n × 2n matrices.
        """
        vectors, hoppings = self._hopping_arrays()
        moment = np.zeros((3, self.n_orbitals, self.n_orbitals), dtype=complex)
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

    def _hopping_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        keys = sorted(set(self._hoppings) | set(self._spin_hoppings))
        n = self.n_orbitals
        if not self._spin_hoppings:
            matrices = [self._hoppings[key] for key in keys]
            size = n
        else:
            zero = np.zeros((n, n), dtype=complex)
            matrices = [spinful(self._hoppings.get(key, zero))
                        + self._spin_hoppings.get(key, 0) for key in keys]
            size = 2 * n
        if not keys:
            return np.zeros((0, 3), dtype=int), np.zeros((0, size, size), dtype=complex)
        return np.array(keys, dtype=int), np.array(matrices)


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
