"""Every code block of docs/ runs: python blocks are executed (one namespace per page),
bash blocks run in bash (background jobs are stopped at the end of the block), toml
blocks are parsed and, when their first line names a file (``# campaign.toml``), written
for the blocks that follow. ``text`` blocks hold equations and generated output.

The example plugin's README (docs/examples/) is exercised by tests/test_example_plugin.py.
"""

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if "examples" not in p.relative_to(DOCS).parts)
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def blocks(page: Path):
    return BLOCK.findall(page.read_text())


def test_every_block_has_a_known_language():
    for page in PAGES:
        for language, _ in blocks(page):
            assert language in {"python", "bash", "toml", "text"}, (page, language)


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_code_blocks_run(page, tmp_path, monkeypatch):
    for folder in ("examples", "benchmarks"):
        shutil.copytree(ROOT / folder, tmp_path / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "output"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORBDIFF_")}
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]
    env["MPLBACKEND"] = "Agg"
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "__docs__"}
    for number, (language, code) in enumerate(blocks(page), start=1):
        where = f"{page.relative_to(ROOT)} block {number}"
        if language == "python":
            exec(compile(code, where, "exec"), namespace)
        elif language == "bash":
            script = "set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n"
            result = subprocess.run(["bash", "-c", script + code], cwd=tmp_path, env=env,
                                    capture_output=True, text=True, timeout=900)
            assert result.returncode == 0, f"{where}:\n{result.stdout}\n{result.stderr}"
        elif language == "toml":
            tomllib.loads(code)
            first = code.splitlines()[0]
            if first.startswith("# ") and first.endswith(".toml"):
                (tmp_path / first[2:].strip()).write_text(code)


def test_reference_pages_are_current(tmp_path):
    script = DOCS / "generate_reference.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True)
    for page in (DOCS / "reference").glob("*.md"):
        assert (tmp_path / page.name).read_text() == page.read_text(), (
            f"{page.name} is out of date: run python docs/generate_reference.py")
