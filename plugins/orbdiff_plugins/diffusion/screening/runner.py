"""Run screening cases on Dask distributed; only the client writes to the database."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tqdm.auto import tqdm

from orbdiff.errors import InputError
from orbdiff.plugin import Registry

from .cases import ScreeningCase, run_case
from .store import ResultsStore

__all__ = ["ScreenSummary", "run_screen"]


@dataclass(frozen=True)
class ScreenSummary:
    """What a screening run did: cases computed, skipped (already stored) and failed."""

    computed: int
    skipped: int
    failed: int


def _client(scheduler):
    """A client for ``scheduler`` (an address or a Client), or an in-process one."""
    from distributed import Client

    if scheduler is None:
        return Client(processes=False, n_workers=1, threads_per_worker=1,
                      dashboard_address=None), True
    if isinstance(scheduler, Client):
        return scheduler, False
    try:
        return Client(scheduler, timeout="10s"), True
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
) -> ScreenSummary:
    """Compute the cases not yet in ``store`` and write each one as it finishes.

    Parameters
    ----------
    cases : sequence of ScreeningCase
    store : ResultsStore
    scheduler : str or distributed.Client, optional
        ``tcp://HOST:PORT`` of a running cluster, or a client; default: an in-process
        cluster (one worker thread).
    progress : bool, optional
        Progress bar (default: only on a terminal).
    on_result : callable, optional
        Called with each case after it is stored (tests use it to interrupt runs).

    A case that raises is stored as failed with its message and does not stop the
    others; an interrupted run keeps every stored case, and rerunning computes only
    the missing ones and retries the failed ones.
    """
    registry = registry or Registry()
    from distributed import as_completed

    done = store.identities()
    todo = [case for case in cases if case.identity not in done]
    skipped = len(cases) - len(todo)
    if not todo:
        return ScreenSummary(0, skipped, 0)
    client, owned = _client(scheduler)
    failed = 0
    try:
        futures = {client.submit(run_case, case, pure=False, key=f"orbdiff-{case.identity}"):
                   case for case in todo}
        bar = tqdm(total=len(todo), disable=None if progress is None else not progress,
                   desc="screening", unit="case")
        for future in as_completed(futures):
            case = futures[future]
            if future.status == "error":
                failed += 1
                error = future.exception()
                store.write(case, None, f"{type(error).__name__}: {error}", registry)
            else:
                store.write(case, future.result(), registry=registry)
            future.release()
            bar.update()
            if on_result is not None:
                on_result(case)
        bar.close()
    finally:
        if owned:
            client.close()
    return ScreenSummary(len(todo) - failed, skipped, failed)
