"""A short hash that identifies a model by what it computes, through the protocol only."""

from __future__ import annotations

import hashlib

import numpy as np

__all__ = ["model_fingerprint"]

#: Fractional k-points (of the reciprocal cell) at which a model is sampled for its hash.
_PROBES = np.random.default_rng(20261201).random((4, 3))


def model_fingerprint(model) -> str:
    """``"model-<12 hex>"``: changes when H(k), ħv(k), σ, L or the crystal change.

    The model is read through the protocol (``hamiltonian``, ``velocity_operators``,
    ``spin_operators``, ``orbital_moment_operators``, ``crystal``), so any model
    implementation, Slater-Koster, Wannier90 or a user's, gets a hash. Numbers are
    rounded to 10⁻¹⁰ (eV, eV·Å, Å) so that floating-point noise does not change it.
    """
    k = _PROBES @ model.crystal.reciprocal_cell
    digest = hashlib.sha256()
    for array in (model.crystal.cell, model.crystal.positions, model.hamiltonian(k),
                  model.velocity_operators(k), model.spin_operators(),
                  model.orbital_moment_operators()):
        digest.update(np.round(np.asarray(array, dtype=complex), 10).tobytes())
    return "model-" + digest.hexdigest()[:12]
