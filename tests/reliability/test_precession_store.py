"""The precession sweep's store: forged records, code versions, damaged files."""

from __future__ import annotations

import numpy as np
import pytest

import orbdiff
from orbdiff.errors import InputError
from orbdiff.store import ResultsStore
from orbdiff_plugins.ferromagnet import precession_sweep
from orbdiff_plugins.ferromagnet import sweep as sweep_module

SWEEP = {"energy": 0.5, "grid": 3, "gamma": 0.1, "progress": False}


@pytest.fixture(scope="module")
def toy(registry):
    return orbdiff.load_model("bcc-p-toy", registry=registry, xi=0.05)


def _store(tmp_path):
    return ResultsStore(tmp_path / "p.db", option="--store")


@pytest.mark.parametrize(("name", "value"), [("tensor", np.ones(3)),
                                             ("charge", np.full((3, 3), np.nan)),
                                             ("dos", np.ones(2))])
def test_a_forged_record_is_an_error_not_a_result(toy, registry, tmp_path, name, value):
    store = _store(tmp_path)
    precession_sweep(toy, [0.2], [0.0], store=store, registry=registry, **SWEEP)
    row = store.select(kind="precession")[0]
    data = {**row.data, name: value}
    store.store(row.identity, dict(row.key_value_pairs), data)
    with pytest.raises(InputError, match=rf"--store: row .* has {name} of shape"):
        precession_sweep(toy, [0.2], [0.0], store=store, registry=registry, **SWEEP)


def test_another_code_version_or_model_is_recomputed(toy, registry, tmp_path, monkeypatch):
    store = _store(tmp_path)
    first = precession_sweep(toy, [0.2], [0.0], store=store, registry=registry, **SWEEP)
    again = precession_sweep(toy, [0.2], [0.0], store=store, registry=registry, **SWEEP)
    assert (again.computed, again.reused) == (0, 1)
    monkeypatch.setattr(sweep_module, "code_version", lambda: "0.0.0-older")
    older = precession_sweep(toy, [0.2], [0.0], store=store, registry=registry, **SWEEP)
    assert (older.computed, older.reused) == (1, 0)
    other = orbdiff.load_model("bcc-p-toy", registry=registry, xi=0.06)
    changed = precession_sweep(other, [0.2], [0.0], store=store, registry=registry, **SWEEP)
    assert changed.computed == 1
    assert not np.allclose(changed.tensor, first.tensor)
    assert len(store.select(kind="precession")) == 3


def test_no_store_writes_nothing(toy, registry, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = precession_sweep(toy, [0.2], [0.0], registry=registry, **SWEEP)
    assert result.computed == 1 and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("content", [b"", b'{"key": "x", "result": {}}\n{"key', bytes(range(256))])
def test_a_damaged_or_foreign_file_is_one_clear_error(toy, registry, tmp_path, content):
    path = tmp_path / "p.db"
    path.write_bytes(content)
    if not content:  # an empty file is an empty SQLite database: used as a new store
        assert precession_sweep(toy, [0.2], [0.0], store=path, registry=registry,
                                **SWEEP).computed == 1
        return
    with pytest.raises(InputError, match=r"--store: cannot open .*p\.db"):
        precession_sweep(toy, [0.2], [0.0], store=path, registry=registry, **SWEEP)


def test_rows_carry_exchange_m_and_moments_as_query_keys(registry, tmp_path):
    iron = orbdiff.load_material("Fe", registry=registry)
    store = _store(tmp_path)
    result = precession_sweep(iron, [-1.0, 0.0], [0.0, 90.0], store=store, registry=registry,
                              electrons=8.0, exchange_shells="d", material="Fe",
                              **{**SWEEP, "energy": 0.0})
    rows = store.select("material=Fe,J<-0.5,m_x>0.5")
    assert len(rows) == 1
    row = rows[0]
    assert (row.exchange, row.theta, row.phi, row.exchange_shells) == (-1.0, 90.0, 0.0, "d")
    np.testing.assert_allclose([row.m_x, row.m_y, row.m_z], [1.0, 0.0, 0.0], atol=1e-12)
    assert row.moment == result.moment[0, 1] > 0.5
    assert row.orbital_moment == result.orbital_moment[0, 1]
    assert row.fermi_level == result.fermi_level[0, 1]
    assert len(store.select("moment<1e-9,moment>-1e-9")) == 2  # J = 0: no moment
    with pytest.raises(InputError, match="'moments' is not a column"):
        store.select("moments>1")
