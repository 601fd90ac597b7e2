"""The plugin manager: built-ins, blocking, local modules, extra plugins, loud failures."""

from __future__ import annotations

import importlib.metadata

import pytest

import orbdiff
from orbdiff import PluginError, Registry, plugin_manager
from orbdiff.basis import OrbitalSet
from orbdiff.plugin import BUILTIN_PLUGINS, ModelRecord, PluginWarning
from orbdiff.structure import neighbour_shells

BUILTINS = ("core", "toy", "diffusion", "papaconstantopoulos", "ferromagnet", "hall",
            "wannier90")

LOCAL_PLUGIN = '''
"""A user's own plugin, found through ORBDIFF_PLUGINS."""
from orbdiff.plugin import ModelRecord, hookimpl

__version__ = "1.2.3"


def factory(**parameters):
    raise AssertionError("registration must not build the model")


@hookimpl
def orbdiff_register_models():
    return [ModelRecord("{model}", factory, parameters={{"t": -0.3}})]
'''


def s_band(t: float = -0.3, a: float = 3.0) -> orbdiff.TightBindingModel:
    """One s orbital on a bcc lattice, nearest-neighbour (ssσ) = t (eV)."""
    crystal = orbdiff.Crystal.bcc(a)
    builder = orbdiff.ModelBuilder(crystal, OrbitalSet(("s",)))
    builder.add_slater_koster(neighbour_shells(crystal, 1), [{"sss": t}])
    return builder.finalized(name="test-s-band", parameters={"t": t, "a": a})


def registered(pm) -> set[str]:
    """Names of plugins actually registered (pluggy keeps blocked names with None)."""
    return {name for name, plugin in pm.list_name_plugin() if plugin is not None}


# --- built-ins and blocking -------------------------------------------------------------


def test_builtins_are_an_explicit_tuple_named_core_toy_diffusion():
    assert tuple(spec.partition(":")[2] for spec in BUILTIN_PLUGINS) == BUILTINS


def test_builtins_are_registered_without_autoload():
    pm = plugin_manager(autoload=False, strict=True)
    assert registered(pm) == set(BUILTINS)
    registry = Registry(pm)
    assert registry.models["bcc-p-toy"].plugin == "toy"
    assert registry.onsite_terms["soc"].plugin == "core"
    assert registry.self_energies["constant"].plugin == "core"
    assert registry.observables["diffusivity"].plugin == "diffusion"


def test_builtins_carry_the_package_version():
    pm = plugin_manager(autoload=False)
    version = importlib.metadata.version("orbdiff")
    assert {name: pm.versions[name] for name in BUILTINS} == dict.fromkeys(BUILTINS, version)


def test_disable_argument_blocks_a_builtin():
    pm = plugin_manager(autoload=False, disable=("toy",))
    assert not pm.has_plugin("toy")
    assert registered(pm) == set(BUILTINS) - {"toy"}
    models = Registry(pm).models
    assert "bcc-p-toy" not in models
    with pytest.raises(orbdiff.InputError, match="bcc-p-toy"):
        models["bcc-p-toy"]


@pytest.mark.parametrize("value", ["toy", " toy , ", "diffusion,toy"])
def test_disable_environment_variable_blocks_a_builtin(monkeypatch, value):
    monkeypatch.setenv("ORBDIFF_DISABLE_PLUGINS", value)
    pm = plugin_manager(autoload=False)
    assert not pm.has_plugin("toy")
    assert "bcc-p-toy" not in Registry(pm).models
    assert pm.has_plugin("core")


def test_disable_also_blocks_an_extra_plugin_by_name(make_plugin):
    plugin = make_plugin("mine", orbdiff_register_models=lambda: [ModelRecord("m", s_band)])
    pm = plugin_manager(autoload=False, disable=("mine",), extra=[plugin])
    assert "m" not in Registry(pm).models


def test_blocked_extra_plugin_leaves_no_version_entry(make_plugin):
    plugin = make_plugin("mine", orbdiff_register_models=lambda: [ModelRecord("m", s_band)])
    pm = plugin_manager(autoload=False, disable=("mine",), extra=[plugin])
    assert set(pm.versions) == registered(pm)


# --- ORBDIFF_PLUGINS ------------------------------------------------------------------------


def test_orbdiff_plugins_registers_a_local_module(monkeypatch, local_module):
    name = local_module("orbdiff_test_local_plugin", LOCAL_PLUGIN.format(model="local-model"))
    monkeypatch.setenv("ORBDIFF_PLUGINS", name)
    registry = Registry(plugin_manager(autoload=False, strict=True))
    record = registry.models["local-model"]
    assert record.plugin == name
    assert dict(record.parameters) == {"t": -0.3}
    assert registry.versions[name] == "1.2.3"
    assert registry.registered_by(name) == {"models": ["local-model"]}
    assert "bcc-p-toy" in registry.models  # built-ins stay


def test_orbdiff_plugins_takes_a_comma_list(monkeypatch, local_module):
    first = local_module("orbdiff_test_plugin_one", LOCAL_PLUGIN.format(model="model-one"))
    second = local_module("orbdiff_test_plugin_two", LOCAL_PLUGIN.format(model="model-two"))
    monkeypatch.setenv("ORBDIFF_PLUGINS", f" {first} , ,{second} ")
    models = Registry(plugin_manager(autoload=False, strict=True)).models
    assert (models["model-one"].plugin, models["model-two"].plugin) == (first, second)


