"""Wannier90 models: round trips of Ta in Wannier90's conventions, hand-written files, errors."""

import warnings

import numpy as np
import pytest

import orbdiff
from orbdiff.errors import InputError
from orbdiff.structure import Crystal
from orbdiff.testing import check_model, check_registered
from orbdiff_plugins.wannier90 import wannier90_model, write_wannier90
from orbdiff_plugins.wannier90.writer import wigner_seitz_points

K = np.random.default_rng(7).normal(size=(4, 3))


def ta(**kwargs):
    return orbdiff.load_material("Ta", shells=2, **kwargs)


def tensors(model):
    result = orbdiff.compute("diffusivity", model, grid=5, energies=[9.0, 9.6], gamma=0.1,
                             symmetry=False)
    return np.concatenate([result.charge.ravel(), result.tensor.ravel(), result.kubo.ravel()])


@pytest.fixture(scope="module")
def ta_tensors():
    return tensors(ta())


def assert_same_model(ours, theirs):
    np.testing.assert_allclose(ours.hamiltonian(K), theirs.hamiltonian(K), atol=1e-12)
    np.testing.assert_allclose(ours.velocity_operators(K), theirs.velocity_operators(K),
                               atol=1e-11)
    np.testing.assert_allclose(ours.orbital_moment_operators(),
                               theirs.orbital_moment_operators(), atol=1e-15)


def test_spinless_ta_plus_added_soc_reads_back_to_the_same_tensors(tmp_path, ta_tensors):
    reference = ta()
    write_wannier90(ta(soc_scale=0), tmp_path / "ta", spinors=False, mp_grid=(4, 4, 4))
    model = wannier90_model(tmp_path / "ta", xi={"d": reference.parameters["xi"]})
    check_model(model)
    assert_same_model(model, reference)
    ours = tensors(model)
    assert np.abs(ours - ta_tensors).max() <= 1e-10 * np.abs(ta_tensors).max()


@pytest.mark.parametrize("ordering", ["interleaved", "blocks"])
def test_spinor_ta_with_soc_in_the_hoppings_reads_back(tmp_path, ta_tensors, ordering):
    write_wannier90(ta(), tmp_path / "ta", spinors=True, spinor_ordering=ordering,
                    mp_grid=(4, 4, 4))
    model = wannier90_model(tmp_path / "ta", spinor_ordering=ordering)
    assert model.spinful_hoppings
    assert_same_model(model, ta())
    ours = tensors(model)
    assert np.abs(ours - ta_tensors).max() <= 1e-10 * np.abs(ta_tensors).max()
    other = "blocks" if ordering == "interleaved" else "interleaved"
    wrong = wannier90_model(tmp_path / "ta", spinor_ordering=other)
    assert not np.allclose(wrong.hamiltonian(K), model.hamiltonian(K), atol=1e-3)


def test_two_atom_cell_in_bohr_reads_back(tmp_path):
    primitive = ta().crystal
    cell = primitive.cell * np.array([[2.0], [1.0], [1.0]])
    model = ta(structure=Crystal(cell, [[0, 0, 0], primitive.cell[0]], ("Ta", "Ta")))
    write_wannier90(model, tmp_path / "ta2", spinors=True, mp_grid=(3, 4, 4), units="bohr")
    assert_same_model(wannier90_model(tmp_path / "ta2"), model)


def test_wigner_seitz_weights_add_up_to_the_grid():
    cell = ta().crystal.cell
    for grid in [(4, 4, 4), (3, 5, 2)]:
        _, degeneracies = wigner_seitz_points(cell, grid)
        assert np.sum(1.0 / degeneracies) == pytest.approx(np.prod(grid), abs=1e-9)
        assert degeneracies.max() > 1  # boundary points are shared


def test_bundled_example_meets_the_contract(registry):
    assert check_registered(registry, "wannier90") == ["models:wannier90"]


# --- hand-written files -------------------------------------------------------------------

WIN = """! a hand-written file
num_wann = {num_wann}
mp_grid : {grid}
Begin Unit_Cell_Cart
bohr
{a} 0 0
0 {a} 0
0 0 {a}
End Unit_Cell_Cart
begin atoms_frac
X 0.0 0.0 0.0
end atoms_frac
begin projections
{projections}
end projections
"""


