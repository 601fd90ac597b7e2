"""Compiled (numba) loop of :mod:`orbdiff.observables.orbital`: one k-point at a time.

Each k-point's matrices (≈ 70 complex N × N) stay in the core's cache, the products go
to BLAS through ``np.dot``, and the loop runs without the GIL, so the engine's threads
share the k-point blocks fully. Inside, matrices are spin-major (``spin · M + orbital``,
M = N/2, :func:`~orbdiff.observables.orbital.spin_major_order`), so that spin blocks
are contiguous. Operators are written orbital ⊗ spin, as in the engine: ``A ⊗ 1`` acts
on the orbital index (stored as diag(A, A)), ``1 ⊗ σ_c`` on the spin. The stored
sources are ``Y† = C S G^A`` (:mod:`orbdiff.observables.orbital`). The currents are
paired with the spin contractions of the sources through their orbital factors
(:func:`_kronecker_pairings`); the unit and Pauli sources are contracted straight from
two half products (:func:`_half_products`, :func:`_pauli_contractions`), the ``A ⊗ 1``
sources after one product with C for all of them (:func:`_orbital_contractions`).
Operators of any other form, and spinful hoppings, take dense products
(:func:`_currents`, :func:`_sources`).
"""

from __future__ import annotations

from functools import lru_cache

import numba
import numpy as np

from ..basis.spin import pauli_matrices
from .orbital import OperatorStructure, OrbitalData, spin_major_order

__all__ = ["compiled_traces", "orbital_block_traces", "warm"]


@numba.njit(cache=True, nogil=True)
def _orbital_rows(factor, matrix, out):  # pragma: no cover  (compiled)
    """``out = (A ⊗ 1₂) M``: the (M, M) factor A on both spin halves of the rows of M."""
    m = factor.shape[0]
    np.dot(factor, matrix[:m], out[:m])
    np.dot(factor, matrix[m:], out[m:])


@numba.njit(cache=True, nogil=True)
def _stacked_rows(stacked, matrix, work, out):  # pragma: no cover  (compiled)
    """``out[i] = (A_i ⊗ 1₂) M`` for (M', M') factors A_i stacked as ``stacked`` (r M', M').

    Two products, one per spin half of the rows of M, through ``work`` (r M', N).
    """
    m = stacked.shape[1]
    for a in range(2):
        np.dot(stacked, matrix[a * m : (a + 1) * m], work)
        for i in range(out.shape[0]):
            out[i, a * m : (a + 1) * m] = work[i * m : (i + 1) * m]


@numba.njit(cache=True, nogil=True)
def _currents(velocities, v, spinless, weight, pauli, is_orbital, orbital, dense,
              spin, out):  # pragma: no cover  (compiled)
    """``out[c, j] = i w ½{ħv_j, O_c}`` (O_0 = 1) at one k-point."""
    n_c, _, n, _ = out.shape
    m = n // 2
    scale = 1j * weight
    for c in range(n_c):
        for j in range(3):
            target = out[c, j]
            if c == 0:
                for p in range(n):
                    for r in range(n):
                        target[p, r] = scale * v[j, p, r]
            elif spinless and pauli[c - 1] >= 0:  # σ_c ⊗ v_j
                sigma = spin[pauli[c - 1]]
                for a in range(2):
                    for b in range(2):
                        factor = scale * sigma[a, b]
                        for o in range(m):
                            for r in range(m):
                                target[a * m + o, b * m + r] = factor * velocities[j, o, r]
            elif spinless and is_orbital[c - 1]:  # 1 ⊗ ½{v_j, A}
                x = np.dot(velocities[j], orbital[c - 1])
                for o in range(m):
                    for r in range(m):
                        value = 0.5 * scale * (x[o, r] + np.conj(x[r, o]))
                        target[o, r] = value
                        target[m + o, m + r] = value
                        target[o, m + r] = 0
                        target[m + o, r] = 0
            else:  # ½(X + X†), X = ħv_j O_c
                x = np.dot(v[j], dense[c - 1])
                for p in range(n):
                    for r in range(n):
                        target[p, r] = 0.5 * scale * (x[p, r] + np.conj(x[r, p]))


