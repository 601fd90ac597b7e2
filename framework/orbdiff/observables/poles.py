"""Green's-function traces for many energies: partial fractions in E per k-point.

With constant broadening the band-basis trace

    T[s, i, c, j](E) = Im Σ_{n,m,p} J_cj[p, n] g^R_n S_s[n, m] g^A_m V_i[m, p] g^A_p,

``g^R_n = 1/(E − ε_n + iΓ)``, ``g^A = (g^R)*``, ``J_cj = ½{V_j, O_c}``, is a rational
function of E at each k-point. With ``d_nm = ε_n − ε_m − 2iΓ`` (``|d_nm| ≥ 2Γ``)

    g^R_n g^A_m = (g^R_n − g^A_m)/d_nm,
    g^R_n g^A_m g^A_p = (g^R_n − g^A_p)/(d_nm d_np) − g^A_m g^A_p / d_nm,

and ``g^A_m g^A_p = (g^A_m − g^A_p)/(ε_m − ε_p)`` for separated bands, so that

    T(E) = Im[Σ_m b_m g^A_m(E) + Σ_m Σ_r e_{m,r} g_{c(m)}(E)^{r+2}]

(``Im(α g^R) = −Im(α* g^A)`` folds the g^R poles onto the g^A ones). The
coefficients cost O(N³) matrix products once per k-point; each energy then costs
O(N) per component, evaluated for all energies, k-points and components as one real
matrix product (``energies × basis``)·(``basis × components``).

Clusters and error analysis
---------------------------
Bands whose consecutive gaps are at most ``τ = CLUSTER·Γ`` form a cluster c with
centre ε̄_c (the mean); ``δ_m = ε_m − ε̄_c`` and ``ρ = max |δ_m|``. Pairs (m, p) in
different clusters use the divided difference: the two simple poles carry
coefficients of size ``|D|/|ε_m − ε_p|`` that cancel to a term of size ``|D|/Γ²``;
with the rounding ``ε_mach|g| ≤ ε_mach/Γ`` of each pole, the relative error is
``ε_mach Γ/|ε_m − ε_p| ≤ ε_mach/CLUSTER ≈ 1.1·10⁻¹³``. Pairs in one cluster use the
expansion about its centre, ``g = 1/(E − ε̄_c − iΓ)``,

    g^A_m g^A_p = Σ_r h_r(δ_m, δ_p) g^{r+2},   h_r(x, y) = Σ_{a=0}^{r} x^a y^{r−a},

which has no cancellation; since ``|g| ≤ 1/Γ`` at every E, truncating after ``r = K``
leaves a relative error ``≤ (K+2)(ρ/Γ)^{K+1}/(1 − ρ/Γ)``, and K is chosen per block of
k-points as the least order with this below :data:`TAYLOR_TOLERANCE` (K = 0, a plain
double pole, for exact degeneracies such as Kramers pairs; K ≈ 4 for a pair just
below τ; a chain of n close bands has ``ρ ≤ (n−1)τ/2``, so K stays finite). Both
errors are thus ≤ 2·10⁻¹³ relative to the size of the individual terms, whatever E
(including E at a band energy) and whatever the spacing of the bands.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["CLUSTER", "TAYLOR_TOLERANCE", "im_green_traces_poles", "pair_traces_poles",
           "taylor_order"]

#: Bands closer than CLUSTER·Γ are one cluster (a multiple pole with a Taylor series).
CLUSTER = 1e-3
#: Bound on the relative truncation error of the Taylor series of a cluster.
TAYLOR_TOLERANCE = 1e-13
#: Working memory of the coefficients of one sub-block of k-points, in bytes.
SUB_BLOCK_BYTES = 16 * 2**20


def _sub_block(n: int, n_s: int, n_c: int, n_energies: int) -> int:
    """k-points whose coefficients and basis fit in :data:`SUB_BLOCK_BYTES`."""
    per_k = 16 * n * (n * (18 * n_c + 12 * n_s + 12) + 4 * n_energies)
    return int(max(1, min(4096, SUB_BLOCK_BYTES // per_k)))


def _advanced(energies: np.ndarray, poles: np.ndarray, gamma: float) -> np.ndarray:
    """g^A = 1/(E − ε − iΓ), (n_E, n_poles) for energies E and poles ε in eV; eV⁻¹."""
    x = energies[:, None] - poles.reshape(1, -1)
    scale = 1.0 / (x * x + gamma * gamma)
    g = np.empty(x.shape, dtype=complex)
    g.real = x * scale
    g.imag = gamma * scale
    return g


def _powers(g: np.ndarray, lowest: int, highest: int) -> list[np.ndarray]:
    """[g^lowest, …, g^highest] by repeated products (lowest ≥ 1)."""
    power = g
    for _ in range(lowest - 1):
        power = power * g
    out = [power]
    for _ in range(highest - lowest):
        out.append(out[-1] * g)
    return out


def _currents(velocities: np.ndarray, currents: np.ndarray) -> np.ndarray:
    """J[k, c, j] = ½{V_j, O_c} = ½(X + X†) with X = V_j O_c, shape (n_k, n_c, 3, N, N)."""
    n_k, _, n, _ = velocities.shape
    stacked = velocities.reshape(n_k, 3 * n, n)
    x = np.stack([(stacked @ currents[:, c]).reshape(n_k, 3, n, n)
                  for c in range(currents.shape[1])], axis=1)
    return 0.5 * (x + np.conj(np.swapaxes(x, -1, -2)))


def _clusters(eps: np.ndarray, gamma: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Same-cluster mask (n_k, N, N), cluster centre of each band (n_k, N), offsets δ."""
    start = np.ones(eps.shape, dtype=bool)
    start[:, 1:] = np.diff(eps, axis=1) > CLUSTER * gamma  # eigh: ascending
    label = np.cumsum(start, axis=1)
    same = label[:, :, None] == label[:, None, :]
    centre = (same @ eps[:, :, None])[:, :, 0] / same.sum(axis=2)
    return same, centre, eps - centre


