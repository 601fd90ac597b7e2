"""The results store under faults: killed writers, stale locks, concurrent writers, bad files."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

from orbdiff.errors import InputError
from orbdiff.store import Claim, ResultsStore, StoreLockedError, new_owner

from .helpers import python

# A child that starts rewriting the row of "case-a" and receives a signal after every
# statement of the transaction has run but before it is committed.
KILLED_WRITE = """
import os, sys
import numpy as np
import ase.db.sqlite
from orbdiff.store import ResultsStore, signals_interrupt

store = ResultsStore(sys.argv[1])
signum = int(sys.argv[2])
original = ase.db.sqlite.SQLite3Database._write

def write_then_signal(self, *args, **kwargs):
    row_id = original(self, *args, **kwargs)
    os.kill(os.getpid(), signum)
    return row_id

ase.db.sqlite.SQLite3Database._write = write_then_signal
with signals_interrupt():
    try:
        store.store("case-a", {"status": "ok", "value": 2.0}, {"array": np.full(3, 2.0)})
    except KeyboardInterrupt:
        print("interrupted after the write")
        sys.exit(143)
"""


def _one_row(store, identity="case-a"):
    rows = store.select(identity=identity)
    assert len(rows) == 1
    return rows[0]


def test_sigkill_during_a_write_leaves_the_old_row_and_does_not_block(tmp_path):
    path = tmp_path / "r.db"
    store = ResultsStore(path)
    store.store("case-a", {"status": "ok", "value": 1.0}, {"array": np.full(3, 1.0)})
    child = python(KILLED_WRITE, str(path), str(int(signal.SIGKILL)))
    assert child.returncode == -signal.SIGKILL
    start = time.monotonic()
    reopened = ResultsStore(path, timeout=5)
    row = _one_row(reopened)  # rolled back: the old row, whole
    assert row.value == 1.0 and np.all(row.data["array"] == 1.0)
    reopened.store("case-a", {"status": "ok", "value": 3.0})  # the next writer is not blocked
    assert _one_row(reopened).value == 3.0 and time.monotonic() - start < 5


def test_sigterm_during_a_write_finishes_it_then_stops(tmp_path):
    path = tmp_path / "r.db"
    store = ResultsStore(path)
    store.store("case-a", {"status": "ok", "value": 1.0})
    child = python(KILLED_WRITE, str(path), str(int(signal.SIGTERM)))
    assert child.returncode == 143 and "interrupted after the write" in child.stdout
    row = _one_row(ResultsStore(path))
    assert row.value == 2.0 and np.all(row.data["array"] == 2.0)


def test_a_stale_ase_lock_file_neither_blocks_nor_stays(tmp_path):
    path = tmp_path / "r.db"
    ResultsStore(path).store("case-a", {"status": "ok", "value": 1.0})
    lock = tmp_path / "r.db.lock"
    lock.touch()  # what a writer killed inside ase's lock leaves behind
    store = ResultsStore(path, timeout=1)
    store.store("case-b", {"status": "ok", "value": 1.0})  # a fresh lock file is ignored
    assert len(store.select()) == 2
    old = time.time() - 60
    os.utime(lock, (old, old))
    ResultsStore(path, timeout=1)
    assert not lock.exists()  # older than the timeout: removed


def test_a_lock_held_by_a_live_process_ends_in_an_error_naming_the_file(tmp_path):
    path = tmp_path / "r.db"
    ResultsStore(path).store("case-a", {"status": "ok"})
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")  # a live process in the middle of a long transaction
    start = time.monotonic()
    with pytest.raises((StoreLockedError, InputError), match=r"r\.db.*locked.*0\.5 s"):
        ResultsStore(path, timeout=0.5).store("case-b", {"status": "ok"})
    assert time.monotonic() - start < 5
    holder.rollback()
    holder.close()


def _write_all(path: str, identities: list[str], tag: str) -> None:
    store = ResultsStore(path)
    for identity in identities:
        store.store(identity, {"status": "ok", "writer": tag})


def test_concurrent_writers_give_one_row_per_identity(tmp_path):
    path = str(tmp_path / "r.db")
    ResultsStore(path)
    identities = [f"case-{n}" for n in range(40)]
    with ProcessPoolExecutor(3) as pool:
        list(pool.map(_write_all, [path] * 3, [identities] * 3, "abc"))
    rows = ResultsStore(path).select()
    assert sorted(row.identity for row in rows) == sorted(identities)


def _claim_all(path: str, identities: list[str]) -> list[str]:
    store, owner = ResultsStore(path), new_owner()
    return [i for i in identities if store.claim(i, {}, owner) == Claim.CLAIMED]


def test_concurrent_claims_give_each_case_to_one_owner(tmp_path):
    path = str(tmp_path / "r.db")
    ResultsStore(path)
    identities = [f"case-{n}" for n in range(40)]
    with ProcessPoolExecutor(3) as pool:
        won = list(pool.map(_claim_all, [path] * 3, [identities] * 3))
    assert sorted(i for claimed in won for i in claimed) == sorted(identities)  # once each
    assert len(ResultsStore(path).select()) == 40


def test_a_claim_expires_with_its_lease_or_its_dead_owner(tmp_path):
    store = ResultsStore(tmp_path / "r.db")
    alive = new_owner()
    assert store.claim("case-a", {}, alive, lease=0.3) == Claim.CLAIMED
    assert store.claim("case-a", {}, new_owner()) == Claim.BUSY
    time.sleep(0.4)
    assert store.claim("case-a", {}, new_owner()) == Claim.CLAIMED  # lease ran out
    dead = python("import os; print(os.getpid())").stdout.strip()
    owner = alive.split(":")[0] + f":{dead}:deadbeef"
    assert store.claim("case-b", {}, owner, lease=1e6) == Claim.CLAIMED
    assert store.claim("case-b", {}, new_owner()) == Claim.CLAIMED  # its process is gone
    store.store("case-b", {"status": "ok"})
    assert store.claim("case-b", {}, new_owner()) == Claim.DONE
    assert len(store.select()) == 2


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty-garbage"])
def test_a_damaged_store_is_one_clear_error(tmp_path, damage):
    path = tmp_path / "r.db"
    store = ResultsStore(path)
    for n in range(30):
        store.store(f"case-{n}", {"status": "ok", "value": float(n)}, {"a": np.ones(500)})
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 3])
    elif damage == "garbage":
        path.write_bytes(data[:100] + bytes(range(256)) * 40)
    else:
        path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(InputError, match=r"--db: cannot open .*r\.db"):
        reopened = ResultsStore(path)
        reopened.select()
        reopened.store("case-new", {"status": "ok"})


def _open_at_once(path: str, barrier) -> str:
    barrier.wait()
    try:
        ResultsStore(path)
    except InputError as exc:
        return str(exc)
    return "ok"


def test_processes_opening_a_new_store_at_once_all_find_the_whole_schema(tmp_path):
    """ase builds its tables one statement at a time: without one transaction around
    the set-up, a process opening the new file in between read a half-made schema."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    for trial in range(8):
        path = str(tmp_path / f"r{trial}.db")
        with context.Manager() as manager:
            barrier = manager.Barrier(4)
            with ProcessPoolExecutor(4, mp_context=context) as pool:
                opened = list(pool.map(_open_at_once, [path] * 4, [barrier] * 4))
        assert opened == ["ok"] * 4, opened
