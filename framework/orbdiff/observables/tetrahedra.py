"""Linear tetrahedron method for the number of states below an energy (Blöchl 1994)."""

from __future__ import annotations

import numpy as np

__all__ = ["TetrahedronCount"]

# The six tetrahedra of a grid cell sharing its main diagonal; corner c = i + 2j + 4k.
_TETRAHEDRA = np.array([[0, 1, 3, 7], [0, 1, 5, 7], [0, 2, 3, 7],
                        [0, 2, 6, 7], [0, 4, 5, 7], [0, 4, 6, 7]])
_CORNERS = np.array([[i, j, k] for k in (0, 1) for j in (0, 1) for i in (0, 1)])


class TetrahedronCount:
    """Integrated density of states N(μ) of bands sampled on a periodic Γ-centred grid.

    Parameters
    ----------
    eigenvalues : (n1, n2, n3, n_bands) ndarray of float
        Band energies in eV on the grid ``k = Σ_a (n_a/N_a) b_a``.
    window : (float, float)
        Energies (eV) between which μ will be sought: tetrahedra entirely below count
        as full, entirely above as empty, and only the others are kept.
    """

    def __init__(self, eigenvalues: np.ndarray, window: tuple[float, float]) -> None:
        n1, n2, n3, _ = eigenvalues.shape
        self.n_tetrahedra = 6 * n1 * n2 * n3
        low, high = window
        band_min = eigenvalues.min(axis=(0, 1, 2))
        band_max = eigenvalues.max(axis=(0, 1, 2))
        crossing = (band_max > low) & (band_min < high)
        full_bands = int((band_max <= low).sum())
        eigenvalues = eigenvalues[..., crossing].reshape(n1 * n2 * n3, -1)
        index = np.indices((n1, n2, n3)).reshape(3, -1).T  # (cells, 3)
        corners = (index[:, None, :] + _CORNERS[None]) % (n1, n2, n3)  # (cells, 8, 3)
        flat = np.ravel_multi_index(tuple(corners.transpose(2, 0, 1)), (n1, n2, n3))
        # vertex v of every (cell, tetrahedron, band), flattened in that order
        vertices = [eigenvalues[flat[:, _TETRAHEDRA[:, v]]].reshape(-1) for v in range(4)]
        highest = np.maximum(np.maximum(vertices[0], vertices[1]),
                             np.maximum(vertices[2], vertices[3]))
        lowest = np.minimum(np.minimum(vertices[0], vertices[1]),
                            np.minimum(vertices[2], vertices[3]))
        below = highest <= low
        kept = ~below & ~(lowest >= high)
        self.full = int(below.sum()) + full_bands * self.n_tetrahedra
        self.energies = np.sort(np.stack([v[kept] for v in vertices], axis=1), axis=1)

    def states(self, mu: float) -> float:
        """Electrons per cell below ``mu`` (each spinful band holds one).

        Each formula is evaluated only on the tetrahedra of its case (same numbers as
        evaluating it everywhere and selecting, at a third of the work).
        """
        e1, e2, e3, e4 = self.energies.T
        filled = np.zeros(len(e1))
        first = (mu > e1) & (mu <= e2)
        a1, a2, a3, a4 = e1[first], e2[first], e3[first], e4[first]
        x = mu - a1
        filled[first] = x**3 / ((a2 - a1) * (a3 - a1) * (a4 - a1))
        second = (mu > e2) & (mu <= e3)
        b1, b2, b3, b4 = e1[second], e2[second], e3[second], e4[second]
        y = mu - b2
        filled[second] = (
            (b2 - b1) ** 2 + 3 * (b2 - b1) * y + 3 * y**2
            - (b3 - b1 + b4 - b2) / ((b3 - b2) * (b4 - b2)) * y**3
        ) / ((b3 - b1) * (b4 - b1))
        third = (mu > e3) & (mu < e4)
        c1, c2, c3, c4 = e1[third], e2[third], e3[third], e4[third]
        z = c4 - mu
        filled[third] = 1 - z**3 / ((c4 - c1) * (c4 - c2) * (c4 - c3))
        filled[mu >= e4] = 1.0
        return (self.full + filled.sum()) / self.n_tetrahedra
