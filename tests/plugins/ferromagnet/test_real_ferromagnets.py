"""Exchange on real metals: identities, symmetry, the moment of a target, the reference."""

import numpy as np
import pytest
from reference import direct_diffusivities_vectorized
from scipy.special import expit

import orbdiff
from orbdiff.observables import magnetic_moments
from orbdiff.structure import KGrid
from orbdiff_plugins.diffusion import compute_diffusion
from orbdiff_plugins.ferromagnet import magnetization, precession_sweep, with_exchange
from orbdiff_plugins.ferromagnet.solve import exchange_for_moment

FLAT = {"gamma": 0.1, "error_estimate": False, "symmetry": False}


@pytest.fixture(scope="module")
def iron(registry):
    return orbdiff.load_material("Fe", registry=registry)


@pytest.fixture(scope="module")
def bare_iron(registry):
    return orbdiff.load_material("Fe", registry=registry, soc_scale=0.0)


def electrons(registry, name):
    return orbdiff.load_parameter_set(name, registry=registry).valence_electrons


def test_zero_exchange_equals_the_nonmagnetic_material(iron, registry):
    sweep = precession_sweep(iron, [0.0], [35.0], phi=20.0, energy=0.3, grid=5, gamma=0.1,
                             electrons=electrons(registry, "Fe"), registry=registry,
                             progress=False)
    plain = magnetic_moments(iron, 5, [0, 0, 1], electrons=electrons(registry, "Fe"))
    np.testing.assert_allclose(sweep.fermi_level[0, 0], plain.fermi_level, rtol=0, atol=1e-9)
    reference = orbdiff.compute("diffusivity", iron, grid=5, energies=[0.3 + plain.fermi_level],
                                gamma=0.1, registry=registry, error_estimate=False)
    scale = np.abs(reference.tensor).max()
    np.testing.assert_allclose(sweep.tensor[0, 0], reference.tensor[0], rtol=0,
                               atol=1e-12 * scale)
    np.testing.assert_allclose(sweep.charge[0, 0], reference.charge[0], rtol=0,
                               atol=1e-12 * scale)
    # Kramers pairs: no moment without exchange
    assert abs(sweep.moment[0, 0]) < 1e-10 and abs(sweep.orbital_moment[0, 0]) < 1e-10


@pytest.mark.parametrize("m", [[0.0, 0.0, 1.0], magnetization(theta=40, phi=0)])
def test_reversing_m_keeps_the_diagonal(iron, registry, m):
    # m in the x–z plane, as in the sweeps (for m off every mirror plane the diagonal
    # changes at the 1e-4 level with SOC: nothing makes it exact there)
    m = np.asarray(m)
    energy = [magnetic_moments(iron, 4, m, electrons=8.0).fermi_level]
    up, down = (orbdiff.compute("diffusivity", with_exchange(iron, -1.0, s * m, "d"), grid=4,
                                energies=energy, registry=registry, **FLAT) for s in (1, -1))
    scale = np.abs(up.tensor).max()
    np.testing.assert_allclose(np.diagonal(down.tensor, axis1=1, axis2=2),
                               np.diagonal(up.tensor, axis1=1, axis2=2), rtol=0,
                               atol=1e-10 * scale)
    assert np.abs(down.tensor - up.tensor).max() > 1e-6 * scale  # off-diagonal parts do change


@pytest.mark.parametrize("name", ["Fe", "Ni"])
def test_m_along_z_keeps_the_eight_operations_of_4_over_m(registry, name):
    metal = orbdiff.load_material(name, registry=registry)
    assert len(metal.point_group()) == 48
    assert len(with_exchange(metal, -0.8, [0, 0, 1], "d").point_group()) == 8
    assert len(with_exchange(metal, -0.8, magnetization(theta=30), "d").point_group()) == 2


def test_exchange_on_d_orbitals_only(iron):
    magnet = with_exchange(iron, -0.7, [0, 0, 1], "d")
    added = np.diagonal(magnet.onsite - iron.onsite).real
    d = iron.orbitals[0].shell_slices["d"]
    expected = np.zeros(iron.n_orbitals)
    expected[d] = 1.0
    np.testing.assert_allclose(added, -0.7 * np.kron(expected, [1, -1]), atol=1e-14)


def test_d_exchange_on_a_model_without_d_orbitals_is_an_error(registry):
    toy = orbdiff.load_model("bcc-p-toy", registry=registry, xi=0.05)
    with pytest.raises(orbdiff.InputError, match="without d orbitals"):
        with_exchange(toy, 0.5, [0, 0, 1], "d")


