"""On-site terms: Hermitian matrices added to every atom of a model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

import numpy as np

from ..basis.orbitals import OrbitalSet
from ..basis.spin import spin_orbit_coupling

__all__ = ["OnsiteTerm", "SpinOrbitCoupling"]


@runtime_checkable
class OnsiteTerm(Protocol):
    """What an on-site term is: a named callable giving a (2n, 2n) matrix in eV."""

    name: str

    def __call__(self, orbitals: OrbitalSet) -> np.ndarray:
        """Return the term for an atom with ``orbitals``, in the ``orbital ⊗ spin`` basis."""


class SpinOrbitCoupling:
    """Atomic spin-orbit coupling ``ξ σ·L`` on each shell with l ≥ 1.

    Parameters
    ----------
    xi : float or mapping of shell name to float
        Coefficient of σ·L in eV (the paper's convention; half the L·S constant).
        A float applies to every p and d shell.
    """

    name = "soc"

    def __init__(self, xi: float | Mapping[str, float]) -> None:
        self.xi = xi

    def __call__(self, orbitals: OrbitalSet) -> np.ndarray:
        return spin_orbit_coupling(orbitals, self.xi)

    def __repr__(self) -> str:
        return f"SpinOrbitCoupling(xi={self.xi!r})"
