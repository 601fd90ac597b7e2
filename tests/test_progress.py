"""Progress: a bar on a terminal, plain counted lines in a log, nothing when disabled."""

from __future__ import annotations

import io

from orbdiff.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(stream, reused_flags, **options) -> Progress:
    with Progress(len(reused_flags), "sweep", stream=stream, **options) as bar:
        for reused in reused_flags:
            bar.advance(reused=reused)
    return bar


def test_a_log_gets_plain_lines_with_computed_and_reused_counts():
    log = io.StringIO()
    bar = run(log, [True, False, False, True, False], interval=0.0)
    lines = log.getvalue().splitlines()
    assert lines[0] == "sweep: 5 cases to go through"
    assert lines[1].startswith("sweep: 1/5 cases (0 computed, 1 reused), ")
    assert lines[3].startswith("sweep: 3/5 cases (2 computed, 1 reused), ")
    assert lines[-1].startswith("sweep: done, 5/5 cases (3 computed, 2 reused), ")
    assert len(lines) == 1 + 5 + 1
    assert (bar.computed, bar.reused, bar.done) == (3, 2, 5)
    assert "\r" not in log.getvalue()


def test_a_long_interval_keeps_only_the_first_and_last_lines():
    log = io.StringIO()
    run(log, [False] * 50, interval=3600.0)
    lines = log.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[-1].startswith("sweep: done, 50/50 cases (50 computed, 0 reused)")


def test_disabled_progress_writes_nothing_but_still_counts():
    log, terminal = io.StringIO(), Terminal()
    bar = run(log, [True, False], enabled=False)
    run(terminal, [True, False], enabled=False)
    assert log.getvalue() == terminal.getvalue() == ""
    assert (bar.computed, bar.reused) == (1, 1)


def test_a_terminal_gets_a_bar_that_shows_the_reused_count():
    terminal = Terminal()
    run(terminal, [True, True, False], interval=0.0)
    text = terminal.getvalue()
    assert "\r" in text  # redrawn in place: a bar, not lines
    assert "3/3" in text and "2 reused" in text
    assert "to go through" not in text


def test_runs_keeping_their_own_totals_report_failures_too():
    """The screen and sweep runners set absolute counts, failures included."""
    log, terminal = io.StringIO(), Terminal()
    for stream in (log, terminal):
        with Progress(4, "screening", stream=stream, interval=0.0, failures=True) as bar:
            bar.update(1, 0, 0)
            bar.update(1, 1, 1)
            bar.update(2, 1, 1)
        assert bar.done == 4
    lines = log.getvalue().splitlines()
    assert lines[2].startswith("screening: 3/4 cases (1 computed, 1 reused, 1 failed), ")
    assert lines[-1].startswith("screening: done, 4/4 cases (2 computed, 1 reused, 1 failed)")
    assert "4/4" in terminal.getvalue() and "1 failed" in terminal.getvalue()