def _independent_moment(model, j, grid, count, smearing=0.025):
    """N↑ − N↓ from the two spin blocks of H without SOC, each diagonalized on its own."""
    magnet = with_exchange(model, j, [0, 0, 1], "d")
    h = magnet.hamiltonian(KGrid(magnet.crystal, grid).cartesian)
    up = np.linalg.eigvalsh(h[:, 0::2, 0::2])  # index 2·orbital + spin: spin ↑ is even
    down = np.linalg.eigvalsh(h[:, 1::2, 1::2])
    assert np.abs(h[:, 0::2, 1::2]).max() == 0  # the blocks do not couple

    def filled(bands, mu):
        return expit(-(bands - mu) / smearing).sum() / len(h)

    low, high = min(up.min(), down.min()) - 2, max(up.max(), down.max()) + 2
    for _ in range(100):  # bisection on the total count
        mu = 0.5 * (low + high)
        low, high = (mu, high) if filled(up, mu) + filled(down, mu) < count else (low, mu)
    return (filled(up, mu) - filled(down, mu)) / len(model.crystal.symbols)


@pytest.mark.parametrize(("name", "target"), [("Fe", 2.2), ("Ni", 0.6)])
def test_moment_of_a_target_matches_an_independent_spin_count(registry, name, target):
    model = orbdiff.load_material(name, registry=registry, soc_scale=0.0)
    count = electrons(registry, name)
    j, found = exchange_for_moment(model, target, [0, 0, 1], electrons=count, grid=8)
    assert j < 0  # J σ·m with J < 0 makes spin along m the majority
    assert abs(found.spin - target) < 1e-4
    assert abs(_independent_moment(model, j, 8, count) - target) < 1e-3
    assert abs(found.orbital) < 1e-10  # quenched without SOC


def test_an_unreachable_moment_names_the_largest(bare_iron):
    with pytest.raises(orbdiff.InputError, match=r"largest spin moment .* is [45]\.\d+ μ_B"):
        exchange_for_moment(bare_iron, 20.0, [0, 0, 1], electrons=8.0, grid=4)


def test_engine_with_exchange_on_iron_equals_the_direct_reference(iron):
    magnet = with_exchange(iron, -1.1, magnetization(theta=40, phi=20), "d")
    grid = KGrid(magnet.crystal, 4)
    energies = magnetic_moments(magnet, 4, magnet.magnetization, electrons=8.0).fermi_level \
        + np.array([-0.2, 0.3])
    fast = compute_diffusion(magnet, grid, energies, 0.1, symmetry=False)
    charge, full = direct_diffusivities_vectorized(magnet, grid.cartesian, energies, 0.1)
    scale = np.abs(full).max()
    np.testing.assert_allclose(fast["tensor"], full, rtol=0, atol=1e-10 * scale)
    np.testing.assert_allclose(fast["charge"], charge, rtol=0, atol=1e-10 * scale)


def test_moment_sign_and_orbital_moment_parallel_in_iron(iron):
    found = magnetic_moments(with_exchange(iron, -1.0, [1, 0, 0], "d"), 6, [1, 0, 0],
                             electrons=8.0)
    assert found.spin > 1.5 and found.orbital > 0  # more than half-filled d: L ∥ S
    reversed_ = magnetic_moments(with_exchange(iron, -1.0, [1, 0, 0], "d"), 6, [-1, 0, 0],
                                 electrons=8.0)
    np.testing.assert_allclose([reversed_.spin, reversed_.orbital],
                               [-found.spin, -found.orbital], atol=1e-12)


def test_spin_polarized_set_rotates_its_own_magnetization(registry):
    def rotated(m):
        return orbdiff.load_material("Fe-fm", registry=registry, magnetization=tuple(m))

    sweep = precession_sweep(rotated, [0.0], [0.0, 90.0], energy=0.0, grid=4, gamma=0.1,
                             electrons=8.0, registry=registry, progress=False)
    along_x = rotated([1.0, 0.0, 0.0])
    direct = magnetic_moments(along_x, 4, [1, 0, 0], electrons=8.0)
    reference = orbdiff.compute("diffusivity", along_x, grid=4, energies=[direct.fermi_level],
                                gamma=0.1, registry=registry, error_estimate=False)
    np.testing.assert_allclose(sweep.tensor[0, 1], reference.tensor[0], rtol=0,
                               atol=1e-12 * np.abs(reference.tensor).max())
    assert sweep.moment[0, 1] == pytest.approx(direct.spin, abs=1e-12) and direct.spin > 1
    # cubic Fe: m ∥ z and m ∥ x are equivalent, with D^{sz x}_{sz x} ↔ D^{sx x}_{sx x}
    assert sweep.moment[0, 0] == pytest.approx(sweep.moment[0, 1], abs=1e-9)
