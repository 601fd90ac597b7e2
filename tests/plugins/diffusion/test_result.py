"""The labelled result: component access, derived quantities, persistence, DOS."""

import json

import numpy as np
import pytest

import orbdiff
from conftest import toy_result


@pytest.fixture(scope="module")
def result():
    return toy_result(0.05, 6, (-0.3, 0.5))


def test_component_labels_address_the_documented_layout(result):
    # row = 3·source op + i, column = 3·current op + j, ops σx σy σz Lx Ly Lz
    assert result.D("lx y", "sy x")[0] == result.tensor[0, 3 * 1 + 0, 3 * 3 + 1]
    assert np.array_equal(result.D("l_x x", "s_x x"), result.D("lx x", "sx x"))
    with pytest.raises(orbdiff.InputError, match="component"):
        result.D("qx x", "sx x")


def test_polarizations_follow_their_definition(result):
    p_l = result.spin_to_orbit_polarization()
    cross, own = abs(result.D("lx x", "sx x")), abs(result.D("sx x", "sx x"))
    np.testing.assert_allclose(p_l[:, 0, 0], cross / (cross + own))
    p_s = result.orbit_to_spin_polarization()
    masks = result.ill_conditioned()
    for values, mask in ((p_l, masks["spin_to_orbit"]), (p_s, masks["orbit_to_spin"])):
        assert np.array_equal(np.isnan(values), mask)
        assert np.all((values[~mask] >= 0) & (values[~mask] <= 1))


def test_swapping_efficiencies_follow_their_definition(result):
    eta = result.swapping_efficiencies()
    ok = ~result.ill_conditioned()["swapping"]["l->s"]
    assert ok.any()
    np.testing.assert_allclose(
        eta["l->s"][ok], abs(result.D("sy y", "lx x") / result.D("lx x", "lx x"))[ok]
    )
    assert set(eta) == {"s->s", "s->l", "l->s", "l->l"}


def test_save_and_load_round_trip(result, tmp_path):
    path = tmp_path / "result.json"
    result.save(path)
    again = type(result).load(path)
    np.testing.assert_array_equal(again.tensor, result.tensor)
    np.testing.assert_array_equal(again.energies, result.energies)
    assert again.inputs == json.loads(json.dumps(result.inputs))


def test_load_rejects_incomplete_files(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"energies": [0.5]}))
    with pytest.raises(orbdiff.InputError, match="charge"):
        type(toy_result(0.05, 6, (-0.3, 0.5))).load(path)


def test_dos_integrates_to_the_number_of_states(registry):
    # ∫ DOS dE = 2 × 3 states per cell; the Lorentzian tails beyond ±W hold 2Γ/(πW) of it.
    model = orbdiff.load_model("bcc-p-toy", registry=registry)
    energies = np.linspace(-40, 40, 16001)
    gamma = 0.1
    dos = orbdiff.compute("dos", model, grid=6, energies=energies, gamma=gamma,
                          registry=registry, error_estimate=False).dos
    total = np.trapezoid(dos, energies)
    expected = 6 * (2 / np.pi) * np.arctan(40 / gamma)  # bands lie within ±0.8 eV of 0
    assert total == pytest.approx(expected, rel=2e-3)


def test_conductivity_observable_equals_diffusivity_kubo(registry):
    model = orbdiff.load_model("bcc-p-toy", registry=registry, xi=0.05)
    kwargs = {"grid": 5, "energies": [0.5], "gamma": 0.1, "registry": registry}
    sigma = orbdiff.compute("conductivity", model, **kwargs)
    diffusivity = orbdiff.compute("diffusivity", model, **kwargs)
    # the two evaluate σ differently (band basis / orbital basis): the components that
    # vanish by symmetry are rounding, ~1e-18 of the diagonal, in one of them
    scale = 1e-12 * np.abs(diffusivity.kubo).max()
    np.testing.assert_allclose(sigma.kubo, diffusivity.kubo, atol=scale)
    np.testing.assert_allclose(sigma.kubo_error, diffusivity.kubo_error, atol=scale)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("gamma", 0.0),
        ("gamma", float("nan")),
        ("energies", []),
        ("energies", [0.1, np.inf]),
        ("grid", 1),
    ],
)
def test_compute_rejects_bad_input(registry, key, value):
    model = orbdiff.load_model("bcc-p-toy", registry=registry)
    kwargs = {"grid": 3, "energies": [0.5], "gamma": 0.1, key: value}
    with pytest.raises(orbdiff.InputError, match=key):
        orbdiff.compute("diffusivity", model, registry=registry, **kwargs)


def test_unknown_observable(registry):
    model = orbdiff.load_model("bcc-p-toy", registry=registry)
    with pytest.raises(orbdiff.InputError, match="known: conductivity, diffusivity, dos"):
        orbdiff.compute("kubo", model, grid=3, energies=[0.5], gamma=0.1, registry=registry)


def test_projected_dos_on_a_single_orbital_is_a_third(registry):
    # p_x alone breaks the cubic symmetry: the projection must use the full grid
    from orbdiff import KGrid
    from orbdiff.observables import projected_dos

    model = orbdiff.load_model("bcc-p-toy", registry=registry)
    px = np.diag(np.kron([1.0, 0.0, 0.0], [1.0, 1.0])).astype(complex)
    energies = np.array([-0.3, 0.2, 0.6])
    parts = projected_dos(model, KGrid(model.crystal, 6), energies, 0.1, {"px": px})
    total = projected_dos(model, KGrid(model.crystal, 6), energies, 0.1)["p"]
    np.testing.assert_allclose(parts["px"], total / 3, rtol=1e-10)
