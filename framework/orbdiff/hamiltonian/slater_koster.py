"""Two-centre Slater-Koster hopping matrices for s, p and d orbitals.

Table I of J. C. Slater and G. F. Koster, Phys. Rev. 94, 1498 (1954),
doi:10.1103/PhysRev.94.1498, in the orbital order of
:data:`orbdiff.basis.orbitals.SHELL_ORBITALS`. The table gives
``E_ab(R) = ⟨a, 0|H|b, R⟩`` for l_a ≤ l_b, with ``R`` pointing from the bra atom
to the ket atom and direction cosines ``(l, m, n)``; the other order follows from
parity, ``E_ba(R)[j, i] = (−1)^(l_a+l_b) E_ab(R)[i, j]``, e.g.
``E_s,x = l (spσ)`` and ``E_x,s = −l (spσ)``.

Between two species A (bra) and B (ket) the integrals of the pair (A, B) name the
bra orbital first: ``sps`` of (A, B) is ⟨s_A|H|p_B⟩ along the bond. A block with
l_bra > l_ket then comes from the (B, A) integrals by the parity rule, e.g.
``E_x,s = −l (spσ)_BA``; (spσ)_AB and (spσ)_BA are different numbers.
"""

# ruff: noqa: E741 -- ``l, m, n`` are the direction cosines of Slater & Koster's table.
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import numpy as np

from ..basis.orbitals import ANGULAR_MOMENTUM, SHELL_ORBITALS, OrbitalSet
from ..errors import invalid

__all__ = ["INTEGRAL_NAMES", "hopping_matrix", "required_integrals", "two_centre_block"]

INTEGRAL_NAMES = ("sss", "sps", "sds", "pps", "ppp", "pds", "pdp", "dds", "ddp", "ddd")
"""Two-centre integrals (ssσ, spσ, sdσ, ppσ, ppπ, pdσ, pdπ, ddσ, ddπ, ddδ)."""

_S3 = np.sqrt(3.0)


def _ss(l: float, m: float, n: float, v: Mapping[str, float]) -> np.ndarray:
    return np.array([[v["sss"]]])


def _sp(l: float, m: float, n: float, v: Mapping[str, float]) -> np.ndarray:
    return v["sps"] * np.array([[l, m, n]])


def _sd(l: float, m: float, n: float, v: Mapping[str, float]) -> np.ndarray:
    row = [_S3 * l * m, _S3 * m * n, _S3 * n * l, _S3 / 2 * (l**2 - m**2), n**2 - (l**2 + m**2) / 2]
    return v["sds"] * np.array([row])


def _pp(l: float, m: float, n: float, v: Mapping[str, float]) -> np.ndarray:
    c = np.array([l, m, n])
    return v["pps"] * np.outer(c, c) + v["ppp"] * (np.eye(3) - np.outer(c, c))


def _p_t2g(l: float, m: float, n: float, v: Mapping[str, float]) -> list[float]:
    """``E_x,xy``, ``E_x,yz``, ``E_x,zx``; cyclic x→y→z gives the y and z rows."""
    s, p = v["pds"], v["pdp"]
    return [
        _S3 * l**2 * m * s + m * (1 - 2 * l**2) * p,
        _S3 * l * m * n * s - 2 * l * m * n * p,
        _S3 * l**2 * n * s + n * (1 - 2 * l**2) * p,
    ]


def _pd(l: float, m: float, n: float, v: Mapping[str, float]) -> np.ndarray:
    s, p = v["pds"], v["pdp"]
    x_xy, x_yz, x_zx = _p_t2g(l, m, n, v)
    y_yz, y_zx, y_xy = _p_t2g(m, n, l, v)
    z_zx, z_xy, z_yz = _p_t2g(n, l, m, v)
    d2, z2 = l**2 - m**2, n**2 - (l**2 + m**2) / 2
    eg = [
        [_S3 / 2 * l * d2 * s + l * (1 - d2) * p, l * z2 * s - _S3 * l * n**2 * p],
        [_S3 / 2 * m * d2 * s - m * (1 + d2) * p, m * z2 * s - _S3 * m * n**2 * p],
        [_S3 / 2 * n * d2 * s - n * d2 * p, n * z2 * s + _S3 * n * (l**2 + m**2) * p],
    ]
    t2g = [[x_xy, x_yz, x_zx], [y_xy, y_yz, y_zx], [z_xy, z_yz, z_zx]]
    return np.hstack([t2g, eg])


