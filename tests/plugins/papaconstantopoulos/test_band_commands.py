"""``orbdiff bands`` and ``orbdiff dos``: path breaks, windows, tables, bad input, defaults."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest
from click.testing import CliRunner

import orbdiff
from orbdiff import plugin_manager
from orbdiff.cli import build_cli, main
from orbdiff.structure import standard_path
from orbdiff_plugins.papaconstantopoulos.plots import band_figure, path_segments


def run(*args: str) -> str:
    pm = plugin_manager(autoload=False)
    result = CliRunner().invoke(build_cli(pm), list(args), obj={"plugin_manager": pm},
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def ta_path():
    return standard_path(orbdiff.load_material("Ta", shells=2).crystal, npoints=80)


def test_path_segments_end_at_the_break_and_cover_the_path(ta_path):
    pieces = path_segments(ta_path.distance)
    breaks = sum(name.count("|") for _, name in ta_path.labels)
    assert breaks == 1 and len(pieces) == breaks + 1
    assert sum(p.stop - p.start for p in pieces) == len(ta_path.distance)
    for piece in pieces:
        assert np.all(np.diff(ta_path.distance[piece]) > 0)


def test_no_band_line_joins_the_two_sides_of_a_break(ta_path):
    bands = np.tile(np.linspace(-9, 9, 6), (len(ta_path.distance), 1))
    results = {"soc": {"bands": bands}, "no_soc": {"bands": bands + 0.1}}
    fig = band_figure(ta_path, results, "Ta", window=(-8.0, 6.0))
    ax = fig.axes[0]
    curves = [line for line in ax.get_lines() if len(line.get_xdata()) > 2]
    assert curves
    for line in curves:  # a line crossing the break would repeat a distance
        assert np.all(np.diff(line.get_xdata()) > 0)
    assert ax.get_ylim() == (-8.0, 6.0)
    assert "|" in " ".join(t.get_text() for t in ax.get_xticklabels())


@pytest.fixture
def fixed_fermi_level(monkeypatch):
    """E_F = 9.5 eV: the Fermi search is not what these tests check, and it is slow."""
    level = SimpleNamespace(energy=9.5, accuracy=1e-3)
    monkeypatch.setattr("orbdiff_plugins.papaconstantopoulos.cli._fermi", lambda *_: level)


def test_the_table_has_a_header_and_both_sides_of_the_break(fixed_fermi_level):
    lines = run("bands", "Ta", "--shells", "2", "--npoints", "60").splitlines()
    assert lines[1].split()[:3] == ["point", "band", "1"]
    assert lines[1].split()[-2:] == ["band", "18"]
    rows = {}
    for line in lines[2:]:
        name, *values = line.split()
        rows.setdefault(name, []).append(np.array(values, float))
    assert [line.split()[0] for line in lines[2:]] == ["Γ", "H", "N", "Γ", "P", "H", "P", "N"]
    for name in ("Γ", "H", "P"):  # the same k-point, reached twice
        np.testing.assert_allclose(rows[name][0], rows[name][1], atol=1e-3)
    for values in (rows["Γ"][0], rows["H"][0], rows["N"][0]):  # Kramers pairs (inversion)
        np.testing.assert_allclose(values[0::2], values[1::2], atol=1e-3)


@pytest.mark.slow
def test_bands_and_dos_share_the_default_shells_and_fermi_level():
    bands = json.loads(run("bands", "Ta", "--npoints", "20", "--format", "json"))
    dos = json.loads(run("dos", "Ta", "--grid", "4", "--energies", "0", "--format", "json"))
    assert bands["shells"] == dos["shells"] == 3  # all shells of the bcc set
    assert bands["soc"]["fermi_level"] == dos["fermi_level"]
    two = json.loads(run("bands", "Ta", "--shells", "2", "--npoints", "20", "--format", "json"))
    assert two["soc"]["fermi_level"] != dos["fermi_level"]


@pytest.mark.parametrize(
    ("options", "needle"),
    [(["--npoints", "0"], "--npoints: got 0; expected an integer from 2 to 5000"),
     (["--npoints", "1"], "--npoints: got 1; expected an integer from 2 to 5000"),
     (["--npoints", "100000"], "--npoints: got 100000; expected an integer from 2 to 5000"),
     (["--npoints", "10"], "--npoints: got 10; expected at least 15 for the path Γ-H-N"),
     (["--window", "6:-8"], "--window: got '6:-8'; expected LOW:HIGH"),
     (["--window", "-8"], "--window: got '-8'; expected LOW:HIGH"),
     (["--window", "nan:1"], "--window: got 'nan:1'; expected LOW:HIGH")],
)
def test_bad_band_options_give_one_error_line(capsys, options, needle):
    with pytest.raises(SystemExit) as exit_info:
        main(["bands", "Ta", *options], pm=plugin_manager(autoload=False))
    error = capsys.readouterr().err.strip().splitlines()
    assert exit_info.value.code == 2
    assert len(error) == 1 and needle in error[0], error


def test_the_window_is_relative_to_the_fermi_level(tmp_path, monkeypatch, fixed_fermi_level):
    seen = {}

    def fake_plot(path, results, filename, title, absolute, window):
        seen.update(absolute=absolute, window=window, ef=results["soc"]["fermi_level"])

    monkeypatch.setattr("orbdiff_plugins.papaconstantopoulos.plots.plot_bands", fake_plot)
    run("bands", "Ta", "--npoints", "20", "--window", "-3:2", "--plot", str(tmp_path / "b.png"))
    assert seen["window"] == (-3.0, 2.0)
    run("bands", "Ta", "--npoints", "20", "--window", "-3:2", "--absolute",
        "--plot", str(tmp_path / "b.png"))
    np.testing.assert_allclose(seen["window"], (seen["ef"] - 3, seen["ef"] + 2))
