"""Point-group operations verified on the model's operators, not on its spectrum.

An operation g = {R|t} of the crystal's space group (spglib) is kept only if its
representation on the spinful basis satisfies ``D(g) H(k) D(g)† = H(R k)`` at random
test points. In the atomic gauge of :class:`~orbdiff.hamiltonian.TightBindingModel`
(Bloch phases on the atomic positions) the representation is k-independent up to a
global phase:

``D(g) = P(g) ⊗ O(R) ⊗ U(R)``, with ``P`` the permutation of the atoms by g, ``O`` the
real-harmonic rotation of each shell by the proper part ``R₊ = det(R) R`` times
``(−1)^l`` when g is improper, and ``U`` the SU(2) rotation of the spin by ``R₊`` (spin
is axial: inversion leaves it alone). A time-reversal-odd term (``J σ·m``) breaks the
operations that do not preserve m, whether or not the model declares a magnetization.

A model with a method ``symmetry_representation(rotation, translation)`` (Cartesian
R, t in Å) supplies ``D(g)`` itself (Wannier or user models).
"""

from __future__ import annotations

import numpy as np
import spglib

from ..basis.angular_momentum import orbital_rotation
from ..basis.orbitals import ANGULAR_MOMENTUM, OrbitalSet
from ..basis.spin import spin_rotation
from ..structure.crystal import Crystal
from ..structure.symmetry import PointGroup

__all__ = ["atom_permutation", "basis_representation", "space_group_operations",
           "verified_point_group"]

#: Test points per operation, and the tolerance on ||D H D† − H(Rk)|| / ||H||.
N_TEST_POINTS = 3
TOLERANCE = 1e-8


def space_group_operations(crystal: Crystal, symprec: float = 1e-5):
    """One space-group operation per point-group rotation, in Cartesian form.

    Returns
    -------
    rotations : (n_ops, 3, 3) ndarray of float
        Cartesian R (proper or improper), distinct.
    translations : (n_ops, 3) ndarray of float
        Cartesian t in Å of the first spglib operation with that rotation.
    """
    species = {symbol: index for index, symbol in enumerate(sorted(set(crystal.symbols)))}
    fractional = crystal.positions @ np.linalg.inv(crystal.cell)
    cell = (crystal.cell, fractional, [species[s] for s in crystal.symbols])
    dataset = spglib.get_symmetry(cell, symprec=symprec)
    lattice = crystal.cell.T  # columns a_i; r = A x
    rotations = lattice @ dataset["rotations"] @ np.linalg.inv(lattice)
    translations = dataset["translations"] @ crystal.cell
    _, first = np.unique(np.round(rotations, 8).reshape(-1, 9), axis=0, return_index=True)
    first = np.sort(first)
    return rotations[first], translations[first]


def atom_permutation(crystal: Crystal, rotation: np.ndarray, translation: np.ndarray,
                     atol: float = 1e-5) -> np.ndarray:
    """``image[a]``: the atom that g = {R|t} maps atom ``a`` onto (modulo the lattice)."""
    inverse_cell = np.linalg.inv(crystal.cell)
    fractional = crystal.positions @ inverse_cell
    moved = (crystal.positions @ rotation.T + translation) @ inverse_cell
    image = np.empty(len(fractional), dtype=int)
    for a, x in enumerate(moved):
        offset = fractional - x
        match = np.nonzero(np.all(np.abs(offset - np.round(offset)) < atol, axis=1))[0]
        same = [b for b in match if crystal.symbols[b] == crystal.symbols[a]]
        if len(same) != 1:
            raise ValueError(f"operation does not map atom {a} onto exactly one atom")
        image[a] = same[0]
    return image


def _shell_parity(orbitals: OrbitalSet) -> np.ndarray:
    return np.concatenate([np.full(2 * ANGULAR_MOMENTUM[s] + 1, (-1.0) ** ANGULAR_MOMENTUM[s])
                           for s in orbitals.shells])


def basis_representation(crystal: Crystal, orbitals: tuple[OrbitalSet, ...],
                         rotation: np.ndarray, translation: np.ndarray) -> np.ndarray:
    """D(g) on the spinful basis ``2·orbital + spin`` (unitary, dimensionless)."""
    proper = np.linalg.det(rotation) * rotation
    improper = np.linalg.det(rotation) < 0
    offsets = np.cumsum([0, *(o.n_orbitals for o in orbitals)])
    image = atom_permutation(crystal, rotation, translation)
    d_orbital = np.zeros((offsets[-1], offsets[-1]))
    for a, atom_orbitals in enumerate(orbitals):
        block = orbital_rotation(atom_orbitals, proper)
        if improper:
            block = block * _shell_parity(atom_orbitals)[None, :]
        b = image[a]
        d_orbital[offsets[b]:offsets[b + 1], offsets[a]:offsets[a + 1]] = block
    return np.kron(d_orbital, spin_rotation(proper))


def _representation(model, rotation: np.ndarray, translation: np.ndarray) -> np.ndarray:
    hook = getattr(model, "symmetry_representation", None)
    if callable(hook):
        return np.asarray(hook(rotation, translation), dtype=complex)
    return basis_representation(model.crystal, model.orbitals, rotation, translation)


def _preserves(model, d: np.ndarray, rotation: np.ndarray, k: np.ndarray,
               h: np.ndarray) -> bool:
    transformed = d @ h @ d.conj().T
    rotated = model.hamiltonian(k @ rotation.T)
    scale = max(1.0, float(np.abs(h).max()))
    return bool(np.abs(transformed - rotated).max() < TOLERANCE * scale)


def verified_point_group(model, seed: int = 1) -> PointGroup:
    """The operations of the crystal's point group under which ``model`` is invariant.

    Uses only ``model.crystal``, ``model.orbitals``, ``model.hamiltonian(k)`` (and
    ``model.symmetry_representation`` if the model has it); a declared
    ``model.magnetization`` only pre-selects the candidates.
    """
    rotations, translations = space_group_operations(model.crystal)
    magnetization = getattr(model, "magnetization", None)
    if magnetization is not None:
        axial = np.linalg.det(rotations)[:, None] * (rotations @ np.asarray(magnetization))
        keep = np.all(np.abs(axial - magnetization) < 1e-8, axis=1)
        rotations, translations = rotations[keep], translations[keep]
    k = np.random.default_rng(seed).normal(size=(N_TEST_POINTS, 3))
    h = model.hamiltonian(k)
    kept = [r for r, t in zip(rotations, translations, strict=True)
            if _preserves(model, _representation(model, r, t), r, k, h)]
    group = PointGroup(np.array(kept))
    return group if group.is_closed() else PointGroup.trivial()
