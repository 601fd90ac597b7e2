"""HallResult: the JSON contract, save/load, the error protocol, units and bad input."""

import json

import numpy as np
import pytest

import orbdiff
from orbdiff.errors import InputError
from orbdiff_plugins.hall import HallResult
from orbdiff_plugins.hall.estimate import SAFETY_FACTOR
from orbdiff_plugins.hall.run import model_hall


@pytest.fixture(scope="module")
def toy():
    return orbdiff.load_model("bcc-p-toy", xi=0.05)


@pytest.fixture(scope="module")
def estimated(toy):
    return model_hall(toy, [-0.2, 0.25], grid=6, gamma=0.1)


def test_json_keys_shapes_and_round_trip(estimated, tmp_path):
    data = json.loads(json.dumps(estimated.as_dict()))
    for name, shape in (("spin_hall", (2, 3, 3, 3)), ("orbital_hall", (2, 3, 3, 3)),
                        ("anomalous_hall", (2, 3, 3))):
        assert np.shape(data[name]) == shape
        assert np.shape(data[f"{name}_error"]) == shape
    assert data["units"]["spin_hall"] == "(hbar/e) S/cm"
    assert data["inputs"]["grid"] == [6, 6, 6] and data["inputs"]["error_grid"] == [5, 5, 5]
    path = tmp_path / "hall.json"
    estimated.save(path)
    loaded = HallResult.load(path)
    np.testing.assert_array_equal(loaded.spin_hall, estimated.spin_hall)
    np.testing.assert_array_equal(loaded.orbital_hall_error, estimated.orbital_hall_error)


def test_error_is_the_difference_of_the_two_grids(toy, estimated):
    fine = model_hall(toy, [-0.2, 0.25], grid=6, gamma=0.1, error_estimate=False)
    coarse = model_hall(toy, [-0.2, 0.25], grid=5, gamma=0.1, error_estimate=False)
    np.testing.assert_array_equal(estimated.spin_hall, fine.spin_hall)
    # twice the largest difference of the tensor's components at each energy
    difference = np.abs(fine.spin_hall - coarse.spin_hall).max(axis=(1, 2, 3))
    np.testing.assert_allclose(estimated.spin_hall_error,
                               np.broadcast_to(2 * difference[:, None, None, None],
                                               fine.spin_hall.shape), rtol=1e-12)
    assert SAFETY_FACTOR == 2.0
    assert fine.spin_hall_error is None
    assert np.abs(estimated.orbital_hall_error).max() > 0


def test_converge_reaches_the_tolerance(toy):
    result = model_hall(toy, [0.25], grid=6, gamma=0.3, converge_to=0.05, max_grid=30)
    assert result.inputs["converged"] is True
    relative = result.orbital_hall_error / result.error_scale("orbital_hall")
    assert relative.max() <= 0.05


def test_si_units_are_one_hundred_times_per_centimetre(toy):
    cm = model_hall(toy, [0.25], grid=4, gamma=0.1, error_estimate=False)
    m = model_hall(toy, [0.25], grid=4, gamma=0.1, error_estimate=False, units="S/m")
    np.testing.assert_allclose(m.orbital_hall, 100 * cm.orbital_hall, rtol=1e-12,
                               atol=1e-12 * np.abs(m.orbital_hall).max())
    assert m.as_dict()["units"]["anomalous_hall"] == "S/m"


@pytest.mark.parametrize(("options", "needle"), [
    ({"formula": "kubo"}, "formula: got 'kubo'"),
    ({"units": "S/mm"}, "units: got 'S/mm'"),
    ({"gamma": 0.0}, "gamma: got 0.0"),
    ({"grid": 1}, "grid: got 1"),
])
def test_bad_input_names_the_field(toy, options, needle):
    arguments = {"grid": 4, "gamma": 0.1, **options}
    with pytest.raises(InputError, match=needle):
        model_hall(toy, [0.0], error_estimate=False, **arguments)


def test_component_labels_name_operator_and_directions(estimated):
    assert estimated.component_label("spin_hall", (1, 2, 0, 1)) == \
        "sigma^{sz}_{xy} at E = 0.25 eV"
    assert estimated.component_label("anomalous_hall", (0, 0, 1)) == "sigma_xy at E = -0.2 eV"
