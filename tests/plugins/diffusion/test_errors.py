"""k-sampling errors of diffusivity, conductivity and DOS results (issue 10)."""

import json

import numpy as np
import pytest

import orbdiff
from conftest import toy_result
from orbdiff_plugins.diffusion.result import DiffusivityResult

KEYS = ("charge", "tensor", "kubo", "dos")


@pytest.fixture(scope="module")
def toy(registry):
    return orbdiff.load_model("bcc-p-toy", registry=registry, xi=0.05)


def test_every_array_has_an_error_of_the_same_shape_in_object_and_json(tmp_path):
    result = toy_result(0.05, 6, (0.1 + 0.2, 0.5))
    data = json.loads(json.dumps(result.as_dict()))
    for key in KEYS:
        assert getattr(result, f"{key}_error").shape == getattr(result, key).shape
        assert np.shape(data[f"{key}_error"]) == np.shape(data[key])
        assert np.all(getattr(result, f"{key}_error") >= 0)
    assert data["energies"] == [0.3, 0.5]  # 0.1 + 0.2 written without float noise
    assert result.inputs["error_grid"] == [5, 5, 5] and result.inputs["grid"] == [6, 6, 6]
    path = tmp_path / "r.json"
    result.save(path)
    again = DiffusivityResult.load(path)
    for key in KEYS:
        np.testing.assert_array_equal(getattr(again, f"{key}_error"),
                                      getattr(result, f"{key}_error"))


def test_error_estimate_false_computes_one_grid_and_says_so(toy, registry):
    kwargs = {"grid": 6, "energies": [0.5], "gamma": 0.1, "registry": registry}
    plain = orbdiff.compute("diffusivity", toy, error_estimate=False, **kwargs)
    estimated = orbdiff.compute("diffusivity", toy, **kwargs)
    assert all(getattr(plain, f"{key}_error") is None for key in KEYS)
    assert "error_grid" not in plain.inputs
    assert plain.as_dict()["tensor_error"] is None
    np.testing.assert_array_equal(plain.tensor, estimated.tensor)  # same fine grid


@pytest.mark.parametrize(("name", "field"), [("conductivity", "kubo"), ("dos", "dos")])
def test_conductivity_and_dos_results_carry_their_error(toy, registry, name, field):
    kwargs = {"grid": 8, "energies": [0.3, 0.5], "gamma": 0.1, "registry": registry}
    result = orbdiff.compute(name, toy, **kwargs)
    reference = orbdiff.compute("diffusivity", toy, **kwargs)
    # components that vanish by symmetry are rounding (~1e-18 of the largest) in the one
    # of the two evaluations (band basis / orbital basis)
    scale = 1e-12 * np.abs(getattr(reference, field)).max()
    np.testing.assert_allclose(getattr(result, field), getattr(reference, field), rtol=1e-10,
                               atol=scale)
    np.testing.assert_allclose(getattr(result, f"{field}_error"),
                               getattr(reference, f"{field}_error"), rtol=1e-8, atol=scale)
    data = result.as_dict()
    assert np.shape(data[f"{field}_error"]) == np.shape(data[field])
    again = type(result).from_dict(json.loads(json.dumps(data)))
    np.testing.assert_array_equal(getattr(again, field), getattr(result, field))


@pytest.mark.slow
@pytest.mark.parametrize("grid", [10, 14, 20, 28])
def test_the_toy_estimate_bounds_the_error_against_a_dense_grid(toy, registry, grid):
    kwargs = {"energies": [0.3, 0.5], "gamma": 0.1, "registry": registry}
    dense = orbdiff.compute("diffusivity", toy, grid=60, error_estimate=False, **kwargs)
    result = orbdiff.compute("diffusivity", toy, grid=grid, **kwargs)
    allowed = np.abs(dense.tensor) > 1e-6 * dense.error_scale("tensor")  # not zero by symmetry
    observed = np.abs(result.tensor - dense.tensor)
    assert np.mean(result.tensor_error[allowed] >= observed[allowed]) >= 0.9
    for key in ("charge", "kubo", "dos"):
        assert np.all(getattr(result, f"{key}_error") >= np.abs(getattr(result, key)
                                                                 - getattr(dense, key))), key


@pytest.mark.slow
def test_converge_reaches_the_dense_result_within_tolerance(toy, registry):
    kwargs = {"energies": [0.3, 0.5], "gamma": 0.1, "registry": registry}
    dense = orbdiff.compute("diffusivity", toy, grid=60, error_estimate=False, **kwargs)
    result = orbdiff.compute("diffusivity", toy, grid=10, converge=0.03, max_grid=60, **kwargs)
    assert result.inputs["converged"] is True
    assert result.inputs["grid"] == result.inputs["grids_tried"][-1]
    assert result.inputs["grid"][0] < 60
    scale = dense.error_scale("tensor")
    assert np.max(np.abs(result.tensor - dense.tensor) / scale) <= 0.03
    assert result.largest_relative_error() <= 0.03


def test_converge_stops_at_max_grid_with_a_warning_naming_components(toy, registry):
    with pytest.warns(UserWarning, match=r"unconverged: D\^\{"):
        result = orbdiff.compute("diffusivity", toy, grid=6, energies=[0.5], gamma=0.1,
                                 registry=registry, converge=0.001, max_grid=8)
    assert result.inputs["converged"] is False
    assert result.inputs["grid"] == [8, 8, 8]
    assert result.inputs["grids_tried"] == [[5, 5, 5], [6, 6, 6], [8, 8, 8]]
    assert result.unconverged(0.001)


@pytest.mark.parametrize(("options", "field"), [
    ({"converge": 0.0}, "converge"), ({"converge": 1.5}, "converge"),
    ({"converge": float("nan")}, "converge"), ({"converge": 0.1, "max_grid": 4}, "max_grid"),
])
def test_bad_convergence_options_raise_input_errors(toy, registry, options, field):
    with pytest.raises(orbdiff.InputError, match=rf"^{field}: got"):
        orbdiff.compute("diffusivity", toy, grid=6, energies=[0.5], gamma=0.1,
                        registry=registry, **options)
