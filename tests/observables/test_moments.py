"""Moments summed over the wedge of the operations keeping m equal the full-grid sums."""

import numpy as np
import pytest

import orbdiff
from orbdiff.observables import magnetic_moments
from orbdiff.observables.moments import occupations
from orbdiff.structure import KGrid
from orbdiff_plugins.ferromagnet.exchange import magnetization, with_exchange


@pytest.mark.parametrize(("theta", "projection"), [(0.0, None), (30.0, None),
                                                   (0.0, (0.6, 0.0, 0.8))])
def test_wedge_moments_equal_the_full_grid_sum(theta, projection):
    """Also projected on a direction other than the magnetization's, whose group is smaller."""
    magnet = with_exchange(orbdiff.load_material("Fe", shells=2), -0.8,
                           magnetization(theta=theta, phi=20.0), "d")
    m = magnetization(theta=theta, phi=20.0) if projection is None else np.array(projection)
    assert len(magnet.point_group().preserving(m)) > 1  # there is a wedge to sum over
    grid, mu, width = 6, 10.0, 0.05
    found = magnetic_moments(magnet, grid, m, fermi_level=mu, smearing=width)
    values, vectors = np.linalg.eigh(magnet.hamiltonian(KGrid(magnet.crystal, grid).cartesian))
    f = occupations(values, mu, width) / len(values)
    for operators, moment in ((magnet.spin_operators(), found.spin),
                              (magnet.orbital_moment_operators(), found.orbital)):
        projected = np.einsum("a,aij->ij", m, operators)
        expectation = np.einsum("kin,ij,kjn->kn", vectors.conj(), projected, vectors).real
        assert moment == pytest.approx((f * expectation).sum(), rel=1e-12, abs=1e-14)
    assert found.electrons == pytest.approx(f.sum(), rel=1e-12)
