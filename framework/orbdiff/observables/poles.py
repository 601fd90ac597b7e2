"""Green's-function traces for many energies: partial fractions in E per k-point.

With constant broadening the band-basis trace

    T[s, i, c, j](E) = Im Σ_{n,m,p} J_cj[p, n] g^R_n S_s[n, m] g^A_m V_i[m, p] g^A_p,

``g^R_n = 1/(E − ε_n + iΓ)``, ``g^A = (g^R)*``, ``J_cj = ½{V_j, O_c}``, is a rational
function of E at each k-point. With ``d_nm = ε_n − ε_m − 2iΓ`` (``|d_nm| ≥ 2Γ``)

    g^R_n g^A_m = (g^R_n − g^A_m)/d_nm,
    g^R_n g^A_m g^A_p = (g^R_n − g^A_p)/(d_nm d_np) − g^A_m g^A_p / d_nm,

and ``g^A_m g^A_p = (g^A_m − g^A_p)/(ε_m − ε_p)`` for separated bands, so that

    T(E) = Im[Σ_m b_m g^A_m(E) + Σ_c Σ_r e_{c,r} g_c(E)^{r+2}]

(``Im(α g^R) = −Im(α* g^A)`` folds the g^R poles onto the g^A ones). The
coefficients cost O(N³) matrix products once per k-point; each energy then costs
O(N) per component, evaluated for all energies, k-points and components as one real
matrix product (``energies × basis``)·(``basis × components``).

Clusters and error analysis
---------------------------
Bands whose consecutive gaps are at most ``τ = CLUSTER·Γ`` form a cluster c with
centre ε̄_c (the mean); ``δ_m = ε_m − ε̄_c`` and ``ρ_c = max |δ_m|``.

*Separated pairs* (m, p in different clusters) use the divided difference: the two
simple poles carry coefficients ``±D/(ε_m − ε_p)`` that cancel to a term of size
``|D|/Γ²``; with the rounding ``ε_mach|g| ≤ ε_mach/Γ`` of each pole the relative error
is ``≈ ε_mach Γ/|ε_m − ε_p| ≤ ε_mach/CLUSTER``. Measured (tests/observables/
test_poles.py, random Hermitian operators, N = 9) just above τ it is 5·10⁻¹² for
CLUSTER = 10⁻³ (the traces cancel more than the estimate assumes) and 1.6·10⁻¹³ for
CLUSTER = 0.02, the value used.

*Close pairs* (one cluster, including m = p) use the expansion about the centre,
``g = 1/(E − ε̄_c − iΓ)``,

    g^A_m g^A_p = Σ_r h_r(δ_m, δ_p) g^{r+2},   h_r(x, y) = Σ_{a=0}^{r} x^a y^{r−a},

which has no cancellation; since ``|g| ≤ 1/Γ`` at every E (also at a band energy) and
``|h_r| ≤ (r+1)ρ^r``, truncating after ``r = K`` leaves a relative error
``≤ (K+2)(ρ/Γ)^{K+1}/(1 − ρ/Γ)``. Each cluster gets the least K with this below
:data:`TAYLOR_TOLERANCE` = 10⁻¹³: K = 0 (a plain double pole) for exact degeneracies
such as Kramers pairs (ρ ~ 10⁻¹⁵ eV), K = 6 for a pair just below τ, K = 8 for a chain
of three bands each 0.9τ apart. A chain of n close bands has ``ρ ≤ (n−1)τ/2``; a
cluster with ρ ≥ Γ/4 (n ≳ 25 bands, each closer than τ to the next) is not expanded:
its block of k-points falls back to the per-energy products.

Both errors are thus ≲ 2·10⁻¹³ relative to the size of the traces, measured ≤ 1.6·10⁻¹³
(pairs split by 0, 10⁻⁹, 10⁻⁶, 10⁻⁴, 0.9τ, 1.1τ and 0.05 Γ, E on and between the
bands).
"""

from __future__ import annotations

import numba
import numpy as np

from .products import im_green_traces_products

__all__ = ["CLUSTER", "TAYLOR_TOLERANCE", "im_green_traces_poles", "pair_traces_poles",
           "taylor_order"]