def write_hr(path, entries, degeneracies, num_wann):
    """``entries``: {R: matrix}, written in Wannier90's column-major line order."""
    rows = ["hand-written", str(num_wann), str(len(entries)),
            " ".join(str(d) for d in degeneracies)]
    for r, matrix in entries.items():
        for n in range(num_wann):
            for m in range(num_wann):
                value = matrix[m, n]
                rows.append(f"{r[0]} {r[1]} {r[2]} {m + 1} {n + 1} {value.real} {value.imag}")
    path.write_text("\n".join(rows) + "\n")


def s_chain(tmp_path, t=-0.5, t2=0.2, e0=0.3):
    """s band on the Wigner-Seitz set of mp_grid 4 1 1: R = ±x (d = 1), and R = ±2x on
    its boundary (d = 2), each printed as 2·t₂ so that H(k) holds t₂ cos(2k_x a) twice."""
    a_bohr = 2.0 / 0.529177210903  # 2 Å
    win = WIN.format(num_wann=1, a=a_bohr, grid="4 1 1", projections="X: l=0")
    (tmp_path / "s.win").write_text(win)
    one = np.ones((1, 1), dtype=complex)
    entries = {(0, 0, 0): e0 * one, (1, 0, 0): t * one, (-1, 0, 0): t * one,
               (2, 0, 0): 2 * t2 * one, (-2, 0, 0): 2 * t2 * one}
    write_hr(tmp_path / "s_hr.dat", entries, [1, 1, 1, 2, 2], 1)
    return tmp_path / "s"


def test_hand_written_s_chain_divides_by_the_degeneracies(tmp_path):
    model = wannier90_model(s_chain(tmp_path))
    k = np.array([[0.3, 0.1, 0.0], [1.2, 0.0, -0.4]])
    x = 2.0 * k[:, 0]
    band = 0.3 + 2 * (-0.5) * np.cos(x) + 2 * 0.2 * np.cos(2 * x)
    np.testing.assert_allclose(np.linalg.eigvalsh(model.hamiltonian(k)),
                               np.repeat(band[:, None], 2, axis=1), atol=1e-12)
    np.testing.assert_allclose(model.crystal.cell, 2.0 * np.eye(3), atol=1e-12)


def test_wannier90_orbital_order_is_mapped_to_orbdiffs(tmp_path):
    # Wannier90 (user guide, projections): per line, l ascending then m_r ascending, with
    # p = (z, x, y) and d = (z², xz, yz, x²−y², xy) for m_r = 1, 2, ...; so these lines give
    # pz px py dz2 dxy | dxz dyz dx2-y2, which get on-site energies 1, 2, ..., 8
    projections = "X: dxy,dz2;l=1\nX: dx2-y2;l=2,mr=2,3"
    win = WIN.format(num_wann=8, a=4.0, grid="1 1 1", projections=projections)
    (tmp_path / "pd.win").write_text(win)
    energies = np.diag(np.arange(1.0, 9.0)).astype(complex)
    write_hr(tmp_path / "pd_hr.dat", {(0, 0, 0): energies}, [1], 8)
    model = wannier90_model(tmp_path / "pd")
    assert model.orbitals[0].names == ("px", "py", "pz", "dxy", "dyz", "dzx", "dx2-y2",
                                       "d3z2-r2")
    expected = [2, 3, 1, 5, 7, 6, 8, 4]
    np.testing.assert_allclose(model.hamiltonian(K[:1])[0].diagonal().real,
                               np.repeat(expected, 2))


