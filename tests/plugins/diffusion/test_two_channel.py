"""Two-channel model: closed forms of Eqs. 31–32, limits, and the fit."""

import numpy as np
import pytest

from orbdiff.errors import InputError
from orbdiff_plugins.diffusion.two_channel import fit_two_channel, two_channel


@pytest.mark.parametrize(("ts", "to", "tso"), [(1.0, 0.3, 2.0), (0.2, 5.0, 0.7), (3, 3, 3)])
def test_closed_forms_of_eqs_31_32(ts, to, tso):
    d0s, d0o = 2.5, 0.4
    result = two_channel(ts, to, tso, d0s, d0o)
    # Eq. 31: j_s = −(1 + τso/τo)/(1 + τs/τo + τso/τo) D⁰s ∇ns − 1/(1 + τo/τs + τso/τs) D⁰o ∇no
    # Eq. 32: j_o = −1/(1 + τs/τo + τso/τo) D⁰s ∇ns − (1 + τso/τs)/(1 + τo/τs + τso/τs) D⁰o ∇no
    assert result.spin == pytest.approx((1 + tso / to) / (1 + ts / to + tso / to) * d0s)
    assert result.orbit_to_spin == pytest.approx(1 / (1 + to / ts + tso / ts) * d0o)
    assert result.spin_to_orbit == pytest.approx(1 / (1 + ts / to + tso / to) * d0s)
    assert result.orbit == pytest.approx((1 + tso / ts) / (1 + to / ts + tso / ts) * d0o)


def test_decoupled_limit():
    result = two_channel(1.0, 0.5, np.inf, 2.0, 0.3)
    np.testing.assert_allclose(result.as_array(), [2.0, 0.0, 0.3, 0.0], atol=1e-14)
    nearly = two_channel(1.0, 0.5, 1e9, 2.0, 0.3)
    np.testing.assert_allclose(nearly.as_array(), [2.0, 0.0, 0.3, 0.0], atol=1e-8)


def test_strongly_coupled_limit():
    # τso → 0 locks the channels: j_s and j_o respond alike to each gradient
    ts, to = 1.0, 0.25
    result = two_channel(ts, to, 1e-10, 2.0, 0.3)
    assert result.spin == pytest.approx(to / (ts + to) * 2.0, rel=1e-8)
    assert result.spin_to_orbit == pytest.approx(result.spin, rel=1e-8)
    assert result.orbit == pytest.approx(ts / (ts + to) * 0.3, rel=1e-8)
    assert result.orbit_to_spin == pytest.approx(result.orbit, rel=1e-8)


def test_fit_recovers_known_ratios():
    truth = two_channel(1.0, 0.4, 1.7, 3.0e6, 2.0e5)
    fit = fit_two_channel(*truth.as_array())
    assert fit.tau_o_over_tau_s == pytest.approx(0.4, rel=1e-6)
    assert fit.tau_so_over_tau_s == pytest.approx(1.7, rel=1e-6)
    assert fit.bare_spin == pytest.approx(3.0e6, rel=1e-6)
    assert fit.bare_orbit == pytest.approx(2.0e5, rel=1e-6)
    assert fit.relative_residual < 1e-8


def test_fit_reports_a_poor_match():
    fit = fit_two_channel(4.0e6, -4.0e5, -2.0e4, 1.0e5)  # negative orbital diffusivity
    assert fit.relative_residual > 1e-3


def test_bad_inputs():
    with pytest.raises(InputError, match="tau_so"):
        two_channel(1.0, 1.0, 0.0, 1.0, 1.0)
    with pytest.raises(InputError, match="diffusivities"):
        fit_two_channel(0.0, 0.0, 0.0, 0.0)
