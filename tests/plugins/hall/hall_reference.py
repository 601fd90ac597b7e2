"""Direct references for the Hall conductivities: no band basis, no closed forms.

Kubo–Bastin: at every k-point and every energy ε of an adaptive quadrature the Green's
function is obtained by explicit inversion of (ε + iΓ − H(k)) in the orbital basis, and
the Fermi-sea integral over ε from −∞ to E is done numerically (scipy quad_vec).
Intrinsic: the double sum over eigenstates, one matrix element at a time.
"""

from __future__ import annotations

import numpy as np
from scipy import constants
from scipy.integrate import quad_vec

#: e²/ħ in S times 10⁸ Å/cm.
E2_HBAR_S_CM = constants.e**2 / constants.hbar * 1e8


def _currents(model, k):
    """(7, 3, N, N) currents ½{ħv_i, O} for σ/2, L and 1, and (3, N, N) ħv_j at one k."""
    v = model.velocity_operators(k[None])[0]
    n = model.n_states
    ops = [0.5 * s for s in model.spin_operators()] + list(model.orbital_moment_operators())
    ops.append(np.eye(n))
    currents = np.array([[0.5 * (v[i] @ o + o @ v[i]) for i in range(3)] for o in ops])
    return currents, v


def _bastin_integrand(h, currents, v, gamma):
    n = len(h)

    def integrand(eps):
        g_r = np.linalg.inv((eps + 1j * gamma) * np.eye(n) - h)
        g_a = g_r.conj().T
        dg_r = -g_r @ g_r
        dg_a = dg_r.conj().T
        a = (g_a - g_r) / (2j * np.pi)
        first = np.einsum("cinm,mq,jqp,pn->cij", currents, dg_r, v, a)
        second = np.einsum("cinm,mq,jqp,pn->cij", currents, a, v, dg_a)
        return (1j * (first - second)).real

    return integrand


def bastin_reference(model, k_points, energies, gamma):
    """(n_E, 7, 3, 3) Brillouin-zone averages of ``Re i∫_{−∞}^{E} Tr[J dG^R v A − J A v dG^A]``."""
    out = np.zeros((len(energies), 7, 3, 3))
    for k in k_points:
        h = model.hamiltonian(k[None])[0]
        currents, v = _currents(model, k)
        integrand = _bastin_integrand(h, currents, v, gamma)
        bands = np.linalg.eigvalsh(h)
        low = bands[0] - 5.0
        tail = quad_vec(integrand, -np.inf, low, epsabs=1e-15, epsrel=1e-12)[0]
        for e_index, energy in enumerate(energies):
            inside = [b for b in bands if low < b < energy]
            body = quad_vec(integrand, low, energy, epsabs=1e-15, epsrel=1e-12,
                            points=inside or None)[0]
            out[e_index] += tail + body
    return out / len(k_points)


def intrinsic_reference(model, k_points, energies, gamma):
    """(n_E, 7, 3, 3) averages of ``Σ_n θ(E − ε_n) Σ_{m≠n} 2 Im⟨n|J|m⟩⟨m|ħv_j|n⟩/(Δ² + Γ²)``."""
    out = np.zeros((len(energies), 7, 3, 3))
    for k in k_points:
        bands, vectors = np.linalg.eigh(model.hamiltonian(k[None])[0])
        currents, v = _currents(model, k)
        for n in range(len(bands)):
            for m in range(len(bands)):
                if m == n:
                    continue
                un, um = vectors[:, n], vectors[:, m]
                jnm = np.einsum("a,ciab,b->ci", un.conj(), currents, um)
                vmn = np.einsum("a,jab,b->j", um.conj(), v, un)
                term = 2 * np.imag(jnm[:, :, None] * vmn) / ((bands[n] - bands[m])**2 + gamma**2)
                for e_index, energy in enumerate(energies):
                    if energy >= bands[n]:
                        out[e_index] += term
    return out / len(k_points)


def to_conductivities(traces, volume):
    """Spin, orbital (−e²/ħ) and charge (+e²/ħ) conductivities in (ħ/e) S/cm and S/cm."""
    sigma = E2_HBAR_S_CM / volume * traces
    return -sigma[:, 0:3], -sigma[:, 3:6], sigma[:, 6]