#: Bands closer than CLUSTER·Γ are one cluster (a multiple pole with a Taylor series).
CLUSTER = 2e-2
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
    """Least K with (K+2)(ρ/Γ)^(K+1)/(1 − ρ/Γ) ≤ TAYLOR_TOLERANCE (ρ, Γ in eV).

    Raises ValueError for ρ ≥ Γ/4 (a chain of dozens of bands each closer than
    CLUSTER·Γ), where the series would converge slowly.
    """
    orders = _taylor_orders(np.array([radius / gamma]))
    if orders is None:
        raise ValueError(f"cluster radius {radius} eV too wide for Γ = {gamma} eV; "
                         f"accepted: below Γ/4")
    return int(orders[0])


def _taylor_orders(ratio: np.ndarray) -> np.ndarray | None:
    """:func:`taylor_order` of every radius ρ/Γ in ``ratio``; None if one is ≥ 1/4."""
    if ratio.size and ratio.max() >= 0.25:
        return None
    orders = np.zeros(ratio.shape, dtype=np.int64)
    while True:
        bound = (orders + 2) * ratio ** (orders + 1) / (1 - ratio)
        above = bound > TAYLOR_TOLERANCE
        if not above.any():
            return orders
        orders[above] += 1


def _band_orders(same: np.ndarray, delta: np.ndarray, gamma: float) -> np.ndarray | None:
    """Taylor order of the cluster of each band (n_k, N), None if one is too wide."""
    radius = np.where(same, np.abs(delta)[:, None, :], 0.0).max(axis=2)
    return _taylor_orders(radius / gamma)


def _coefficients(eps, velocities, sources, currents, gamma, clusters):
    """Simple-pole b (n_k, N, n_s·3, n_c·3) and the cluster terms of :func:`_cluster_terms`.

    ``clusters`` = (same-cluster mask, centres, δ, Taylor orders) of :func:`_clusters` and
    :func:`_band_orders`.
    """
    n_k, n = eps.shape
    n_s, n_c = sources.shape[1], currents.shape[1]
    big = 3 * n_c
    inv_d = 1.0 / (eps[:, :, None] - eps[:, None, :] - 2j * gamma)  # 1/d_nm
    scaled_sources = sources * inv_d[:, None]  # Sd[n, m] = S[n, m]/d_nm
    stacked_sources = scaled_sources.reshape(n_k, n_s * n, n)
    current = _currents(velocities, currents).reshape(n_k, big, n, n)
    same, centre, delta, orders = clusters
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
    owner, leader, order, terms = _cluster_terms(scaled_sources, velocities, current, same,
                                                 delta, orders)
    return simple, centre[owner, leader], owner, order, terms


def _cluster_terms(scaled_sources, velocities, current, same, delta, orders):
    """Per cluster (in k-block order) e_r = −Σ_{m,p in it} D[m, p] h_r(δ_m, δ_p), r ≤ K_c.

    Returns the k-point, first band and order r of each term, (n_terms,) ints each,
    and the terms, (n_terms, 3 n_s, 3 n_c) complex.
    """
    first = np.ones(delta.shape, dtype=bool)
    first[:, 1:] = ~same[:, np.arange(1, delta.shape[1]), np.arange(delta.shape[1] - 1)]
    index = np.cumsum(first).reshape(delta.shape) - 1  # cluster of each (k, band)
    size = same.sum(axis=2)
    owner, leader = np.nonzero(first)
    cluster_orders = orders[owner, leader]
    terms = np.zeros((len(owner), cluster_orders.max(initial=0) + 1,
                      3 * scaled_sources.shape[1], current.shape[1]), dtype=complex)
    _accumulate_clusters(scaled_sources, velocities, current, index, leader[index], size,
                         delta, terms)
    kept = np.arange(terms.shape[1])[None, :] <= cluster_orders[:, None]  # (n_cl, K+1)
    cluster, order = np.nonzero(kept)
    return owner[cluster], leader[cluster], order, terms[kept]


