"""Spin and orbital moments of a model from its occupied states on a k-grid.

Sign convention: both moments are angular momenta along the unit vector m, in units
where one electron of spin along m (σ·m = +1) contributes +1 μ_B to the spin moment
and one electron with L·m = +1 (ħ) contributes +1 μ_B to the orbital moment:

    M_s = (1/N_atoms) Σ_k w_k Σ_n f_nk ⟨nk|σ·m|nk⟩,
    M_l = (1/N_atoms) Σ_k w_k Σ_n f_nk ⟨nk|L·m|nk⟩   (μ_B per atom).

So the moment is positive when the majority spin points along m (the spin-polarized
handbook sets put the majority H↑ along m). The magnetic dipole moment of the electrons
is these numbers times −1 (the electron charge); they are reported as in DFT codes,
"moment along m" = majority minus minority. With the exchange term ``J σ·m`` a
negative J lowers σ·m = +1 and gives a positive moment.

Occupations are Fermi–Dirac with width ``smearing`` (k_B T, eV), summed over the
Γ-centred grid: over the irreducible wedge of the operations that leave both the model
and m unchanged (``point_group().preserving(m)``), with star weights; ⟨σ·m⟩ and ⟨L·m⟩
are the same at every point of a star, so this equals the full-grid sum (tested). The
Fermi level is found from the electron count with the same occupations, so the count
is exact on the grid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import invalid
from ..hamiltonian.model import TightBindingModel
from ..structure.kgrid import KGrid
from .engine import KSampling

__all__ = ["BandSample", "Moments", "band_sample", "magnetic_moments", "occupations",
           "smeared_fermi_level"]

#: Default Fermi–Dirac width k_B T in eV (about room temperature).
DEFAULT_SMEARING = 0.025


@dataclass(frozen=True)
class BandSample:
    """Band energies and the expectation values of σ·m and L·m on a k-grid.

    Attributes
    ----------
    energies : (n_k, n_states) ndarray
        Eigenvalues in eV.
    spin, orbital : (n_k, n_states) ndarray
        ⟨nk|σ·m|nk⟩ (dimensionless) and ⟨nk|L·m|nk⟩ (ħ).
    weights : (n_k,) ndarray
        Weight of each k-point (its star size over the number of grid points; sum 1).
    n_atoms : int
        Atoms per cell.
    direction : (3,) ndarray
        The unit vector m.
    """

    energies: np.ndarray
    spin: np.ndarray
    orbital: np.ndarray
    weights: np.ndarray
    n_atoms: int
    direction: np.ndarray


@dataclass(frozen=True)
class Moments:
    """Spin and orbital moment along m at a Fermi level.

    Attributes
    ----------
    spin, orbital : float
        M_s and M_l in μ_B per atom (sign convention: module docstring).
    fermi_level : float
        eV, on the model's energy scale.
    electrons : float
        Electrons per cell below the Fermi level (with the smeared occupations).
    direction : (3,) ndarray
        The unit vector m.
    smearing : float
        Fermi–Dirac width k_B T in eV.
    """

    spin: float
    orbital: float
    fermi_level: float
    electrons: float
    direction: np.ndarray
    smearing: float


def band_sample(model: TightBindingModel, grid: int | tuple[int, int, int],
                m: Sequence[float], chunk_size: int = 2048) -> BandSample:
    """Diagonalize ``model`` on the grid's wedge and keep ⟨σ·m⟩ and ⟨L·m⟩ of every state.

    Parameters
    ----------
    model : TightBindingModel
    grid : int or (3,) tuple of int
        k-points per reciprocal axis.
    m : (3,) sequence of float
        Unit vector the moments are projected on.
    """
    direction = _unit(m)
    spin_m = np.einsum("a,aij->ij", direction, model.spin_operators())
    orbital_m = np.einsum("a,aij->ij", direction, model.orbital_moment_operators())
    kgrid = KGrid(model.crystal, grid)
    wedge = KSampling(grid=kgrid, group=model.point_group().preserving(direction))
    energies, spin, orbital, weights = [], [], [], []
    for k, star in wedge.blocks(chunk_size):
        values, vectors = np.linalg.eigh(model.hamiltonian(k))
        energies.append(values)
        spin.append(_expectation(vectors, spin_m))
        orbital.append(_expectation(vectors, orbital_m))
        weights.append(star / kgrid.n_points)
    return BandSample(np.concatenate(energies), np.concatenate(spin),
                      np.concatenate(orbital), np.concatenate(weights),
                      len(model.crystal.symbols), direction)


def occupations(energies: np.ndarray, fermi_level: float, smearing: float) -> np.ndarray:
    """Fermi–Dirac occupations f = 1 / (1 + e^{(ε − μ)/k_B T}); energies, μ, k_B T in eV."""
    from scipy.special import expit  # here: scipy.special costs start-up time
    return expit(-(np.asarray(energies) - fermi_level) / smearing)


def smeared_fermi_level(sample: BandSample, electrons: float,
                        smearing: float = DEFAULT_SMEARING) -> float:
    """Fermi level (eV) at which the occupations hold ``electrons`` per cell."""
    from scipy.optimize import brentq  # here: scipy.optimize costs start-up time

    _check_smearing(smearing)
    n_states = sample.energies.shape[1]
    if not 0 < electrons < n_states:
        raise invalid("electrons", electrons, f"a number between 0 and {n_states} per cell")
    low = sample.energies.min() - 40 * smearing - 1.0
    high = sample.energies.max() + 40 * smearing + 1.0

    def excess(mu: float) -> float:
        return sample.weights @ occupations(sample.energies, mu, smearing).sum(axis=1) - electrons

    return float(brentq(excess, low, high, xtol=1e-12, rtol=1e-15, maxiter=500))


def magnetic_moments(
    model: TightBindingModel,
    grid: int | tuple[int, int, int],
    m: Sequence[float],
    *,
    electrons: float | None = None,
    fermi_level: float | None = None,
    smearing: float = DEFAULT_SMEARING,
) -> Moments:
    """Spin and orbital moment along ``m`` of the states below the Fermi level.

    Parameters
    ----------
    model : TightBindingModel
        Any model (with exchange, SOC, a spin-polarized set, ...).
    grid : int or (3,) tuple of int
        k-points per reciprocal axis (full grid, no symmetry reduction).
    m : (3,) sequence of float
        Unit vector of the moments.
    electrons : float, optional
        Electrons per cell: the Fermi level is found from this count.
    fermi_level : float, optional
        Or a given Fermi level in eV (exactly one of the two).
    smearing : float
        Fermi–Dirac width k_B T in eV (> 0).

    Returns
    -------
    Moments
        M_s, M_l in μ_B per atom, the Fermi level (eV) and the electron count.
    """
    if (electrons is None) == (fermi_level is None):
        raise invalid("magnetic_moments", (electrons, fermi_level),
                      "exactly one of electrons (per cell) or fermi_level (eV)")
    _check_smearing(smearing)
    sample = band_sample(model, grid, m)
    mu = smeared_fermi_level(sample, electrons, smearing) if electrons is not None \
        else float(fermi_level)
    return moments_at(sample, mu, smearing)


def moments_at(sample: BandSample, fermi_level: float, smearing: float) -> Moments:
    """:class:`Moments` of a :class:`BandSample` at a Fermi level (eV)."""
    f = occupations(sample.energies, fermi_level, smearing) * sample.weights[:, None]
    return Moments(spin=float((f * sample.spin).sum() / sample.n_atoms),
                   orbital=float((f * sample.orbital).sum() / sample.n_atoms),
                   fermi_level=float(fermi_level), electrons=float(f.sum()),
                   direction=sample.direction, smearing=float(smearing))


def _expectation(vectors: np.ndarray, operator: np.ndarray) -> np.ndarray:
    """(n_k, n_states) real ⟨n|O|n⟩ for eigenvectors in the columns of ``vectors``."""
    return np.einsum("kin,ij,kjn->kn", vectors.conj(), operator, vectors, optimize=True).real


def _unit(m: Sequence[float]) -> np.ndarray:
    vector = np.asarray(m, dtype=float)
    if vector.shape != (3,) or not np.all(np.isfinite(vector)) \
            or abs(np.linalg.norm(vector) - 1) > 1e-6:
        raise invalid("m", m, "a unit vector of three finite numbers")
    return vector


def _check_smearing(smearing: float) -> None:
    if not (np.isfinite(smearing) and 1e-4 <= smearing <= 1.0):
        raise invalid("smearing", smearing, "a Fermi–Dirac width k_B T between 1e-4 and 1 eV")
