"""Counting states for the Fermi level: tetrahedra against an exact 1-D integral, wedges
memoized per lattice."""

import numpy as np
import pytest

from orbdiff import load_material
from orbdiff.observables import fermi as fermi_module
from orbdiff.observables.fermi import fermi_level_on_grid
from orbdiff.observables.tetrahedra import TetrahedronCount

SIZES = (6, 5, 4)


def _segment_count(values: np.ndarray, mu: float) -> float:
    """∫ of [ε(x) < μ] over one period of the piecewise-linear interpolant of ``values``."""
    low, high = values, np.roll(values, -1)
    a, b = np.minimum(low, high), np.maximum(low, high)
    with np.errstate(divide="ignore", invalid="ignore"):
        fraction = np.where(b > a, np.clip((mu - a) / (b - a), 0, 1), (mu > a).astype(float))
    return float(fraction.mean())


@pytest.mark.parametrize("axis", [0, 1, 2])
def test_a_band_varying_along_one_axis_counts_as_its_linear_interpolant(axis):
    # a band depending on one grid index: every tetrahedron of the main-diagonal split
    # spans that index once, so N(μ) is the 1-D integral of the linear interpolant
    n = SIZES[axis]
    values = -np.cos(2 * np.pi * np.arange(n) / n) + 0.3 * np.sin(4 * np.pi * np.arange(n) / n)
    shape = [1, 1, 1]
    shape[axis] = n
    band = np.broadcast_to(values.reshape(shape), SIZES)
    bands = np.stack([band, band + 5.0], axis=-1)  # a second band, always empty here
    for mu in (-0.9, -0.4, 0.05, 0.6, 1.1):
        counter = TetrahedronCount(bands, (mu - 0.3, mu + 0.3))
        assert counter.states(mu) == pytest.approx(_segment_count(values, mu), abs=1e-12)


def test_the_count_does_not_depend_on_the_window():
    rng = np.random.default_rng(3)
    bands = np.sort(rng.normal(size=(*SIZES, 4)), axis=-1)
    everything = TetrahedronCount(bands, (bands.min() - 1, bands.max() + 1))
    for mu in (-1.0, -0.2, 0.4):
        narrow = TetrahedronCount(bands, (mu - 0.05, mu + 0.05))
        assert narrow.states(mu) == pytest.approx(everything.states(mu), abs=1e-12)


def test_memoized_wedges_give_each_lattice_its_own_fermi_level(registry):
    # V and Ta share the bcc group but not the lattice constant: the wedge of one must
    # not serve the other
    models = {name: load_material(name, registry=registry, shells=1) for name in ("V", "Ta")}
    electrons = 5.0
    fermi_module._wedges.clear()
    fresh = {}
    for name, model in models.items():
        fresh[name] = fermi_level_on_grid(model, electrons, 8)
        fermi_module._wedges.clear()
    for name in ("V", "Ta", "V"):
        assert fermi_level_on_grid(models[name], electrons, 8) == fresh[name]


def test_one_group_on_two_lattices_gets_two_wedges(registry):
    from orbdiff.structure import KGrid
    from orbdiff.structure.symmetry import wedge_with_mapping

    ta, v = (load_material(name, registry=registry, shells=1) for name in ("Ta", "V"))
    group = ta.point_group()  # the same rotations for both lattices
    fermi_module._wedges.clear()
    for crystal in (ta.crystal, v.crystal):
        grid = KGrid(crystal, 6)
        points, star_of = fermi_module._wedge(grid, group)
        expected, _, expected_star = wedge_with_mapping(grid, group)
        np.testing.assert_array_equal(points, expected)
        np.testing.assert_array_equal(star_of, expected_star)
