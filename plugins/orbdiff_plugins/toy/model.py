"""The bcc p-orbital toy model of the supplement, Sec. IV.

p_x, p_y, p_z on every site of a bcc lattice with nearest-neighbour two-centre
hopping (V_σ, V_π) and optional on-site spin-orbit coupling ξ σ·L.
"""

from __future__ import annotations

import math
from typing import Any

from orbdiff.basis import OrbitalSet
from orbdiff.errors import invalid
from orbdiff.hamiltonian import ModelBuilder, SpinOrbitCoupling, TightBindingModel
from orbdiff.structure import Crystal, as_crystal, neighbour_shells

__all__ = ["DEFAULTS", "bcc_p_toy"]

#: Parameters of Supplement Sec. IV: V_σ, V_π and ξ in eV, a in Å.
DEFAULTS: dict[str, Any] = {"v_sigma": 0.2, "v_pi": 0.05, "a": 3.30, "xi": 0.0, "structure": None}


def _finite(name: str, value: Any, minimum: float | None = None, strict: bool = False) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    below = minimum is not None and (number <= minimum if strict else number < minimum)
    if not math.isfinite(number) or below:
        bound = "" if minimum is None else f" {'>' if strict else '≥'} {minimum:g}"
        raise invalid(name, value, f"a finite number{bound}")
    return number


def bcc_p_toy(
    v_sigma: float = 0.2,
    v_pi: float = 0.05,
    a: float = 3.30,
    xi: float = 0.0,
    structure: Any = None,
) -> TightBindingModel:
    """Build the toy model.

    Parameters
    ----------
    v_sigma, v_pi : float
        Nearest-neighbour two-centre integrals (ppσ), (ppπ) in eV.
    a : float
        Cubic lattice constant in Å (ignored when ``structure`` is given).
    xi : float
        Spin-orbit coupling, coefficient of σ·L, in eV (≥ 0).
    structure : ase.Atoms or pymatgen Structure or Crystal, optional
        A bcc crystal to use instead of the primitive cell built from ``a``.

    Returns
    -------
    TightBindingModel
        6×6 spinful model (3 orbitals × 2 spins).
    """
    v_sigma, v_pi = _finite("v_sigma", v_sigma), _finite("v_pi", v_pi)
    xi = _finite("xi", xi, minimum=0.0)
    if structure is None:
        crystal = Crystal.bcc(_finite("a", a, minimum=0.0, strict=True))
    else:
        crystal = as_crystal(structure)
    builder = ModelBuilder(crystal, OrbitalSet(("p",)))
    builder.add_slater_koster(neighbour_shells(crystal, 1), [{"pps": v_sigma, "ppp": v_pi}])
    if xi:
        builder.add_onsite_term(SpinOrbitCoupling(xi))
    parameters = {
        "v_sigma": v_sigma,
        "v_pi": v_pi,
        "xi": xi,
        "a": float(a) if structure is None else None,
    }
    return builder.finalized(name="bcc-p-toy", parameters=parameters)
