"""The registry validates, stamps, sorts and indexes records; records are frozen."""

from __future__ import annotations

import dataclasses
import importlib.metadata

import pytest

from orbdiff import InputError, OrbdiffError, PluginError, Registry, plugin_manager
from orbdiff.plugin import (
    ModelRecord,
    ObservableRecord,
    OnsiteTermRecord,
    ParameterSetRecord,
    SelfEnergyRecord,
)

RECORD_TYPES = (ModelRecord, ObservableRecord, OnsiteTermRecord, ParameterSetRecord,
                SelfEnergyRecord)
CATEGORIES = ("parameter_sets", "models", "onsite_terms", "self_energies", "observables")


def factory(**parameters):
    return parameters


def registry_with(*plugins) -> Registry:
    return Registry(plugin_manager(autoload=False, strict=True, extra=plugins))


@pytest.fixture(scope="module")
def builtin_registry() -> Registry:
    return Registry(plugin_manager(autoload=False, strict=True))


# --- indexing --------------------------------------------------------------------------------


def test_every_category_is_sorted_by_name(make_plugin):
    plugin = make_plugin(
        "unsorted",
        orbdiff_register_models=lambda: [ModelRecord(n, factory) for n in ("zeta", "alpha", "m")],
        orbdiff_register_observables=lambda: [ObservableRecord("aaa-first", factory)],
    )
    registry = registry_with(plugin)
    assert list(registry.models) == ["alpha", "bcc-p-toy", "m", "wannier90", "zeta"]
    assert list(registry.observables) == ["aaa-first", "conductivity", "diffusivity", "dos", "hall"]
    for category in CATEGORIES:
        names = list(getattr(registry, category))
        assert names == sorted(names), category


def test_records_are_stamped_with_the_plugin_that_returned_them(make_plugin):
    plugin = make_plugin(
        "honest", orbdiff_register_models=lambda: [ModelRecord("m", factory, plugin="liar")]
    )
    assert registry_with(plugin).models["m"].plugin == "honest"


def test_hook_returning_none_registers_nothing(make_plugin):
    registry = registry_with(make_plugin("quiet", orbdiff_register_models=lambda: None))
    assert registry.registered_by("quiet") == {}
    assert list(registry.models) == ["bcc-p-toy", "wannier90"]


@pytest.mark.parametrize(
    ("category", "known"),
    [("models", "bcc-p-toy"), ("observables", "conductivity, diffusivity, dos"),
     ("self_energies", "constant"), ("onsite_terms", "exchange, soc")],
)
def test_unknown_name_is_an_input_error_listing_known_names(builtin_registry, category, known):
    records = getattr(builtin_registry, category)
    assert "no-such-thing" not in records
    with pytest.raises(InputError, match="'no-such-thing'") as info:
        records["no-such-thing"]
    assert f"known: {known}" in str(info.value)


def test_registered_by_lists_each_plugins_records(builtin_registry):
    assert builtin_registry.registered_by("toy") == {"models": ["bcc-p-toy"]}
    assert builtin_registry.registered_by("diffusion") == {
        "observables": ["conductivity", "diffusivity", "dos"]
    }
    assert builtin_registry.registered_by("core") == {
        "onsite_terms": ["soc"], "self_energies": ["constant"]
    }
    assert builtin_registry.registered_by("nobody") == {}


def test_versions_and_plugin_names(make_plugin):
    registry = registry_with(make_plugin("versioned", version="4.5.6"))
    assert registry.versions["versioned"] == "4.5.6"
    assert registry.versions["toy"] == importlib.metadata.version("orbdiff")
    expected = ["core", "diffusion", "ferromagnet", "hall", "papaconstantopoulos", "toy",
                "versioned", "wannier90"]
    assert registry.plugin_names() == expected


def test_plugin_names_leave_out_disabled_plugins():
    registry = Registry(plugin_manager(autoload=False, disable=("toy",)))
    assert registry.plugin_names() == ["core", "diffusion", "ferromagnet", "hall",
                                       "papaconstantopoulos", "wannier90"]


# --- rejection of bad registrations ----------------------------------------------------------


