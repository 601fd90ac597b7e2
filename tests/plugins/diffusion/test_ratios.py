"""P_l, P_s and η are NaN (and flagged) where their denominator is not resolved."""

import numpy as np
import pytest

from orbdiff.observables.labels import component_index
from orbdiff_plugins.diffusion.result import DiffusivityResult


def _result(own_lxx, error_lxx=None):
    """Three energies; D^{lx x}_{lx x} = own_lxx[e], the rest of the l→l block is 1e4 S/m."""
    n = len(own_lxx)
    charge = np.broadcast_to(1e6 * np.eye(3), (n, 3, 3)).copy()
    tensor = np.zeros((n, 18, 18))
    for op in range(6):  # every diagonal block: 1e6 for spin, 1e4 for L
        for i in range(3):
            tensor[:, 3 * op + i, 3 * op + i] = 1e6 if op < 3 else 1e4
    lxx = component_index("lx x")
    tensor[:, lxx, lxx] = own_lxx
    tensor[:, lxx, component_index("sy y")] = 300.0  # D^{sy y}_{lx x}: l → s swapping
    tensor[:, lxx, component_index("sx x")] = 50.0   # D^{sx x}_{lx x}: orbit → spin
    tensor_error = None
    if error_lxx is not None:
        tensor_error = np.full((n, 18, 18), 1.0)
        tensor_error[:, lxx, lxx] = error_lxx
    return DiffusivityResult(np.zeros(n), charge, tensor, charge, np.ones(n),
                             tensor_error=tensor_error)


def test_a_denominator_crossing_zero_gives_nan_not_a_huge_ratio():
    result = _result([2e3, 5.0, 0.0])  # 5 S/m < 1e-3 × block scale 1e4
    eta = result.swapping_efficiencies()["l->s"]
    mask = result.ill_conditioned()["swapping"]["l->s"]
    assert eta[0] == pytest.approx(300 / 2e3)
    assert np.isnan(eta[1:]).all() and mask.tolist() == [False, True, True]


def test_a_denominator_below_its_estimated_error_gives_nan():
    result = _result([2e3, 2e3], error_lxx=[1e2, 3e3])
    eta = result.swapping_efficiencies()["l->l"]
    assert np.isfinite(eta[0]) and np.isnan(eta[1])
    assert result.ill_conditioned()["swapping"]["l->l"].tolist() == [False, True]


def test_polarization_masks_where_both_parts_are_unresolved():
    # P_s = |D^{sx x}_{lx x}| / (|D^{lx x}_{lx x}| + |D^{sx x}_{lx x}|) at α = i = x
    result = _result([2e3, 0.0], error_lxx=[1.0, 1e3])
    p_s = result.orbit_to_spin_polarization()[:, 0, 0]
    assert p_s[0] == pytest.approx(50 / 2050)
    assert np.isnan(p_s[1])  # 0 + 50 S/m is below its error 1e3 + 1
    masks = result.ill_conditioned()["orbit_to_spin"]
    assert masks.shape == (2, 3, 3) and masks[:, 0, 0].tolist() == [False, True]


def test_json_carries_the_masks_with_the_same_shapes():
    data = _result([2e3, 0.0]).as_dict()
    flags = data["ill_conditioned"]
    assert np.shape(flags["spin_to_orbit"]) == np.shape(data["polarization"]["spin_to_orbit"])
    assert flags["swapping"]["l->s"] == [False, True]
    assert "error" in flags["rule"]