def taylor_order(radius: float, gamma: float) -> int:
    """Least K with (K+2)(ρ/Γ)^(K+1)/(1 − ρ/Γ) ≤ TAYLOR_TOLERANCE (ρ, Γ in eV)."""
    ratio = radius / gamma
    if ratio >= 0.5:  # only a chain of > 1000 bands each closer than CLUSTER·Γ
        raise ValueError(f"cluster radius {radius} eV too wide for Γ = {gamma} eV; "
                         f"accepted: below Γ/2")
    order = 0
    while (order + 2) * ratio ** (order + 1) / (1 - ratio) > TAYLOR_TOLERANCE:
        order += 1
    return order


def _coefficients(eps, velocities, sources, currents, gamma):
    """Simple-pole b (n_k, N, n_s·3, n_c·3) and cluster e (n_k, N, K+1, ...) coefficients."""
    n_k, n = eps.shape
    n_s, n_c = sources.shape[1], currents.shape[1]
    big = 3 * n_c
    inv_d = 1.0 / (eps[:, :, None] - eps[:, None, :] - 2j * gamma)  # 1/d_nm
    scaled_sources = sources * inv_d[:, None]  # Sd[n, m] = S[n, m]/d_nm
    stacked_sources = scaled_sources.reshape(n_k, n_s * n, n)
    current = _currents(velocities, currents).reshape(n_k, big, n, n)
    same, centre, delta = _clusters(eps, gamma)
    differences = eps[:, :, None] - eps[:, None, :]
    inverse_gap = np.where(same, 0.0, 1.0 / np.where(same, 1.0, differences))  # Q[m, p]
    gapped_velocities = velocities * inverse_gap[:, None]  # VQ_i[m, p]
    w = np.stack([stacked_sources @ velocities[:, i] for i in range(3)], axis=2)
    y = np.stack([stacked_sources @ gapped_velocities[:, i] for i in range(3)], axis=2)
    w = w.reshape(n_k, n_s, n, 3, n).transpose(0, 1, 3, 2, 4).reshape(n_k, 3 * n_s, n, n)
    y = y.reshape(n_k, n_s, n, 3, n).transpose(0, 1, 3, 2, 4).reshape(n_k, 3 * n_s, n, n)
    scaled_current = np.swapaxes(current, -1, -2) * inv_d[:, None]  # Jd[n, p] = J[p, n]/d_np
    # α_n = Σ_p Jd[n, p] W[n, p] (rows) and α'_p = Σ_n Jd[n, p] W[n, p] (columns)
    alpha = w.transpose(0, 2, 1, 3) @ scaled_current.transpose(0, 2, 3, 1)
    alpha_t = w.transpose(0, 3, 1, 2) @ scaled_current.transpose(0, 3, 2, 1)
    # γ_m = Σ_p Q[m, p](D[m, p] + D[p, m]), D[m, p] = V_i[m, p] Σ_n J[p, n] Sd[n, m]:
    # first part Σ_n Sd[n, m] ((VQ_i J)[m, n]), second −Σ_n J[m, n] (Sd VQ_i)[n, m]
    flat_current = current.transpose(0, 2, 1, 3).reshape(n_k, n, big * n)  # [p, (cj, n)]
    x = (gapped_velocities.reshape(n_k, 3 * n, n) @ flat_current).reshape(n_k, 3, n, big, n)
    first = (scaled_sources.transpose(0, 3, 1, 2)
             @ x.transpose(0, 2, 4, 1, 3).reshape(n_k, n, n, 3 * big))
    first = first.reshape(n_k, n, 3 * n_s, big)  # (s, i) → s·3 + i
    second = y.transpose(0, 3, 1, 2) @ current.transpose(0, 2, 3, 1)
    simple = -np.conj(alpha) - alpha_t - first + second
    owner, leader, terms = _cluster_terms(scaled_sources, velocities, current, same, delta,
                                          gamma)
    return simple, centre[owner, leader], owner, terms


