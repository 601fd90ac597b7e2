"""Band-basis kernels of the Hall conductivities, for all energies at once.

Both formulas (docs/theory.md, "Spin, orbital and anomalous Hall conductivities") are
sums over band pairs of ``P_nm = ⟨n|J|m⟩⟨m|ħv_j|n⟩`` times an energy-dependent weight:

* intrinsic: ``2 Im P_nm · θ(E − ε_n) / ((ε_n − ε_m)² + Γ²)``;
* Kubo–Bastin: ``2 Im[P_nm F_nm(E)]`` with ``F_nm(E) = ∫_{−∞}^{E} dε A_n(ε) g^R_m(ε)²``,
  evaluated in closed form by :func:`bastin_weights`.

The contraction over (n, m) is a batched matrix product (BLAS); only the weights are
evaluated per energy.
"""

from __future__ import annotations

import numpy as np

from orbdiff.observables import BandData

__all__ = [
    "bastin_traces",
    "bastin_weights",
    "current_operators",
    "intrinsic_traces",
    "pair_products",
]

#: Below this |x| the function (log(1 − x) + x)/x² is summed as its Taylor series.
SERIES_RADIUS = 0.2
#: Terms of that series: 0.2^26 / 26 < 10⁻¹⁹.
SERIES_TERMS = 26
#: Bands up to this far (eV) above E count as occupied in the intrinsic formula, so that
#: degenerate partners split by rounding are never separated by a Fermi level that falls
#: exactly on them (their terms cancel only when both are occupied or both empty).
OCCUPATION_TOLERANCE = 1e-9


def current_operators(bands: BandData) -> np.ndarray:
    """Band-basis currents ``J = ½{ħv_i, O}`` for O in ``bands.operators`` and O = 1.

    Returns
    -------
    (n_k, n_ops + 1, 3, N, N) ndarray of complex
        ``[k, c, i]``: the current of operator ``c`` along ``i`` in eV·Å (units of ħv
        times those of O); the last ``c`` is the charge current ħv_i itself.
    """
    v = bands.velocities[:, None]  # (k, 1, i, N, N)
    o = bands.operators[:, :, None]  # (k, c, 1, N, N)
    currents = 0.5 * (v @ o + o @ v)
    return np.concatenate([currents, bands.velocities[:, None]], axis=1)


def pair_products(bands: BandData) -> np.ndarray:
    """``P[k, c, i, j, n, m] = J_{ci, nm} (ħv_j)_{mn}`` in (eV·Å)², shape (n_k, C, 3, 3, N, N).

    ``P_mn = P_nm*`` holds exactly for Hermitian J and ħv; it is imposed on the rounded
    band-basis matrices, so that terms of degenerate pairs cancel exactly (they are
    multiplied by up to 1/Γ²).
    """
    currents = current_operators(bands)
    transposed = np.swapaxes(bands.velocities, -1, -2)  # (k, j, n, m) = V_j[m, n]
    pairs = currents[:, :, :, None] * transposed[:, None, None]
    return 0.5 * (pairs + np.conj(np.swapaxes(pairs, -1, -2)))


