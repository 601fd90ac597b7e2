"""Slater-Koster two-centre table, checked without comparing it to itself.

The reference is the bond along ẑ, where the two-centre matrix is diagonal in the
azimuthal quantum number m (σ: m = 0, π: |m| = 1, δ: |m| = 2); every other direction
follows by rotating both orbitals with ``real_orbital_rotation``.
"""

# ruff: noqa: E741 -- ``l, m, n`` are Slater & Koster's direction cosines.
from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.transform import Rotation

from orbdiff.basis.angular_momentum import real_orbital_rotation
from orbdiff.basis.orbitals import OrbitalSet
from orbdiff.errors import InputError
from orbdiff.hamiltonian.slater_koster import (
    INTEGRAL_NAMES,
    hopping_matrix,
    required_integrals,
    two_centre_block,
)

SHELLS = ("s", "p", "d")
L_OF = {"s": 0, "p": 1, "d": 2}
NAMES = {
    "s": ["s"],
    "p": ["px", "py", "pz"],
    "d": ["dxy", "dyz", "dzx", "dx2-y2", "d3z2-r2"],
}
PAIRS = list(itertools.product(SHELLS, SHELLS))
S3 = np.sqrt(3)


def z_bond_elements(v):
    """⟨a, 0|H|b, ẑ⟩ for l_a ≤ l_b: the σ, π, δ integrals with positive harmonics."""
    return {
        ("s", "s"): v["sss"],
        ("s", "pz"): v["sps"],
        ("s", "d3z2-r2"): v["sds"],
        ("pz", "pz"): v["pps"],
        ("px", "px"): v["ppp"],
        ("py", "py"): v["ppp"],
        ("pz", "d3z2-r2"): v["pds"],
        ("px", "dzx"): v["pdp"],  # m = ±1 partners: x ↔ zx, y ↔ yz
        ("py", "dyz"): v["pdp"],
        ("d3z2-r2", "d3z2-r2"): v["dds"],
        ("dzx", "dzx"): v["ddp"],
        ("dyz", "dyz"): v["ddp"],
        ("dxy", "dxy"): v["ddd"],
        ("dx2-y2", "dx2-y2"): v["ddd"],
    }


def z_bond_block(shell_a, shell_b, v):
    """Two-centre block for the bond along +ẑ, built from the integrals directly.

    For l_a > l_b the pair is looked at from the other atom: inverting through the bond
    midpoint swaps the atoms and multiplies an orbital of angular momentum l by (−1)^l,
    e.g. ⟨pz, 0|H|s, ẑ⟩ = −spσ (the p_z lobe now points towards the s atom).
    """
    elements = z_bond_elements(v)
    sign = (-1) ** (L_OF[shell_a] + L_OF[shell_b]) if L_OF[shell_a] > L_OF[shell_b] else 1
    block = np.zeros((len(NAMES[shell_a]), len(NAMES[shell_b])))
    for i, a in enumerate(NAMES[shell_a]):
        for j, b in enumerate(NAMES[shell_b]):
            key = (a, b) if L_OF[shell_a] <= L_OF[shell_b] else (b, a)
            block[i, j] = sign * elements.get(key, 0.0)
    return block


def random_integrals(rng):
    return dict(zip(INTEGRAL_NAMES, rng.normal(size=len(INTEGRAL_NAMES)), strict=True))


@pytest.mark.parametrize(("shell_a", "shell_b"), PAIRS)
def test_z_bond(shell_a, shell_b):
    v = random_integrals(np.random.default_rng(0))
    block = two_centre_block(shell_a, shell_b, [0, 0, 2.5], v)
    np.testing.assert_allclose(block, z_bond_block(shell_a, shell_b, v), atol=1e-14)


@settings(max_examples=60, deadline=None)
@given(
    quaternion=st.lists(st.floats(-1, 1), min_size=4, max_size=4).filter(
        lambda q: np.linalg.norm(q) > 0.1
    ),
    seed=st.integers(0, 2**32 - 1),
    length=st.floats(0.5, 5.0),
)
def test_rotation_covariance(quaternion, seed, length):
    rotation = Rotation.from_quat(quaternion).as_matrix()
    v = random_integrals(np.random.default_rng(seed))
    bond = length * rotation[:, 2]  # R ẑ
    for shell_a, shell_b in PAIRS:
        d_a = real_orbital_rotation(L_OF[shell_a], rotation)
        d_b = real_orbital_rotation(L_OF[shell_b], rotation)
        expected = d_a @ z_bond_block(shell_a, shell_b, v) @ d_b.T
        np.testing.assert_allclose(
            two_centre_block(shell_a, shell_b, bond, v),
            expected,
            atol=1e-12,
            err_msg=f"{shell_a}{shell_b}",
        )


@pytest.mark.parametrize(("shell_a", "shell_b"), PAIRS)
@pytest.mark.parametrize("seed", range(4))
def test_parity(shell_a, shell_b, seed):
    rng = np.random.default_rng(seed)
    v, bond = random_integrals(rng), rng.normal(size=3)
    sign = (-1) ** (L_OF[shell_a] + L_OF[shell_b])
    e_ab = two_centre_block(shell_a, shell_b, bond, v)
    np.testing.assert_allclose(two_centre_block(shell_b, shell_a, bond, v), sign * e_ab.T)
    np.testing.assert_allclose(
        two_centre_block(shell_a, shell_b, -bond, v), sign * e_ab, atol=1e-15
    )


