"""The bcc p-orbital toy model: closed-form H(k), analytic velocities, structure inputs."""

import numpy as np
import pytest

import orbdiff
from orbdiff.basis import spinful

A = 3.30
V_SIGMA, V_PI = 0.2, 0.05


def closed_form_hamiltonian(k):
    """H_ab(k) for p orbitals with 8 neighbours at (a/2)(±1, ±1, ±1).

    Two-centre: E_aa = l_a² Vσ + (1 − l_a²) Vπ, E_ab = l_a l_b (Vσ − Vπ) with l_a² = 1/3;
    Σ_d e^{ik·d} = 8 c_x c_y c_z and Σ_d e^{ik·d} s_a s_b = −8 S_a S_b c_c,
    with c = cos(k a/2), S = sin(k a/2).
    """
    c, s = np.cos(k * A / 2), np.sin(k * A / 2)
    h = np.empty((3, 3))
    for a in range(3):
        for b in range(3):
            if a == b:
                h[a, a] = 8 * c.prod() * (V_SIGMA + 2 * V_PI) / 3
            else:
                other = 3 - a - b
                h[a, b] = -8 * s[a] * s[b] * c[other] * (V_SIGMA - V_PI) / 3
    return h


@pytest.fixture(scope="module")
def toy(registry):
    return orbdiff.load_model("bcc-p-toy", registry=registry)


def test_hamiltonian_matches_closed_form(toy):
    rng = np.random.default_rng(3)
    for k in rng.uniform(-2, 2, size=(5, 3)):
        np.testing.assert_allclose(
            toy.hamiltonian(k[None])[0], spinful(closed_form_hamiltonian(k)), atol=1e-12
        )


def test_band_energies_at_gamma_and_h(toy):
    # Γ: 8 (Vσ + 2Vπ)/3 = 0.8 eV (×6); H = (2π/a)(1,0,0): every phase is −1 → −0.8 eV.
    gamma_point = np.zeros((1, 3))
    h_point = np.array([[2 * np.pi / A, 0, 0]])
    np.testing.assert_allclose(np.linalg.eigvalsh(toy.hamiltonian(gamma_point)[0]), 0.8)
    np.testing.assert_allclose(np.linalg.eigvalsh(toy.hamiltonian(h_point)[0]), -0.8)


def test_velocities_are_the_k_derivative(registry):
    model = orbdiff.load_model("bcc-p-toy", registry=registry, xi=0.05)
    k = np.array([[0.3, -0.7, 1.1]])
    step = 1e-5
    velocity = model.velocity_operators(k)[0]
    for i in range(3):
        dk = np.zeros(3)
        dk[i] = step
        numeric = (model.hamiltonian(k + dk)[0] - model.hamiltonian(k - dk)[0]) / (2 * step)
        np.testing.assert_allclose(velocity[i], numeric, atol=1e-8)


def test_soc_splits_gamma_into_j_multiplets(registry):
    # At Γ the crystal field is cubic-isotropic for p, so ξσ·L gives ξ (×4) and −2ξ (×2).
    xi = 0.05
    model = orbdiff.load_model("bcc-p-toy", registry=registry, xi=xi)
    levels = np.linalg.eigvalsh(model.hamiltonian(np.zeros((1, 3)))[0]) - 0.8
    np.testing.assert_allclose(levels, [-2 * xi] * 2 + [xi] * 4, atol=1e-12)


def test_ase_and_pymatgen_structures_give_identical_tensors(registry):
    from ase.build import bulk
    from pymatgen.core import Lattice, Structure

    atoms = bulk("Fe", "bcc", a=A)
    structure = Structure(Lattice(np.asarray(atoms.get_cell())), ["Fe"], [[0, 0, 0]])
    kwargs = {"grid": 5, "energies": [0.5], "gamma": 0.1, "registry": registry}
    from_ase = orbdiff.compute(
        "diffusivity",
        orbdiff.load_model("bcc-p-toy", registry=registry, xi=0.05, structure=atoms),
        **kwargs,
    )
    from_pmg = orbdiff.compute(
        "diffusivity",
        orbdiff.load_model("bcc-p-toy", registry=registry, xi=0.05, structure=structure),
        **kwargs,
    )
    default = orbdiff.compute(
        "diffusivity", orbdiff.load_model("bcc-p-toy", registry=registry, xi=0.05), **kwargs
    )
    np.testing.assert_array_equal(from_ase.tensor, from_pmg.tensor)
    np.testing.assert_array_equal(from_ase.charge, from_pmg.charge)
    # ase's primitive cell is another choice of bcc basis vectors, with the same grid physics
    np.testing.assert_allclose(
        from_ase.tensor, default.tensor, atol=1e-9 * np.abs(default.tensor).max()
    )


@pytest.mark.parametrize(
    ("parameters", "field"),
    [
        ({"v_sigma": float("nan")}, "v_sigma"),
        ({"a": 0}, "a"),
        ({"xi": -0.1}, "xi"),
        ({"a": "big"}, "a"),
        ({"structure": "bcc"}, "structure"),
    ],
)
def test_bad_parameters_name_the_field(registry, parameters, field):
    with pytest.raises(orbdiff.InputError, match=field):
        orbdiff.load_model("bcc-p-toy", registry=registry, **parameters)
