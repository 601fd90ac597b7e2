"""Energies of real metals are E − E_F: the Fermi shift of material_diffusivity and the CLI."""

import json

import numpy as np
import pytest
from click.testing import CliRunner

import orbdiff
from orbdiff.cli import build_cli
from orbdiff.observables import fermi_level, fermi_level_on_grid
from orbdiff_plugins.diffusion.materials import material_diffusivity

RELATIVE = np.array([-0.2, 0.3])
SETTINGS = {"grid": 5, "gamma": 0.2, "shells": 2, "error_estimate": False}


@pytest.fixture(scope="module")
def vanadium(registry):
    model = orbdiff.load_material("V", registry=registry, shells=2)
    electrons = orbdiff.load_parameter_set("V", registry=registry).valence_electrons
    return model, electrons, fermi_level(model, electrons)


def test_the_fermi_level_holds_the_valence_electrons(vanadium):
    model, electrons, level = vanadium
    assert electrons == 5
    below = fermi_level_on_grid(model, electrons - 0.05, level.grid)
    above = fermi_level_on_grid(model, electrons + 0.05, level.grid)
    assert below < level.energy < above  # monotonic counting, not a sign convention


def test_material_energies_are_measured_from_the_fermi_level(vanadium, registry):
    model, _, level = vanadium
    result = material_diffusivity("V", RELATIVE, registry=registry, **SETTINGS)
    assert result.fermi_level == pytest.approx(level.energy, abs=1e-9)
    np.testing.assert_allclose(result.energies, RELATIVE)
    absolute = orbdiff.compute("diffusivity", model, energies=level.energy + RELATIVE,
                               registry=registry, grid=5, gamma=0.2, error_estimate=False)
    np.testing.assert_allclose(result.tensor, absolute.tensor, rtol=1e-12, atol=1e-9)
    # the shift matters: at E_F − 0.2 and E_F + 0.3 the charge diffusivities differ
    assert abs(absolute.charge[0, 0, 0] - absolute.charge[1, 0, 0]) > 1e-2 * absolute.charge[
        0, 0, 0]


@pytest.mark.slow
def test_cli_material_energies_are_relative_and_absolute_is_raw(vanadium, registry):
    model, _, level = vanadium
    options = ["diffusivity", "--material", "V", "--shells", "2", "--grid", "5", "--gamma",
               "0.2", "--no-error-estimate", "--format", "json", "--energies", "-0.2,0.3"]
    pm = orbdiff.plugin_manager(autoload=False, strict=True)
    relative = json.loads(CliRunner().invoke(build_cli(pm), options,
                                             obj={"plugin_manager": pm}).stdout)
    assert relative["fermi_level"] == pytest.approx(level.energy, abs=1e-9)
    assert relative["energies"] == [-0.2, 0.3]
    expected = orbdiff.compute("diffusivity", model, energies=level.energy + RELATIVE,
                               registry=registry, grid=5, gamma=0.2, error_estimate=False)
    np.testing.assert_allclose(relative["charge"], expected.charge, rtol=1e-12)
    raw = CliRunner().invoke(build_cli(pm), [*options[:-1], "8.1,8.6", "--absolute"],
                             obj={"plugin_manager": pm})
    raw = json.loads(raw.stdout)
    direct = orbdiff.compute("diffusivity", model, energies=[8.1, 8.6], registry=registry,
                             grid=5, gamma=0.2, error_estimate=False)
    np.testing.assert_allclose(raw["charge"], direct.charge, rtol=1e-12)


@pytest.mark.slow
def test_unconverged_components_are_named_at_energies_from_the_fermi_level(registry):
    with pytest.warns(UserWarning, match=r"at E = 0\.3 eV"):
        result = material_diffusivity("V", [0.3], registry=registry, grid=4, gamma=0.2,
                                      shells=2, converge=0.01, max_grid=5)
    assert all(label.endswith("at E = 0.3 eV") for label in result.inputs["unconverged"])
