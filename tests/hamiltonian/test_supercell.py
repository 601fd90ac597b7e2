"""Supercells reproduce the primitive cell: the same crystal, folded, gives the same tensors.

A supercell (2a₁, a₂, a₃) sampled on (8, 16, 16) sees exactly the k-points of the
primitive 16³ grid (folded by b₁/2), with twice the bands in twice the volume, so every
tensor per unit volume must agree to round-off. The multi-atom cell exercises the orbital
centres in H(k) and in the velocity (a velocity without the τ_j − τ_i term fails this).
"""

import numpy as np
import pytest

import orbdiff
from orbdiff.structure import Crystal

ENERGIES = [-0.3, 0.2]
FIELDS = ("charge", "tensor", "kubo", "dos")


def supercell(primitive: Crystal, repeats) -> Crystal:
    cell = primitive.cell * np.asarray(repeats, dtype=float)[:, None]
    shifts = np.stack(np.meshgrid(*[np.arange(n) for n in repeats], indexing="ij"), -1)
    positions = shifts.reshape(-1, 3) @ primitive.cell
    return Crystal(cell, positions, primitive.symbols * len(positions))


def diffusivity(model, grid):
    return orbdiff.compute("diffusivity", model, grid=grid, energies=ENERGIES, gamma=0.1,
                           symmetry=False)


def assert_same_tensors(result, reference, atoms, tolerance):
    """Tensors per volume agree; the DOS is per cell, so it scales with the atoms."""
    for name in FIELDS:
        ours, theirs = getattr(result, name), getattr(reference, name)
        if name == "dos":
            ours = ours / atoms
        scale = np.abs(theirs).max()
        assert np.abs(ours - theirs).max() <= tolerance * scale, name


@pytest.fixture(scope="module")
def primitive():
    return orbdiff.load_material("Ta", shells=2)


@pytest.fixture(scope="module")
def primitive_16(primitive):
    return diffusivity(primitive, 16)


def test_two_atom_supercell_on_a_coarse_grid(primitive):
    model = orbdiff.load_material("Ta", supercell(primitive.crystal, (2, 1, 1)), shells=2)
    assert model.n_states == 36
    assert_same_tensors(diffusivity(model, (4, 8, 8)), diffusivity(primitive, 8), 2, 1e-12)


@pytest.mark.slow
def test_two_atom_supercell_equals_the_primitive_cell(primitive, primitive_16):
    model = orbdiff.load_material("Ta", supercell(primitive.crystal, (2, 1, 1)), shells=2)
    assert_same_tensors(diffusivity(model, (8, 16, 16)), primitive_16, 2, 1e-12)


@pytest.mark.slow
def test_eight_atom_supercell_equals_the_primitive_cell(primitive):
    # (2a₁, 2a₂, 2a₃) on 3³ is the primitive 6³ grid (8³ on 16³ also agrees, but takes ten
    # minutes on two cores); 144 × 144 band-basis products sum in another order than
    # 18 × 18 ones, so rounding reaches ~1e-12 of the largest component: allow 1e-10
    model = orbdiff.load_material("Ta", supercell(primitive.crystal, (2, 2, 2)), shells=2)
    assert model.n_states == 144
    assert_same_tensors(diffusivity(model, 3), diffusivity(primitive, 6), 8, 1e-10)
