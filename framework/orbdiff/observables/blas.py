"""Keep OpenBLAS single-threaded while the engine runs its own threads over k-blocks.

The engine's matrices are small (N ≈ 18): OpenBLAS threads then only add
synchronization, and with the engine's threads on top they oversubscribe the cores
(measured: a stacked (162×18)(18×201) product 20–40× slower on a loaded 2-core
machine). The OpenBLAS libraries already loaded by numpy and scipy are found in the
process's memory map and set through their ``*_set_num_threads`` entry points; other
BLAS libraries are left alone.
"""

from __future__ import annotations

import ctypes
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["single_threaded_blas"]

_PREFIXES = ("scipy_openblas", "openblas")
_LOCK = threading.Lock()
_STATE: dict = {"users": 0, "previous": []}


def _openblas_controls() -> list[tuple[ctypes._CFuncPtr, ctypes._CFuncPtr]]:
    """(get, set) thread-count functions of every loaded OpenBLAS."""
    try:
        with open("/proc/self/maps") as maps:
            paths = sorted(set(re.findall(r"(/\S*openblas\S*\.so[^\s]*)", maps.read())))
    except OSError:  # pragma: no cover  (not Linux)
        return []
    controls = []
    for path in paths:
        try:
            library = ctypes.CDLL(path)
        except OSError:  # pragma: no cover
            continue
        for prefix in _PREFIXES:
            for suffix in ("64_", "_64_", ""):
                get = getattr(library, f"{prefix}_get_num_threads{suffix}", None)
                put = getattr(library, f"{prefix}_set_num_threads{suffix}", None)
                if get is not None and put is not None:
                    get.restype = ctypes.c_int
                    controls.append((get, put))
                    break
            else:
                continue
            break
    return controls


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Run the block with one OpenBLAS thread, then restore the previous counts.

    Re-entrant and safe to use from several threads at once (e.g. Dask worker
    threads): the counts are saved by the first user and restored by the last.
    """
    with _LOCK:
        if _STATE["users"] == 0:
            controls = _openblas_controls()
            _STATE["previous"] = [(put, get()) for get, put in controls]
            for put, _ in _STATE["previous"]:
                put(ctypes.c_int(1))
        _STATE["users"] += 1
    try:
        yield
    finally:
        with _LOCK:
            _STATE["users"] -= 1
            if _STATE["users"] == 0:
                for put, count in _STATE["previous"]:
                    put(ctypes.c_int(count))
