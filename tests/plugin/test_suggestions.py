"""An unknown name suggests the registered one it most likely meant."""

from __future__ import annotations

import pytest

from orbdiff import InputError, Registry, plugin_manager
from orbdiff.cli import main


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry(plugin_manager(autoload=False, strict=True))


@pytest.mark.parametrize(
    ("category", "typed", "meant"),
    [("parameter_sets", "ta", "Ta"), ("parameter_sets", "NB", "Nb"),
     ("models", "bcc-p-tpy", "bcc-p-toy"), ("observables", "diffusivty", "diffusivity")],
)
def test_a_near_miss_names_the_registered_record(registry, category, typed, meant):
    with pytest.raises(InputError, match=rf"\(did you mean '{meant}'\?\)"):
        getattr(registry, category)[typed]


def test_a_name_far_from_every_record_gets_no_suggestion(registry):
    with pytest.raises(InputError) as info:
        registry.parameter_sets["Zz"]
    assert "did you mean" not in str(info.value)
    assert "known: Ag, Al" in str(info.value)


def test_the_command_line_suggests_the_material(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["bands", "ta", "--npoints", "5"], pm=plugin_manager(autoload=False))
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and "did you mean 'Ta'?" in error[0]
