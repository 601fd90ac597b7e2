"""Fixtures for the plugin-machinery tests: a clean environment and throw-away plugins."""

from __future__ import annotations

import sys
import textwrap
import types

import pytest

import orbdiff

PLUGIN_ENV = ("ORBDIFF_PLUGINS", "ORBDIFF_DISABLE_PLUGINS", "ORBDIFF_DISABLE_PLUGIN_AUTOLOAD")


@pytest.fixture(autouse=True)
def _clean_plugin_env(monkeypatch):
    """No plugin selection leaks in from the shell that runs the tests."""
    for variable in PLUGIN_ENV:
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture
def make_plugin():
    """``make(name, version=None, marked=True, **hooks)``: a plugin module with these hooks."""

    def make(name, version=None, marked=True, **hooks):
        plugin = types.ModuleType(name)
        for hook_name, function in hooks.items():
            setattr(plugin, hook_name, orbdiff.hookimpl(function) if marked else function)
        if version is not None:
            plugin.__version__ = version
        return plugin

    return make


@pytest.fixture
def local_module(tmp_path, monkeypatch):
    """``write(name, source)``: an importable module in tmp_path, forgotten after the test."""
    monkeypatch.syspath_prepend(tmp_path)
    written = []

    def write(name, source):
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(source))
        written.append(name)
        return name

    yield write
    for name in written:
        sys.modules.pop(name, None)
