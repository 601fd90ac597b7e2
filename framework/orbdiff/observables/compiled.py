"""Compiled (numba) kernel of the three-Green's-function trace, energy innermost.

For every k-point, energy E, source ``(s, i)`` and current ``(c, j)`` it evaluates

    Im Tr[½{ħv_j, O_c} G^R S_s G^A ħv_i G^A]
        = Im Σ_{n,m,p} J_{pn} g^R_n S_{nm} g^A_m V_{mp} g^A_p

in the band basis, where the Green's functions are diagonal. Per k-point the
E-independent products ``S_{nm} V_{mp}`` and currents ``J`` are formed once; per
energy the cost is ``n_s·3·N³`` for the sum over m and ``n_s·3·n_c·3·N²`` for the
traces, with real and imaginary parts in separate contiguous arrays so that the
inner loops vectorize.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["DEGENERACY", "im_green_traces"]

#: Bands closer than this (eV) are treated as degenerate and share their g^A; the
#: relative error this allows is below DEGENERACY/Γ (10⁻¹⁰ for Γ = 0.1 eV).
DEGENERACY = 1e-11


@numba.njit(cache=True, fastmath=True)
def _currents(velocities, operators):
    """Transposed currents Jt[c, j, n, p] = (½{V_j, O_c})[p, n], real and imaginary parts."""
    n_c, n = operators.shape[0], operators.shape[1]
    real = np.empty((n_c, 3, n, n))
    imag = np.empty((n_c, 3, n, n))
    for c in range(n_c):
        for j in range(3):
            product = velocities[j] @ operators[c]
            reverse = operators[c] @ velocities[j]
            for p in range(n):
                for q in range(n):
                    value = 0.5 * (product[p, q] + reverse[p, q])
                    real[c, j, q, p] = value.real
                    imag[c, j, q, p] = value.imag
    return real, imag


@numba.njit(cache=True)
def _degenerate_groups(eps, tolerance):
    """Group index of each band: bands closer than ``tolerance`` (eV) share one g^A."""
    n = eps.shape[0]
    group = np.empty(n, dtype=np.int64)
    count = 0
    for m in range(n):  # eps is ascending (eigh)
        if m > 0 and eps[m] - eps[m - 1] <= tolerance:
            group[m] = group[m - 1]
        else:
            group[m] = count
            count += 1
    return group, count


@numba.njit(cache=True, fastmath=True)
def _source_products(velocities, sources, group, n_groups):
    """P[s, i, g, n, p] = Σ_{m ∈ g} S_s[n, m] V_i[m, p], real and imaginary parts.

    Degenerate bands have the same g^A_m, so their terms of Σ_m S g^A V are summed
    once here, independently of the energy (Kramers pairs halve the work).
    """
    n_s, n = sources.shape[0], sources.shape[1]
    real = np.zeros((n_s, 3, n_groups, n, n))
    imag = np.zeros((n_s, 3, n_groups, n, n))
    for s in range(n_s):
        for i in range(3):
            for m in range(n):
                g = group[m]
                for a in range(n):
                    left = sources[s, a, m]
                    for p in range(n):
                        value = left * velocities[i, m, p]
                        real[s, i, g, a, p] += value.real
                        imag[s, i, g, a, p] += value.imag
    return real, imag


@numba.njit(cache=True, fastmath=True)
def _one_k(eps, velocities, sources, currents, energies, gamma, out):
    n, n_e = eps.shape[0], energies.shape[0]
    n_s, n_c = sources.shape[0], currents.shape[0]
    j_re, j_im = _currents(velocities, currents)
    group, n_groups = _degenerate_groups(eps, DEGENERACY)
    p_re, p_im = _source_products(velocities, sources, group, n_groups)
    g_re = np.empty((n, n_e))  # g^R_a(E) = 1/(E − ε_a + iΓ); g^A = conj(g^R)
    g_im = np.empty((n, n_e))
    for a in range(n):
        for e in range(n_e):
            x = energies[e] - eps[a]
            norm = x * x + gamma * gamma
            g_re[a, e] = x / norm
            g_im[a, e] = -gamma / norm
    y_re = np.empty((n, n, n_e))
    y_im = np.empty((n, n, n_e))
    total = np.empty(n_e)
    for s in range(n_s):
        for i in range(3):
            y_re[:] = 0.0
            y_im[:] = 0.0
            for m in range(n):  # Y(E) = Σ_groups P[g] g^A_g(E), one band per group
                if m > 0 and group[m] == group[m - 1]:
                    continue
                g = group[m]
                for a in range(n):
                    for p in range(n):
                        pr = p_re[s, i, g, a, p]
                        pi = p_im[s, i, g, a, p]
                        for e in range(n_e):
                            y_re[a, p, e] += pr * g_re[m, e] + pi * g_im[m, e]
                            y_im[a, p, e] += pi * g_re[m, e] - pr * g_im[m, e]
            for a in range(n):  # R = g^R_a Y g^A_p
                for p in range(n):
                    for e in range(n_e):
                        fr = g_re[a, e] * g_re[p, e] + g_im[a, e] * g_im[p, e]
                        fi = g_im[a, e] * g_re[p, e] - g_re[a, e] * g_im[p, e]
                        yr, yi = y_re[a, p, e], y_im[a, p, e]
                        y_re[a, p, e] = yr * fr - yi * fi
                        y_im[a, p, e] = yr * fi + yi * fr
            for c in range(n_c):  # Im Σ_{a,p} J[p, a] R[a, p]
                for j in range(3):
                    total[:] = 0.0
                    for a in range(n):
                        for p in range(n):
                            jr, ji = j_re[c, j, a, p], j_im[c, j, a, p]
                            for e in range(n_e):
                                total[e] += jr * y_im[a, p, e] + ji * y_re[a, p, e]
                    out[:, s, i, c, j] = total


@numba.njit(cache=True, nogil=True)
def _all_k(eps, velocities, sources, currents, energies, gamma, out):
    # serial and without the GIL: the engine runs blocks of k-points in threads
    for k in range(eps.shape[0]):
        _one_k(eps[k], velocities[k], sources[k], currents[k], energies, gamma, out[k])


def im_green_traces(
    eps: np.ndarray,
    velocities: np.ndarray,
    sources: np.ndarray,
    currents: np.ndarray,
    weights: np.ndarray,
    energies: np.ndarray,
    gamma: float,
) -> np.ndarray:
    """Weighted sum over k of ``Im Tr[½{ħv_j, O_c} G^R S_s G^A ħv_i G^A]``.

    Parameters
    ----------
    eps : (n_k, N) ndarray of float
        Band energies in eV.
    velocities : (n_k, 3, N, N) ndarray of complex
        ħv_i in the band basis, eV·Å.
    sources, currents : (n_k, n_s, N, N), (n_k, n_c, N, N) ndarray of complex
        Band-basis source operators S_s and carried operators O_c.
    weights : (n_k,) ndarray of float
    energies : (n_E,) ndarray of float
        eV.
    gamma : float
        Broadening Γ in eV.

    Returns
    -------
    (n_E, n_s, 3, n_c, 3) ndarray of float
        In Å²/eV.
    """
    n_k = eps.shape[0]
    out = np.empty((n_k, len(energies), sources.shape[1], 3, currents.shape[1], 3))
    _all_k(
        np.ascontiguousarray(eps, dtype=float),
        np.ascontiguousarray(velocities, dtype=complex),
        np.ascontiguousarray(sources, dtype=complex),
        np.ascontiguousarray(currents, dtype=complex),
        np.ascontiguousarray(energies, dtype=float),
        float(gamma),
        out,
    )
    return np.tensordot(np.asarray(weights, dtype=float), out, axes=1)
