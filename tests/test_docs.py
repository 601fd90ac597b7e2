"""Every code block of docs/ runs as a user runs it: each python block is saved as a
script and run with the project's python in a fresh process (so that, e.g., Dask's
``if __name__ == "__main__":`` guard is needed exactly as in real use), bash blocks run
in bash (background jobs are stopped at the end of the block), toml blocks are parsed
and, when their first line names a file (``# campaign.toml``), written for the blocks
that follow. ``text`` blocks hold equations and generated output. The blocks of a page
run in order in one folder, so files written by one block are there for the next.

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
def test_code_blocks_run(page, tmp_path):
    run_page(page, tmp_path)


def run_page(page: Path, folder: Path) -> None:
    """Run the blocks of ``page`` in order in ``folder``, as a user would."""
    for name in ("examples", "benchmarks"):
        shutil.copytree(ROOT / name, folder / name,
                        ignore=shutil.ignore_patterns("__pycache__", "output"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORBDIFF_")}
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]
    env["MPLBACKEND"] = "Agg"
    for number, (language, code) in enumerate(blocks(page), start=1):
        where = f"{page.name} block {number}"
        if language == "python":
            script = folder / f"{page.stem}_block{number}.py"
            script.write_text(code)
            run_block([sys.executable, script.name], where, folder, env)
        elif language == "bash":
            prelude = "set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n"
            run_block(["bash", "-c", prelude + code], where, folder, env)
        elif language == "toml":
            tomllib.loads(code)
            first = code.splitlines()[0]
            if first.startswith("# ") and first.endswith(".toml"):
                (folder / first[2:].strip()).write_text(code)


def run_block(command: list[str], where: str, folder: Path, env: dict[str, str]) -> None:
    result = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True,
                            timeout=900)
    assert result.returncode == 0, f"{where}:\n{result.stdout}\n{result.stderr}"


def test_python_blocks_run_as_scripts_in_their_own_process(tmp_path):
    """What exec() inside pytest hid: a script's __name__, a fresh interpreter, files."""
    page = tmp_path / "docs" / "page.md"
    page.parent.mkdir()
    page.write_text(
        "```python\nimport sys\nassert __name__ == '__main__', __name__\n"
        "assert 'pytest' not in sys.modules\nopen('made.txt', 'w').write('x')\n```\n\n"
        "```bash\ntest -f made.txt\n```\n")
    work = tmp_path / "work"
    work.mkdir()
    run_page(page, work)
    (work / "made.txt").unlink()
    page.write_text("```python\nraise SystemExit(3)\n```\n")
    with pytest.raises(AssertionError, match=r"page\.md block 1"):
        run_page(page, tmp_path / "again")


def test_reference_pages_are_current(tmp_path):
    script = DOCS / "generate_reference.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True)
    for page in (DOCS / "reference").glob("*.md"):
        assert (tmp_path / page.name).read_text() == page.read_text(), (
            f"{page.name} is out of date: run python docs/generate_reference.py")
