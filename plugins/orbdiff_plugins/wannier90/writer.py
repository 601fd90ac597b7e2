
"""Write an orbdiff model in Wannier90's conventions: ``seedname.win`` and ``_hr.dat``.

Wannier90's orbital order and real harmonics, its spinor ordering, and the Wigner-Seitz
set of R of an ``mp_grid`` with its degeneracies (``H(R)`` is written times d(R), as
Wannier90 does). Numbers are written with 16 significant digits (Wannier90 itself
prints 6 decimals), so a model read back is the same to round-off. Useful to export a
model to Wannier90 tools and to test the reader.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np

from orbdiff.errors import InputError, invalid
from orbdiff.hamiltonian import TightBindingModel

from .model import SPINOR_ORDERINGS, W90_TO_ORBDIFF

__all__ = ["wigner_seitz_points", "write_wannier90"]

SHELL_L = {"s": 0, "p": 1, "d": 2}


def wigner_seitz_points(cell: np.ndarray, mp_grid) -> tuple[np.ndarray, np.ndarray]:
    """Lattice vectors R of the Wigner-Seitz supercell of ``mp_grid``, with degeneracies.

    R is kept when no image ``R + N·L`` (N the grid) is closer to the origin; d(R) is
    the number of images at the same distance, so that ``Σ_R 1/d(R) = N₁N₂N₃``.
    """
    grid = np.asarray(mp_grid, dtype=int)
    images = np.array(list(itertools.product(range(-2, 3), repeat=3))) * grid
    vectors, degeneracies = [], []
    for r in itertools.product(*[range(-n, n + 1) for n in grid]):
        distances = np.linalg.norm((np.array(r) + images) @ cell, axis=1)
        nearest = distances.min()
        if distances[62] - nearest < 1e-7 * max(1.0, nearest):  # images[62] is L = 0
            vectors.append(r)
            degeneracies.append(int(np.sum(distances - nearest < 1e-7 * max(1.0, nearest))))
    return np.array(vectors), np.array(degeneracies)


def write_wannier90(
    model: TightBindingModel,
    seedname: str | Path,
    *,
    spinors: bool,
    spinor_ordering: str = "interleaved",
    mp_grid: tuple[int, int, int] = (8, 8, 8),
    units: str = "ang",
) -> None:
    """Write ``seedname.win`` and ``seedname_hr.dat`` for ``model``.

    Parameters
    ----------
    model : TightBindingModel
        Spin-independent when ``spinors`` is False (its SOC, if any, cannot be written).
    seedname : str or Path
        Path without extension.
    spinors : bool
        Write 2n spinor Wannier functions (hoppings and on-site terms acting on spin).
    spinor_ordering : {"interleaved", "blocks"}
    mp_grid : (3,) tuple of int
        Grid whose Wigner-Seitz set holds the R (every hopping must lie strictly inside).
    units : {"ang", "bohr"}
        Length unit of the ``.win`` blocks.
    """
    if spinor_ordering not in SPINOR_ORDERINGS:
        raise invalid("spinor_ordering", spinor_ordering, " or ".join(SPINOR_ORDERINGS))
    base = Path(seedname)
    lines, order = _projections(model, spinors, spinor_ordering)
    matrices = _real_space(model, spinors)
    vectors, degeneracies = wigner_seitz_points(model.crystal.cell, mp_grid)
    index = {tuple(v): i for i, v in enumerate(vectors)}
    size = len(order)
    ham = np.zeros((len(vectors), size, size), dtype=complex)
    for r, matrix in matrices.items():
        if r not in index or degeneracies[index[r]] != 1:
            raise InputError(f"mp_grid: got {tuple(mp_grid)}; expected a grid whose "
                             f"Wigner-Seitz cell holds R = {r} strictly inside")
        ham[index[r]] = matrix[np.ix_(order, order)]
    ham *= degeneracies[:, None, None]
    base.with_name(base.name + ".win").write_text(
        _win_text(model, lines, size, spinors, mp_grid, units))
    base.with_name(base.name + "_hr.dat").write_text(_hr_text(vectors, degeneracies, ham))


def _projections(model, spinors, spinor_ordering):
    """Projection lines per species and, per Wannier90 index, the orbdiff index."""
    symbols = model.crystal.symbols
    starts = np.concatenate([[0], np.cumsum([o.n_orbitals for o in model.orbitals])])
    lines, orbital_index = [], []
    for species in dict.fromkeys(symbols):
        atoms = [a for a, s in enumerate(symbols) if s == species]
        if len({model.orbitals[a] for a in atoms}) != 1:
            raise invalid("model.orbitals", species, "the same orbitals on every atom of a "
                                                     "species (one projections line each)")
        shells = sorted(model.orbitals[atoms[0]].shells, key=SHELL_L.get)
        lines.append(f"{species}: {';'.join(shells)}")
        for atom in atoms:
            slices = model.orbitals[atom].shell_slices
            for shell in shells:
                positions = W90_TO_ORBDIFF[SHELL_L[shell]]
                orbital_index += [starts[atom] + slices[shell].start + p for p in positions]
    orbital_index = np.array(orbital_index)
    if not spinors:
        return lines, orbital_index
    n = len(orbital_index)
    order = np.empty(2 * n, dtype=int)
    for spin in (0, 1):
        interleaved = spinor_ordering == "interleaved"
        w90 = 2 * np.arange(n) + spin if interleaved else spin * n + np.arange(n)
        order[w90] = 2 * orbital_index + spin
    return lines, order


def _real_space(model: TightBindingModel, spinors: bool) -> dict[tuple, np.ndarray]:
    """H(R) in orbdiff's basis, the on-site matrix folded into R = 0."""
    onsite = model.onsite
    if spinors:
        hoppings = model.hoppings if model.spinful_hoppings else np.kron(
            model.hoppings, np.eye(2))
    else:
        orbital = onsite[::2, ::2]
        if model.spinful_hoppings or not np.allclose(onsite, np.kron(orbital, np.eye(2)),
                                                     atol=1e-14):
            raise invalid("spinors", False, "True for a model acting on spin (SOC, exchange)")
        hoppings, onsite = model.hoppings, orbital
    matrices = {tuple(int(x) for x in r): h.copy()
                for r, h in zip(model.lattice_vectors, hoppings, strict=True)}
    matrices[(0, 0, 0)] = matrices.get((0, 0, 0), 0) + onsite
    return matrices