@numba.njit(cache=True, nogil=True, fastmath=True)
def _accumulate_clusters(scaled_sources, velocities, current, index, leader, size, delta,
                         terms):
    """terms[c, r, 3s + i, cj] −= Σ_{m,p ∈ c} V_i[m, p] (J_cj Sd_s)[p, m] h_r(δ_m, δ_p)."""
    n_k, n_s, n = scaled_sources.shape[0], scaled_sources.shape[1], scaled_sources.shape[2]
    big, n_r = current.shape[1], terms.shape[1]
    product = np.empty((big, n_s), dtype=np.complex128)
    column = np.empty((n_s, n), dtype=np.complex128)
    h = np.empty(n_r)
    for k in range(n_k):
        for m in range(n):
            c = index[k, m]
            for s in range(n_s):  # Sd_s[:, m], contiguous
                for q in range(n):
                    column[s, q] = scaled_sources[k, s, q, m]
            for p in range(leader[k, m], leader[k, m] + size[k, m]):
                for r in range(n_r):  # h_r(x, y) = Σ_a x^a y^(r−a)
                    h[r] = 0.0
                    for a in range(r + 1):
                        h[r] += delta[k, m] ** a * delta[k, p] ** (r - a)
                for b in range(big):  # (J_b Sd_s)[p, m]
                    for s in range(n_s):
                        total = 0j
                        for q in range(n):
                            total += current[k, b, p, q] * column[s, q]
                        product[b, s] = total
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
        arrays = (eps[part], np.asarray(velocities[part], dtype=complex),
                  np.asarray(sources[part], dtype=complex),
                  np.asarray(currents[part], dtype=complex))
        same, centre, delta = _clusters(eps[part], gamma)
        orders = _band_orders(same, delta, gamma)
        if orders is None:  # a cluster too wide for the series: per-energy products
            out += im_green_traces_products(*arrays, weights[part], energies,
                                            gamma).reshape(len(energies), -1)
            continue
        poles = _coefficients(*arrays, gamma, (same, centre, delta, orders))
        out += _evaluate(eps[part], poles, weights[part], energies, gamma)
    return out.reshape(len(energies), n_s, 3, n_c, 3)


def _evaluate(eps, poles, weights, energies, gamma):
    """Σ_k w_k Im[Σ_m b_m g^A_m + Σ_{c,r} e_{c,r} g_c^{r+2}] as one real product.

    ``poles`` = (b, centre in eV, k-point and order r of each cluster term, the terms)
    from :func:`_coefficients`.
    """
    simple, centres, owner, order, terms = poles
    n_k, n = eps.shape
    g_c = _advanced(energies, centres, gamma)
    powers = g_c * g_c
    for r in range(1, order.max(initial=0) + 1):
        powers[:, order >= r] *= g_c[:, order >= r]
    basis = np.concatenate([_advanced(energies, eps, gamma), powers], axis=1)  # (E, k·N + ·)
    simple = simple * weights[:, None, None, None]
    terms = terms * weights[owner, None, None]
    coefficients = np.concatenate([simple.reshape(n_k * n, -1),
                                   terms.reshape(len(terms), -1)])
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
    orders = _band_orders(same, delta, gamma)
    if orders is None:  # a cluster too wide for the series: energy by energy
        g_a = _advanced(energies, eps, gamma).reshape(len(energies), *eps.shape)
        return (np.einsum("kqnp,ekn,ekp,k->eq", retarded, np.conj(g_a), g_a, weights)
                + np.einsum("kqnp,ekn,ekp,k->eq", advanced, g_a, g_a, weights))
    inv_d = 1.0 / (eps[:, :, None] - eps[:, None, :] - 2j * gamma)  # 1/d_np
    scaled = retarded * inv_d[:, None]  # g^R_n g^A_p = (g^R_n − g^A_p)/d_np
    differences = eps[:, :, None] - eps[:, None, :]
    inverse_gap = np.where(same, 0.0, 1.0 / np.where(same, 1.0, differences))
    symmetric = advanced + np.swapaxes(advanced, -1, -2)
    on_advanced = -scaled.sum(axis=2) + (symmetric * inverse_gap[:, None]).sum(axis=3)
    weighted = weights[:, None, None]
    columns = [np.conj(_advanced(energies, eps, gamma)), _advanced(energies, eps, gamma)]
    rows = [np.swapaxes(c * weighted, 1, 2).reshape(-1, retarded.shape[1])
            for c in (scaled.sum(axis=3), on_advanced)]
    inside = advanced * same[:, None]  # band m's slot: Σ_{p in its cluster} H[m, p] h_r
    power = _advanced(energies, centre, gamma)  # (E, k·N)
    power = power * power
    for r in range(orders.max(initial=0) + 1):
        h = sum(delta[:, :, None] ** a * delta[:, None, :] ** (r - a) for a in range(r + 1))
        keep = (orders >= r).ravel()
        slot = np.swapaxes((inside * h[:, None]).sum(axis=3) * weighted, 1, 2)
        rows.append(slot.reshape(-1, retarded.shape[1])[keep])
        columns.append(power[:, keep])
        power = power * _advanced(energies, centre, gamma)
    return np.concatenate(columns, axis=1) @ np.concatenate(rows)
