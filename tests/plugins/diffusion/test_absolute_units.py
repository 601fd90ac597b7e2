"""Absolute units without the implementation's constants: Boltzmann limit of one s band.

Simple cubic s band ε(k) = −2t Σ_a cos(k_a a). For Γ ≪ bandwidth, away from van Hove
points, σ_xx = 2 e² τ ∫d³k/(2π)³ v_x² δ(E − ε), τ = ħ/(2Γ), and D_xx = τ ⟨v_x²⟩_FS in
m²/s. The Fermi-surface integrals are evaluated here on their own: ε = E is solved for
k_z (two roots, Jacobian |∂ε/∂k_z|), and the remaining (k_x, k_y) integral is a midpoint sum.
"""

import numpy as np
import pytest
from scipy import constants

import orbdiff
from orbdiff import Crystal, ModelBuilder
from orbdiff.basis import OrbitalSet
from orbdiff.structure import neighbour_shells

A, T, ENERGY, GAMMA = 3.0, 1.0, -4.0, 0.1  # Å, eV, eV (between −6t and the van Hove −2t), eV


def _fermi_surface_integrals(n=3000):
    """∫d³k/(2π)³ (ħv_x)² δ(E − ε) in eV·Å⁻¹ and ∫d³k/(2π)³ δ(E − ε) in eV⁻¹Å⁻³ (per spin)."""
    k = ((np.arange(n) + 0.5) / n - 0.5) * 2 * np.pi / A
    kx, ky = np.meshgrid(k, k, indexing="ij")
    cz = -ENERGY / (2 * T) - np.cos(kx * A) - np.cos(ky * A)
    inside = np.abs(cz) < 1
    jacobian = 2 * T * A * np.sqrt(1 - cz[inside] ** 2)  # |∂ε/∂k_z|, eV·Å
    hv_x = 2 * T * A * np.sin(kx[inside] * A)              # ħ v_x, eV·Å
    measure = (2 * np.pi / A / n) ** 2 / (2 * np.pi) ** 3
    return np.sum(2 * hv_x**2 / jacobian) * measure, np.sum(2 / jacobian) * measure


@pytest.fixture(scope="module")
def s_band_result():
    crystal = Crystal(A * np.eye(3), np.zeros((1, 3)), ("X",))
    builder = ModelBuilder(crystal, OrbitalSet(("s",)))
    builder.add_slater_koster(neighbour_shells(crystal, 1), [{"sss": -T}])
    model = builder.finalized(name="s-band")
    return orbdiff.compute("diffusivity", model, grid=60, energies=[ENERGY], gamma=GAMMA,
                           error_estimate=False)


def test_kubo_conductivity_is_the_boltzmann_conductivity_in_s_per_m(s_band_result):
    e, hbar = constants.e, constants.hbar
    v2_integral, _ = _fermi_surface_integrals()
    tau = hbar / (2 * GAMMA * e)  # s
    # (ħv)² eV²Å² → v² m²/s²: × e² 1e-20 / ħ²; Å⁻³ → m⁻³: × 1e30; δ in eV⁻¹ → J⁻¹: / e
    sigma = 2 * e**2 * tau * v2_integral * e**2 * 1e-20 / hbar**2 * 1e30 / e
    assert s_band_result.kubo[0, 0, 0] == pytest.approx(sigma, rel=1e-2)
    assert s_band_result.charge[0, 0, 0] == pytest.approx(sigma, rel=1e-2)


def test_diffusivity_in_m2_per_s_is_tau_times_the_fermi_surface_velocity(s_band_result):
    e, hbar = constants.e, constants.hbar
    v2_integral, dos_integral = _fermi_surface_integrals()
    tau = hbar / (2 * GAMMA * e)
    diffusion = tau * v2_integral / dos_integral * e**2 * 1e-20 / hbar**2  # m²/s
    converted = s_band_result.in_units("m2/s")
    assert converted.units == "m2/s"
    assert converted.charge[0, 0, 0] == pytest.approx(diffusion, rel=2e-2)
    assert s_band_result.dos[0] == pytest.approx(2 * dos_integral * A**3, rel=2e-2)
    assert converted.as_dict()["units"]["charge"].startswith("m2/s")
