"""The generic two-grid estimator and converge loop, on an integrand with a known integral."""

from dataclasses import dataclass, field, replace

import numpy as np
import pytest

from orbdiff.errors import CapabilityError, InputError
from orbdiff.observables.convergence import (
    ConvergenceWarning,
    EstimatedResult,
    coarse_grid,
    converge,
    grid_sequence,
    unconverged,
    with_error_estimate,
)

A = 0.99  # 1/(1 − a cos 2πx) has mean 1/√(1 − a²): a sharp peak, like Γ/v small
EXACT = 1 / np.sqrt(1 - A**2)


@dataclass(frozen=True)
class Peak:
    """The trapezoid average of 1/(1 − a cos 2πx) (and of its square) on N points."""

    error_fields = ("value",)
    value: np.ndarray
    value_error: np.ndarray | None = None
    inputs: dict = field(default_factory=dict)

    def with_errors(self, errors, inputs):
        extra = {f"{k}_error": v for k, v in errors.items()}
        return replace(self, **extra, inputs={**self.inputs, **inputs})

    def error_scale(self, name):
        return np.abs(self.value)

    def component_label(self, name, index):
        return f"value[{index[0]}]"

    def block_maximum(self, name, values):
        return values


def peak(grid, calls=None):
    if calls is not None:
        calls.append(grid)
    x = np.arange(grid[0]) / grid[0]
    return Peak(np.array([np.mean(1 / (1 - A * np.cos(2 * np.pi * x)))]))


def test_the_peak_result_follows_the_protocol():
    assert isinstance(peak((4, 4, 4)), EstimatedResult)


def test_grid_sequence_grows_by_a_quarter_and_ends_at_max_grid():
    grids = [g[0] for g in grid_sequence(24, 120)]
    assert grids[0] == 24 and grids[-1] == 120
    ratios = np.array(grids[1:]) / np.array(grids[:-1])
    assert np.all((ratios > 1.15) & (ratios < 1.35))
    assert coarse_grid(50) == (40, 40, 40)
    assert all(m != n and m >= 2 for n in (2, 3, 4, 5) for m in coarse_grid(n))


@pytest.mark.parametrize("n", [20, 30, 40, 60, 80])
def test_the_estimate_bounds_the_true_error(n):
    result = with_error_estimate(peak, n)
    true_error = abs(result.value[0] - EXACT)
    assert true_error > 1e-12  # the test has something to bound
    coarse_error = abs(peak(coarse_grid(n)).value[0] - EXACT)
    assert true_error <= result.value_error[0]  # conservative ...
    assert result.value_error[0] <= 2.0 * (true_error + coarse_error) + 1e-15  # ... by ≤ 2 e_M
    assert result.inputs["grid"] == [n] * 3 and result.inputs["error_grid"] == [round(0.8 * n)] * 3


def test_converge_stops_at_the_first_grid_below_tolerance_and_records_the_grids():
    calls = []
    result = converge(lambda g: peak(g, calls), 10, 1e-4, max_grid=200)
    assert result.inputs["converged"] is True
    assert abs(result.value[0] - EXACT) <= 1e-4 * EXACT  # converged to the true value
    assert result.value_error[0] <= 1e-4 * abs(result.value[0])
    tried = [g[0] for g in result.inputs["grids_tried"]]
    assert tried[0] == 8 and tried[-1] == result.inputs["grid"][0]
    assert [c[0] for c in calls] == tried  # one new grid per step
    # the grid before the last one was not converged yet
    previous = with_error_estimate(peak, tried[-2])
    assert unconverged(previous, 1e-4) == ["value[0]"]


def test_converge_warns_naming_what_is_not_converged_at_max_grid():
    with pytest.warns(ConvergenceWarning, match=r"value\[0\]"):
        result = converge(peak, 10, 1e-8, max_grid=40)
    assert result.inputs["converged"] is False and result.inputs["grid"] == [40] * 3
    assert result.inputs["unconverged"] == ["value[0]"]


@pytest.mark.parametrize(("tolerance", "max_grid"),
                         [(0.0, 50), (1.0, 50), (-0.1, 50), (float("nan"), 50),
                          (float("inf"), 50), (0.01, 5), (True, 50)])
def test_bad_convergence_options_are_rejected_before_computing(tolerance, max_grid):
    calls = []
    with pytest.raises(InputError, match=r"^(converge|max_grid): got"):
        converge(lambda g: peak(g, calls), 10, tolerance, max_grid=max_grid)
    assert calls == []


def test_results_without_errors_cannot_be_converged():
    with pytest.raises(CapabilityError, match="cannot be converged"):
        converge(lambda g: np.zeros(3), 4, 0.1)
    assert np.array_equal(with_error_estimate(lambda g: np.zeros(3), 4), np.zeros(3))