def _win_text(model, lines, size, spinors, mp_grid, units) -> str:
    scale = {"ang": 1.0, "bohr": 1 / 0.529177210903}[units]
    crystal = model.crystal
    rows = ["! written by orbdiff", f"num_wann = {size}",
            f"spinors = {'true' if spinors else 'false'}",
            "mp_grid = " + " ".join(str(n) for n in mp_grid), "",
            "begin unit_cell_cart", units]
    rows += [" ".join(f"{x:.16g}" for x in v * scale) for v in crystal.cell]
    rows += ["end unit_cell_cart", "", "begin atoms_cart", units]
    rows += [f"{s} " + " ".join(f"{x:.16g}" for x in p * scale)
             for s, p in zip(crystal.symbols, crystal.positions, strict=True)]
    rows += ["end atoms_cart", "", "begin projections", *lines, "end projections", ""]
    return "\n".join(rows)


def _hr_text(vectors, degeneracies, ham) -> str:
    size = ham.shape[1]
    rows = ["written by orbdiff (Wannier90 hr format)", f"{size:12d}", f"{len(vectors):12d}"]
    for start in range(0, len(degeneracies), 15):
        rows.append("".join(f"{d:5d}" for d in degeneracies[start:start + 15]))
    for r, matrix in zip(vectors, ham, strict=True):
        head = "".join(f"{x:5d}" for x in r)
        for n in range(size):
            for m in range(size):
                value = matrix[m, n]
                rows.append(f"{head}{m + 1:5d}{n + 1:5d} {value.real: .16e} {value.imag: .16e}")
    return "\n".join(rows) + "\n"
