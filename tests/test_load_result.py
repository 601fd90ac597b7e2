"""orbdiff.load_result reads back any saved result through the observables' result types."""

from __future__ import annotations

import json

import numpy as np
import pytest

import orbdiff
from conftest import toy_result
from orbdiff.plugin import ObservableRecord, Registry, hookimpl, plugin_manager
from orbdiff.results import result_types


class Echo:
    """A third-party result: whatever dict it was saved from, marked by its keys."""

    def __init__(self, data):
        self.data = data

    @classmethod
    def from_dict(cls, data):
        if "echo" not in data:
            raise orbdiff.InputError("echo: missing")
        return cls(data)


class EchoObservable:
    name, requires, units, result_type = "echo", (), "", Echo


class EchoPlugin:
    @hookimpl
    def orbdiff_register_observables(self):
        return [ObservableRecord("echo", EchoObservable, "test observable")]


@pytest.fixture(scope="module")
def echo_registry() -> Registry:
    return Registry(plugin_manager(autoload=False, strict=True, extra=[EchoPlugin()]))


def test_a_saved_diffusivity_comes_back_equal(registry, tmp_path):
    result = toy_result(0.05, 6, (-0.3, 0.5))
    result.save(tmp_path / "toy.json")
    loaded = orbdiff.load_result(tmp_path / "toy.json", registry=registry)
    assert type(loaded) is type(result)
    for name in ("energies", "charge", "tensor", "kubo", "dos"):
        np.testing.assert_array_equal(getattr(loaded, name), getattr(result, name))
    assert loaded.inputs == result.inputs


def test_each_file_goes_to_the_result_type_that_reads_it(echo_registry, tmp_path):
    assert set(result_types(echo_registry)) == {"diffusivity", "echo"}
    toy_result(0.05, 6, (-0.3, 0.5)).save(tmp_path / "toy.json")
    (tmp_path / "echo.json").write_text(json.dumps({"echo": 1}))
    assert type(orbdiff.load_result(tmp_path / "echo.json", registry=echo_registry)) is Echo
    assert type(orbdiff.load_result(tmp_path / "toy.json", registry=echo_registry)) is not Echo


def test_a_kind_key_picks_the_result_type(echo_registry, tmp_path):
    (tmp_path / "tagged.json").write_text(json.dumps({"kind": "echo", "echo": 2}))
    loaded = orbdiff.load_result(tmp_path / "tagged.json", registry=echo_registry)
    assert isinstance(loaded, Echo) and loaded.data["echo"] == 2
    (tmp_path / "other.json").write_text(json.dumps({"kind": "bands"}))
    with pytest.raises(orbdiff.InputError, match="kind: got 'bands'; expected one of"):
        orbdiff.load_result(tmp_path / "other.json", registry=echo_registry)


@pytest.mark.parametrize(
    ("content", "needle"),
    [(None, "an existing result file"), ("not json", "a JSON file"),
     ("[1, 2]", "a JSON object"), ('{"energies": [0]}', "saved by one of: diffusivity")],
)
def test_a_file_no_result_type_reads_is_one_clear_error(registry, tmp_path, content, needle):
    path = tmp_path / "result.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(orbdiff.InputError, match=needle):
        orbdiff.load_result(path, registry=registry)
