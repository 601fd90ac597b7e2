"""Green's-function traces for few energies: per-energy products shaped for BLAS.

For a block of k-points and each energy E it evaluates, in the band basis,

    T[s, i, c, j] = Im Tr[J_cj G^R S_s G^A V_i G^A],   J_cj = ½{V_j, O_c},

as three stages of stacked matrix products (numpy ``matmul``, i.e. BLAS per k-point):

1. currents, once per block: ``X_c = [V_1; V_2; V_3] · O_c`` ((3N×N)(N×N) per k-point
   and current operator) and ``J = ½(X + X†)``, because ``{V, O} = VO + (VO)†`` for
   Hermitian V and O;
2. per energy: ``Y_i = [g^R S_1; …; g^R S_n] · (g^A V_i g^A)`` ((n_s N×N)(N×N) per
   k-point and direction), i.e. all ``g^R S_s g^A V_i g^A`` at once;
3. the traces of all (s, i) with all (c, j) as one real (3 n_s × 2N²)(2N² × 3 n_c)
   product per k-point.

The cost per k-point is ``3 n_c N³`` once plus ``3 n_s N³ + 9 n_s n_c N²`` per energy,
without the energy-independent intermediates of the energy-innermost kernel
(:mod:`orbdiff.observables.compiled`); it wins for a few energies.
"""

from __future__ import annotations

import numpy as np

__all__ = ["im_green_traces_products"]


def _weighted_currents(velocities: np.ndarray, currents: np.ndarray,
                       weights: np.ndarray) -> np.ndarray:
    """``A[k, c, j, n, p] = i w_k conj(J_cj[p, n])``, real view (n_k, 3 n_c, 2N²).

    With this factor, ``Σ Re(A) Re(Y) + Im(A) Im(Y) = w_k Im Σ J[p, n] Y[n, p]``.
    """
    n_k, _, n, _ = velocities.shape
    n_c = currents.shape[1]
    stacked = velocities.reshape(n_k, 3 * n, n)
    x = np.empty((n_k, n_c, 3, n, n), dtype=complex)
    for c in range(n_c):  # X_cj[p, q] = (V_j O_c)[p, q]
        np.matmul(stacked, currents[:, c], out=x[:, c].reshape(n_k, 3 * n, n))
    # i·conj(J[p, n]) with J[p, n] = ½(X[p, n] + conj X[n, p])
    left = np.empty_like(x)
    np.conjugate(np.swapaxes(x, -1, -2), out=left)
    left += x
    left *= 0.5j * weights[:, None, None, None, None]
    return left.view(float).reshape(n_k, 3 * n_c, 2 * n * n)


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
    n_k, n = eps.shape
    n_s, n_c = sources.shape[1], currents.shape[1]
    left = _weighted_currents(velocities, currents, np.asarray(weights, dtype=float))
    y = np.empty((n_k, 3, n_s, n, n), dtype=complex)
    out = np.empty((len(energies), n_s, 3, n_c, 3))
    for e, energy in enumerate(np.asarray(energies, dtype=float)):
        g_r = 1.0 / (energy - eps + 1j * gamma)  # (k, N)
        g_a = np.conj(g_r)
        scaled_sources = (g_r[:, None, :, None] * sources).reshape(n_k, n_s * n, n)
        scaled_velocities = g_a[:, None, :, None] * velocities * g_a[:, None, None, :]
        for i in range(3):  # Y[k, i, s] = g^R S_s g^A V_i g^A
            np.matmul(scaled_sources, scaled_velocities[:, i],
                      out=y[:, i].reshape(n_k, n_s * n, n))
        right = y.view(float).reshape(n_k, 3 * n_s, 2 * n * n)
        traces = (right @ np.swapaxes(left, 1, 2)).sum(axis=0)  # [(i, s), (c, j)]
        out[e] = traces.reshape(3, n_s, n_c, 3).transpose(1, 0, 2, 3)
    return out