@numba.njit(cache=True, nogil=True)
def _sources(c, g_a, pauli, is_orbital, orbital, dense, rows, phases,
             q, out):  # pragma: no cover  (compiled)
    """``out[s] = C S_s G^A`` (rows (i, p)) for S_0 = 1 and the operators."""
    n = g_a.shape[0]
    for s in range(out.shape[0]):
        if s == 0:
            q[:] = g_a
        elif pauli[s - 1] >= 0:  # a signed permutation of the rows
            sigma = pauli[s - 1]
            for p in range(n):
                row = rows[sigma, p]
                for r in range(n):
                    q[p, r] = phases[sigma, p] * g_a[row, r]
        elif is_orbital[s - 1]:
            _orbital_rows(orbital[s - 1], g_a, q)
        else:
            q[:] = np.dot(dense[s - 1], g_a)
        out[s] = np.dot(c, q)


@numba.njit(cache=True, nogil=True)
def _half_products(c, g_a, c_half, g_split, halves):  # pragma: no cover  (compiled)
    """``halves[a] = C[:, a] [G^A[0] | G^A[1]] = [P_a0 | P_a1]``, ``P_ab = C[:, a] G^A[b]``.

    Spin block a of the columns of C times spin block b of the rows of G^A: two products
    from which every source ``1 ⊗ S`` with S = 1, σ_c follows, ``C (1 ⊗ S) G^A =
    Σ_ab S[a, b] P_ab`` (:func:`_pauli_contractions`). ``g_split`` keeps
    ``[G^A[0] | G^A[1]]`` for :func:`_orbital_contractions` at the same k-point and energy.
    """
    n = g_a.shape[0]
    m = n // 2
    for a in range(2):
        c_half[a] = c[:, a * m : (a + 1) * m]
        g_split[:, a * n : (a + 1) * n] = g_a[a * m : (a + 1) * m]
    for a in range(2):
        np.dot(c_half[a], g_split, halves[a])


@numba.njit(cache=True, nogil=True)
def _times_i(value):  # pragma: no cover  (compiled)
    """``i · value`` without a complex product."""
    return complex(-value.imag, value.real)


@numba.njit(cache=True, nogil=True)
def _pauli_contractions(halves, pauli, z):  # pragma: no cover  (compiled)
    """Spin contractions of the unit and Pauli sources, straight from the half products.

    ``z[B, 3 s + i] = Σ_ab conj(B[a, b]) (Y†_si)_ab`` (M × M blocks) for B = 1, σ_x, σ_y,
    σ_z, where ``Y† = C (1 ⊗ S) G^A`` is a sum of ``halves = [P_a0 | P_a1]``:

    - the unit source (s = 0): ``Y† = P₀₀ + P₁₁``, and only B = 1, since it is paired
      with the charge current alone;
    - σ_x: ``Y† = P₀₁ + P₁₀``; σ_z: ``Y† = P₀₀ − P₁₁``;
    - σ_y: ``Y† = i D`` with ``D = P₁₀ − P₀₁``.

    Y† itself is never stored.
    """
    n = halves.shape[-1] // 2
    m = n // 2
    for i in range(3):
        for o in range(m):
            up, down = i * n + o, i * n + m + o
            for r in range(m):
                z[0, i, o, r] = (halves[0, up, r] + halves[1, up, n + r]
                                 + halves[0, down, m + r] + halves[1, down, n + m + r])
    for s in range(1, 1 + len(pauli)):
        c = pauli[s - 1]
        if c < 0:
            continue
        a, b, sign = (0, 1, 1.0) if c == 0 else (1, 0, -1.0) if c == 1 else (0, 0, -1.0)
        first = halves[a, :, b * n : (b + 1) * n]
        second = halves[1 - a, :, (1 - b) * n : (2 - b) * n]
        for i in range(3):
            row = 3 * s + i
            for o in range(m):
                up, down = i * n + o, i * n + m + o
                if c == 1:
                    _sigma_y_row(first, second, up, down, m, z[:, row, o])
                    continue
                for r in range(m):
                    d00 = first[up, r] + sign * second[up, r]
                    d01 = first[up, m + r] + sign * second[up, m + r]
                    d10 = first[down, r] + sign * second[down, r]
                    d11 = first[down, m + r] + sign * second[down, m + r]
                    z[0, row, o, r] = d00 + d11
                    z[1, row, o, r] = d01 + d10
                    z[2, row, o, r] = _times_i(d01 - d10)
                    z[3, row, o, r] = d00 - d11


