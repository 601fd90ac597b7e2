"""A results store shared by every long run: one ase.db row per computed case.

Rows are keyed by ``identity`` (a hash of every input, code and parameter version) and
carry ``status``: ``running`` (claimed by a live run, with a lease), ``ok`` or ``failed``.
Every change is one database transaction, so a run killed at any moment leaves either the
old row or the new one, never a half-written or duplicated one. ase's own lock file is not
used (its lock never times out); SQLite's locking is, with a bounded wait.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import InputError, OrbdiffError

__all__ = ["Claim", "ResultsStore", "StoreLockedError", "deferred_signals", "new_owner",
           "signals_interrupt"]

#: Columns every ase.db row has (beyond the key-value pairs).
_ASE_COLUMNS = {"id", "age", "user", "calculator", "energy", "natoms", "formula", "pbc",
                "charge", "mass", "fmax", "smax", "volume", "magmom", "ctime", "mtime"}

#: Seconds a claim stays valid unless its owner renews it.
DEFAULT_LEASE = 120.0
#: Seconds to wait for another process's transaction before giving up.
DEFAULT_TIMEOUT = 30.0


class StoreLockedError(OrbdiffError):
    """The database stayed locked by another process for longer than the timeout."""

    exit_code = 1


class Claim:
    """Outcome of :meth:`ResultsStore.claim`: ``claimed``, ``done`` or ``busy``."""

    CLAIMED, DONE, BUSY = "claimed", "done", "busy"


def new_owner() -> str:
    """A claim owner name: ``host:pid:random`` (the pid lets a dead owner be detected)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _owner_is_dead(owner: str) -> bool:
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine: only the lease can tell
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


@contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends, then deliver them.

    Used around each transaction so that an interruption finishes the current write
    instead of abandoning it. Outside the main thread, signals are not handled here.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {sig: signal.signal(sig, lambda s, _frame: received.append(s))
                for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for sig in dict.fromkeys(received):
            signal.raise_signal(sig)


@contextmanager
def signals_interrupt() -> Iterator[list[int]]:
    """Make SIGTERM (like SIGINT) raise KeyboardInterrupt; the list records which arrived.

    A run under it stops like after Ctrl-C when ``timeout`` or a batch system sends
    SIGTERM; combined with :func:`deferred_signals` the current write finishes first.
    """
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def interrupt(signum, _frame):
        received.append(signum)
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield received
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@lru_cache(maxsize=1)
def _sqlite_class() -> type:
    """ase's SQLite database with a chosen busy timeout (ase hard-codes 20 s).

    Defined on first use: importing ase.db costs 0.4 s of every command's start-up.
    """
    from ase.db.sqlite import SQLite3Database

    class _SQLite(SQLite3Database):
        busy_timeout = DEFAULT_TIMEOUT

        def _connect(self):
            return sqlite3.connect(self.filename, timeout=self.busy_timeout)

        def _initialize(self, con):
            """ase's schema set-up, as one write transaction when the file is new.

            ase creates its tables one statement at a time; a second process opening
            the same new file in between saw a half-made schema ("Please convert to
            new format"). Under ``BEGIN IMMEDIATE`` the other process waits (busy
            timeout) and then finds the whole schema.
            """
            if self.initialized or con.execute(
                    "SELECT COUNT(*) FROM sqlite_master WHERE name='information'"
            ).fetchone()[0]:
                return super()._initialize(con)
            con.execute("BEGIN IMMEDIATE")
            try:
                return super()._initialize(con)
            finally:
                if con.in_transaction:
                    con.commit()

    return _SQLite


class ResultsStore:
    """Rows of computed cases in an ase.db database (SQLite file or PostgreSQL URL).

    Parameters
    ----------
    address : str or Path
        A file name (SQLite) or an ase.db URL such as ``postgresql://user:pw@host/db``.
    option : str
        The command-line option or argument naming the store, used in error messages.
    timeout : float
        Seconds to wait for a lock held by another process before
        :class:`StoreLockedError` (which names the file).
    """

    def __init__(self, address: str | Path, *, option: str = "--db",
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        self.address = str(address)
        self.option = option
        self.timeout = float(timeout)
        self.is_sqlite = "://" not in self.address
        if self.is_sqlite:
            self._check_file()
        try:
            self.db = self._connect()
            self.db.count()  # ase.db connects lazily: touch it now
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc):
                raise self._locked() from None
            raise self._unreadable(exc) from None
        except Exception as exc:
            raise self._unreadable(exc) from None

    def _check_file(self) -> None:
        path = Path(self.address)
        if not path.resolve().parent.is_dir():
            raise InputError(f"{self.option}: cannot create {self.address!r}: its folder does "
                             "not exist")
        if path.is_dir():
            raise InputError(f"{self.option}: got {self.address!r}; expected a file, not a "
                             "folder")
        _remove_stale_ase_lock(Path(self.address + ".lock"), self.timeout)

    def _connect(self):
        if not self.is_sqlite:
            import ase.db

            return ase.db.connect(self.address, use_lock_file=False)
        db = _sqlite_class()(self.address, create_indices=True, use_lock_file=False)
        db.busy_timeout = self.timeout
        return db

    def _unreadable(self, exc: Exception) -> InputError:
        return InputError(f"{self.option}: cannot open {self.address!r} as an ase.db database "
                          f"({exc}); expected an ase.db file (SQLite) or URL")

    def _locked(self) -> StoreLockedError:
        return StoreLockedError(
            f"{self.option}: {self.address!r} stayed locked by another process for "
            f"{self.timeout:g} s (SQLite lock of {self.address}); wait for that process "
            "or stop it, then rerun")

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """One write transaction: committed at the end, rolled back on any error.

        Signals are held until it ends; the write lock is taken at the start, so
        a read-then-write inside it cannot race another process.
        """
        with deferred_signals():
            try:
                with self.db:
                    if self.is_sqlite:
                        self.db.connection.execute("BEGIN IMMEDIATE")
                    else:
                        self.db.connection.cursor().execute(
                            "LOCK TABLE systems IN SHARE ROW EXCLUSIVE MODE")
                    yield self.db
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc):
                    raise self._locked() from None
                raise
            except sqlite3.DatabaseError as exc:
                raise self._unreadable(exc) from None

    def select(self, query: str = "", **keys: Any) -> list:
        """Rows matching an ase.db query such as ``"P_s>0.5,material=Ta"``.

        A malformed query, or one naming a key no row has, is an :class:`InputError`.
        """
        if query:
            self._check_query(query)
        try:
            return list(self.db.select(query or None, **keys))
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc):
                raise self._locked() from None
            raise self._unreadable(exc) from None
        except sqlite3.DatabaseError as exc:
            raise self._unreadable(exc) from None

    def _check_query(self, query: str) -> None:
        from ase.db.core import atomic_numbers, parse_selection  # element symbols are keys

        try:
            keys, comparisons = parse_selection(query)
        except Exception as exc:
            raise InputError(
                f"query {query!r} is not valid ({exc}); expected ase.db syntax, e.g. "
                "'P_s>0.5' or 'material=Ta,status=ok'") from None
        known = set(self.columns())
        for name in [*keys, *(c[0] for c in comparisons)]:
            if name not in known and name not in _ASE_COLUMNS and name not in atomic_numbers:
                raise InputError(f"query {query!r}: {name!r} is not a column; known columns: "
                                 f"{', '.join(sorted(known)) or 'none (empty store)'}")

    def identities(self, status: str = "ok") -> set[str]:
        """Identities of the rows with ``status`` (``ok``, ``failed`` or ``running``)."""
        return {row.identity for row in self.select(status=status) if "identity" in row}

    def columns(self) -> list[str]:
        """Every key-value name used by some row, sorted."""
        if self.is_sqlite:
            with self.db.managed_connection() as con:
                return sorted(k for (k,) in con.execute("SELECT DISTINCT key FROM keys"))
        names: set[str] = set()
        for row in self.select():
            names.update(row.key_value_pairs)
        return sorted(names)

    def claim(self, identity: str, pairs: dict[str, Any], owner: str, *,
              lease: float = DEFAULT_LEASE, atoms=None, retry_before: float = float("inf")
              ) -> str:
        """Claim a case before computing it; returns a :class:`Claim` value.

        ``done``: an ``ok`` row exists (or a ``failed`` one written after
        ``retry_before``, a Unix time); ``busy``: a live owner holds it; ``claimed``:
        this owner now holds it until ``lease`` seconds from now (or until renewed).
        """
        with self.transaction() as db:
            rows = list(db.select(identity=identity))
            row = rows[0] if rows else None
            if row is not None:
                if row.get("status") == "ok" or (
                        row.get("status") == "failed"
                        and row.get("finished_at", 0.0) >= retry_before):
                    return Claim.DONE
                if (row.get("status") == "running" and row.get("owner") != owner
                        and row.get("lease_until", 0.0) > time.time()
                        and not _owner_is_dead(row.get("owner", ""))):
                    return Claim.BUSY
            claim = {**pairs, "identity": identity, "status": "running", "owner": owner,
                     "lease_until": time.time() + lease}
            db.write(atoms, key_value_pairs=claim, id=row.id if row is not None else None)
            return Claim.CLAIMED

    def renew(self, identities: set[str], owner: str, lease: float = DEFAULT_LEASE) -> None:
        """Extend the leases of ``owner``'s claims on ``identities``."""
        self._set_lease(identities, owner, time.time() + lease)

    def release(self, identities: set[str], owner: str) -> None:
        """Give up ``owner``'s unfinished claims (another run may take them at once)."""
        self._set_lease(identities, owner, 0.0)

    def _set_lease(self, identities: set[str], owner: str, until: float) -> None:
        if not identities:
            return
        with self.transaction() as db:
            for row in db.select(status="running", owner=owner):
                if row.get("identity") in identities:
                    db.update(row.id, lease_until=until)

    def store(self, identity: str, pairs: dict[str, Any], data: dict[str, Any] | None = None,
              atoms=None) -> int:
        """Write the finished row of ``identity`` in one transaction (replacing a claim).

        Returns the row id. An existing row of the same identity is updated in
        place, so there is never a moment with zero or two rows.
        """
        with self.transaction() as db:
            rows = list(db.select(identity=identity))
            pairs = {**pairs, "identity": identity, "finished_at": time.time()}
            return db.write(atoms, key_value_pairs=pairs, data=data or {},
                            id=rows[0].id if rows else None)

    def delete_identity(self, identity: str) -> None:
        """Remove the row of one case (the next run recomputes it)."""
        with self.transaction() as db:
            ids = [row.id for row in db.select(identity=identity)]
            if ids:
                db._delete(db.connection.cursor(), ids)


def _remove_stale_ase_lock(lock: Path, age: float) -> None:
    """Remove ``<db>.lock`` left by a killed ase writer (orbdiff never takes it)."""
    try:
        stale = time.time() - lock.stat().st_mtime > age
    except FileNotFoundError:
        return
    if stale:
        lock.unlink(missing_ok=True)
        print(f"note: removed the stale lock file {lock} left by a killed writer",
              file=sys.stderr)
