"""Fixtures shared by the parameter-set tests: the built-in database, the shared data."""

from __future__ import annotations

import json

import pytest

from orbdiff_plugins.papaconstantopoulos import parameter_files as pf


@pytest.fixture(autouse=True)
def _builtin_db(monkeypatch):
    """Every test reads the bundled materials_db, whatever the environment says."""
    monkeypatch.delenv(pf.ENVIRONMENT_VARIABLE, raising=False)


@pytest.fixture(scope="module")
def shared(request) -> dict:
    """The shared parameter data named by the test module's ``SHARED_DATA`` path.

    Skipped where the project's ``shared/`` folder is not beside the checkout.
    """
    path = request.module.SHARED_DATA
    if not path.is_file():
        pytest.skip(f"shared parameter data not found at {path}")
    return json.loads(path.read_text())


@pytest.fixture
def malformed_file_error(tmp_path):
    """``data -> message``: load ``data`` written to a file, expect one InputError naming it."""

    def load(data: dict) -> str:
        path = tmp_path / "Bad.json"
        path.write_text(json.dumps(data))
        with pytest.raises(pf.InputError) as info:
            pf.load_parameter_set(path)
        assert str(info.value).startswith(f"{path}: ")
        return str(info.value)

    return load
