"""Progress of long runs that reads both on a terminal and in a log file.

On a terminal a tqdm bar is drawn; otherwise (output redirected to a file, a batch
job, a CI log) plain lines go to the stream, at most one every ``interval`` seconds
plus a first and a last one, with the counts of cases computed and reused::

    screen: 12 cases to go through
    screen: 4/12 cases (3 computed, 1 reused), 41 s
    screen: done, 12/12 cases (9 computed, 3 reused), 130 s

>>> import io
>>> log = io.StringIO()
>>> with Progress(2, "demo", stream=log) as bar:
...     bar.advance(reused=True)
...     bar.advance()
>>> log.getvalue().splitlines()[-1].split(", ")[:2]
['demo: done', '2/2 cases (1 computed']
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from tqdm.auto import tqdm

__all__ = ["Progress"]


class Progress:
    """Count computed and reused cases of a run and show the progress.

    Parameters
    ----------
    total : int
        Number of cases the run will go through (computed or reused).
    description : str
        What is counted, printed first on every line (e.g. ``"precession"``).
    enabled : bool, optional
        ``False`` shows nothing; ``None`` or ``True`` shows a bar on a terminal and
        plain lines elsewhere.
    stream : text stream, optional
        Where progress goes; standard error by default.
    interval : float
        Least time between two plain lines, in seconds (the last line always comes).
    unit : str
        Name of one case in the plain lines.
    failures : bool
        Also count failed cases (shown as ``N failed`` on every line), as screens do.
    """

    def __init__(self, total: int, description: str, enabled: bool | None = None,
                 stream: TextIO | None = None, interval: float = 10.0,
                 unit: str = "cases", failures: bool = False) -> None:
        self.total, self.description, self.unit = int(total), description, unit
        self.computed = self.reused = self.failed = 0
        self.failures = failures
        self.stream = stream if stream is not None else sys.stderr
        self.interval = interval
        self.enabled = enabled is not False
        self._start = self._last_line = time.monotonic()
        self._bar = None
        if self.enabled and _is_terminal(self.stream):
            self._bar = tqdm(total=self.total, desc=description, file=self.stream, unit=unit)
        elif self.enabled:
            self._line(f"{description}: {self.total} {unit} to go through")

    @property
    def done(self) -> int:
        """Cases gone through so far: computed, reused or failed."""
        return self.computed + self.reused + self.failed

    def advance(self, reused: bool = False, count: int = 1) -> None:
        """Count ``count`` more cases, ``reused`` ones were found already computed."""
        if reused:
            self.update(self.computed, self.reused + count, self.failed)
        else:
            self.update(self.computed + count, self.reused, self.failed)

    def update(self, computed: int, reused: int, failed: int = 0) -> None:
        """Set the counts so far (for runs that keep their own totals)."""
        before = self.done
        self.computed, self.reused, self.failed = computed, reused, failed
        if self._bar is not None:
            postfix = f"{self.reused} reused" + (f", {failed} failed" if self.failures else "")
            self._bar.set_postfix_str(postfix, refresh=False)
            self._bar.update(self.done - before)
        elif self.enabled and time.monotonic() - self._last_line >= self.interval:
            self._line(f"{self.description}: {self._counts()}")

    def close(self) -> None:
        """End the bar, or print the last line with the final counts."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        elif self.enabled:
            self._line(f"{self.description}: done, {self._counts()}")
        self.enabled = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _counts(self) -> str:
        elapsed = time.monotonic() - self._start
        failed = f", {self.failed} failed" if self.failures else ""
        return (f"{self.done}/{self.total} {self.unit} ({self.computed} computed, "
                f"{self.reused} reused{failed}), {elapsed:.0f} s")

    def _line(self, text: str) -> None:
        print(text, file=self.stream, flush=True)
        self._last_line = time.monotonic()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
