"""Run small Python programs in a child process (to kill them) with the test's environment."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def python(code: str, *args: str, timeout: float = 120, wait: bool = True):
    """Run ``code`` with this interpreter; return the CompletedProcess (or the Popen)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORBDIFF_")}
    command = [sys.executable, "-c", textwrap.dedent(code), *args]
    if not wait:
        return subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)


def orbdiff(*args: str, timeout: float = 300, wait: bool = True, cwd: Path | None = None):
    """Run the ``orbdiff`` console script of this interpreter."""
    code = "import sys; from orbdiff.cli import main; main(sys.argv[1:])"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORBDIFF_")}
    command = [sys.executable, "-c", code, *args]
    if not wait:
        return subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)
