"""Ferromagnetic s-d-like exchange ``J σ·m`` (Supplement Sec. VI)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from orbdiff.basis import OrbitalSet, pauli_matrices
from orbdiff.errors import invalid
from orbdiff.hamiltonian import TightBindingModel

__all__ = ["EXCHANGE_SHELLS", "Exchange", "magnetization", "with_exchange"]


def magnetization(
    m: Sequence[float] | None = None, theta: float | None = None, phi: float = 0.0
) -> np.ndarray:
    """A unit magnetization from a vector ``m`` or from polar angles (degrees).

    Parameters
    ----------
    m : (3,) sequence of float, optional
        Direction; must already have unit length (within 10⁻⁶).
    theta, phi : float, optional
        Polar angle from +z and azimuth from +x, in degrees: m = (sinθ cosφ, sinθ sinφ, cosθ).
    """
    if (m is None) == (theta is None):
        raise invalid("magnetization", (m, theta), "either a unit vector m or angles theta, phi")
    if m is None:
        angles = np.radians([float(theta), float(phi)])
        if not np.all(np.isfinite(angles)):
            raise invalid("theta/phi", (theta, phi), "finite angles in degrees")
        t, p = angles
        return np.array([math.sin(t) * math.cos(p), math.sin(t) * math.sin(p), math.cos(t)])
    vector = np.asarray(m, dtype=float)
    if vector.shape != (3,) or not np.all(np.isfinite(vector)):
        raise invalid("m", m, "three finite numbers")
    if abs(np.linalg.norm(vector) - 1) > 1e-6:
        raise invalid("m", m, f"a unit vector (|m| = {np.linalg.norm(vector):.6g}, not 1)")
    return vector


#: Accepted orbital selections of the exchange: every orbital, or the d shell only.
EXCHANGE_SHELLS = ("all", "d")


class Exchange:
    """On-site exchange ``J σ·m`` on the orbitals of an atom (all, or the d shell).

    Parameters
    ----------
    j : float
        Exchange energy J in eV (finite, any sign; J < 0 makes σ·m = +1 the majority).
    m : (3,) array_like
        Unit magnetization direction (see :func:`magnetization`).
    shells : {"all", "d"}
        Orbitals that feel the exchange: every orbital (default) or the d orbitals only.
    """

    name = "exchange"

    def __init__(self, j: float, m: Sequence[float], shells: str = "all") -> None:
        self.j = _finite_exchange(j)
        self.m = magnetization(m)
        self.shells = _checked_shells(shells)
        #: read by the model builder so that symmetry reduction keeps m invariant
        self.magnetization = self.m

    def __call__(self, orbitals: OrbitalSet) -> np.ndarray:
        sigma_m = np.einsum("a,aij->ij", self.m, pauli_matrices())
        return self.j * np.kron(np.diag(self.orbital_mask(orbitals)), sigma_m)

    def orbital_mask(self, orbitals: OrbitalSet) -> np.ndarray:
        """(n_orbitals,) 1 on the orbitals that feel the exchange, 0 elsewhere."""
        if self.shells == "all":
            return np.ones(orbitals.n_orbitals)
        if "d" not in orbitals.shell_slices:
            raise invalid("exchange shells (--exchange-shells)", self.shells,
                          f"'all' for atoms without d orbitals (these have "
                          f"{', '.join(orbitals.shells)})")
        mask = np.zeros(orbitals.n_orbitals)
        mask[orbitals.shell_slices["d"]] = 1.0
        return mask

    def __repr__(self) -> str:
        return f"Exchange(j={self.j!r}, m={self.m.tolist()!r}, shells={self.shells!r})"


def with_exchange(
    model: TightBindingModel,
    j: float | Mapping[str, float],
    m: Sequence[float],
    shells: str = "all",
) -> TightBindingModel:
    """``model`` plus ``J σ·m`` on every atom, or per chemical species if ``j`` is a mapping.

    Parameters
    ----------
    model : TightBindingModel
        Any model (toy, real metal, third-party), with or without SOC.
    j : float or mapping of species to float
        Exchange energy J in eV.
    m : (3,) array_like
        Unit magnetization direction.
    shells : {"all", "d"}
        The exchange acts on every orbital, or on the d orbitals of every atom only
        (an error for a model whose atoms have no d orbitals).

    The magnetization is recorded on the model, so symmetry reduction keeps only the
    operations that leave it unchanged.
    """
    direction = magnetization(m)
    species = sorted(set(model.crystal.symbols))
    exchanges = dict(j) if isinstance(j, Mapping) else dict.fromkeys(species, j)
    unknown = sorted(set(exchanges) - set(species))
    if unknown:
        raise invalid("exchange species", unknown, f"species of the crystal {species}")
    values = {name: _finite_exchange(value) for name, value in exchanges.items()}
    terms = {name: Exchange(value, direction, shells) for name, value in values.items()}
    for atom, symbol in enumerate(model.crystal.symbols):  # bad shells fail before any sum
        if symbol in terms:
            terms[symbol].orbital_mask(model.orbitals[atom])
    for name, term in terms.items():
        atoms = [a for a, symbol in enumerate(model.crystal.symbols) if symbol == name]
        model = model.with_onsite_term(term, atoms=atoms, magnetization=direction,
                                       exchange=values, exchange_shells=term.shells,
                                       magnetization_direction=direction.tolist())
    return model


def _checked_shells(shells: str) -> str:
    if shells not in EXCHANGE_SHELLS:
        raise invalid("exchange shells", shells, f"one of {', '.join(EXCHANGE_SHELLS)}")
    return shells


def _finite_exchange(j: float) -> float:
    try:
        value = float(j)
    except (TypeError, ValueError):
        value = math.nan
    if not math.isfinite(value):
        raise invalid("exchange J", j, "a finite number (eV)")
    return value
