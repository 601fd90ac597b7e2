"""Green's-function traces in the band basis, summed over a block of k-points.

With constant broadening the Green's functions are diagonal in the band basis,
``g^R_n(E) = 1/(E − ε_n + iΓ)`` and ``g^A = (g^R)*``, so every trace below is a
contraction of band-basis matrices with these diagonals, for all energies at once.
The three-Green's-function traces are evaluated by per-energy matrix products for
few energies and by partial fractions in E (:mod:`orbdiff.observables.poles`) for
many; the crossover is measured in ``benchmarks/run.py``, case K.
"""

from __future__ import annotations

import numpy as np

from .bands import BandData
from .products import im_green_traces_products

__all__ = ["FEW_ENERGIES", "ORBITAL_ENERGIES", "charge_traces", "density_of_states",
           "few_energies", "green_traces", "kubo_traces", "orbital_energies",
           "spectral_diagonal"]

#: Up to this many energies the per-energy BLAS products are used, beyond it the
#: partial-fraction (pole) evaluation: the crossover measured in benchmarks/run.py,
#: case K, for Ta (N = 18, idle machine: products 725 µs, poles 800 µs per k-point at
#: 16 energies; 1115 and 804 at 24) ...
FEW_ENERGIES = 16
#: ... and for small models (N ≤ SMALL_MODEL, toy N = 6: products 130 µs, poles 167 at
#: 24 energies; 168 and 130 at 32), where
#: the pole coefficients cost numpy overhead rather than N³ products.
FEW_ENERGIES_SMALL = 24
SMALL_MODEL = 8

#: Up to this many (energy, Γ) pairs the traces are evaluated in the orbital basis
#: without eigenvectors (:mod:`orbdiff.observables.orbital`), beyond it the
#: diagonalization pays for itself: benchmarks/run.py, case K-basis, whole block per
#: k-point on one thread, Ta (N = 18): orbital 67, 123, 191, 273, 364 µs against band
#: 178, 195, 259, 309, 408 at 1, 2, 3, 4 and 6 energies (at 6 another run tied, 443
#: against 443; table in docs/performance.md) ...
ORBITAL_ENERGIES = 4
#: ... and small models (N ≤ SMALL_MODEL; toy N = 6: 12 against 25 µs at one energy;
#: 21 against 26 at two, a margin kept out of the rule, docs/performance.md).
ORBITAL_ENERGIES_SMALL = 1

#: Above this many energies the charge traces use partial fractions too (the Kubo
#: trace stays with the per-energy products: measured faster at 201 energies).
FEW_PAIR_ENERGIES = 12


def orbital_energies(n_states: int) -> int:
    """Most (energy, Γ) pairs for which the orbital basis beats the band basis, at N states."""
    return ORBITAL_ENERGIES_SMALL if n_states <= SMALL_MODEL else ORBITAL_ENERGIES


def few_energies(n_states: int) -> int:
    """Most energies for which the per-energy products beat the poles, at N states."""
    return FEW_ENERGIES_SMALL if n_states <= SMALL_MODEL else FEW_ENERGIES


def _trace_kernel(n_energies: int, n_states: int):
    """The evaluation of the three-Green's-function trace for this many energies."""
    if n_energies <= few_energies(n_states):
        return im_green_traces_products
    from .poles import im_green_traces_poles  # imports numba only when needed

    return im_green_traces_poles


def green_traces(
    bands: BandData,
    energies: np.ndarray,
    gamma: float,
    sources: np.ndarray,
    currents: np.ndarray,
) -> np.ndarray:
    """Weighted sum over k of ``Im Tr[½{ħv_j, O_c} G^R S_s G^A ħv_i G^A]`` for all s, i, c, j.

    This is the trace inside the diffusivities of paper Eqs. (8) and (10)–(13)
    (``Re Tr[j Im X] = Im Tr[j X]``). Up to :func:`few_energies` energies it is
    evaluated by per-energy matrix products (:mod:`orbdiff.observables.products`),
    beyond by partial fractions in E (:mod:`orbdiff.observables.poles`).

    Parameters
    ----------
    bands : BandData
    energies : (n_E,) ndarray of float
        Energies E in eV.
    gamma : float
        Broadening Γ in eV.
    sources : (n_k, n_s, N, N) ndarray of complex
        Band-basis source operators S_s (the density whose gradient drives).
    currents : (n_k, n_c, N, N) ndarray of complex
        Band-basis operators O_c carried by the current.

    Returns
    -------
    (n_E, n_s, 3, n_c, 3) ndarray of float
        Indices (E, s, i, c, j), in eV⁻¹·(eV·Å)² = Å² / eV.
    """
    kernel = _trace_kernel(len(energies), bands.energies.shape[1])
    return kernel(bands.energies, bands.velocities, sources, currents, bands.weights,
                  energies, gamma)


