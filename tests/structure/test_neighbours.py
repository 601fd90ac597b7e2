"""The neighbour enumeration against ase's neighbour list, an independent implementation."""

import numpy as np
import pytest
from ase.build import bulk
from ase.neighborlist import primitive_neighbor_list

from orbdiff.structure.neighbours import neighbour_pairs


def _cells():
    triclinic = np.array([[3.1, 0.2, 0.0], [0.7, 2.9, 0.3], [0.4, -0.5, 3.7]])
    two_atoms = np.array([[0.0, 0.0, 0.0], [1.2, 0.9, 1.6]])
    return [
        ("bcc", bulk("Ta", "bcc", a=3.31).cell.array, np.zeros((1, 3))),
        ("fcc", bulk("Pt", "fcc", a=3.92).cell.array, np.zeros((1, 3))),
        ("hcp", bulk("Co", "hcp", a=2.51, c=4.07).cell.array,
         bulk("Co", "hcp", a=2.51, c=4.07).positions),
        ("triclinic, two atoms", triclinic, two_atoms),
    ]


def _as_set(i, j, vectors):
    return sorted((int(a), int(b), *np.round(v, 9)) for a, b, v in zip(i, j, vectors,
                                                                         strict=True))


@pytest.mark.parametrize("name, cell, positions", _cells(), ids=lambda x: x
                         if isinstance(x, str) else "")
@pytest.mark.parametrize("cutoff", [3.0, 4.5, 7.3])
def test_pairs_equal_ase_neighbour_list(name, cell, positions, cutoff):
    i, j, d, vectors = neighbour_pairs(cell, positions, cutoff)
    ai, aj, _, avectors = primitive_neighbor_list("ijdD", (True, True, True), cell,
                                                   positions, cutoff)
    assert len(i) == len(ai) > 0
    assert _as_set(i, j, vectors) == _as_set(ai, aj, avectors)
    np.testing.assert_allclose(d, np.linalg.norm(vectors, axis=1), rtol=1e-14)