@numba.njit(cache=True, nogil=True)
def _sigma_y_row(first, second, up, down, m, out):  # pragma: no cover  (compiled)
    """One row of the σ_y contractions: ``Y† = i D``, ``D = first − second`` (P₁₀ − P₀₁)."""
    for r in range(m):
        d00 = first[up, r] - second[up, r]
        d01 = first[up, m + r] - second[up, m + r]
        d10 = first[down, r] - second[down, r]
        d11 = first[down, m + r] - second[down, m + r]
        out[0, r] = _times_i(d00 + d11)
        out[1, r] = _times_i(d01 + d10)
        out[2, r] = d10 - d01  # i · i (d01 − d10)
        out[3, r] = _times_i(d00 - d11)


@numba.njit(cache=True, nogil=True)
def _spin_contractions(y, column, row, z):  # pragma: no cover  (compiled)
    """``z[B, row + i] = Σ_ab conj(B[a, b]) (Y†_i)_ab`` for B = 1, σ_x, σ_y, σ_z.

    ``Y†_i`` is the (N × N) block of ``y`` at rows ``i N … i N + N − 1`` and columns
    ``column … column + N − 1``, i = 0, 1, 2, and ``(Y†_i)_ab`` its (M × M) spin blocks.
    """
    m = z.shape[-1]
    n = 2 * m
    for i in range(3):
        for o in range(m):
            up, down = i * n + o, i * n + m + o
            for r in range(m):
                y00 = y[up, column + r]
                y01 = y[up, column + m + r]
                y10 = y[down, column + r]
                y11 = y[down, column + m + r]
                z[0, row + i, o, r] = y00 + y11
                z[1, row + i, o, r] = y01 + y10
                z[2, row + i, o, r] = _times_i(y01 - y10)
                z[3, row + i, o, r] = y00 - y11


