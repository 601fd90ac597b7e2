"""Polarizations and swapping efficiencies, NaN where their denominator is not resolved.

A ratio is *ill-conditioned* where its denominator is smaller than its estimated
k-sampling error, or smaller than :data:`RESOLVED` × the scale of the denominator's
block (docs/theory.md, "Ratios"); it is then reported as NaN and flagged.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ILL_CONDITIONED_RULE", "RESOLVED", "Ratio", "polarization", "swapping"]

#: A denominator below this fraction of its block scale is not resolved.
RESOLVED = 1e-3

ILL_CONDITIONED_RULE = (
    "NaN where the denominator is below its estimated k-sampling error "
    f"or below {RESOLVED:g} of its block scale"
)


class Ratio:
    """A ratio array and the mask (same shape) of where it is ill-conditioned."""

    def __init__(self, numerator, denominator, error, scale) -> None:
        denominator = np.asarray(denominator, dtype=float)
        unresolved = np.abs(denominator) < RESOLVED * np.asarray(scale)
        if error is not None:
            unresolved |= np.abs(denominator) <= np.asarray(error)
        self.ill_conditioned = unresolved
        with np.errstate(divide="ignore", invalid="ignore"):
            self.values = np.where(unresolved, np.nan, numerator / denominator)


def polarization(cross, own, cross_error, own_error, own_scale) -> Ratio:
    """|cross| / (|own| + |cross|) (P_l or P_s); the denominator's error adds both errors."""
    cross, own = np.abs(cross), np.abs(own)
    error = None if cross_error is None else cross_error + own_error
    return Ratio(cross, cross + own, error, own_scale)


def swapping(cross, own, own_error, own_scale) -> Ratio:
    """|cross / own| (η), masked where ``own`` is not resolved."""
    ratio = Ratio(np.abs(cross), own, own_error, own_scale)
    ratio.values = np.abs(ratio.values)
    return ratio