def _log_remainder(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(log(1 − x) + x) / x²`` (principal log), stable near x = 0, and ``Im log(1 − x) < 0``.

    Near x = 0 the Taylor series ``−Σ_{p≥2} x^{p−2}/p`` is summed (Horner form); the
    second array tells on which side of the branch cut the logarithm was taken.
    """
    small = np.abs(x) < SERIES_RADIUS
    safe = np.where(small, 0.5, x)
    logarithm = np.log1p(-safe)
    series = np.zeros_like(x)
    xs = np.where(small, x, 0.0)
    for power in range(SERIES_TERMS, 1, -1):
        series = series * xs - 1.0 / power
    value = np.where(small, series, (logarithm + safe) / safe**2)
    below_axis = np.where(small, x.imag > 0, logarithm.imag < 0)
    return value, below_axis


def _pole_integral(e: np.ndarray, pole: np.ndarray, c: np.ndarray, upper: bool) -> np.ndarray:
    """``∫_{−∞}^{E} dε 1/((ε − pole)(ε − c)²)`` with Im c < 0 and ``pole`` ≠ c.

    With ``u = E − c`` and ``x = (pole − c)/u`` the antiderivative is
    ``(log(1 − x) + x)/(x² u²)``; for a pole in the upper half plane the logarithm
    continued from ε = −∞ exceeds the principal one by 2πi when ``Im log(1 − x) < 0``
    (docs/theory.md), deciding the branch on the computed logarithm itself so that the
    cut at E = (ε_n + ε_m)/2 is crossed consistently.
    """
    u = e - c
    d = pole - c
    remainder, below_axis = _log_remainder(d / u)
    value = remainder / u**2
    if upper:
        value = value + np.where(below_axis, 2j * np.pi / d**2, 0.0)
    return value


def bastin_weights(energies: np.ndarray, bands: np.ndarray, gamma: float) -> np.ndarray:
    """``F_nm(E) = ∫_{−∞}^{E} dε A_n(ε) g^R_m(ε)²`` for all E, n, m, in eV⁻².

    ``A_n = Γ/(π((ε − ε_n)² + Γ²))`` and ``g^R_m = 1/(ε − ε_m + iΓ)``; degenerate pairs
    (ε_n = ε_m) are included without special cases.

    Parameters
    ----------
    energies : (n_E,) ndarray of float
        Upper limits E of the Fermi sea, eV.
    bands : (n_k, N) ndarray of float
        Band energies ε_n, eV.
    gamma : float
        Broadening Γ, eV.

    Returns
    -------
    (n_k, n_E, N, N) ndarray of complex
        Indexed ``[k, E, n, m]``.
    """
    e = np.asarray(energies, float)[None, :, None, None]
    n_band = bands[:, None, :, None]
    m_pole = bands[:, None, None, :] - 1j * gamma
    # A_n = (1/2πi)[1/(ε − ε_n − iΓ) − 1/(ε − ε_n + iΓ)]
    above = _pole_integral(e, n_band + 1j * gamma, m_pole, upper=True)
    below = _pole_integral(e, n_band - 1j * gamma, m_pole, upper=False)
    return (above - below) / (2j * np.pi)


def bastin_traces(bands: BandData, energies: np.ndarray, gamma: float) -> np.ndarray:
    """Weighted k-sum of ``Σ_nm 2 Im[P_nm F_nm(E)]`` = ``Re i∫ Tr[...]`` of the Bastin formula.

    Returns
    -------
    (n_E, C, 3, 3) ndarray of float
        ``[E, c, i, j]`` in Å² (eV²Å² · eV⁻²), summed with the k-point weights.
    """
    pairs = pair_products(bands)
    n_k, n_c = pairs.shape[:2]
    flat = pairs.reshape(n_k, n_c * 9, -1)
    weights = bastin_weights(energies, bands.energies, gamma).reshape(n_k, len(energies), -1)
    # Im[P F] = Re P Im F + Im P Re F, as one real matrix product per k-point
    left = np.concatenate([flat.real, flat.imag], axis=2)
    right = np.concatenate([weights.imag, weights.real], axis=2)
    per_k = left @ np.swapaxes(right, 1, 2)  # (k, c·i·j, E)
    total = 2.0 * np.tensordot(bands.weights, per_k, axes=(0, 0))
    return total.T.reshape(len(energies), n_c, 3, 3)


def intrinsic_traces(bands: BandData, energies: np.ndarray, gamma: float) -> np.ndarray:
    """Weighted k-sum of ``Σ_n θ(E − ε_n) Σ_m 2 Im P_nm / ((ε_n − ε_m)² + Γ²)``.

    Returns
    -------
    (n_E, C, 3, 3) ndarray of float
        ``[E, c, i, j]`` in Å², summed with the k-point weights.
    """
    pairs = pair_products(bands)
    n_k, n_c = pairs.shape[:2]
    gap = bands.energies[:, :, None] - bands.energies[:, None, :]
    lorentz = 2.0 / (gap**2 + gamma**2)  # (k, n, m)
    occupied = (np.asarray(energies, float)[None, :, None] + OCCUPATION_TOLERANCE
                >= bands.energies[:, None, :])  # (k, E, n)
    # Im P is antisymmetric in (n, m): only occupied n with empty m contribute, and
    # keeping just those pairs makes the cancellation of the others exact
    weights = (occupied[:, :, :, None] & ~occupied[:, :, None, :]) * lorentz[:, None]
    flat = pairs.reshape(n_k, n_c * 9, -1).imag
    per_k = flat @ np.swapaxes(weights.reshape(n_k, len(energies), -1), 1, 2)  # (k, c·i·j, E)
    total = np.tensordot(bands.weights, per_k, axes=(0, 0))
    return total.T.reshape(len(energies), n_c, 3, 3)