def charge_traces(bands: BandData, energies: np.ndarray, gamma: float) -> np.ndarray:
    """Weighted sum over k of ``Im Tr[ħv_j G^R G^A ħv_i G^A]``, shape (n_E, 3 (i), 3 (j)).

    :func:`green_traces` with unit source and current, in O(N²) per k-point and energy:
    ``Im Σ_{n,p} v_j[p, n] v_i[n, p] |g_n|² g^A_p`` (for many energies the pole
    evaluation with unit operators, O(N) per energy). In Å²/eV.
    """
    v = bands.velocities
    n_k, n = bands.energies.shape
    if len(energies) > FEW_PAIR_ENERGIES:
        from .poles import pair_traces_poles

        pair = v[:, :, None] * np.swapaxes(v, -1, -2)[:, None, :]  # v_i[n, p] v_j[p, n]
        pair = pair.reshape(n_k, 9, n, n) / (-2j * gamma)  # g^R_n g^A_n = (g^R_n − g^A_n)/d_nn
        return pair_traces_poles(bands.energies, pair, -pair, bands.weights, energies,
                                 gamma).imag.reshape(-1, 3, 3)
    # v_j[p, n] = conj(v_j[n, p]) and Im(conj(x) y) = Re(conj(x) (−i y)): one real
    # (3 × 2N²)(2N² × 3) product per k-point and energy
    flat = v.view(float).reshape(n_k, 3, 2 * n * n)
    out = np.empty((len(energies), 3, 3))
    for e, energy in enumerate(energies):
        g_a = 1.0 / (energy - bands.energies - 1j * gamma)  # (k, N)
        rows = -1j * np.abs(g_a) ** 2 * bands.weights[:, None]
        scaled = v * (rows[:, None, :, None] * g_a[:, None, None, :])  # (k, i, n, p)
        out[e] = (scaled.view(float).reshape(n_k, 3, -1) @ np.swapaxes(flat, 1, 2)).sum(axis=0)
    return out


def spectral_diagonal(bands: BandData, energies: np.ndarray, gamma: float) -> np.ndarray:
    """(n_k, n_E, N) diagonal of A = (G^A − G^R)/2i = Γ/((E − ε)² + Γ²), in eV⁻¹."""
    return gamma / ((energies[None, :, None] - bands.energies[:, None, :]) ** 2 + gamma**2)


def kubo_traces(bands: BandData, energies: np.ndarray, gamma: float) -> np.ndarray:
    """Weighted sum over k of ``Tr[ħv_j A ħv_i A]``, shape (n_E, 3 (i), 3 (j)), in Å²."""
    a = spectral_diagonal(bands, energies, gamma)  # (k, E, N)
    v = bands.velocities
    n_k, n = a.shape[0], a.shape[2]
    if len(energies) > few_energies(n):
        # Tr[v_j A v_i A] = Σ_nm v_j[n, m] A_m v_i[m, n] A_n: first the sum over m, then n
        pair = np.einsum("kjnm,kimn->kijnm", v, v).real.reshape(n_k, 9 * n, n)
        partial = (pair @ np.swapaxes(a, 1, 2)).reshape(n_k, 9, n, -1)  # (k, ij, n, E)
        return np.einsum("k,kqne,ken->eq", bands.weights, partial, a).reshape(-1, 3, 3)
    # v_i[m, n] = conj(v_i[n, m]): Σ_nm Re(v_j conj v_i)[n, m] A_n A_m, as one real
    # (3 × 2N²)(2N² × 3) product per k-point and energy
    flat = v.view(float).reshape(n_k, 3, n, 2 * n)
    weights = a[:, :, :, None] * np.repeat(a, 2, axis=2)[:, :, None, :]  # (k, E, n, 2m)
    weights *= bands.weights[:, None, None, None]
    scaled = (flat[:, None] * weights[:, :, None]).reshape(n_k, len(energies), 3, -1)
    products = scaled @ flat.reshape(n_k, 1, 3, -1).swapaxes(-1, -2)  # (k, E, j, i)
    return products.sum(axis=0).swapaxes(1, 2)


def density_of_states(bands: BandData, energies: np.ndarray, gamma: float) -> np.ndarray:
    """Weighted sum over k of ``Tr A / π`` (n_E,), in states per eV (both spins)."""
    spectral = spectral_diagonal(bands, energies, gamma).sum(axis=2)
    return bands.weights @ spectral / np.pi
