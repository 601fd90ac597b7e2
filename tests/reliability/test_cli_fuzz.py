"""Property-based fuzz of the command line: malformed values end in one ``Error:`` line.

Every example must be rejected before any computation (so the fuzz stays fast); a
malformed value that slipped through would start a computation or print a traceback.
"""

from __future__ import annotations

import io
import math
import os
from contextlib import redirect_stderr, redirect_stdout

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orbdiff.cli import main
from orbdiff.plugin import plugin_manager

PM = plugin_manager(autoload=False)
# CI (CI=true) replays a fixed set of examples, so that a submission's result does not
# depend on the draw; locally every run draws new ones
FUZZ = settings(max_examples=40, deadline=None, derandomize=bool(os.environ.get("CI")),
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(autouse=True, scope="module")
def _in_a_scratch_folder(tmp_path_factory):
    """A value that slipped through must not leave files in the worktree."""
    import os

    here = os.getcwd()
    os.chdir(tmp_path_factory.mktemp("fuzz"))
    yield
    os.chdir(here)


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err), pytest.raises(SystemExit) as stop:
        main(argv, pm=PM)
    return stop.value.code, out.getvalue(), err.getvalue()


def assert_one_error_line(argv: list[str]) -> None:
    code, out, err = run(argv)
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2, (argv, code, out, err)
    assert len(lines) == 1 and lines[0].startswith("Error: "), (argv, err)
    assert "Traceback" not in out + err


def _not_a_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return True
    return False


GARBAGE = st.text(alphabet="0123456789abe.,:+-_ xé%", max_size=10).filter(_not_a_float)
# lists and ranges with a character no number has
WORDS = st.tuples(GARBAGE, st.sampled_from("abxé%_;"), GARBAGE).map("".join)
HUGE = st.floats(allow_nan=True, allow_infinity=True).filter(
    lambda v: not math.isfinite(v) or abs(v) > 1e3).map(repr)
BAD_NUMBER = GARBAGE | HUGE
BAD_POSITIVE = BAD_NUMBER | st.floats(max_value=0.0, allow_nan=False).map(repr)
BAD_GRID = st.integers(max_value=1).map(str) | GARBAGE
BAD_LIST = st.sampled_from(["", ",", "1,,2", "0:1", "0:1:0", "0:1:-1", "0:1:1000000000000",
                            "a:b:3", "0:1:2:3", "nan", "1e300", "-1e4,0", "0:inf:3",
                            "0:1:2.5"]) | WORDS
BAD_IMAGE = st.sampled_from(["out.xyz", "out", "/proc/x.png", "no/such/dir/x.png", "."])

DIFFUSIVITY = ["diffusivity", "--model", "bcc-p-toy", "--grid", "2", "--energies", "0.5"]
PRECESSION = ["precession", "--model", "bcc-p-toy", "--exchange", "0.5", "--theta", "0",
              "--grid", "2"]
SCREEN = ["screen", "--materials", "V", "--grid", "2", "--shells", "1"]


@FUZZ
@given(st.sampled_from(["--xi", "--gamma", "--soc-scale"]), BAD_NUMBER)
def test_diffusivity_numbers(option, value):
    assert_one_error_line([*DIFFUSIVITY, option, value])


@FUZZ
@given(st.sampled_from(["--gamma"]), BAD_POSITIVE)
def test_diffusivity_gamma(option, value):
    assert_one_error_line([*DIFFUSIVITY, option, value])


@FUZZ
@given(BAD_GRID)
def test_grids(value):
    for base in (DIFFUSIVITY, PRECESSION, SCREEN):
        assert_one_error_line([*base, "--grid", value])


@FUZZ
@given(BAD_LIST)
def test_lists(value):
    assert_one_error_line([*DIFFUSIVITY, "--energies", value])
    assert_one_error_line([*PRECESSION, "--exchange", value])
    assert_one_error_line([*SCREEN, "--energies", value])
    assert_one_error_line([*SCREEN, "--soc-scale", value])
    assert_one_error_line([*SCREEN, "--gamma", value])


