"""Constant disorder broadening: Σ^R = −iΓ for every state (paper Eq. 4)."""

from __future__ import annotations

import math

from ..errors import invalid

__all__ = ["ConstantBroadening"]


class ConstantBroadening:
    """Retarded self-energy ``Σ^R = −iΓ``, so ``G^R = (E − H + iΓ)^{-1}``.

    Parameters
    ----------
    gamma : float
        Disorder broadening Γ in eV, finite and > 0.
    """

    name = "constant"

    def __init__(self, gamma: float) -> None:
        try:
            value = float(gamma)
        except (TypeError, ValueError):
            raise invalid("gamma", gamma, "a finite number > 0 (eV)") from None
        if not (math.isfinite(value) and value > 0):
            raise invalid("gamma", gamma, "a finite number > 0 (eV)")
        self.gamma = value

    def __repr__(self) -> str:
        return f"ConstantBroadening(gamma={self.gamma!r})"

    def as_dict(self) -> dict:
        """Inputs, for provenance."""
        return {"self_energy": self.name, "gamma": self.gamma}
