"""A Wannier90 Hamiltonian as an orbdiff model, in orbdiff's orbital and spin order.

Wannier90 orders the functions of a projections line by site, then l, then m_r, with
p = (z, x, y) and d = (z², xz, yz, x²−y², xy); orbdiff orders each atom's shells s, p, d
with p = (x, y, z) and d = (xy, yz, zx, x²−y², 3z²−r²). Both use real harmonics with
positive coefficients, so the change of basis is a permutation. Spinor files come in
two orderings: ``interleaved`` (up, down per orbital: Wannier90 ≥ 2.1) and ``blocks``
(all up, then all down: older VASP interfaces).
"""

# ruff: noqa: E741 -- ``l`` is the orbital quantum number, as in the physics literature.
from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from orbdiff.basis import OrbitalSet
from orbdiff.basis.angular_momentum import angular_momentum_matrices
from orbdiff.basis.spin import spin_orbit_coupling
from orbdiff.errors import InputError, invalid
from orbdiff.hamiltonian import SpinOrbitCoupling, TightBindingModel
from orbdiff.structure import Crystal

from .hr import RealSpaceHamiltonian, read_hr, read_tb
from .win import Projection, WinFile, read_win

__all__ = ["SPINOR_ORDERINGS", "W90_TO_ORBDIFF", "wannier90_model"]

SPINOR_ORDERINGS = ("interleaved", "blocks")
SHELLS = ("s", "p", "d")

#: Position of Wannier90's m_r (1-based) within orbdiff's shell order, per l.
W90_TO_ORBDIFF: dict[int, tuple[int, ...]] = {0: (0,), 1: (2, 0, 1), 2: (4, 2, 1, 3, 0)}


def wannier90_model(
    seedname: str | Path,
    spinor_ordering: str = "interleaved",
    xi: float | Mapping[str, float] = 0.0,
    centre_tolerance: float = 1.0,
) -> TightBindingModel:
    """Build the model of ``seedname.win`` and ``seedname_hr.dat`` (or ``_tb.dat``).

    Parameters
    ----------
    seedname : str or Path
        Path without extension, e.g. ``"runs/Ta/wannier90"``.
    spinor_ordering : {"interleaved", "blocks"}
        Order of the spinor components in a ``spinors = true`` file.
    xi : float or mapping of shell name to float
        On-site ξ σ·L (eV, coefficient of σ·L) added to a spinless model: a float on
        every p and d shell, or per shell, e.g. ``{"d": 0.13}``; must be 0 for spinor
        files (their SOC is in the hoppings).
    centre_tolerance : float
        A ``seedname_centres.xyz`` centre farther than this (Å) from its atom warns.

    Returns
    -------
    TightBindingModel
        Spinful, with orbitals at the atoms and L on the declared shells.
    """
    if spinor_ordering not in SPINOR_ORDERINGS:
        raise invalid("spinor_ordering", spinor_ordering, " or ".join(SPINOR_ORDERINGS))
    xi = _non_negative_xi(xi)
    base = Path(seedname)
    if not base.with_name(base.name + ".win").is_file():
        raise invalid("seedname", str(base), f"the path of {base.name}.win without its "
                                             "extension")
    win = read_win(base.with_name(base.name + ".win"))
    hamiltonian = _read_hamiltonian(base)
    _check_degeneracies(win, hamiltonian)
    cell = _cell(win, hamiltonian)
    crystal = Crystal(cell, win.positions, win.symbols)
    orbitals = _orbitals(win)
    order = _orbdiff_order(win, orbitals, hamiltonian, spinor_ordering)
    hoppings = hamiltonian.hoppings[:, order][:, :, order]
    if win.spinors and xi:
        raise invalid("xi", xi, f"0 for the spinor file {hamiltonian.path} (its SOC is in "
                                "the hoppings)")
    _check_centres(base, win, orbitals, order, centre_tolerance)
    parameters = {"seedname": str(base), "spinor_ordering": spinor_ordering, "xi": xi,
                  "spinors": win.spinors, "hamiltonian_file": str(hamiltonian.path)}
    model = TightBindingModel(crystal, orbitals, hamiltonian.lattice_vectors, hoppings,
                              np.zeros((crystal_states(orbitals),) * 2),
                              _moment(orbitals), name=f"wannier90:{base.name}",
                              parameters=parameters)
    return model.with_onsite_term(SpinOrbitCoupling(xi)) if xi else model


def _non_negative_xi(xi: Any) -> float | dict[str, float]:
    if isinstance(xi, Mapping):
        spin_orbit_coupling(OrbitalSet(("p",)), xi)  # validates keys and values
        return {str(k): float(v) for k, v in xi.items() if float(v)} or 0.0
    try:
        value = float(xi)
    except (TypeError, ValueError):
        value = math.nan
    if not (math.isfinite(value) and value >= 0):
        raise invalid("xi", xi, "a finite number ≥ 0 (eV)")
    return value


def _read_hamiltonian(base: Path) -> RealSpaceHamiltonian:
    hr, tb = base.with_name(base.name + "_hr.dat"), base.with_name(base.name + "_tb.dat")
    if hr.exists():
        return read_hr(hr)
    if tb.exists():
        return read_tb(tb)
    raise InputError(f"seedname: got {str(base)!r}; expected {hr.name} or {tb.name} beside "
                     f"{base.name}.win")


