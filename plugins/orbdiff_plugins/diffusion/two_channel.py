"""The phenomenological two-channel model of spin-orbit interconversion (Supplement Sec. V).

Spin and orbital channels with relaxation times τ_s, τ_o and a coupling time τ_so obey
the moment equations of the linearized Boltzmann equations (Eqs. 27–28):

    (v_s²/3) ∇n_s = −(1/τ_s + 1/τ_so) j_s + (1/τ_so) j_o        (Eq. 29)
    (v_o²/3) ∇n_o = −(1/τ_o + 1/τ_so) j_o + (1/τ_so) j_s        (Eq. 30, corrected)

The printed Eq. 30 has j_s where j_o belongs, and Eqs. 33 and 35 have typos in their
denominators; here the 2×2 system is solved numerically, which reproduces the closed
forms of Eqs. 31–32 (tested) with D⁰_{s,o} = v_{s,o}² τ_{s,o} / 3:

    j_s = −D_s ∇n_s − D_os ∇n_o,    j_o = −D_so ∇n_s − D_o ∇n_o.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

from orbdiff.errors import invalid

__all__ = ["TwoChannelDiffusivities", "TwoChannelFit", "fit_two_channel", "two_channel"]


@dataclass(frozen=True)
class TwoChannelDiffusivities:
    """D_s (spin→spin), D_so (spin gradient → orbital current), D_o, D_os; units of D⁰."""

    spin: float
    spin_to_orbit: float
    orbit: float
    orbit_to_spin: float

    def as_array(self) -> np.ndarray:
        return np.array([self.spin, self.spin_to_orbit, self.orbit, self.orbit_to_spin])


def two_channel(tau_s: float, tau_o: float, tau_so: float, bare_spin: float,
                bare_orbit: float) -> TwoChannelDiffusivities:
    """Solve Eqs. 29–30 for the four diffusivities.

    Parameters
    ----------
    tau_s, tau_o, tau_so : float
        Relaxation and coupling times (any common unit), > 0; ``tau_so`` may be ``inf``.
    bare_spin, bare_orbit : float
        D⁰_s = v_s² τ_s/3 and D⁰_o = v_o² τ_o/3 (any common unit).
    """
    for name, value in (("tau_s", tau_s), ("tau_o", tau_o), ("tau_so", tau_so)):
        if not value > 0:
            raise invalid(name, value, "a time > 0 (tau_so may be inf)")
    coupling = 1.0 / tau_so
    matrix = np.array([[1 / tau_s + coupling, -coupling], [-coupling, 1 / tau_o + coupling]])
    # (v²/3)∇n = D⁰/τ ∇n; the response j = −M⁻¹ diag(D⁰_s/τ_s, D⁰_o/τ_o) ∇n
    drive = np.diag([bare_spin / tau_s, bare_orbit / tau_o])
    response = np.linalg.solve(matrix, drive)
    return TwoChannelDiffusivities(response[0, 0], response[1, 0], response[1, 1],
                                   response[0, 1])


@dataclass(frozen=True)
class TwoChannelFit:
    """Fitted ratios τ_o/τ_s, τ_so/τ_s, bare diffusivities and the fit quality.

    ``relative_residual`` is |model − data| / |data| over the four diffusivities.
    """

    tau_o_over_tau_s: float
    tau_so_over_tau_s: float
    bare_spin: float
    bare_orbit: float
    relative_residual: float
    model: TwoChannelDiffusivities


def fit_two_channel(spin: float, spin_to_orbit: float, orbit: float,
                    orbit_to_spin: float) -> TwoChannelFit:
    """Least-squares fit of the two-channel model to four microscopic diffusivities.

    Use e.g. ``D^{s_x x}_{s_x x}``, ``D^{l_x x}_{s_x x}``, ``D^{l_x x}_{l_x x}``,
    ``D^{s_x x}_{l_x x}`` of a computed tensor. The model has positive coefficients, so a
    negative microscopic orbital diffusivity shows up as a poor fit (large residual).
    """
    data = np.array([spin, spin_to_orbit, orbit, orbit_to_spin], dtype=float)
    if not np.all(np.isfinite(data)) or np.abs(data).max() == 0:
        raise invalid("diffusivities", data.tolist(), "four finite numbers, not all zero")
    scale = np.abs(data).max()

    def residual(log_parameters):
        r_o, r_so, d_s, d_o = np.exp(log_parameters)
        return (two_channel(1.0, r_o, r_so, d_s, d_o).as_array() - data / scale)

    start = np.log([1.0, 1.0, max(abs(spin), 1e-6 * scale) / scale,
                    max(abs(orbit), 1e-6 * scale) / scale])
    solution = least_squares(residual, start, xtol=1e-14, ftol=1e-14, gtol=1e-14)
    r_o, r_so, d_s, d_o = np.exp(solution.x)
    model = two_channel(1.0, r_o, r_so, d_s * scale, d_o * scale)
    quality = float(np.linalg.norm(model.as_array() - data) / np.linalg.norm(data))
    return TwoChannelFit(float(r_o), float(r_so), float(d_s * scale), float(d_o * scale),
                         quality, model)