@FUZZ
@given(st.sampled_from(["--xi", "--energy", "--gamma", "--phi"]), BAD_POSITIVE)
def test_precession_numbers(option, value):
    if option in ("--xi", "--energy", "--phi") and _in_range(value, option):
        return  # a valid (negative, finite) value: not malformed for these options
    assert_one_error_line([*PRECESSION, option, value])


def _in_range(text: str, option: str) -> bool:
    try:
        number = float(text)
    except ValueError:
        return False
    return math.isfinite(number) and abs(number) <= (360 if option == "--phi" else 1e3)


@FUZZ
@given(st.sampled_from(["0:720:3", "nan", "0,400", "-1e9"]) | WORDS)
def test_precession_angles(value):
    assert_one_error_line([*PRECESSION, "--theta", value])


@FUZZ
@given(st.sampled_from(["1", "x=2", "1=nan", "inf=1", "=", "1=2=3"]))
def test_precession_scale(value):
    assert_one_error_line([*PRECESSION, "--scale", value])


@FUZZ
@given(BAD_IMAGE)
def test_plot_paths(value):
    assert_one_error_line([*DIFFUSIVITY, "--plot", value])
    assert_one_error_line([*PRECESSION, "--plot", value])


@pytest.mark.parametrize("path", ["/proc/x.json", "no/such/dir/x.json", "."])
def test_output_paths(path):
    assert_one_error_line([*DIFFUSIVITY, "--output", path])


def test_stores_that_are_not_databases(tmp_path):
    binary = tmp_path / "binary.db"
    binary.write_bytes(bytes(range(256)) * 20)
    assert_one_error_line([*PRECESSION, "--store", str(binary)])
    assert_one_error_line([*PRECESSION, "--store", "/proc/x.db"])
    assert_one_error_line([*SCREEN, "--db", str(binary)])
    assert_one_error_line([*SCREEN, "--db", str(tmp_path / "no" / "x.db")])
    assert_one_error_line(["query", "--db", str(binary)])
    assert_one_error_line(["plot-screen", "--db", str(binary), "--plot", str(tmp_path / "p.png")])


@FUZZ
@given(st.sampled_from(["--materials", "--shells", "--spec"]),
       st.sampled_from(["Xx", "", ",", "0", "-1", "99", "x.yaml", "missing.toml", "V,Xx"]))
def test_screen_options(option, value):
    if option == "--shells" and not value.lstrip("-").isdigit():
        value = "abc"
    if option == "--materials" and value in ("0", "-1", "99"):
        value = "Xx"
    assert_one_error_line([*SCREEN, option, value])


@pytest.fixture(scope="module")
def screened(tmp_path_factory):
    from orbdiff.store import ResultsStore

    path = tmp_path_factory.mktemp("query") / "r.db"
    ResultsStore(path).store("case-a", {"status": "ok", "material": "V", "gamma": 0.1})
    return str(path)


@pytest.mark.parametrize("selection", ["P_s>>0.5", "foo=1", "==3", "P_s=1=2", "material=V,bar"])
def test_query_selections(screened, selection):
    assert_one_error_line(["query", "--db", screened, selection])


@pytest.mark.parametrize("columns", ["foo", ",", "material,bar"])
def test_query_columns(screened, columns):
    assert_one_error_line(["query", "--db", screened, "--columns", columns])


def test_plot_screen_without_polarizations(screened, tmp_path):
    assert_one_error_line(["plot-screen", "--db", screened, "--plot", str(tmp_path / "p.png")])
    assert_one_error_line(["plot-screen", "--db", screened, "--plot", str(tmp_path / "p.xyz")])


@FUZZ
@given(st.integers(max_value=1) | st.integers(min_value=100_001) | GARBAGE)
def test_band_path_sizes(value):
    assert_one_error_line(["bands", "V", "--npoints", str(value)])
