"""Diffusivities of the two-atom hcp models: symmetry reduction and the no-SOC identity.

The hcp atoms are not inversion centres and the model carries ±pd0 on the two
sublattices; the operator-verified reduction must still reproduce the full grid.
"""

from __future__ import annotations

import numpy as np
import pytest

import orbdiff
from orbdiff.api import load_parameter_set


def _tensors(model, symmetry: bool):
    result = orbdiff.compute("diffusivity", model, grid=5, energies=[8.0], gamma=0.1,
                             symmetry=symmetry)
    return result


@pytest.mark.slow
@pytest.mark.parametrize(("name", "soc_scale"), [("Ti", 0.0), ("Co-hcp", 1.0)])
def test_wedge_reproduces_the_full_grid(name, soc_scale):
    model = load_parameter_set(name).build_model(soc_scale=soc_scale)
    reduced, full = _tensors(model, True), _tensors(model, False)
    assert len(model.point_group()) == 24
    for field in ("charge", "tensor"):
        a, b = np.asarray(getattr(reduced, field)), np.asarray(getattr(full, field))
        np.testing.assert_allclose(a, b, rtol=1e-8, atol=1e-8 * np.abs(b).max())