@numba.njit(cache=True, nogil=True)
def _orbital_currents(stacked, weight, side, x, out):  # pragma: no cover  (compiled)
    """Orbital factors ``i w M`` of the currents ``M ⊗ B`` for spinless hoppings.

    ``out[j] = i w v_j`` (the factor of the unit and Pauli currents, ``v ⊗ 1`` and
    ``v ⊗ σ_c``), then ``out[3 (l + 1) + j] = i w ½{v_j, A_l}`` for the operators
    ``A_l ⊗ 1`` (not Pauli matrices), from one product ``x = v [A_1 | A_2 | …]``
    (``stacked`` is v as (3M, M), ``side`` the A_l side by side, (M, L M)) and
    ``A v_j = (v_j A)†``.
    """
    m = stacked.shape[1]
    for j in range(3):
        for o in range(m):
            for r in range(m):
                out[j, o, r] = 1j * weight * stacked[j * m + o, r]
    np.dot(stacked, side, x)
    for index in range(side.shape[1] // m):
        for j in range(3):
            row = 3 * (index + 1) + j
            for o in range(m):
                for r in range(m):
                    out[row, o, r] = 0.5j * weight * (x[j * m + o, index * m + r]
                                                      + np.conj(x[j * m + r, index * m + o]))


@numba.njit(cache=True, nogil=True)
def _orbital_contractions(c, g_split, indices, stacked, work, q, y, z):  # pragma: no cover
    """Spin contractions (:func:`_spin_contractions`) of ``Y†_l = C (A_l ⊗ 1) G^A`` for
    the operators ``A_l ⊗ 1`` at ``indices`` (L, shell projectors: not Pauli matrices).

    Two products: ``work = [A_1; A_2; …] [G^A[0] | G^A[1]]`` (``stacked`` (L M, M),
    ``g_split`` from :func:`_half_products`) gives ``q = [(A_1 ⊗ 1) G^A | (A_2 ⊗ 1) G^A |
    …]`` (N, L N), and ``y = C q`` (3N, L N) every Y†_l at once.
    """
    m = stacked.shape[1]
    n = 2 * m
    np.dot(stacked, g_split, work)
    for index in range(len(indices)):
        for a in range(2):
            q[a * m : (a + 1) * m, index * n : (index + 1) * n] = \
                work[index * m : (index + 1) * m, a * n : (a + 1) * n]
    np.dot(c, q, y)
    for index in range(len(indices)):
        _spin_contractions(y, index * n, 3 * indices[index], z)


@numba.njit(cache=True, nogil=True)
def _kronecker_pairings(z, factors, pauli, indices, charge, tensor):  # pragma: no cover
    """Subtract ``⟨i w M ⊗ B, Y†_si⟩ = ⟨i w M, Σ_ab conj(B_ab) (Y†_si)_ab⟩`` from the sums.

    ``z[B, 3 s + i]`` are the contractions ``Σ_ab conj(B_ab) (Y†_si)_ab``. Two real
    products: the spin traces (B = 1) with every spin-independent current (``factors``
    from :func:`_orbital_currents`), and the three Pauli contractions with v. ``charge``
    gets rows s = 0 with c = 0, ``tensor`` rows s ≥ 1 with c ≥ 1.
    """
    n_s, m = z.shape[1] // 3, z.shape[-1]
    rows = 3 * n_s
    left = factors.reshape(factors.shape[0], m * m).view(np.float64)
    traced = np.dot(z[0].reshape(rows, m * m).view(np.float64), left.T)
    charge -= traced[:3, :3]
    for index in range(len(indices)):
        c = indices[index]
        tensor[:, 3 * (c - 1) : 3 * c] -= traced[3:, 3 * (index + 1) : 3 * (index + 2)]
    spins = np.dot(z[1:].reshape(3 * rows, m * m).view(np.float64), left[:3].T)
    for c in range(1, n_s):
        if pauli[c - 1] >= 0:
            start = pauli[c - 1] * rows
            tensor[:, 3 * (c - 1) : 3 * c] -= spins[start + 3 : start + rows]


@numba.njit(cache=True, nogil=True)
def orbital_block_traces(hamiltonian, velocities, spinless, weights, energies, gamma,
                         pauli, is_orbital, orbital, dense, rows, phases, spin,
                         order):  # pragma: no cover  (compiled)
    """Weighted sums over a block of k-points of the charge, tensor, Kubo and DOS traces.

    Parameters
    ----------
    hamiltonian : (n_k, N, N) complex
        H(k) in the engine's order, eV.
    velocities : (n_k, 3, M, M) or (n_k, 3, N, N) complex
        ħv: the orbital factor v (``spinless``) or the full operators in the engine's
        order, eV·Å.
    spinless : bool
    weights : (n_k,) float
    energies : (n_E,) float
        E in eV.
    gamma : float
        Γ in eV.
    pauli : (n_ops,) int
        c when operator s is σ_c, else −1.
    is_orbital : (n_ops,) bool
        Operator s is ``1 ⊗ A`` with A = ``orbital[s]`` (n_ops, M, M).
    dense : (n_ops, N, N) complex
        The operators, spin-major.
    rows, phases : (3, N) int and complex
        ``(σ_c M)[p] = phases[c, p] M[rows[c, p]]``.
    spin : (3, 2, 2) complex
        The Pauli matrices.
    order : (N,) int
        Spin-major index p is engine index ``order[p]``
        (:func:`orbdiff.observables.orbital.spin_major_order`).

    Returns
    -------
    charge (n_E, 3, 3), tensor (n_E, 3 n_ops, 3 n_ops) in Å²/eV, kubo (n_E, 3, 3) in Å²,
    dos (n_E,) in states per eV.
    """
    n_k, n = hamiltonian.shape[0], hamiltonian.shape[1]
    n_e, n_s = len(energies), 1 + len(pauli)
    charge = np.zeros((n_e, 3, 3))
    tensor = np.zeros((n_e, 3 * n_s - 3, 3 * n_s - 3))
    kubo = np.zeros((n_e, 3, 3))
    dos = np.zeros(n_e)
    shifted = np.empty((n, n), np.complex128)
    minus_h = np.empty((n, n), np.complex128)
    g_a = np.empty((n, n), np.complex128)
    spectral = np.empty((n, n), np.complex128)
    v = np.zeros((3, n, n), np.complex128)
    c = np.empty((3 * n, n), np.complex128)
    q = np.empty((n, n), np.complex128)
    y = np.empty((n_s, 3 * n, n), np.complex128)
    currents = np.empty((n_s, 3, n, n), np.complex128)
    w = np.empty((3, n, n), np.complex128)
    m = n // 2
    kronecker = spinless
    for s in range(len(pauli)):
        kronecker = kronecker and (pauli[s] >= 0 or is_orbital[s])
    orbital_sources = np.array([s + 1 for s in range(len(pauli)) if pauli[s] < 0], np.int64)
    factors = np.empty((3 * (1 + len(orbital_sources)), m, m), np.complex128)
    stacked_factors = np.empty((len(orbital_sources) * m, m), np.complex128)
    for index in range(len(orbital_sources)):
        stacked_factors[index * m : (index + 1) * m] = orbital[orbital_sources[index] - 1]
    side_factors = np.empty((m, len(orbital_sources) * m), np.complex128)
    for index in range(len(orbital_sources)):
        side_factors[:, index * m : (index + 1) * m] = orbital[orbital_sources[index] - 1]
    current_products = np.empty((3 * m, len(orbital_sources) * m), np.complex128)
    work_factors = np.empty((len(orbital_sources) * m, 2 * n), np.complex128)
    q_factors = np.empty((n, len(orbital_sources) * n), np.complex128)
    y_factors = np.empty((3 * n, len(orbital_sources) * n), np.complex128)
    # rows z[1:, 0:3] (the unit source, B ≠ 1) are never written: their products in
    # _kronecker_pairings are discarded
    z = np.zeros((4, 3 * n_s, m, m), np.complex128)
    c_half = np.empty((2, 3 * n, m), np.complex128)
    halves = np.empty((2, 3 * n, 2 * n), np.complex128)
    g_split = np.empty((m, 2 * n), np.complex128)
    work = np.empty((3 * m, n), np.complex128)
    for k in range(n_k):
        stacked = velocities[k].reshape(3 * velocities.shape[-1], velocities.shape[-1])
        if spinless and not kronecker:
            for i in range(3):
                v[i, :m, :m] = velocities[k, i]
                v[i, m:, m:] = velocities[k, i]
        elif not spinless:
            for i in range(3):
                for p in range(n):
                    for r in range(n):
                        v[i, p, r] = velocities[k, i, order[p], order[r]]
        if kronecker:
            _orbital_currents(stacked, weights[k], side_factors, current_products, factors)
        else:
            _currents(velocities[k], v, spinless, weights[k], pauli, is_orbital, orbital,
                      dense, spin, currents)
        left = currents.reshape(3 * n_s, n * n).view(np.float64)
        for p in range(n):  # −H(k), spin-major, once for all energies
            for r in range(n):
                minus_h[p, r] = -hamiltonian[k, order[p], order[r]]
        for e in range(n_e):
            shifted[:] = minus_h
            for p in range(n):
                shifted[p, p] += energies[e] + 1j * gamma
            g_r = np.ascontiguousarray(np.linalg.inv(shifted))
            for p in range(n):
                for r in range(n):
                    g_a[p, r] = np.conj(g_r[r, p])
            if spinless:  # C_i = G^R ħv_i G^R
                _stacked_rows(stacked, g_r, work, w)
            for i in range(3):
                if not spinless:
                    np.dot(v[i], g_r, w[i])
                np.dot(g_r, w[i], c[i * n : (i + 1) * n])
            # Σ w Im Tr[J Y] = −Σ w Im Tr[J Y†] = −⟨i w J, Y†⟩ (real inner product)
            if kronecker:
                _half_products(c, g_a, c_half, g_split, halves)  # fills g_split, used next
                _pauli_contractions(halves, pauli, z)
                _orbital_contractions(c, g_split, orbital_sources, stacked_factors,
                                      work_factors, q_factors, y_factors, z)
                _kronecker_pairings(z, factors, pauli, orbital_sources, charge[e], tensor[e])
            else:
                _sources(c, g_a, pauli, is_orbital, orbital, dense, rows, phases, q, y)
                right = y.reshape(3 * n_s, n * n).view(np.float64)
                charge[e] -= np.dot(right[:3], left[:3].T)
                tensor[e] -= np.dot(right[3:], left[3:].T)
            for p in range(n):  # A = (G^A − G^R)/2i
                for r in range(n):
                    spectral[p, r] = -0.5j * (g_a[p, r] - g_r[p, r])
                dos[e] += weights[k] * spectral[p, p].real / np.pi
            if spinless:
                _stacked_rows(stacked, spectral, work, w)
            else:
                for i in range(3):
                    np.dot(v[i], spectral, w[i])
            for i in range(3):  # Tr[ħv_j A ħv_i A] = Σ (v_j A)[p, r] (v_i A)[r, p]
                for j in range(i, 3):
                    total = 0.0
                    for p in range(n):
                        for r in range(n):
                            total += (w[j, p, r] * w[i, r, p]).real
                    kubo[e, i, j] += weights[k] * total
                    if j != i:
                        kubo[e, j, i] += weights[k] * total
    return charge, tensor, kubo, dos


@lru_cache(maxsize=16)
def _arrays(structure: OperatorStructure) -> tuple[np.ndarray, ...]:
    """The operator arguments of :func:`orbital_block_traces` (spin-major)."""
    n = structure.matrices.shape[-1]
    m = n // 2
    order = spin_major_order(n)
    pauli = np.array([-1 if p is None else p for p in structure.pauli], dtype=np.int64)
    is_orbital = np.array([f is not None for f in structure.orbital], dtype=bool)
    orbital = np.array([np.zeros((m, m)) if f is None else f for f in structure.orbital],
                       dtype=complex).reshape(-1, m, m)
    dense = np.ascontiguousarray(structure.matrices[:, order][:, :, order])
    spin = np.arange(n) // m  # the first half is spin up
    partner = (1 - spin) * m + np.arange(n) % m
    rows = np.array([partner, partner, np.arange(n)], dtype=np.int64)  # (σ_c ⊗ 1) M =
    phases = np.array([np.ones(n), np.where(spin == 0, -1j, 1j),  # phases · M[rows]
                       np.where(spin == 0, 1, -1)], dtype=complex)
    return (pauli, is_orbital, orbital, dense, rows, phases,
            pauli_matrices().astype(complex), order)


def compiled_traces(data: OrbitalData, energies: np.ndarray, gamma: float,
                    structure: OperatorStructure) -> dict[str, np.ndarray]:
    """:func:`orbdiff.observables.orbital.orbital_traces` by the compiled loop."""
    charge, tensor, kubo, dos = orbital_block_traces(
        np.ascontiguousarray(data.hamiltonian), np.ascontiguousarray(data.velocities),
        data.spinless, np.ascontiguousarray(data.weights, dtype=float),
        np.ascontiguousarray(energies, dtype=float), gamma, *_arrays(structure))
    n_ops = len(structure)
    return {"charge": charge, "tensor": tensor.reshape(len(energies), n_ops, 3, n_ops, 3),
            "kubo": kubo, "dos": dos}


def warm() -> None:
    """Load numba and the cached loop (≈ 0.45 s once per process) before a run times it."""
    structure = OperatorStructure.of(np.kron(np.eye(1), pauli_matrices()[2])[None])
    data = OrbitalData(np.zeros((1, 2, 2), dtype=complex), np.zeros((1, 3, 1, 1), dtype=complex),
                       True, np.ones(1))
    compiled_traces(data, np.zeros(1), 0.1, structure)
