"""Fixtures for the command-line tests."""

from __future__ import annotations

import pytest

PLUGIN_ENV = ("ORBDIFF_PLUGINS", "ORBDIFF_DISABLE_PLUGINS", "ORBDIFF_DISABLE_PLUGIN_AUTOLOAD")


@pytest.fixture(autouse=True)
def _clean_plugin_env(monkeypatch):
    """No plugin selection leaks in from the shell that runs the tests."""
    for variable in PLUGIN_ENV:
        monkeypatch.delenv(variable, raising=False)
