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
        eigenvalues = eigenvalues[..., crossing]
        index = np.indices((n1, n2, n3)).reshape(3, -1).T  # (cells, 3)
        corners = (index[:, None, :] + _CORNERS[None]) % (n1, n2, n3)  # (cells, 8, 3)
        corner_energies = eigenvalues[corners[..., 0], corners[..., 1], corners[..., 2]]
        # (cells, 8, bands) -> (cells, 6, 4, bands) -> (cells*6*bands, 4)
        tetra = corner_energies[:, _TETRAHEDRA].transpose(0, 1, 3, 2).reshape(-1, 4)
        below = tetra.max(axis=1) <= low
        above = tetra.min(axis=1) >= high
        self.full = int(below.sum()) + full_bands * self.n_tetrahedra
        self.energies = np.sort(tetra[~below & ~above], axis=1)

    def states(self, mu: float) -> float:
        """Electrons per cell below ``mu`` (each spinful band holds one)."""
        e1, e2, e3, e4 = self.energies.T
        filled = np.zeros(len(e1))
        with np.errstate(divide="ignore", invalid="ignore"):
            first = (mu > e1) & (mu <= e2)
            x = mu - e1
            filled[first] = (x**3 / ((e2 - e1) * (e3 - e1) * (e4 - e1)))[first]
            second = (mu > e2) & (mu <= e3)
            y = mu - e2
            middle = (
                (e2 - e1) ** 2 + 3 * (e2 - e1) * y + 3 * y**2
                - (e3 - e1 + e4 - e2) / ((e3 - e2) * (e4 - e2)) * y**3
            ) / ((e3 - e1) * (e4 - e1))
            filled[second] = middle[second]
            third = (mu > e3) & (mu < e4)
            z = e4 - mu
            filled[third] = (1 - z**3 / ((e4 - e1) * (e4 - e2) * (e4 - e3)))[third]
        filled[mu >= e4] = 1.0
        return (self.full + filled.sum()) / self.n_tetrahedra