def test_far_wannier_centre_warns(tmp_path):
    seed = s_chain(tmp_path)
    (tmp_path / "s_centres.xyz").write_text("2\ncentres\nX 0.0 0.8 0.0\nX 0 0 0\n")
    with pytest.warns(UserWarning, match="0.80 Å from its projection's atom"):
        wannier90_model(seed, centre_tolerance=0.5)
    (tmp_path / "s_centres.xyz").write_text("2\ncentres\nX 2.1 0.0 0.0\nX 0 0 0\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        wannier90_model(seed, centre_tolerance=0.5)  # 0.1 Å from an image of the atom


def test_tb_dat_is_read_like_hr_dat(tmp_path):
    seed = s_chain(tmp_path)
    hr = (tmp_path / "s_hr.dat").read_text().splitlines()
    blocks = []
    for line in hr[4:]:
        r1, r2, r3, m, n, re, im = line.split()
        blocks += ["", f"{r1} {r2} {r3}", f"{m} {n} {re} {im}"]
    tb = ["tb", "2 0 0", "0 2 0", "0 0 2", *hr[1:4], *blocks]
    (tmp_path / "s_tb.dat").write_text("\n".join(tb) + "\n")
    reference = wannier90_model(seed)
    (tmp_path / "s_hr.dat").unlink()
    model = wannier90_model(seed)
    assert model.parameters["hamiltonian_file"].endswith("s_tb.dat")
    np.testing.assert_allclose(model.hamiltonian(K), reference.hamiltonian(K), atol=1e-14)


# --- malformed files ----------------------------------------------------------------------


def test_malformed_hr_line_names_file_and_line(tmp_path):
    seed = s_chain(tmp_path)
    path = tmp_path / "s_hr.dat"
    lines = path.read_text().splitlines()
    lines[6] = lines[6].replace("-0.5", "abc")
    path.write_text("\n".join(lines))
    with pytest.raises(InputError, match=r"s_hr\.dat, line 7: expected 5 integers"):
        wannier90_model(seed)


@pytest.mark.parametrize(("projections", "message"), [
    ("X: px;py", r"s\.win: atom 1 \(X\) has an incomplete p shell"),
    ("X: sp3", r"s\.win, line 14: projection 'sp3'.*hybrids carry no definite L"),
    ("Y: s", r"s\.win, line 14: site 'Y' is not an atom label"),
    ("X: s:z=1,0,0", r"s\.win, line 14: local axes"),
])
def test_bad_projections_name_the_line(tmp_path, projections, message):
    seed = s_chain(tmp_path)
    win = WIN.format(num_wann=1, a=4.0, grid="4 1 1", projections=projections)
    (tmp_path / "s.win").write_text(win)
    with pytest.raises(InputError, match=message):
        wannier90_model(seed)


def test_inconsistent_files_are_rejected(tmp_path):
    seed = s_chain(tmp_path)
    (tmp_path / "s.win").write_text(WIN.format(num_wann=1, a=4.0, grid="4 1 1", projections="X: p"))
    with pytest.raises(InputError, match="1 Wannier functions, but the projections"):
        wannier90_model(seed)
    s_chain(tmp_path)
    text = (tmp_path / "s_hr.dat").read_text().splitlines()
    text[3] = "1 1 1 1 1"  # Σ 1/d = 5, not the 4 of mp_grid 4 1 1
    (tmp_path / "s_hr.dat").write_text("\n".join(text))
    with pytest.raises(InputError, match="degeneracies give"):
        wannier90_model(seed)
    s_chain(tmp_path, t=0.0)
    (tmp_path / "s_hr.dat").write_text((tmp_path / "s_hr.dat").read_text().replace(
        "-1 0 0 1 1 0.0 0.0", "-1 0 0 1 1 0.4 0.0"))
    with pytest.raises(InputError, match="not Hermitian"):
        wannier90_model(seed)


def test_bad_parameters(tmp_path):
    seed = s_chain(tmp_path)
    with pytest.raises(InputError, match="spinor_ordering: got 'up-down'"):
        wannier90_model(seed, spinor_ordering="up-down")
    with pytest.raises(InputError, match="seedname: got"):
        wannier90_model(tmp_path / "missing")
    write_wannier90(ta(), tmp_path / "ta", spinors=True, mp_grid=(4, 4, 4))
    with pytest.raises(InputError, match=r"xi: got 0\.1; expected 0 for the spinor file"):
        wannier90_model(tmp_path / "ta", xi=0.1)
    with pytest.raises(InputError, match="spinors: got False"):
        write_wannier90(ta(), tmp_path / "x", spinors=False)