def test_textbook_entries_general_direction():
    v = random_integrals(np.random.default_rng(1))
    bond = np.array([0.3, -1.2, 0.7])
    l, m, n = bond / np.linalg.norm(bond)
    pp = two_centre_block("p", "p", bond, v)
    assert pp[0, 0] == pytest.approx(l**2 * v["pps"] + (1 - l**2) * v["ppp"])
    assert pp[0, 2] == pytest.approx(l * n * (v["pps"] - v["ppp"]))
    assert two_centre_block("s", "d", bond, v)[0, 0] == pytest.approx(S3 * l * m * v["sds"])
    assert two_centre_block("s", "p", bond, v)[0, 1] == pytest.approx(m * v["sps"])
    assert two_centre_block("p", "s", bond, v)[1, 0] == pytest.approx(-m * v["sps"])


def test_textbook_entries_fcc_and_bcc_directions():
    v = random_integrals(np.random.default_rng(2))
    # (110)/√2: l = m = 1/√2, n = 0.
    dd = two_centre_block("d", "d", [1, 1, 0], v)
    assert dd[0, 0] == pytest.approx(0.75 * v["dds"] + 0.25 * v["ddd"])  # xy, xy
    assert dd[4, 4] == pytest.approx(0.25 * v["dds"] + 0.75 * v["ddd"])  # 3z²−r²
    assert dd[3, 3] == pytest.approx(v["ddp"])  # x²−y²
    assert two_centre_block("p", "p", [1, 1, 0], v)[0, 1] == pytest.approx(
        0.5 * (v["pps"] - v["ppp"])
    )
    # E_x,xy = √3 l² m pdσ + m (1 − 2l²) pdπ = √3 (1/2)(1/√2) pdσ.
    assert two_centre_block("p", "d", [1, 1, 0], v)[0, 0] == pytest.approx(S3 / 8**0.5 * v["pds"])
    # (100): E_x²−y²,3z²−r² = (√3/2)(1)(−1/2) ddσ + (√3/4)(1)(1) ddδ.
    assert two_centre_block("d", "d", [2, 0, 0], v)[3, 4] == pytest.approx(
        -S3 / 4 * v["dds"] + S3 / 4 * v["ddd"]
    )
    # (111)/√3: E_xy,yz = 3lm²n ddσ + ln(1 − 4m²) ddπ + ln(m² − 1) ddδ.
    assert two_centre_block("d", "d", [1, 1, 1], v)[0, 1] == pytest.approx(
        v["dds"] / 3 - v["ddp"] / 9 - 2 * v["ddd"] / 9
    )
    # (111)/√3: E_z,3z²−r² = n(n² − (l²+m²)/2) pdσ + √3 n (l² + m²) pdπ = (2/3) pdπ.
    assert two_centre_block("p", "d", [1, 1, 1], v)[2, 4] == pytest.approx(2 / 3 * v["pdp"])
    # (100): E_x,s = −l spσ.
    assert two_centre_block("p", "s", [1, 0, 0], v)[0, 0] == pytest.approx(-v["sps"])


@pytest.mark.parametrize("seed", range(4))
def test_hopping_matrix_symmetric_bond_pair(seed):
    rng = np.random.default_rng(seed)
    orbitals = OrbitalSet(("s", "p", "d"))
    v, bond, k = random_integrals(rng), rng.normal(size=3), rng.normal(size=3)
    h_plus, h_minus = hopping_matrix(orbitals, bond, v), hopping_matrix(orbitals, -bond, v)
    np.testing.assert_allclose(h_plus, h_minus.T, atol=1e-15)
    h_k = np.exp(1j * k @ bond) * h_plus + np.exp(-1j * k @ bond) * h_minus
    np.testing.assert_allclose(h_k, h_k.conj().T, atol=1e-14)


def test_hopping_matrix_assembles_blocks_in_shell_order():
    v = random_integrals(np.random.default_rng(3))
    bond = np.array([0.5, 0.2, -0.9])
    orbitals = OrbitalSet(("d", "s"))
    h = hopping_matrix(orbitals, bond, v)
    assert h.shape == (6, 6)
    np.testing.assert_array_equal(h[:5, 5:], two_centre_block("d", "s", bond, v))
    np.testing.assert_array_equal(h[5:, :5], two_centre_block("s", "d", bond, v))


def test_missing_integral_is_an_error_not_zero():
    with pytest.raises(InputError, match="ppp"):
        two_centre_block("p", "p", [1, 2, 3], {"pps": 1.0})
    with pytest.raises(InputError, match="sds"):
        hopping_matrix(OrbitalSet(("s", "d")), [1, 2, 3], {"sss": 1.0, "dds": 1.0})


@pytest.mark.parametrize("value", [np.nan, np.inf, True, "0.1"])
def test_non_finite_or_non_numeric_integral_is_named(value):
    with pytest.raises(InputError, match=r"integrals\.sss"):
        two_centre_block("s", "s", [1, 0, 0], {"sss": value})


def test_required_integrals_follow_the_shells_of_both_species():
    assert required_integrals("s", "p") == ("sps",)
    assert required_integrals("p", "s") == ()
    assert set(required_integrals("spd", "spd")) == set(INTEGRAL_NAMES)


@pytest.mark.parametrize("bond", [[0, 0, 0], [np.nan, 0, 1], [1, 0]])
def test_rejects_bad_bond(bond):
    with pytest.raises(ValueError, match="bond"):
        two_centre_block("s", "p", bond, {"sps": 1.0})
    with pytest.raises(ValueError, match="bond"):
        hopping_matrix(OrbitalSet(("s",)), bond, {"sss": 1.0})


def test_rejects_unknown_names():
    with pytest.raises(ValueError, match="spp"):
        two_centre_block("s", "p", [1, 0, 0], {"spp": 1.0})
    with pytest.raises(ValueError, match="'f'"):
        two_centre_block("f", "p", [1, 0, 0], {"sps": 1.0})