def _t2g_t2g(l: float, m: float, n: float, v: Mapping[str, float]) -> tuple[float, float]:
    """``E_xy,xy`` and ``E_xy,yz``; cyclic x→y→z gives the rest of the t2g block."""
    s, p, d = v["dds"], v["ddp"], v["ddd"]
    xy_xy = 3 * l**2 * m**2 * s + (l**2 + m**2 - 4 * l**2 * m**2) * p + (n**2 + l**2 * m**2) * d
    xy_yz = 3 * l * m**2 * n * s + l * n * (1 - 4 * m**2) * p + l * n * (m**2 - 1) * d
    return xy_xy, xy_yz


def _t2g_eg(l: float, m: float, n: float, v: Mapping[str, float]) -> list[list[float]]:
    s, p, d = v["dds"], v["ddp"], v["ddd"]
    d2, z2, lm2 = l**2 - m**2, n**2 - (l**2 + m**2) / 2, l**2 + m**2
    return [
        [1.5 * l * m * d2 * s - 2 * l * m * d2 * p + 0.5 * l * m * d2 * d,
         _S3 * l * m * z2 * s - 2 * _S3 * l * m * n**2 * p + _S3 / 2 * l * m * (1 + n**2) * d],
        [1.5 * m * n * d2 * s - m * n * (1 + 2 * d2) * p + m * n * (1 + d2 / 2) * d,
         _S3 * m * n * z2 * s + _S3 * m * n * (lm2 - n**2) * p - _S3 / 2 * m * n * lm2 * d],
        [1.5 * n * l * d2 * s + n * l * (1 - 2 * d2) * p - n * l * (1 - d2 / 2) * d,
         _S3 * l * n * z2 * s + _S3 * l * n * (lm2 - n**2) * p - _S3 / 2 * l * n * lm2 * d],
    ]  # fmt: skip


def _eg_eg(l: float, m: float, n: float, v: Mapping[str, float]) -> list[list[float]]:
    s, p, d = v["dds"], v["ddp"], v["ddd"]
    d2, z2, lm2 = l**2 - m**2, n**2 - (l**2 + m**2) / 2, l**2 + m**2
    x2_x2 = 0.75 * d2**2 * s + (lm2 - d2**2) * p + (n**2 + d2**2 / 4) * d
    x2_z2 = _S3 / 2 * d2 * z2 * s - _S3 * n**2 * d2 * p + _S3 / 4 * (1 + n**2) * d2 * d
    z2_z2 = z2**2 * s + 3 * n**2 * lm2 * p + 0.75 * lm2**2 * d
    return [[x2_x2, x2_z2], [x2_z2, z2_z2]]


def _dd(l: float, m: float, n: float, v: Mapping[str, float]) -> np.ndarray:
    xy_xy, xy_yz = _t2g_t2g(l, m, n, v)
    yz_yz, yz_zx = _t2g_t2g(m, n, l, v)
    zx_zx, zx_xy = _t2g_t2g(n, l, m, v)
    t2g = [[xy_xy, xy_yz, zx_xy], [xy_yz, yz_yz, yz_zx], [zx_xy, yz_zx, zx_zx]]
    t2g_eg = np.array(_t2g_eg(l, m, n, v))
    return np.block([[np.array(t2g), t2g_eg], [t2g_eg.T, np.array(_eg_eg(l, m, n, v))]])


_TABLE: dict[tuple[str, str], Callable[..., np.ndarray]] = {
    ("s", "s"): _ss, ("s", "p"): _sp, ("s", "d"): _sd,
    ("p", "p"): _pp, ("p", "d"): _pd, ("d", "d"): _dd,
}  # fmt: skip


def _direction(bond: np.ndarray) -> tuple[float, float, float]:
    vector = np.asarray(bond, dtype=float)
    if vector.shape != (3,) or not np.all(np.isfinite(vector)):
        raise invalid("bond", bond, "a finite 3-vector (Å)")
    length = np.linalg.norm(vector)
    if length == 0.0:
        raise invalid("bond", bond, "a non-zero vector from the bra atom to the ket atom")
    l, m, n = vector / length
    return float(l), float(m), float(n)


def required_integrals(shells_a: Iterable[str], shells_b: Iterable[str]) -> tuple[str, ...]:
    """Integrals of the pair (A, B) that a bond between A and B uses.

    Parameters
    ----------
    shells_a, shells_b : iterable of {"s", "p", "d"}
        Shells of the bra species A and of the ket species B.

    Returns
    -------
    tuple of str
        Names from :data:`INTEGRAL_NAMES` whose first shell is on A and second on B,
        l_first ≤ l_second (the blocks with l_bra > l_ket use the (B, A) integrals).
    """
    pairs = {a + b for a in shells_a for b in shells_b
             if ANGULAR_MOMENTUM[a] <= ANGULAR_MOMENTUM[b]}
    return tuple(name for name in INTEGRAL_NAMES if name[:2] in pairs)


