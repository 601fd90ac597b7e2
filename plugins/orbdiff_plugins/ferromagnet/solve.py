"""The exchange J that gives a target spin moment, with the Fermi level re-found at each J."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from orbdiff.errors import InputError, invalid
from orbdiff.hamiltonian import TightBindingModel
from orbdiff.observables import Moments, magnetic_moments
from orbdiff.observables.moments import DEFAULT_SMEARING
from orbdiff.validation import ENERGY_LIMIT

from .exchange import with_exchange

__all__ = ["MOMENT_TOLERANCE", "exchange_for_moment"]

#: Largest |M_s(J) − target| accepted, μ_B per atom.
MOMENT_TOLERANCE = 1e-5
#: |J| tried (eV) while bracketing the target: 0.05 eV doubling up to the J limit.
_TRIAL_EXCHANGES = (*(0.05 * 2.0**n for n in range(15)), ENERGY_LIMIT)


def exchange_for_moment(
    model: TightBindingModel,
    target: float,
    m: Sequence[float],
    *,
    electrons: float,
    grid: int,
    shells: str = "d",
    smearing: float = DEFAULT_SMEARING,
    moments: Callable[..., Moments] = magnetic_moments,
) -> tuple[float, Moments]:
    """J (eV) of ``J σ·m`` whose spin moment along m is ``target`` (μ_B per atom).

    At every trial J the Fermi level of the magnetic model is found again from the
    electron count (``electrons`` per cell), so the moment is self-consistent with it.
    The target is bracketed on |J| = 0.05, 0.1, 0.2, ... eV (J < 0 for a positive
    moment: see :mod:`orbdiff.observables.moments`), then found by Brent's method to
    :data:`MOMENT_TOLERANCE`.

    Parameters
    ----------
    model : TightBindingModel
        The non-magnetic model (SOC included if wanted).
    target : float
        Spin moment in μ_B per atom (sign: along m positive).
    m : (3,) sequence of float
        Unit magnetization direction.
    electrons : float
        Electrons per cell.
    grid : int
        k-points per reciprocal axis of the moment's k-sum.
    shells : {"d", "all"}
        Orbitals with exchange.
    smearing : float
        Fermi–Dirac width k_B T (eV).

    Returns
    -------
    (float, Moments)
        J in eV and the moments (μ_B per atom) and Fermi level (eV) at that J.

    Raises
    ------
    InputError
        If no |J| up to the J limit reaches the target; the message names the largest
        moment found.
    """
    if not math.isfinite(target):
        raise invalid("--moment", target, "a finite spin moment (μ_B per atom)")
    sign = -1.0 if target >= 0 else 1.0  # J < 0 lowers σ·m = +1: a positive moment

    def moment(j: float) -> Moments:
        return moments(with_exchange(model, j, m, shells), grid, m, electrons=electrons,
                       smearing=smearing)

    found = {0.0: moment(0.0)}
    if abs(found[0.0].spin - target) <= MOMENT_TOLERANCE:
        return 0.0, found[0.0]
    previous = 0.0
    for size in _TRIAL_EXCHANGES:
        j = sign * size
        found[j] = moment(j)
        if (found[j].spin - target) * (found[previous].spin - target) <= 0:
            return _refine(moment, target, previous, j, found)
        previous = j
    largest = max(found.values(), key=lambda entry: abs(entry.spin))
    j_largest = next(j for j, entry in found.items() if entry is largest)
    raise InputError(
        f"--moment: got {target:g} μ_B per atom; the largest spin moment this model reaches "
        f"with exchange on {'the d orbitals' if shells == 'd' else 'all orbitals'} is "
        f"{abs(largest.spin):.4g} μ_B per atom (at J = {j_largest:g} eV); give a smaller "
        "moment" + (" or --exchange-shells all" if shells == "d" else ""))


def _refine(moment, target, a, b, found) -> tuple[float, Moments]:
    """Brent's method between two J (eV) that bracket the target moment."""
    from scipy.optimize import brentq  # here: scipy.optimize costs 0.2 s of start-up

    last: dict[float, Moments] = {}

    def excess(j: float) -> float:
        last[j] = found[j] if j in found else moment(j)
        return last[j].spin - target

    j = float(brentq(excess, a, b, xtol=1e-9, rtol=1e-12, maxiter=200))
    result = last.get(j) or moment(j)
    if abs(result.spin - target) > MOMENT_TOLERANCE:  # a jump of M(J): report it honestly
        raise InputError(
            f"--moment: the spin moment jumps across {target:g} μ_B per atom near J = "
            f"{j:.6g} eV ({result.spin:.6g} there); give another moment or --exchange")
    return j, result