def _cluster_terms(scaled_sources, velocities, current, same, delta, gamma):
    """Per cluster (in k-block order) e_r = −Σ_{m,p in it} D[m, p] h_r(δ_m, δ_p).

    Returns the k-point and first band of each cluster, (n_cl,) ints each, and the
    coefficients, (n_cl, K+1, 3 n_s, 3 n_c) complex.
    """
    order = taylor_order(float(np.abs(delta).max(initial=0.0)), gamma)
    first = np.ones(delta.shape, dtype=bool)
    first[:, 1:] = ~same[:, np.arange(1, delta.shape[1]), np.arange(delta.shape[1] - 1)]
    index = np.cumsum(first).reshape(delta.shape) - 1  # cluster of each (k, band)
    size = same.sum(axis=2)
    owner, leader = np.nonzero(first)
    terms = np.zeros((len(owner), order + 1, 3 * scaled_sources.shape[1], current.shape[1]),
                     dtype=complex)
    _accumulate_clusters(scaled_sources, velocities, current, index, leader[index], size,
                         delta, terms)
    return owner, leader, terms


@numba.njit(cache=True, nogil=True)
def _accumulate_clusters(scaled_sources, velocities, current, index, leader, size, delta,
                         terms):
    """terms[c, r, 3s + i, cj] −= Σ_{m,p ∈ c} V_i[m, p] (J_cj Sd_s)[p, m] h_r(δ_m, δ_p)."""
    n_k, n_s, n = scaled_sources.shape[0], scaled_sources.shape[1], scaled_sources.shape[2]
    big, n_r = current.shape[1], terms.shape[1]
    product = np.empty((big, n_s), dtype=np.complex128)
    h = np.empty(n_r)
    for k in range(n_k):
        for m in range(n):
            c = index[k, m]
            for p in range(leader[k, m], leader[k, m] + size[k, m]):
                for r in range(n_r):  # h_r(x, y) = Σ_a x^a y^(r−a)
                    h[r] = 0.0
                    for a in range(r + 1):
                        h[r] += delta[k, m] ** a * delta[k, p] ** (r - a)
                product[:] = 0.0
                for s in range(n_s):
                    for q in range(n):
                        left = scaled_sources[k, s, q, m]
                        for b in range(big):
                            product[b, s] += current[k, b, p, q] * left
                for s in range(n_s):
                    for i in range(3):
                        vel = velocities[k, i, m, p]
                        for b in range(big):
                            value = vel * product[b, s]
                            for r in range(n_r):
                                terms[c, r, 3 * s + i, b] -= h[r] * value


