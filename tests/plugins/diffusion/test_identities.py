"""DESIGN §3 identities 1–5 on the toy model, on coarse grids."""

import functools

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

import orbdiff
from conftest import toy_result

ENERGIES = (-0.9, -0.3, 0.2, 0.5, 1.1)


@functools.cache
def _result(xi, symmetry):
    """Toy model on 8³; ``symmetry=False`` sums the full grid, so the point-group
    symmetrizer cannot impose identities 3 and 4 (they must come out of the sums)."""
    if symmetry:
        return toy_result(xi, 8, ENERGIES)
    reg = orbdiff.Registry(orbdiff.plugin_manager(autoload=False, strict=True))
    model = orbdiff.load_model("bcc-p-toy", registry=reg, xi=xi)
    return orbdiff.compute("diffusivity", model, grid=8, energies=ENERGIES, gamma=0.1,
                           registry=reg, symmetry=False, error_estimate=False)


def _block(tensor, source, current):
    """(n_E, 3, 3, 3, 3) block [α, i, β, j] of operator kinds 's' or 'l'."""
    s = slice(0, 9) if source == "s" else slice(9, 18)
    c = slice(0, 9) if current == "s" else slice(9, 18)
    return tensor[:, s, c].reshape(-1, 3, 3, 3, 3)


@pytest.mark.parametrize("xi", [0.0, 0.05])
def test_einstein_relation(xi):
    # Identity 1: with constant Γ, G^R G^A = (G^A − G^R)/2iΓ makes D_ii = σ_ii exactly.
    result = toy_result(xi, 8, ENERGIES)
    charge = np.diagonal(result.charge, axis1=1, axis2=2)
    kubo = np.diagonal(result.kubo, axis1=1, axis2=2)
    np.testing.assert_allclose(charge, kubo, rtol=1e-10)
    assert np.all(charge > 0)


def test_without_soc_spin_follows_charge_and_mixing_vanishes():
    # Identity 2: H = H_orb ⊗ 1 commutes with σ, so the spin block is δ_αβ D_ij.
    result = toy_result(0.0, 8, ENERGIES)
    scale = np.abs(result.charge).max()
    spin = _block(result.tensor, "s", "s")
    expected = np.einsum("ab,eij->eaibj", np.eye(3), result.charge)
    np.testing.assert_allclose(spin, expected, rtol=0, atol=1e-10 * scale)
    for source, current in (("s", "l"), ("l", "s")):
        np.testing.assert_allclose(_block(result.tensor, source, current), 0, atol=1e-10 * scale)
    swapping = result.swapping_efficiencies()
    np.testing.assert_allclose(swapping["s->s"], 0, atol=1e-10)


@pytest.mark.parametrize("symmetry", [True, False], ids=["wedge", "full-grid"])
@pytest.mark.parametrize(("xi", "kinds"), [(0.0, "l"), (0.05, "sl")])
def test_cubic_relations(xi, kinds, symmetry):
    # Identity 3: the fourfold axis along x maps y to z; cubic axes are equivalent.
    result = _result(xi, symmetry)
    scale = np.abs(result.tensor).max()
    for a in kinds:
        xx = result.D(f"{a}x x", f"{a}x x")
        yx = result.D(f"{a}y x", f"{a}y x")
        np.testing.assert_allclose(yx, result.D(f"{a}z x", f"{a}z x"), atol=1e-10 * scale)
        np.testing.assert_allclose(xx, result.D(f"{a}y y", f"{a}y y"), atol=1e-10 * scale)
        np.testing.assert_allclose(xx, result.D(f"{a}z z", f"{a}z z"), atol=1e-10 * scale)
        # ... but D^{a_x x}_{a_x x} ≠ D^{a_y x}_{a_y x} inside the band (ε = −0.3, 0.2, 0.5)
        assert np.all(np.abs(xx - yx)[1:4] > 1e-2 * np.abs(xx[1:4]))


@pytest.mark.parametrize("symmetry", [True, False], ids=["wedge", "full-grid"])
@pytest.mark.parametrize("xi", [0.0, 0.05])
def test_onsager_reciprocity(xi, symmetry):
    # Identity 4 (paper Eqs. 14–15): D^{l_x y}_{l_y x} = D^{l_y x}_{l_x y} and
    # D^{l_y y}_{l_x x} = D^{l_x x}_{l_y y}; the same relations for spin and l→s.
    result = _result(xi, symmetry)
    scale = np.abs(result.tensor).max()
    for a, b in (("l", "l"), ("s", "s"), ("s", "l"), ("l", "s")):
        np.testing.assert_allclose(
            result.D(f"{b}x y", f"{a}y x"), result.D(f"{b}y x", f"{a}x y"), atol=1e-10 * scale
        )
        np.testing.assert_allclose(
            result.D(f"{b}y y", f"{a}x x"), result.D(f"{b}x x", f"{a}y y"), atol=1e-10 * scale
        )
    # and the orbital swapping coefficient is not trivially zero
    assert np.max(np.abs(result.D("ly y", "lx x"))) > 1e-3 * scale


def test_unitary_change_of_orbital_basis(registry):
    # Identity 5: traces are invariant under H → U H U†, L → U L U†.
    model = orbdiff.load_model("bcc-p-toy", registry=registry, xi=0.05)
    rng = np.random.default_rng(7)
    q, _ = np.linalg.qr(rng.normal(size=(3, 3)) + 1j * rng.normal(size=(3, 3)))
    kwargs = {"grid": 5, "energies": [0.1, 0.5], "gamma": 0.1, "registry": registry}
    plain = orbdiff.compute("diffusivity", model, **kwargs)
    rotated = orbdiff.compute("diffusivity", model.with_basis(q), **kwargs)
    scale = np.abs(plain.tensor).max()
    np.testing.assert_allclose(rotated.tensor, plain.tensor, atol=1e-10 * scale)
    np.testing.assert_allclose(rotated.charge, plain.charge, atol=1e-10 * scale)


def test_rotated_crystal_gives_rotated_tensor(registry):
    # Identity 5: σ and L are axial vectors, gradient and current directions polar;
    # under a proper rotation R all four indices transform with R.
    rotation = Rotation.from_euler("zyx", [0.4, -1.1, 0.7]).as_matrix()
    crystal = orbdiff.Crystal.bcc(3.3)
    kwargs = {"grid": 5, "energies": [0.5], "gamma": 0.1, "registry": registry}
    plain = orbdiff.compute(
        "diffusivity",
        orbdiff.load_model("bcc-p-toy", registry=registry, xi=0.05, structure=crystal),
        **kwargs,
    )
    turned = orbdiff.compute(
        "diffusivity",
        orbdiff.load_model(
            "bcc-p-toy", registry=registry, xi=0.05, structure=crystal.rotated(rotation)
        ),
        **kwargs,
    )
    r = rotation
    expected_charge = np.einsum("ai,bj,eij->eab", r, r, plain.charge)
    t = plain.tensor.reshape(1, 6, 3, 6, 3)
    big = np.kron(np.eye(2), r)  # σ and L both rotate with R
    expected = np.einsum("pa,qi,rb,sj,eaibj->epqrs", big, r, big, r, t).reshape(1, 18, 18)
    scale = np.abs(plain.tensor).max()
    np.testing.assert_allclose(turned.charge, expected_charge, atol=1e-9 * scale)
    np.testing.assert_allclose(turned.tensor, expected, atol=1e-9 * scale)
    # the rotation is not a symmetry: the tensor really changed
    assert np.abs(turned.tensor - plain.tensor).max() > 1e-3 * scale