def _check_degeneracies(win: WinFile, hamiltonian: RealSpaceHamiltonian) -> None:
    """The Wigner-Seitz weights 1/d(R) of an mp_grid N add up to N₁N₂N₃."""
    if win.mp_grid is None:
        return
    total = float(np.sum(1.0 / hamiltonian.degeneracies))
    if abs(total - np.prod(win.mp_grid)) > 1e-6:
        raise InputError(f"{hamiltonian.path}: the Wigner-Seitz degeneracies give Σ 1/d(R) = "
                         f"{total:.6g}; expected {int(np.prod(win.mp_grid))} for mp_grid "
                         f"{' '.join(map(str, win.mp_grid))} of {win.path.name}")


def _cell(win: WinFile, hamiltonian: RealSpaceHamiltonian) -> np.ndarray:
    cell = win.cell if win.cell is not None else hamiltonian.cell
    if cell is None:
        raise InputError(f"{win.path}: no unit_cell_cart block")
    if hamiltonian.cell is not None and not np.allclose(cell, hamiltonian.cell, atol=1e-5):
        raise InputError(f"{hamiltonian.path}: lattice differs from unit_cell_cart of "
                         f"{win.path.name}")
    return cell


def _orbitals(win: WinFile) -> tuple[OrbitalSet, ...]:
    states: list[set[tuple[int, int]]] = [set() for _ in win.symbols]
    for p in win.projections:
        if (p.l, p.mr) in states[p.atom]:
            raise InputError(f"{win.path}: orbital l={p.l}, m_r={p.mr} projected twice on "
                             f"atom {p.atom + 1} ({win.symbols[p.atom]})")
        states[p.atom].add((p.l, p.mr))
    out = []
    for atom, found in enumerate(states):
        shells = [l for l in range(3) if any(s[0] == l for s in found)]
        if not shells:
            raise InputError(f"{win.path}: atom {atom + 1} ({win.symbols[atom]}) has no "
                             "projection (orbdiff needs orbitals on every atom)")
        for l in shells:
            if len([s for s in found if s[0] == l]) != 2 * l + 1:
                raise InputError(f"{win.path}: atom {atom + 1} ({win.symbols[atom]}) has an "
                                 f"incomplete {SHELLS[l]} shell (L needs all {2 * l + 1} "
                                 "orbitals)")
        out.append(OrbitalSet(tuple(SHELLS[l] for l in shells)))
    return tuple(out)


def _orbdiff_index(projection: Projection, orbitals, starts) -> int:
    shell = SHELLS[projection.l]
    within = W90_TO_ORBDIFF[projection.l][projection.mr - 1]
    return int(starts[projection.atom] + orbitals[projection.atom].shell_slices[shell].start
               + within)


def _orbdiff_order(win, orbitals, hamiltonian, spinor_ordering) -> np.ndarray:
    """For each orbdiff basis index, the Wannier90 index that goes there."""
    n = sum(o.n_orbitals for o in orbitals)
    expected = 2 * n if win.spinors else n
    if hamiltonian.num_wann != expected or win.num_wann not in (None, expected):
        raise InputError(f"{hamiltonian.path}: {hamiltonian.num_wann} Wannier functions, but "
                         f"the projections of {win.path.name} give {expected}"
                         f"{' (spinors: 2 per orbital)' if win.spinors else ''}")
    starts = np.concatenate([[0], np.cumsum([o.n_orbitals for o in orbitals])])
    target = np.array([_orbdiff_index(p, orbitals, starts) for p in win.projections])
    if not win.spinors:
        order = np.empty(n, dtype=int)
        order[target] = np.arange(n)
        return order
    spinful_target = np.empty(2 * n, dtype=int)
    for spin in (0, 1):
        source = (2 * np.arange(n) + spin if spinor_ordering == "interleaved"
                  else spin * n + np.arange(n))
        spinful_target[source] = 2 * target + spin
    order = np.empty(2 * n, dtype=int)
    order[spinful_target] = np.arange(2 * n)
    return order


def crystal_states(orbitals) -> int:
    """Spinful dimension 2n of the model."""
    return 2 * sum(o.n_orbitals for o in orbitals)


def _moment(orbitals) -> np.ndarray:
    n = sum(o.n_orbitals for o in orbitals)
    moment = np.zeros((3, n, n), dtype=complex)
    start = 0
    for atom_orbitals in orbitals:
        stop = start + atom_orbitals.n_orbitals
        moment[:, start:stop, start:stop] = angular_momentum_matrices(atom_orbitals)
        start = stop
    return moment


def _check_centres(base: Path, win: WinFile, orbitals, order: np.ndarray,
                   tolerance: float) -> None:
    """Warn when ``seedname_centres.xyz`` puts a Wannier function far from its atom."""
    path = base.with_name(base.name + "_centres.xyz")
    if not path.exists():
        return
    count = len(order)
    try:
        rows = path.read_text().splitlines()[2 : 2 + count]
        centres = np.array([[float(x) for x in row.split()[1:4]] for row in rows])
    except ValueError:
        raise InputError(f"{path}: malformed centre line") from None
    if centres.shape != (count, 3):
        raise InputError(f"{path}: expected {count} Wannier centres after the two header lines")
    atom_of = np.repeat(np.arange(len(orbitals)), [o.n_orbitals for o in orbitals])
    if win.spinors:
        atom_of = np.repeat(atom_of, 2)
    w90_atoms = np.empty(count, dtype=int)
    w90_atoms[order] = atom_of
    cell = np.asarray(win.cell)
    offsets = (centres - win.positions[w90_atoms]) @ np.linalg.inv(cell)
    distance = np.linalg.norm((offsets - np.round(offsets)) @ cell, axis=1)
    if distance.max() > tolerance:
        worst = int(distance.argmax())
        warnings.warn(f"{path}: Wannier function {worst + 1} is {distance[worst]:.2f} Å from "
                      "its projection's atom (orbdiff puts it at the atom)", stacklevel=3)
