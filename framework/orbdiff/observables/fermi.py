"""Fermi level from the electron count, converged with the k-grid."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import invalid
from ..hamiltonian.model import TightBindingModel
from ..structure.kgrid import KGrid
from ..structure.symmetry import wedge_with_mapping
from .tetrahedra import TetrahedronCount

__all__ = ["FermiLevel", "fermi_level", "fermi_level_on_grid"]

#: Irreducible wedges (with each grid point's representative) kept for reuse.
WEDGE_CACHE_SIZE = 8
_wedges: OrderedDict = OrderedDict()


def _wedge(kgrid: KGrid, group) -> tuple[np.ndarray, np.ndarray]:
    """Wedge points (Å⁻¹) and star index of ``kgrid`` under ``group``, memoized.

    The wedge depends only on the reciprocal cell, the grid and the rotations, so the
    models of one screen (SOC scales, shells of one lattice) share it; an LRU of
    :data:`WEDGE_CACHE_SIZE` entries bounds the memory (one int per grid point each).
    """
    key = (kgrid.crystal.reciprocal_cell.tobytes(), tuple(kgrid.size),
           group.rotations.tobytes())
    if key in _wedges:
        _wedges.move_to_end(key)
        return _wedges[key]
    points, _, star_of = wedge_with_mapping(kgrid, group)
    points.flags.writeable = star_of.flags.writeable = False
    _wedges[key] = (points, star_of)
    if len(_wedges) > WEDGE_CACHE_SIZE:
        _wedges.popitem(last=False)
    return points, star_of


@dataclass(frozen=True)
class FermiLevel:
    """A Fermi level and how well it is converged.

    Attributes
    ----------
    energy : float
        Fermi level in eV (same zero as the model's on-site energies).
    accuracy : float
        |change| in eV between the last two grids.
    grid : int
        The finest grid used (points per reciprocal axis).
    history : tuple of (int, float)
        (grid, Fermi level in eV) for every grid tried.
    """

    energy: float
    accuracy: float
    grid: int
    history: tuple[tuple[int, float], ...]


def fermi_level_on_grid(model: TightBindingModel, electrons: float, grid: int,
                        chunk_size: int = 4096) -> float:
    """Fermi level (eV) that puts ``electrons`` per cell into the bands of a k-grid.

    Each spinful band holds one electron per k-point. The integrated density of states
    comes from the linear tetrahedron method, so μ converges smoothly with the grid
    even where the bands are steep (s bands of noble metals).
    """
    n_states = model.n_states
    if not 0 < electrons < n_states:
        raise invalid("electrons", electrons, f"a number between 0 and {n_states} per cell")
    kgrid = KGrid(model.crystal, grid)
    # diagonalize the irreducible wedge only, then unfold to the whole grid
    points, star_of = _wedge(kgrid, model.point_group())
    wedge = np.concatenate([np.linalg.eigvalsh(model.hamiltonian(points[i : i + chunk_size]))
                            for i in range(0, len(points), chunk_size)])
    eigenvalues = wedge[star_of]
    guess = np.sort(eigenvalues.ravel())[int(electrons * kgrid.n_points) - 1]
    # narrow windows first: only the tetrahedra they cut are kept
    for width in (0.1, 0.5, 2.0, 10.0, np.inf):
        window = (guess - width, guess + width)
        if np.isinf(width):
            window = (eigenvalues.min() - 1.0, eigenvalues.max() + 1.0)
        counter = TetrahedronCount(eigenvalues.reshape(*kgrid.size, n_states), window)
        low, high = window
        excess_low, excess_high = counter.states(low) - electrons, counter.states(high) - electrons
        if excess_low < 0 < excess_high:
            return _increasing_root(lambda mu, c=counter: c.states(mu) - electrons,
                                    (low, excess_low), (high, excess_high), xtol=1e-9)
    raise RuntimeError("no Fermi level found")  # pragma: no cover  (window covers all bands)


def _increasing_root(function, low: tuple[float, float], high: tuple[float, float],
                     xtol: float) -> float:
    """Root of a non-decreasing ``function`` bracketed by (x, f(x)) pairs (Illinois method).

    Regula falsi with the stale end's value halved converges superlinearly on the
    smooth, piecewise-cubic N(μ) − N; bisection steps guard flat stretches.
    """
    (a, f_a), (b, f_b) = low, high
    stale = 0
    for step in range(200):
        if b - a <= xtol:
            break
        x = a - f_a * (b - a) / (f_b - f_a)
        if step % 8 == 7 or not a < x < b:
            x = 0.5 * (a + b)
        f_x = function(x)
        if f_x == 0:
            return float(x)
        if f_x < 0:
            a, f_a = x, f_x
            f_b, stale = (0.5 * f_b, -1) if stale == -1 else (f_b, -1)
        else:
            b, f_b = x, f_x
            f_a, stale = (0.5 * f_a, 1) if stale == 1 else (f_a, 1)
    return float(0.5 * (a + b))


def fermi_level(model: TightBindingModel, electrons: float,
                grids: Sequence[int] = (16, 24, 32, 40, 48),
                tolerance: float = 2e-3) -> FermiLevel:
    """Fermi level (eV) converged over increasing grids.

    Stops at the first grid whose level moved less than ``tolerance`` (eV) from the
    previous one; ``accuracy`` is that last change.
    """
    history: list[tuple[int, float]] = []
    for n in grids:
        history.append((n, fermi_level_on_grid(model, electrons, n)))
        if len(history) > 1 and abs(history[-1][1] - history[-2][1]) < tolerance:
            break
    accuracy = abs(history[-1][1] - history[-2][1]) if len(history) > 1 else float("inf")
    return FermiLevel(history[-1][1], accuracy, history[-1][0], tuple(history))
