"""The model seam: spinful hoppings, orbital centres, D(g) and the protocol check."""

import numpy as np
import pytest
import spglib

import orbdiff
from orbdiff.basis import OrbitalSet, pauli_matrices
from orbdiff.errors import InputError
from orbdiff.hamiltonian import Model, ModelBuilder, RepresentedModel
from orbdiff.structure import Crystal, neighbour_shells
from orbdiff.structure.neighbours import Bond
from orbdiff.structure.symmetry import PointGroup
from orbdiff.testing import check_model


def space_group(crystal):
    """spglib operations r ↦ R r + t as Cartesian (R, t in Å)."""
    fractional = crystal.positions @ np.linalg.inv(crystal.cell)
    numbers = [sorted(set(crystal.symbols)).index(s) for s in crystal.symbols]
    dataset = spglib.get_symmetry((crystal.cell, fractional, numbers), symprec=1e-5)
    lattice = crystal.cell.T
    for w, t in zip(dataset["rotations"], dataset["translations"], strict=True):
        yield lattice @ w @ np.linalg.inv(lattice), t @ crystal.cell


def is_symmetry(model, rotation, translation, k):
    d = model.symmetry_representation(rotation, translation)
    assert d is not None
    assert np.allclose(d @ d.conj().T, np.eye(model.n_states), atol=1e-12)
    lhs = d @ model.hamiltonian(k) @ d.conj().T
    return np.allclose(lhs, model.hamiltonian(k @ rotation.T), atol=1e-9)


def ta(**kwargs):
    return orbdiff.load_material("Ta", shells=2, **kwargs)


def test_every_crystal_operation_is_a_symmetry_of_ta_with_soc():
    model = ta()
    operations = list(space_group(model.crystal))
    assert len(operations) == 48  # Oh
    k = np.random.default_rng(3).normal(size=(4, 3))
    assert all(is_symmetry(model, r, t, k) for r, t in operations)


def test_representation_transforms_spin_and_orbital_moment_as_axial_vectors():
    model = ta()
    sigma, moment = model.spin_operators(), model.orbital_moment_operators()
    for rotation, translation in space_group(model.crystal):
        d = model.symmetry_representation(rotation, translation)
        axial = np.linalg.det(rotation) * rotation
        for ops in (sigma, moment):
            rotated = np.einsum("ij,jab->iab", axial.T, ops)  # Σ_j R[j, k] O_j
            assert np.allclose(d @ ops @ d.conj().T, rotated, atol=1e-12)


def test_two_atom_cell_operations_permute_the_atoms():
    primitive = ta().crystal
    cell = primitive.cell * np.array([[2.0], [1.0], [1.0]])
    crystal = Crystal(cell, [[0.0, 0.0, 0.0], primitive.cell[0]], ("Ta", "Ta"))
    model = ta(structure=crystal)
    operations = list(space_group(crystal))
    k = np.random.default_rng(4).normal(size=(3, 3))
    assert all(is_symmetry(model, r, t, k) for r, t in operations)
    # the pure translation by a₁ maps atom 0 onto atom 1: D is the swap of the two blocks
    d = model.symmetry_representation(np.eye(3), primitive.cell[0])
    swap = np.kron(np.array([[0, 1], [1, 0]]), np.eye(18))
    np.testing.assert_allclose(d, swap, atol=1e-12)


def test_exchange_along_z_keeps_the_eight_operations_of_4_over_m():
    from orbdiff_plugins.ferromagnet.exchange import with_exchange

    model = with_exchange(ta(), 0.3, [0.0, 0.0, 1.0])
    k = np.random.default_rng(5).normal(size=(3, 3))
    kept = [r for r, t in space_group(model.crystal) if is_symmetry(model, r, t, k)]
    assert len(kept) == 8  # C4h: the unitary operations preserving an axial m ∥ z
    assert PointGroup(np.array(kept)).is_closed()


def test_operation_that_moves_an_atom_off_the_lattice_has_no_representation():
    model = ta()
    assert model.symmetry_representation(np.eye(3), [0.3, 0.0, 0.0]) is None


def test_spinful_hopping_equals_the_spin_independent_one():
    crystal = Crystal.bcc(3.3)
    bonds = neighbour_shells(crystal, 1)
    plain, spinful = (ModelBuilder(crystal, OrbitalSet(("s", "p"))) for _ in range(2))
    rng = np.random.default_rng(6)
    for bond in bonds:
        if bond.i <= bond.j and tuple(bond.vector) > (0, 0, 0):
            t = rng.normal(size=(4, 4))
            for builder, factor in ((plain, np.eye(1)), (spinful, np.eye(2))):
                builder.add_hopping(bond, np.kron(t, factor))
                back = Bond(bond.j, bond.i, -bond.vector, bond.shell)
                builder.add_hopping(back, np.kron(t.T, factor))
    a, b = plain.finalized(), spinful.finalized()
    assert not a.spinful_hoppings and b.spinful_hoppings
    k = rng.normal(size=(5, 3))
    np.testing.assert_allclose(a.hamiltonian(k), b.hamiltonian(k), atol=1e-13)
    np.testing.assert_allclose(a.velocity_operators(k), b.velocity_operators(k), atol=1e-13)


