"""Green's-function traces in the band basis, summed over a block of k-points.

With constant broadening the Green's functions are diagonal in the band basis,
``g^R_n(E) = 1/(E − ε_n + iΓ)`` and ``g^A = (g^R)*``, so every trace below is a
contraction of band-basis matrices with these diagonals. The energy dimension is
cast into matrix products, so the cost per k-point is that of a few BLAS calls.
"""

from __future__ import annotations

import numpy as np

from .bands import BandData

__all__ = ["density_of_states", "green_traces", "kubo_traces", "retarded_diagonal"]


def retarded_diagonal(bands: BandData, energies: np.ndarray, gamma: float) -> np.ndarray:
    """(n_k, n_E, N) diagonal of G^R in the band basis, in eV⁻¹."""
    return 1.0 / (energies[None, :, None] - bands.energies[:, None, :] + 1j * gamma)


def anticommutator_currents(bands: BandData, currents: np.ndarray) -> np.ndarray:
    """Current operators ``½{ħv_j, O_c}`` (eV·Å), shape (n_k, n_c, 3, N, N).

    ``currents`` (n_k, n_c, N, N) are the band-basis operators O_c.
    """
    v = bands.velocities[:, None]  # (k, 1, 3, N, N)
    o = currents[:, :, None]  # (k, c, 1, N, N)
    return 0.5 * (v @ o + o @ v)


def green_traces(
    bands: BandData,
    energies: np.ndarray,
    gamma: float,
    sources: np.ndarray,
    currents: np.ndarray,
) -> np.ndarray:
    """Weighted sum over k of ``Tr[½{ħv_j, O_c} G^R S_s G^A ħv_i G^A]`` for all s, i, c, j.

    This is the trace inside the diffusivities of paper Eqs. (8) and (10)–(13).

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
    (n_E, n_s, 3, n_c, 3) ndarray of complex
        Indices (E, s, i, c, j), in eV⁻¹·(eV·Å)² = Å² / eV.
    """
    n_k, n_states = bands.energies.shape
    n_s, n_c, n_e = sources.shape[1], currents.shape[1], len(energies)
    g_r = retarded_diagonal(bands, energies, gamma)
    g_a = np.conj(g_r)
    # P[k, m, (s, i, n, p)] = S_s[n, m] ħv_i[m, p]; the middle G^A sums over m.
    products = np.einsum("ksnm,kimp->kmsinp", sources, bands.velocities, optimize=True)
    middle = g_a @ products.reshape(n_k, n_states, -1)
    middle = middle.reshape(n_k, n_e, n_s, 3, n_states, n_states)
    middle *= g_r[:, :, None, None, :, None] * g_a[:, :, None, None, None, :]
    # J[k, (n, p), (c, j)] = ½{ħv_j, O_c}[p, n], so the trace is one matrix product.
    current = anticommutator_currents(bands, currents)
    current = current.transpose(0, 4, 3, 1, 2).reshape(n_k, n_states * n_states, n_c * 3)
    traces = middle.reshape(n_k, n_e * n_s * 3, -1) @ current
    return np.tensordot(bands.weights, traces, axes=1).reshape(n_e, n_s, 3, n_c, 3)


def spectral_diagonal(bands: BandData, energies: np.ndarray, gamma: float) -> np.ndarray:
    """(n_k, n_E, N) diagonal of A = (G^A − G^R)/2i = Γ/((E − ε)² + Γ²), in eV⁻¹."""
    return gamma / ((energies[None, :, None] - bands.energies[:, None, :]) ** 2 + gamma**2)


def kubo_traces(bands: BandData, energies: np.ndarray, gamma: float) -> np.ndarray:
    """Weighted sum over k of ``Tr[ħv_j A ħv_i A]``, shape (n_E, 3 (i), 3 (j)), in Å²."""
    a = spectral_diagonal(bands, energies, gamma)
    v = bands.velocities
    # Tr[v_j A v_i A] = Σ_nm v_j[n, m] A_m v_i[m, n] A_n
    pair = np.einsum("kjnm,kimn->kijnm", v, v)
    return np.einsum("k,ken,kem,kijnm->eij", bands.weights, a, a, pair, optimize=True)


def density_of_states(bands: BandData, energies: np.ndarray, gamma: float) -> np.ndarray:
    """Weighted sum over k of ``Tr A / π`` (n_E,), in states per eV (both spins)."""
    spectral = spectral_diagonal(bands, energies, gamma).sum(axis=2)
    return bands.weights @ spectral / np.pi
