"""``orbdiff materials`` lists species, lattice and shells, and flags inferred conventions;
``orbdiff diffusivity --material Ti --soc-scale 0`` runs on a two-atom hcp set."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from orbdiff import plugin_manager
from orbdiff.cli import build_cli

HCP = ("Be", "Mg", "Sc", "Ti", "Zn", "Y", "Zr", "Tc", "Ru", "Cd", "Hf", "Re", "Os", "Co-hcp")


def invoke(*args: str):
    pm = plugin_manager(autoload=False, strict=True)
    return CliRunner().invoke(build_cli(pm), list(args), obj={"plugin_manager": pm})


def test_materials_lists_the_hcp_sets_with_species_structure_and_flags():
    result = invoke("materials")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    header = lines[0].split()
    assert header[:5] == ["name", "species", "lattice", "atoms", "shells"]
    rows = {line.split()[0]: line.split() for line in lines[1:] if not line.startswith("inferred")}
    for name in HCP:
        assert rows[name][1:5] == [name.split("-")[0], "hcp", "2", "3"]
        assert "hcp_shells,hcp_onsite" in rows[name]
    assert rows["Ta"][1:5] == ["Ta", "bcc", "1", "3"] and "-" in rows["Ta"]
    assert rows["Co"][2] == "fcc"
    columns = {line.index(" 2 ") for line in lines if line.split()[0] in HCP}
    assert len(columns) == 1  # aligned


@pytest.mark.slow
def test_diffusivity_of_hcp_titanium_without_soc_runs():
    result = invoke("diffusivity", "--material", "Ti", "--soc-scale", "0", "--grid", "4",
                    "--energies", "0")
    assert result.exit_code == 0, result.output
    assert "model=Ti" in result.output


def test_titanium_has_no_soc_constant_so_soc_needs_xi():
    result = invoke("diffusivity", "--material", "Ti", "--grid", "4", "--energies", "0")
    assert result.exit_code == 2
    assert "no spin-orbit constant" in result.output
