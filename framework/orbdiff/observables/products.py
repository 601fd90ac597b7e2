"""Green's-function traces for few energies: per-energy products shaped for BLAS.

For a block of k-points and each energy E it evaluates, in the band basis,

    T[s, i, c, j] = Im Tr[J_cj G^R S_s G^A V_i G^A],   J_cj = ½{V_j, O_c},

as three stages of stacked matrix products (numpy ``matmul``, i.e. BLAS per k-point):

1. currents, once per block: ``X_c = [iV_1; iV_2; iV_3] · O_c`` ((3N×N)(N×N) per
   k-point and current operator) and ``iJ = ½(X − X†)`` (for Hermitian V and O,
   ``{V, O} = VO + (VO)†``);
2. per energy: ``Y_i = [g^R S_1; …; g^R S_n] · (w g^A V_i g^A)`` ((n_s N×N)(N×N) per
   k-point and direction), i.e. all ``g^R S_s g^A V_i g^A`` at once, with the
   k-point weight ``w`` folded into the diagonal ``g^A`` on the left;
3. the traces of all (s, i) with all (c, j) as one real (3 n_s × 2N²)(2N² × 3 n_c)
   product per k-point.

The k-points are taken :data:`SUB_BLOCK` at a time so that the intermediates of one
sub-block (≈ 40 complex N×N matrices per k-point) stay in the core's cache; measured on
Ta (N = 18) this halves the time of blocks of a few hundred k-points.

The cost per k-point is ``3 n_c N³`` once plus ``3 n_s N³ + 9 n_s n_c N²`` per energy,
without the energy-independent intermediates of the energy-innermost kernel
(:mod:`orbdiff.observables.compiled`) and of the partial fractions
(:mod:`orbdiff.observables.poles`); it wins for a few energies.
"""

from __future__ import annotations

import numpy as np

__all__ = ["SUB_BLOCK", "im_green_traces_products"]

#: k-points evaluated together inside a block: cache-sized for N ≈ 18 (Ta at one energy,
#: CPU per k-point: 8 → 87 µs, 16 → 85, 32 → 106, 64 → 118; a whole block of 1024: 168).
SUB_BLOCK = 16


def _weighted_currents(velocities: np.ndarray, currents: np.ndarray) -> np.ndarray:
    """``A[k, c, j, n, p] = 2i J_cj[n, p]``, real view (n_k, 3 n_c, 2N²).

    With this factor, ``Σ Re(A) Re(Y) + Im(A) Im(Y) = 2 Im Σ J[p, n] Y[n, p]`` (J is
    Hermitian, so ``Re(conj(iJ[n, p]) Y[n, p]) = Im(J[p, n] Y[n, p])``).
    """
    n_k, _, n, _ = velocities.shape
    n_c = currents.shape[1]
    stacked = 1j * velocities.reshape(n_k, 3 * n, n)
    x = np.empty((n_k, n_c, 3, n, n), dtype=complex)
    for c in range(n_c):  # X_cj[p, q] = i (V_j O_c)[p, q]
        np.matmul(stacked, currents[:, c], out=x[:, c].reshape(n_k, 3 * n, n))
    left = np.empty_like(x)  # 2iJ = X − X† with X = iVO
    np.conjugate(np.swapaxes(x, -1, -2), out=left)
    np.subtract(x, left, out=left)
    return left.view(float).reshape(n_k, 3 * n_c, 2 * n * n)


def _block_traces(eps: np.ndarray, velocities: np.ndarray, sources: np.ndarray,
                  currents: np.ndarray, weights: np.ndarray, energies: np.ndarray,
                  gamma: float) -> np.ndarray:
    """:func:`im_green_traces_products` of one sub-block, (n_E, n_s, 3, n_c, 3)."""
    n_k, n = eps.shape
    n_s, n_c = sources.shape[1], currents.shape[1]
    left = np.swapaxes(_weighted_currents(velocities, currents), 1, 2)
    half_weights = 0.5 * weights[:, None]  # the ½ of A = 2iJ
    y = np.empty((n_k, 3, n_s, n, n), dtype=complex)
    out = np.empty((len(energies), n_s, 3, n_c, 3))
    for e, energy in enumerate(energies):
        g_r = 1.0 / (energy - eps + 1j * gamma)  # (k, N)
        g_a = np.conj(g_r)
        scaled_sources = (g_r[:, None, :, None] * sources).reshape(n_k, n_s * n, n)
        scaled_velocities = (half_weights * g_a)[:, None, :, None] * velocities
        scaled_velocities *= g_a[:, None, None, :]
        for i in range(3):  # Y[k, i, s] = g^R S_s (w/2) g^A V_i g^A
            np.matmul(scaled_sources, scaled_velocities[:, i],
                      out=y[:, i].reshape(n_k, n_s * n, n))
        right = y.view(float).reshape(n_k, 3 * n_s, 2 * n * n)
        traces = (right @ left).sum(axis=0)  # [(i, s), (c, j)]
        out[e] = traces.reshape(3, n_s, n_c, 3).transpose(1, 0, 2, 3)
    return out


def im_green_traces_products(
    eps: np.ndarray,
    velocities: np.ndarray,
    sources: np.ndarray,
    currents: np.ndarray,
    weights: np.ndarray,
    energies: np.ndarray,
    gamma: float,
) -> np.ndarray:
    """Weighted sum over k of ``Im Tr[½{ħv_j, O_c} G^R S_s G^A ħv_i G^A]``.

    Same arguments, result and units as
    :func:`orbdiff.observables.compiled.im_green_traces`: ``eps`` (n_k, N) in eV,
    ``velocities`` (n_k, 3, N, N) in eV·Å, ``sources`` (n_k, n_s, N, N) and ``currents``
    (n_k, n_c, N, N) dimensionless, ``weights`` (n_k,), ``energies`` (n_E,) and
    ``gamma`` in eV; returns (n_E, n_s, 3, n_c, 3) in Å²/eV.
    """
    eps = np.asarray(eps, dtype=float)
    velocities = np.ascontiguousarray(velocities, dtype=complex)
    sources = np.ascontiguousarray(sources, dtype=complex)
    currents = np.ascontiguousarray(currents, dtype=complex)
    weights = np.asarray(weights, dtype=float)
    energies = np.asarray(energies, dtype=float)
    out = np.zeros((len(energies), sources.shape[1], 3, currents.shape[1], 3))
    for start in range(0, len(eps), SUB_BLOCK):
        part = slice(start, start + SUB_BLOCK)
        out += _block_traces(eps[part], velocities[part], sources[part], currents[part],
                             weights[part], energies, gamma)
    return out