def test_duplicate_names_across_two_plugins_name_both(make_plugin):
    def hook():
        return [ModelRecord("dup", factory)]

    first = make_plugin("plugin_first", orbdiff_register_models=hook)
    second = make_plugin("plugin_second", orbdiff_register_models=hook)
    with pytest.raises(PluginError, match="'dup'") as info:
        registry_with(first, second)
    assert "plugin_first" in str(info.value) and "plugin_second" in str(info.value)


@pytest.mark.parametrize(
    ("hook", "record", "builtin"),
    [("orbdiff_register_models", ModelRecord("bcc-p-toy", factory), "toy"),
     ("orbdiff_register_observables", ObservableRecord("dos", factory), "diffusion"),
     ("orbdiff_register_onsite_terms", OnsiteTermRecord("soc", factory), "core")],
)
def test_duplicate_of_a_builtin_names_both(make_plugin, hook, record, builtin):
    plugin = make_plugin("copycat", **{hook: lambda: [record]})
    with pytest.raises(PluginError, match=repr(record.name)) as info:
        registry_with(plugin)
    assert f"'{builtin}'" in str(info.value) and "'copycat'" in str(info.value)


def test_same_name_in_two_categories_is_allowed(make_plugin):
    plugin = make_plugin("shared", orbdiff_register_models=lambda: [ModelRecord("dos", factory)])
    registry = registry_with(plugin)
    assert registry.models["dos"].plugin == "shared"
    assert registry.observables["dos"].plugin == "diffusion"


@pytest.mark.parametrize(
    "returned",
    [[ObservableRecord("wrong-kind", factory)], [{"name": "m", "factory": factory}], 42, ["m"]],
    ids=["other-record-type", "dict", "not-a-list", "string"],
)
def test_wrong_return_type_is_a_plugin_error_naming_the_plugin(make_plugin, returned):
    plugin = make_plugin("sloppy", orbdiff_register_models=lambda: returned)
    with pytest.raises(PluginError, match=r"'sloppy'.*orbdiff_register_models"):
        registry_with(plugin)


def test_hook_raising_is_a_plugin_error_naming_the_plugin(make_plugin):
    def explode():
        raise RuntimeError("boom")

    plugin = make_plugin("explosive", orbdiff_register_observables=explode)
    with pytest.raises(PluginError, match=r"'explosive'.*boom") as info:
        registry_with(plugin)
    assert isinstance(info.value.__cause__, RuntimeError)


def test_invalid_record_built_inside_a_hook_is_a_plugin_error(make_plugin):
    plugin = make_plugin("nameless", orbdiff_register_models=lambda: [ModelRecord("", factory)])
    with pytest.raises(PluginError, match="'nameless'"):
        registry_with(plugin)


def test_registration_does_not_call_factories(make_plugin):
    def forbidden(**parameters):
        raise AssertionError("a factory ran during registration")

    plugin = make_plugin("lazy", orbdiff_register_models=lambda: [ModelRecord("lazy-m", forbidden)])
    assert registry_with(plugin).models["lazy-m"].factory is forbidden


# --- records ---------------------------------------------------------------------------------


@pytest.mark.parametrize("record_type", RECORD_TYPES)
def test_records_are_frozen(record_type):
    record = record_type("x", factory)
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.name = "y"
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.plugin = "someone"


def test_model_parameters_are_a_read_only_copy():
    defaults = {"a": 1.0}
    record = ModelRecord("m", factory, parameters=defaults)
    defaults["b"] = 2.0
    assert dict(record.parameters) == {"a": 1.0}
    with pytest.raises(TypeError):
        record.parameters["a"] = 3.0


@pytest.mark.parametrize("record_type", RECORD_TYPES)
@pytest.mark.parametrize("name", ["", "   ", None, 3])
def test_records_reject_a_bad_name(record_type, name):
    with pytest.raises((TypeError, ValueError, OrbdiffError), match="name"):
        record_type(name, factory)


@pytest.mark.parametrize("record_type", RECORD_TYPES)
@pytest.mark.parametrize("bad_factory", [None, "bcc_p_toy", 1.0])
def test_records_reject_a_factory_that_is_not_callable(record_type, bad_factory):
    with pytest.raises((TypeError, ValueError, OrbdiffError), match="factory"):
        record_type("x", bad_factory)