def im_green_traces_poles(
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
    :func:`orbdiff.observables.products.im_green_traces_products`: ``eps`` (n_k, N) in
    eV, ``velocities`` (n_k, 3, N, N) in eV·Å, ``sources`` (n_k, n_s, N, N) and
    ``currents`` (n_k, n_c, N, N) dimensionless, ``weights`` (n_k,), ``energies``
    (n_E,) and ``gamma`` in eV; returns (n_E, n_s, 3, n_c, 3) in Å²/eV.
    """
    eps = np.asarray(eps, dtype=float)
    energies = np.asarray(energies, dtype=float)
    weights = np.asarray(weights, dtype=float)
    n_s, n_c = sources.shape[1], currents.shape[1]
    out = np.zeros((len(energies), 9 * n_s * n_c))
    size = _sub_block(eps.shape[1], n_s, n_c, len(energies))
    for start in range(0, eps.shape[0], size):
        part = slice(start, start + size)
        poles = _coefficients(eps[part], np.asarray(velocities[part], dtype=complex),
                              np.asarray(sources[part], dtype=complex),
                              np.asarray(currents[part], dtype=complex), gamma)
        out += _evaluate(eps[part], poles, weights[part], energies, gamma)
    return out.reshape(len(energies), n_s, 3, n_c, 3)


def _evaluate(eps, poles, weights, energies, gamma):
    """Σ_k w_k Im[Σ_m b_m g^A_m + Σ_{c,r} e_{c,r} g_c^{r+2}] as one real product.

    ``poles`` = (b, cluster centres in eV, their k-point, e) from :func:`_coefficients`.
    """
    simple, centres, owner, terms = poles
    n_k, n = eps.shape
    powers = np.stack(_powers(_advanced(energies, centres, gamma), 2, terms.shape[1] + 1),
                      axis=2)  # (E, n_cl, K+1)
    basis = np.concatenate([_advanced(energies, eps, gamma),  # (E, k·N)
                            powers.reshape(len(energies), -1)], axis=1)
    simple = simple * weights[:, None, None, None]
    terms = terms * weights[owner, None, None, None]
    coefficients = np.concatenate([simple.reshape(n_k * n, -1),
                                   terms.reshape(-1, simple.shape[2] * simple.shape[3])])
    return basis.real @ coefficients.imag + basis.imag @ coefficients.real


def pair_traces_poles(eps: np.ndarray, retarded: np.ndarray, advanced: np.ndarray,
                      weights: np.ndarray, energies: np.ndarray, gamma: float) -> np.ndarray:
    """``Σ_k w_k Σ_{n,p} (F[n, p] g^R_n g^A_p + H[n, p] g^A_n g^A_p)`` for all energies.

    The two-Green's-function sums (charge and Kubo traces) by the same partial
    fractions and clusters as :func:`im_green_traces_poles`, O(N²) per k-point once
    and O(N) per energy and component.

    Parameters
    ----------
    eps : (n_k, N) ndarray of float
        Band energies in eV, ascending.
    retarded, advanced : (n_k, n_q, N, N) ndarray of complex
        F and H, any unit u.
    weights : (n_k,) ndarray of float
    energies : (n_E,) ndarray of float
        eV.
    gamma : float
        Broadening Γ in eV.

    Returns
    -------
    (n_E, n_q) ndarray of complex
        In u/eV².
    """
    out = np.zeros((len(energies), retarded.shape[1]), dtype=complex)
    size = _sub_block(eps.shape[1], 0, 1, len(energies))
    for start in range(0, eps.shape[0], size):
        part = slice(start, start + size)
        out += _pair_block(eps[part], retarded[part], advanced[part], weights[part], energies,
                           gamma)
    return out


def _pair_block(eps, retarded, advanced, weights, energies, gamma):
    """:func:`pair_traces_poles` for one block of k-points."""
    same, centre, delta = _clusters(eps, gamma)
    inv_d = 1.0 / (eps[:, :, None] - eps[:, None, :] - 2j * gamma)  # 1/d_np
    scaled = retarded * inv_d[:, None]  # g^R_n g^A_p = (g^R_n − g^A_p)/d_np
    differences = eps[:, :, None] - eps[:, None, :]
    inverse_gap = np.where(same, 0.0, 1.0 / np.where(same, 1.0, differences))
    symmetric = advanced + np.swapaxes(advanced, -1, -2)
    on_advanced = -scaled.sum(axis=2) + (symmetric * inverse_gap[:, None]).sum(axis=3)
    order = taylor_order(float(np.abs(delta).max(initial=0.0)), gamma)
    inside = advanced * same[:, None]  # band m's slot: Σ_{p in its cluster} H[m, p] h_r
    slots = [(inside * sum(delta[:, None, :, None] ** a * delta[:, None, None, :] ** (r - a)
                           for a in range(r + 1))).sum(axis=3) for r in range(order + 1)]
    coefficients = np.concatenate([scaled.sum(axis=3), on_advanced, *slots], axis=2)
    coefficients = coefficients * weights[:, None, None]  # (k, q, (K+3)·N)
    n_e, shape = len(energies), (len(energies), *eps.shape)
    g_a = _advanced(energies, eps, gamma).reshape(shape)  # (E, k, N)
    powers = _powers(_advanced(energies, centre, gamma).reshape(shape), 2, order + 2)
    basis = np.concatenate([np.conj(g_a), g_a, *powers], axis=2)
    return basis.reshape(n_e, -1) @ np.swapaxes(coefficients, 1, 2).reshape(
        -1, coefficients.shape[1])
