"""Constant disorder broadening: Σ^R = −iΓ for every state (paper Eq. 4)."""

from __future__ import annotations

from ..validation import GAMMA_RANGE, check_number

__all__ = ["ConstantBroadening"]


class ConstantBroadening:
    """Retarded self-energy ``Σ^R = −iΓ``, so ``G^R = (E − H + iΓ)^{-1}``.

    Parameters
    ----------
    gamma : float
        Disorder broadening Γ in eV, a real number (not a bool or string) in
        ``GAMMA_RANGE`` = [1e-6, 1000] eV.
    """

    name = "constant"

    def __init__(self, gamma: float) -> None:
        self.gamma = check_number("gamma", gamma, minimum=GAMMA_RANGE[0],
                                  maximum=GAMMA_RANGE[1], unit="eV")

    def __repr__(self) -> str:
        return f"ConstantBroadening(gamma={self.gamma!r})"

    def as_dict(self) -> dict:
        """Inputs, for provenance."""
        return {"self_energy": self.name, "gamma": self.gamma}
