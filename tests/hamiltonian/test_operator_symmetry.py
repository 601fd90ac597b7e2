"""Point-group operations verified on the operators: D(g) H(k) D(g)† = H(gk) (issue 10)."""

import numpy as np
import pytest

import orbdiff
from orbdiff import Crystal, ModelBuilder
from orbdiff.basis import OrbitalSet, pauli_matrices
from orbdiff.hamiltonian import SpinOrbitCoupling
from orbdiff.hamiltonian.symmetry import atom_permutation, space_group_operations
from orbdiff.structure import KGrid, neighbour_shells
from orbdiff.structure.symmetry import crystal_point_group
from orbdiff_plugins.diffusion import compute_diffusion


def _exchange(model, direction, j=0.15):
    """J σ·m on every orbital, added WITHOUT declaring a magnetization."""
    m = np.asarray(direction, float) / np.linalg.norm(direction)
    sigma_m = np.einsum("k,kij->ij", m, pauli_matrices())
    return model.with_onsite(j * np.kron(np.eye(model.n_orbitals), sigma_m))


def _subgroup_keeping(axial):
    """Operations of O_h that keep an axial vector, derived from the rotations alone."""
    group = crystal_point_group(Crystal.bcc(3.3))
    images = np.linalg.det(group.rotations)[:, None] * (group.rotations @ np.asarray(axial))
    return group.rotations[np.all(np.abs(images - axial) < 1e-8, axis=1)]


def _same_set(a, b):
    key = lambda r: sorted(map(tuple, np.round(r.reshape(len(r), 9), 8)))  # noqa: E731
    return key(a) == key(b)


@pytest.fixture(scope="module")
def toy(registry):
    return orbdiff.load_model("bcc-p-toy", registry=registry, xi=0.05)


def test_undeclared_exchange_keeps_exactly_4_over_m(toy):
    magnet = _exchange(toy, [0, 0, 1])
    assert magnet.magnetization is None
    group = magnet.point_group()
    # 4/m (C4h): E, C4z±, C2z, i, S4z±, σh — the 8 unitary operations keeping m ∥ z
    assert len(group) == 8
    assert _same_set(group.rotations, _subgroup_keeping([0, 0, 1]))


def test_undeclared_exchange_along_111_keeps_exactly_s6(toy):
    group = _exchange(toy, [1, 1, 1]).point_group()
    assert len(group) == 6  # -3 (S6)
    assert _same_set(group.rotations, _subgroup_keeping(np.ones(3) / np.sqrt(3)))


@pytest.mark.parametrize("direction", [[0, 0, 1], [1, 1, 0]])
def test_undeclared_exchange_matches_the_full_grid(toy, direction):
    magnet = _exchange(toy, direction)
    grid = KGrid(magnet.crystal, 5)
    kwargs = {"energies": np.array([0.3]), "gamma": 0.1}
    wedge = compute_diffusion(magnet, grid, **kwargs)
    full = compute_diffusion(magnet, grid, symmetry=False, **kwargs)
    for key in ("charge", "tensor", "kubo"):
        scale = np.abs(full[key]).max()
        np.testing.assert_allclose(wedge[key], full[key], atol=1e-10 * scale, err_msg=key)


def _diamond(onsite_shift=0.0):
    a = 5.4
    crystal = Crystal(0.5 * a * np.array([[0, 1, 1], [1, 0, 1], [1, 1, 0.0]]),
                      np.array([[0, 0, 0], [a / 4, a / 4, a / 4]]), ("C", "C"))
    builder = ModelBuilder(crystal, OrbitalSet(("s", "p", "d")))
    integrals = {"sss": -1.0, "sps": 1.2, "pps": 2.0, "ppp": -0.5, "sds": -0.7, "pds": 0.8,
                 "pdp": -0.3, "dds": -0.6, "ddp": 0.4, "ddd": -0.1}
    builder.add_slater_koster(neighbour_shells(crystal, 1), [integrals])
    builder.add_onsite_term(SpinOrbitCoupling(0.1))
    if onsite_shift:
        builder.add_onsite_energies(0, [onsite_shift] + [0.0] * 8)  # s of atom 0 only
    return builder.finalized(name="diamond-spd")


def test_two_atom_cell_needs_the_atom_permutation():
    model = _diamond()
    rotations, translations = space_group_operations(model.crystal)
    swaps = [atom_permutation(model.crystal, r, t)[0] == 1
             for r, t in zip(rotations, translations, strict=True)]
    assert sum(swaps) == 24  # Fd-3m: half of O_h exchanges the two atoms
    assert len(model.point_group()) == 48


def test_inequivalent_atoms_keep_exactly_td():
    group = _diamond(onsite_shift=0.3).point_group()
    # -43m (T_d): the 24 operations that map each atom onto itself
    assert len(group) == 24
    assert np.all(np.linalg.det(group.rotations) != 0)
    assert not any(np.allclose(r, -np.eye(3)) for r in group.rotations)  # no inversion


def test_a_model_supplied_representation_is_used(toy):
    calls = []

    class OwnRepresentation(type(toy)):
        def symmetry_representation(self, rotation, translation):
            calls.append(rotation)
            return np.eye(self.n_states)  # claims D(g) = 1: only g with H(gk) = H(k) survive

    fields = {name: getattr(toy, name) for name in toy.__dataclass_fields__}
    group = OwnRepresentation(**fields).point_group()
    assert len(calls) == 48
    assert len(group) < 48 and any(np.allclose(r, np.eye(3)) for r in group.rotations)
