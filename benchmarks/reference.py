"""Direct reference evaluations of the diffusivities, written for clarity, not speed.

At every k-point of the full grid and every energy they invert ``E − H + iΓ`` in the
orbital basis and multiply out paper Eqs. (8) and (10)–(13), with
``Im X = (X − X†)/2i``. They share no code with the band-basis engine except the
model's H(k) and ħv(k), so agreement between them and the engine is an independent
check.

- :func:`direct_diffusivities` multiplies out every tensor component in turn (the
  direct evaluation of issue 4);
- :func:`direct_diffusivities_vectorized` does the same algebra with the 18 sources
  and 18 currents batched into NumPy products, a stronger baseline for speed.
"""

from __future__ import annotations

import numpy as np
from scipy import constants

#: e²/(πħ) in S times 10¹⁰ Å/m.
CONDUCTIVITY_UNIT = constants.e**2 / (constants.pi * constants.hbar) * 1e10

SOURCE_WEIGHT = np.array([2, 2, 2, 1, 1, 1])  # 2 n_i V0² for σ, n_i V0² for L
CURRENT_FACTOR = np.array([0.25, 0.25, 0.25, 0.5, 0.5, 0.5])  # (ħ/4){v,σ}, (ħ/2){v,L}


def im_operator(x: np.ndarray) -> np.ndarray:
    """Im of an operator, (X − X†)/2i, on the last two axes."""
    return (x - np.conj(np.swapaxes(x, -1, -2))) / 2j


def _retarded(h: np.ndarray, energy: float, gamma: float) -> tuple[np.ndarray, np.ndarray]:
    """G^R = (E − H + iΓ)^{-1} by direct inversion, and G^A = (G^R)†."""
    g_r = np.linalg.inv((energy + 1j * gamma) * np.eye(len(h)) - h)
    return g_r, g_r.conj().T


def _in_conductivity_units(model, n_k, gamma, charge, tensor):
    """Multiply by e²Γ/π and Tr_k = (1/V_cell)(1/N_k) Σ_k; tensor to (n_E, 18, 18)."""
    factor = CONDUCTIVITY_UNIT * gamma / (model.crystal.volume * n_k)
    return factor * charge, factor * tensor.reshape(len(tensor), 18, 18)


def direct_diffusivities(model, kpoints, energies, gamma):
    """Charge (n_E,3,3) and tensor (n_E,18,18) in S/m, one component at a time.

    ``kpoints`` (Å⁻¹) must be the full grid: every point has the same weight.
    """
    ops = np.concatenate([model.spin_operators(), model.orbital_moment_operators()])
    charge = np.zeros((len(energies), 3, 3))
    tensor = np.zeros((len(energies), 6, 3, 6, 3))
    for k in kpoints:
        h = model.hamiltonian(k[None])[0]
        v = model.velocity_operators(k[None])[0]  # ħv_i, eV·Å
        for e, energy in enumerate(energies):
            g_r, g_a = _retarded(h, energy, gamma)
            for i in range(3):
                tail = g_a @ v[i] @ g_a
                x = im_operator(g_r @ tail)  # Eq. (8), source 1
                for j in range(3):
                    charge[e, i, j] += np.trace(v[j] @ x).real
                for a in range(6):  # Eqs. (10)–(13), source S_a
                    x = im_operator(g_r @ ops[a] @ tail)
                    for b in range(6):
                        for j in range(3):
                            current = CURRENT_FACTOR[b] * (v[j] @ ops[b] + ops[b] @ v[j])
                            tensor[e, a, i, b, j] += SOURCE_WEIGHT[a] * np.trace(current @ x).real
    return _in_conductivity_units(model, len(kpoints), gamma, charge, tensor)


def direct_diffusivities_vectorized(model, kpoints, energies, gamma):
    """Same as :func:`direct_diffusivities`, with sources and currents batched.

    ``kpoints`` (Å⁻¹) must be the full grid: every point has the same weight.
    """
    ops = np.concatenate([model.spin_operators(), model.orbital_moment_operators()])
    charge = np.zeros((len(energies), 3, 3))
    tensor = np.zeros((len(energies), 6, 3, 6, 3))
    for k in kpoints:
        h = model.hamiltonian(k[None])[0]
        v = model.velocity_operators(k[None])[0]  # ħv_i, eV·Å
        # currents J[b, j] = factor_b {ħv_j, O_b}
        currents = CURRENT_FACTOR[:, None, None, None] * (
            v[None] @ ops[:, None] + ops[:, None] @ v[None])
        for e, energy in enumerate(energies):
            g_r, g_a = _retarded(h, energy, gamma)
            tail = g_a @ v @ g_a  # (3, n, n): G^A v_i G^A
            # Eq. (8): ħ Re Tr[v_j Im(G^R G^A v_i G^A)], one ħ sits in ħv_j
            x_charge = im_operator(g_r @ tail)
            charge[e] += np.einsum("jpn,inp->ij", v, x_charge).real
            # Eqs. (10)–(13): source S_a, gradient i; current J_b along j
            x = im_operator(g_r[None, None] @ ops[:, None] @ tail[None])  # (6, 3, n, n)
            traces = np.einsum("bjpn,ainp->aibj", currents, x).real
            tensor[e] += SOURCE_WEIGHT[:, None, None, None] * traces
    return _in_conductivity_units(model, len(kpoints), gamma, charge, tensor)