def _checked_integrals(integrals: Mapping[str, float], field: str = "integrals") -> dict:
    unknown = sorted(set(integrals) - set(INTEGRAL_NAMES))
    if unknown:
        raise invalid(field, unknown, f"names among {', '.join(INTEGRAL_NAMES)}")
    checked = {}
    for name, value in integrals.items():
        if isinstance(value, bool) or not isinstance(value, int | float | np.number) or not (
            np.isfinite(value)
        ):
            raise invalid(f"{field}.{name}", value, "a finite number (eV)")
        checked[name] = float(value)
    return checked


def _block(
    shell_a: str,
    shell_b: str,
    cosines: tuple[float, ...],
    v_ab: Mapping[str, float],
    v_ba: Mapping[str, float],
) -> np.ndarray:
    l_a, l_b = ANGULAR_MOMENTUM[shell_a], ANGULAR_MOMENTUM[shell_b]
    try:
        if l_a <= l_b:
            return _TABLE[shell_a, shell_b](*cosines, v_ab)
        return (-1) ** (l_a + l_b) * _TABLE[shell_b, shell_a](*cosines, v_ba).T
    except KeyError as missing:
        pair = shell_a + shell_b if l_a <= l_b else shell_b + shell_a
        raise invalid("integrals", f"no {missing.args[0]}",
                      f"every integral of the {pair} block") from None


def two_centre_block(
    shell_a: str,
    shell_b: str,
    bond: np.ndarray,
    integrals: Mapping[str, float],
    reverse_integrals: Mapping[str, float] | None = None,
) -> np.ndarray:
    """Slater-Koster hopping between two shells.

    Parameters
    ----------
    shell_a, shell_b : {"s", "p", "d"}
        Shell of the bra atom (at the origin) and of the ket atom (at ``bond``).
    bond : (3,) array_like of float
        Vector from the bra atom to the ket atom (Å); only its direction matters.
    integrals : mapping of str to float
        Two-centre integrals (eV) of the pair (bra species, ket species), named as in
        :data:`INTEGRAL_NAMES` with the first shell on the bra atom.
    reverse_integrals : mapping of str to float, optional
        Integrals (eV) of the pair (ket species, bra species), used for l_a > l_b
        (default: ``integrals``, i.e. one species).

    Returns
    -------
    (n_a, n_b) ndarray of float
        ``E_ab(R) = ⟨a, 0|H|b, R⟩`` in the orbital order of ``SHELL_ORBITALS``.

    Raises
    ------
    InputError
        Unknown shell or integral name, a missing or non-finite integral, or a zero or
        non-finite bond.
    """
    for shell in (shell_a, shell_b):
        if shell not in SHELL_ORBITALS:
            raise invalid("shell", shell, f"one of {', '.join(SHELL_ORBITALS)}")
    v_ab = _checked_integrals(integrals)
    v_ba = v_ab if reverse_integrals is None else _checked_integrals(reverse_integrals)
    return _block(shell_a, shell_b, _direction(bond), v_ab, v_ba)


def hopping_matrix(
    orbitals: OrbitalSet,
    bond: np.ndarray,
    integrals: Mapping[str, float],
    ket_orbitals: OrbitalSet | None = None,
    reverse_integrals: Mapping[str, float] | None = None,
) -> np.ndarray:
    """Slater-Koster hopping between two atoms.

    Parameters
    ----------
    orbitals : OrbitalSet
        Orbitals of the bra atom (and of the ket atom unless ``ket_orbitals``).
    bond : (3,) array_like of float
        Vector from the bra atom to the ket atom (Å).
    integrals : mapping of str to float
        Two-centre integrals (eV) of the pair (bra species, ket species); every
        integral the two orbital sets use must be given.
    ket_orbitals : OrbitalSet, optional
        Orbitals of the ket atom, if they differ.
    reverse_integrals : mapping of str to float, optional
        Integrals (eV) of the pair (ket species, bra species), for the blocks with
        l_bra > l_ket (default: ``integrals``).

    Returns
    -------
    (n_bra, n_ket) ndarray of float
        ``⟨a, 0|H|b, R⟩`` assembled from :func:`two_centre_block` over all shell pairs;
        for one species ``hopping_matrix(R) == hopping_matrix(−R).T``.
    """
    ket_orbitals = orbitals if ket_orbitals is None else ket_orbitals
    cosines, v_ab = _direction(bond), _checked_integrals(integrals)
    v_ba = v_ab if reverse_integrals is None else _checked_integrals(reverse_integrals)
    out = np.zeros((orbitals.n_orbitals, ket_orbitals.n_orbitals))
    for shell_a, rows in orbitals.shell_slices.items():
        for shell_b, cols in ket_orbitals.shell_slices.items():
            out[rows, cols] = _block(shell_a, shell_b, cosines, v_ab, v_ba)
    return out
