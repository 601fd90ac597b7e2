"""Run screening cases on Dask distributed; only the client writes to the database.

Each case is claimed in the database before it is submitted (a lease the client renews
while it runs), so concurrent screens on one database compute every case once. Cases
that share a model (differing only in Γ or energies) go to a worker as one task
(:mod:`.group`); each case's row is still written on its own.
"""

from __future__ import annotations

import logging
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from orbdiff.errors import InputError, OrbdiffError
from orbdiff.plugin import Registry
from orbdiff.progress import Progress
from orbdiff.store import DEFAULT_LEASE, Claim, new_owner, signals_interrupt

from .cases import ScreeningCase
from .group import group_cases
from .store import ResultsStore
from .worker import requirements, verified_run_group

__all__ = ["GROUP_LIMIT", "ScreenInterrupted", "ScreenSummary", "run_screen"]

#: Most cases of one model sent to a worker as one task.
GROUP_LIMIT = 16


@dataclass(frozen=True)
class ScreenSummary:
    """What a screening run did: cases computed, skipped (already stored) and failed.

    ``failures`` holds ``(case, message)`` for each case that failed in this run.
    """

    computed: int
    skipped: int
    failed: int
    failures: tuple = ()


class ScreenInterrupted(OrbdiffError):
    """The run was stopped (signal, lost scheduler); what is stored stays stored."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _client(scheduler, dashboard: bool):
    """A client for ``scheduler`` (an address or a Client), or an in-process one."""
    from distributed import Client, LocalCluster

    if scheduler is None:  # every server on 127.0.0.1; the dashboard only if asked
        cluster = LocalCluster(
            processes=False, n_workers=1, threads_per_worker=1,
            dashboard_address="127.0.0.1:8787" if dashboard else "127.0.0.1:0",
            worker_dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": dashboard})
        return Client(cluster), cluster
    if isinstance(scheduler, Client):
        return scheduler, None
    try:
        return Client(scheduler, timeout="10s"), None
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"--scheduler: cannot reach {scheduler!r}: {exc}; expected "
                         "the address of a running scheduler, e.g. tcp://127.0.0.1:8786") from exc


def run_screen(
    cases: Sequence[ScreeningCase],
    store: ResultsStore,
    scheduler=None,
    progress: bool | None = None,
    on_result: Callable[[ScreeningCase], None] | None = None,
    registry: Registry | None = None,
    *,
    dashboard: bool = False,
    lease: float = DEFAULT_LEASE,
    poll: float = 1.0,
    idle_report: float = 30.0,
    say: Callable[[str], None] | None = None,
) -> ScreenSummary:
    """Compute the cases not yet in ``store`` and write each one as it finishes.

    Parameters
    ----------
    cases : sequence of ScreeningCase
    store : ResultsStore
    scheduler : str or distributed.Client, optional
        ``tcp://HOST:PORT`` of a running cluster, or a client; default: an in-process
        cluster (one worker thread, servers on 127.0.0.1).
    progress : bool, optional
        Default: a bar on a terminal, plain lines on stderr otherwise.
    on_result : callable, optional
        Called with each case after it is stored (tests use it to interrupt runs).
    dashboard : bool
        Serve the Dask dashboard of the in-process cluster on 127.0.0.1:8787.
    lease : float
        Seconds a claim lasts unless renewed; a run killed without cleaning up
        blocks its cases for at most this long (at once on the same machine).
    poll, idle_report : float
        Seconds between checks, and between "no workers" messages.
    say : callable, optional
        Where messages go (default: stderr).

    A case that raises is stored as failed with its message and does not stop the
    others; an interrupted run keeps every stored case (raising
    :class:`ScreenInterrupted`), and rerunning computes only the missing ones and
    retries the failed ones. A case claimed by another live run is left to it.
    """
    from distributed import wait

    registry = registry or Registry()
    say = say or _stderr
    unique = list({case.identity: case for case in cases}.values())
    done = store.identities("ok")
    todo = [case for case in unique if case.identity not in done]
    run = _Run(store, registry, lease, time.time())
    run.skipped = len(cases) - len(todo)
    if not todo:
        return run.summary()
    client, cluster = _client(scheduler, dashboard)
    report = Progress(len(cases), "screening", progress, interval=5.0, failures=True)
    report.update(0, run.skipped, 0)  # the cases stored before this run count as reused
    try:  # Dask's own log lines (lost connections, cancelled tasks) become our messages
        with signals_interrupt() as received, _quiet_logs():
            try:
                run.loop(client, todo, wait, report, on_result, poll, idle_report, say)
            except KeyboardInterrupt:
                run.release()
                name = signal.Signals(received[-1]).name if received else "SIGINT"
                raise ScreenInterrupted(f"interrupted by {name}; {run.progress(len(todo))}",
                                        128 + (received[-1] if received else 2)) from None
            except (OSError, TimeoutError) as exc:
                run.release()
                raise ScreenInterrupted(f"--scheduler: lost the Dask scheduler ({exc}); "
                                        f"{run.progress(len(todo))}") from None
    finally:
        report.close()
        with _quiet_logs():  # tasks cancelled by the shutdown are not news
            if scheduler is None or not hasattr(scheduler, "submit"):
                client.close()
            if cluster is not None:
                cluster.close()
    return run.summary()


@contextmanager
def _quiet_logs() -> Iterator[None]:
    names = [name for name in logging.root.manager.loggerDict
             if name.split(".")[0] in ("distributed", "tornado", "asyncio")]
    loggers = [logging.getLogger(name) for name in ("distributed", "tornado", "asyncio", *names)]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class _Run:
    """State of one screening run: its claims, futures and counts."""

    def __init__(self, store: ResultsStore, registry: Registry, lease: float, start: float):
        self.store, self.registry, self.lease, self.start = store, registry, lease, start
        self.owner = new_owner()
        self.running: dict = {}  # future -> case
        self.claimed: set[str] = set()
        self.computed = self.skipped = 0
        self.failures: list = []

    def summary(self) -> ScreenSummary:
        return ScreenSummary(self.computed, self.skipped, len(self.failures),
                             tuple(self.failures))

    def progress(self, total: int) -> str:
        stored = self.computed + len(self.failures)
        return (f"{stored} of {total} cases stored by this run ({len(self.failures)} failed), "
                f"{total - stored - self.skipped} not computed; rerun the same command to "
                "resume")

    def release(self) -> None:
        self.store.release(self.claimed, self.owner)
        self.claimed.clear()

    def loop(self, client, todo, wait, report, on_result, poll, idle_report, say) -> None:
        from distributed.utils import CancelledError

        waiting = [group[i : i + GROUP_LIMIT] for group in group_cases(todo)
                   for i in range(0, len(group), GROUP_LIMIT)]
        window, renewed, idle_since = 2, time.time(), None
        while waiting or self.running:
            waiting = self.fill(client, waiting, window, report)
            if not self.running:
                time.sleep(poll)  # the rest is claimed by another run: wait for it
                continue
            try:
                finished = wait(list(self.running), timeout=poll,
                                return_when="FIRST_COMPLETED").done
            except TimeoutError:  # nothing finished within ``poll`` seconds
                finished = set()
            except CancelledError as exc:  # the scheduler went away
                raise OSError(str(exc).splitlines()[-1] if str(exc) else "cancelled") from None
            for future in finished:
                self.finish(future, report, on_result)
            if time.time() - renewed > self.lease / 4:
                self.store.renew(self.claimed, self.owner, self.lease)
                renewed = time.time()
            if finished:
                idle_since = None
                continue
            threads = sum(client.nthreads().values())
            window = max(2, 2 * threads)
            idle_since = self.report_idle(threads, idle_since, idle_report, client, say)

    def fill(self, client, waiting, window, report) -> list:
        """Claim and submit waiting groups while fewer than ``window`` tasks run."""
        left = []
        for group in waiting:
            if len(self.running) >= window:
                left.append(group)
                continue
            claimed, busy = [], []
            for case in group:
                state = self.store.claim_case(case, self.owner, lease=self.lease,
                                              retry_before=self.start)
                if state == Claim.BUSY:
                    busy.append(case)
                elif state == Claim.DONE:  # stored meanwhile by another run
                    self.skipped += 1
                    report.update(self.computed, self.skipped, len(self.failures))
                else:
                    self.claimed.add(case.identity)
                    claimed.append(case)
            if busy:
                left.append(busy)
            if claimed:
                needs = requirements(claimed[0], self.registry)
                future = client.submit(verified_run_group, claimed, needs, pure=False,
                                       key=f"orbdiff-{claimed[0].identity}-{self.owner}")
                self.running[future] = claimed
        return left

    def finish(self, future, report, on_result) -> None:
        """Store the rows of a finished task, one transaction per case."""
        cases = self.running.pop(future)
        if future.status == "error":  # e.g. KilledWorker: the task itself never returned
            outcome = {"error": f"{type(future.exception()).__name__}: {future.exception()}",
                       "traceback": ""}
            outcomes = [outcome] * len(cases)
        elif future.status == "cancelled":
            raise OSError("the scheduler cancelled the tasks")
        else:
            outcomes = future.result()
        future.release()
        for case, outcome in zip(cases, outcomes, strict=True):
            self.store_outcome(case, outcome, report, on_result)

    def store_outcome(self, case, outcome, report, on_result) -> None:
        if "error" in outcome:
            self.store.write(case, None, outcome["error"], self.registry, outcome["traceback"])
            self.failures.append((case, outcome["error"]))
        else:
            self.store.write(case, outcome, registry=self.registry)
            self.computed += 1
        self.claimed.discard(case.identity)
        report.update(self.computed, self.skipped, len(self.failures))
        if on_result is not None:
            on_result(case)

    def report_idle(self, threads, idle_since, interval, client, say):
        if threads:
            return None
        now = time.time()
        if idle_since is None:
            return now
        if now - idle_since >= interval:
            address = getattr(client.scheduler, "address", "the scheduler")
            say(f"no Dask workers connected to {address}; {len(self.running)} cases wait "
                "for a worker (start one, or press Ctrl-C: stored cases are kept)")
            return now
        return idle_since


def _stderr(message: str) -> None:
    """Print one line on standard error (the default ``say`` of :func:`run_screen`)."""
    print(message, file=sys.stderr, flush=True)