def chain_with_spin_orbit_hopping(t, lam, a=2.0):
    """Simple cubic s band, hopping along x only: t + iλσ_z to +x, its adjoint to −x."""
    crystal = Crystal(a * np.eye(3), [[0.0, 0.0, 0.0]], ("X",))
    builder = ModelBuilder(crystal, OrbitalSet(("s",)))
    forward = t * np.eye(2) + 1j * lam * pauli_matrices()[2]
    builder.add_hopping(Bond(0, 0, np.array([a, 0.0, 0.0]), 0), forward)
    builder.add_hopping(Bond(0, 0, np.array([-a, 0.0, 0.0]), 0), forward.conj().T)
    builder.add_hopping(Bond(0, 0, np.array([0.0, a, 0.0]), 0), np.eye(1) * 0.5 * t)
    builder.add_hopping(Bond(0, 0, np.array([0.0, -a, 0.0]), 0), np.eye(1) * 0.5 * t)
    return builder.finalized(name="chain")


def test_spin_dependent_hopping_closed_form():
    t, lam, a = 0.7, 0.2, 2.0
    model = chain_with_spin_orbit_hopping(t, lam, a)
    k = np.array([[0.4, 0.9, -0.3], [1.1, 0.0, 0.2]])
    kx, ky = k[:, 0, None, None] * a, k[:, 1, None, None] * a
    one, sz = np.eye(2), pauli_matrices()[2]
    # Σ_± e^{±ik_x a}(t ± iλσ_z) = 2t cos(k_x a) − 2λ sin(k_x a) σ_z, plus t cos(k_y a)
    expected = (2 * t * np.cos(kx) + t * np.cos(ky)) * one - 2 * lam * np.sin(kx) * sz
    np.testing.assert_allclose(model.hamiltonian(k), expected, atol=1e-14)
    vx = -2 * a * (t * np.sin(kx) * one + lam * np.cos(kx) * sz)
    np.testing.assert_allclose(model.velocity_operators(k)[:, 0], vx, atol=1e-14)
    check_model(model)


def test_builder_rejects_bad_hoppings():
    crystal = Crystal.bcc(3.3)
    builder = ModelBuilder(crystal, OrbitalSet(("p",)))
    bond = neighbour_shells(crystal, 1)[0]
    with pytest.raises(InputError, match=r"hopping matrix: got \(3, 4\)"):
        builder.add_hopping(bond, np.zeros((3, 4)))
    with pytest.raises(InputError, match=r"bond\.vector"):
        builder.add_hopping(Bond(0, 0, np.array([0.3, 0.0, 0.0]), 0), np.zeros((3, 3)))


def test_with_basis_refuses_to_mix_atoms():
    primitive = ta().crystal
    cell = primitive.cell * np.array([[2.0], [1.0], [1.0]])
    model = ta(structure=Crystal(cell, [[0, 0, 0], primitive.cell[0]], ("Ta", "Ta")))
    mixing = np.eye(18)[np.r_[9:18, 0:9]]
    with pytest.raises(InputError, match="unitary"):
        model.with_basis(mixing)


def test_unfinished_builder_gets_a_hint():
    builder = ModelBuilder(Crystal.bcc(3.3), OrbitalSet(("s",)))
    with pytest.raises(InputError, match=r"call builder\.finalized\(\)"):
        orbdiff.compute("dos", builder, grid=4, energies=[0.0], gamma=0.1)
    with pytest.raises(InputError, match="missing: name, parameters"):
        orbdiff.compute("dos", object(), grid=4, energies=[0.0], gamma=0.1)


class WrappedModel:
    """A user model that is not a TightBindingModel: it only implements the protocol."""

    capabilities = frozenset({"hamiltonian", "velocities", "spin", "orbital_moment"})

    def __init__(self, inner, velocity_scale=1.0):
        self._inner, self._scale = inner, velocity_scale
        self.name, self.parameters = "wrapped", {}
        self.crystal, self.orbitals = inner.crystal, inner.orbitals
        self.n_states = inner.n_states

    def hamiltonian(self, k):
        return self._inner.hamiltonian(k)

    def velocity_operators(self, k):
        return self._scale * self._inner.velocity_operators(k)

    def spin_operators(self):
        return self._inner.spin_operators()

    def orbital_moment_operators(self):
        return self._inner.orbital_moment_operators()

    def point_group(self):
        return PointGroup.trivial()


def test_any_protocol_model_meets_the_engine():
    toy = orbdiff.load_model("bcc-p-toy", xi=0.1)
    user = WrappedModel(toy)
    assert isinstance(user, Model) and not isinstance(user, RepresentedModel)
    assert isinstance(toy, RepresentedModel)
    check_model(user)
    kwargs = dict(grid=6, energies=[0.1], gamma=0.1)
    ours = orbdiff.compute("diffusivity", user, **kwargs)
    theirs = orbdiff.compute("diffusivity", toy, symmetry=False, **kwargs)
    np.testing.assert_allclose(ours.tensor, theirs.tensor, rtol=1e-10, atol=1e-8)
    with pytest.raises(AssertionError, match="velocity_operators"):
        check_model(WrappedModel(toy, velocity_scale=2.0))