def test_a_local_module_can_be_disabled(monkeypatch, local_module):
    name = local_module("orbdiff_test_disabled_plugin", LOCAL_PLUGIN.format(model="never"))
    monkeypatch.setenv("ORBDIFF_PLUGINS", name)
    monkeypatch.setenv("ORBDIFF_DISABLE_PLUGINS", name)
    pm = plugin_manager(autoload=False, strict=True)
    assert not pm.has_plugin(name)
    assert "never" not in Registry(pm).models


def test_missing_module_is_a_warning_naming_it(monkeypatch):
    monkeypatch.setenv("ORBDIFF_PLUGINS", "orbdiff_no_such_plugin_xyz")
    with pytest.warns(PluginWarning, match="orbdiff_no_such_plugin_xyz"):
        pm = plugin_manager(autoload=False)
    assert registered(pm) == set(BUILTINS)  # the rest still works


def test_missing_module_is_an_error_in_strict_mode(monkeypatch):
    monkeypatch.setenv("ORBDIFF_PLUGINS", "orbdiff_no_such_plugin_xyz")
    with pytest.raises(PluginError, match="orbdiff_no_such_plugin_xyz"):
        plugin_manager(autoload=False, strict=True)


def test_module_failing_at_import_is_a_warning_naming_it(monkeypatch, local_module):
    name = local_module("orbdiff_test_broken_plugin", "raise RuntimeError('broken on purpose')\n")
    monkeypatch.setenv("ORBDIFF_PLUGINS", name)
    with pytest.warns(PluginWarning, match=f"{name}.*broken on purpose"):
        plugin_manager(autoload=False)
    with pytest.raises(PluginError, match=name):
        plugin_manager(autoload=False, strict=True)


# --- extra plugins, end to end --------------------------------------------------------------


def test_extra_plugin_model_works_end_to_end(make_plugin):
    plugin = make_plugin(
        "extra_models",
        version="0.9",
        orbdiff_register_models=lambda: [
            ModelRecord("test-s-band", s_band, parameters={"t": -0.3, "a": 3.0})
        ],
    )
    registry = Registry(plugin_manager(autoload=False, strict=True, extra=[plugin]))
    assert registry.models["test-s-band"].plugin == "extra_models"
    assert registry.versions["extra_models"] == "0.9"

    model = orbdiff.load_model("test-s-band", registry=registry, t=-0.5)
    assert isinstance(model, orbdiff.TightBindingModel)
    assert (model.name, model.parameters["t"]) == ("test-s-band", -0.5)
    dos = orbdiff.compute("dos", model, grid=3, energies=[0.0], gamma=0.1, registry=registry).dos
    assert dos.shape == (1,) and dos[0] > 0
    with pytest.raises(orbdiff.InputError, match=r"'v_sigma'.*accepted: t, a"):
        orbdiff.load_model("test-s-band", registry=registry, v_sigma=1.0)


def test_extra_plugin_without_version_is_unknown(make_plugin):
    plugin = make_plugin("unversioned", orbdiff_register_models=lambda: [])
    assert plugin_manager(autoload=False, extra=[plugin]).versions["unversioned"] == "unknown"


# --- misspelled or malformed hooks fail loudly ------------------------------------------


@pytest.mark.parametrize(
    ("hook_name", "marked"),
    [("orbdiff_register_model", True), ("orbdiff_register_model", False),
     ("register_models", True)],
)
def test_misspelled_hook_is_a_plugin_error(make_plugin, hook_name, marked):
    plugin = make_plugin("badspell", marked=marked, **{hook_name: lambda: []})
    with pytest.raises(PluginError, match=f"badspell.*{hook_name}|{hook_name}.*badspell"):
        plugin_manager(autoload=False, extra=[plugin])


def test_misspelled_hook_in_a_local_module_is_an_error_even_when_not_strict(
    monkeypatch, local_module
):
    name = local_module("orbdiff_test_misspelled", "def orbdiff_register_model():\n    return []\n")
    monkeypatch.setenv("ORBDIFF_PLUGINS", name)
    with pytest.raises(PluginError, match="orbdiff_register_model"):
        plugin_manager(autoload=False)


def test_unprefixed_helper_functions_are_not_hooks(make_plugin):
    plugin = make_plugin("helpers", marked=False, helper=lambda: 1)
    assert "helpers" in registered(plugin_manager(autoload=False, strict=True, extra=[plugin]))


def test_hook_with_unknown_argument_is_a_plugin_error(make_plugin):
    plugin = make_plugin("badargs", orbdiff_register_models=lambda colour: [])
    with pytest.raises(PluginError, match="badargs"):
        plugin_manager(autoload=False, strict=True, extra=[plugin])


def test_hook_with_unknown_argument_in_a_local_module_warns_or_fails_strict(
    monkeypatch, local_module
):
    name = local_module(
        "orbdiff_test_badargs",
        "from orbdiff import hookimpl\n\n@hookimpl\n"
        "def orbdiff_register_models(colour):\n    return []\n",
    )
    monkeypatch.setenv("ORBDIFF_PLUGINS", name)
    with pytest.warns(PluginWarning, match=name):
        plugin_manager(autoload=False)
    with pytest.raises(PluginError, match=name):
        plugin_manager(autoload=False, strict=True)
