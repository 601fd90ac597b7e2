"""Direct reference evaluation of the diffusivities, written for clarity, not speed.

At every k-point and energy it inverts ``E − H + iΓ`` in the orbital basis and
multiplies out paper Eqs. (8) and (10)–(13) literally, with ``Im X = (X − X†)/2i``.
It shares no code with the band-basis engine except the model's H(k) and ħv(k).
"""

from __future__ import annotations

import numpy as np
from scipy import constants

HBAR_FACTOR = constants.e**2 / (constants.pi * constants.hbar) * 1e10  # S/m per Å⁻¹


def im_operator(x: np.ndarray) -> np.ndarray:
    return (x - x.conj().T) / 2j


def direct_diffusivities(model, kpoints, energies, gamma):
    """Return charge (n_E,3,3) and tensor (n_E,18,18) in S/m by literal evaluation."""
    n = model.n_states
    sigma = model.spin_operators()
    ell = model.orbital_moment_operators()
    ops = list(sigma) + list(ell)
    source_weight = [2, 2, 2, 1, 1, 1]
    current_factor = [0.25, 0.25, 0.25, 0.5, 0.5, 0.5]  # (ħ/4){v,σ}, (ħ/2){v,L}
    charge = np.zeros((len(energies), 3, 3))
    tensor = np.zeros((len(energies), 18, 18))
    for k in kpoints:
        h = model.hamiltonian(k[None])[0]
        v = model.velocity_operators(k[None])[0]  # ħv, eV·Å
        for e, energy in enumerate(energies):
            g_r = np.linalg.inv((energy + 1j * gamma) * np.eye(n) - h)
            g_a = g_r.conj().T
            for i in range(3):
                tail = g_a @ v[i] @ g_a
                # Eq. (8): ħ Re Tr[v_j Im(G^R G^A v_i G^A)]  (one ħ is in ħv_j)
                x = im_operator(g_r @ tail)
                for j in range(3):
                    charge[e, i, j] += np.trace(v[j] @ x).real
                for a, source in enumerate(ops):
                    x = im_operator(g_r @ source @ tail)
                    for b, carried in enumerate(ops):
                        for j in range(3):
                            current = current_factor[b] * (v[j] @ carried + carried @ v[j])
                            tensor[e, 3 * a + i, 3 * b + j] += (
                                source_weight[a] * np.trace(current @ x).real
                            )
    factor = HBAR_FACTOR * gamma / (model.crystal.volume * len(kpoints))
    return factor * charge, factor * tensor
