"""The models of Fe-fm, Co-fm, Ni-fm: H = ½(H↑ + H↓) ⊗ 1 + ½(H↑ − H↓) ⊗ σ·m.

Independent facts used: for m ∥ z without SOC, H(k) is block-diagonal in spin and each
block is the model of one spin's fit alone (built here from the shared file's numbers);
without SOC the spectrum does not depend on the direction of m (spin rotation); with SOC
the symmetry left is the subgroup keeping the axial vector m (4/m for m ∥ [001] and −3
for m ∥ [111] in a cubic crystal, 6/m for m ∥ c in hcp); the hcp space group makes the
bands stick in pairs on the k_z = π/c face; the spin moment N↑ − N↓ of a ferromagnet
lies between 0 and the number of d holes.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

import orbdiff
from orbdiff.errors import InputError
from orbdiff.hamiltonian import ParameterSet
from orbdiff.hamiltonian.parameter_set import Site, Species
from orbdiff.hamiltonian.symmetry import verified_point_group
from orbdiff.observables.fermi import fermi_level_on_grid
from orbdiff.observables.tetrahedra import TetrahedronCount
from orbdiff.structure import KGrid
from orbdiff.units import RYDBERG

REPO = Path(__file__).resolve().parents[3]
SHARED_DATA = REPO.parent / "shared" / "data" / "papaconstantopoulos-hcp-and-spin-polarized.json"
NAMES = {"ss_sigma": "sss", "sp_sigma": "sps", "pp_sigma": "pps", "pp_pi": "ppp",
         "sd_sigma": "sds", "pd_sigma": "pds", "pd_pi": "pdp", "dd_sigma": "dds",
         "dd_pi": "ddp", "dd_delta": "ddd"}
HCP_LEVELS = {"s": "ss0", "px": "pp0", "py": "pp0", "pz": "pp0", "dxy": "dd0", "dyz": "dd1",
              "dzx": "dd1", "dx2-y2": "dd0", "d3z2-r2": "dd2"}
SETS = ("Fe-fm", "Co-fm", "Ni-fm")
K = np.random.default_rng(11).normal(size=(4, 3))  # generic k (Å⁻¹)


@pytest.fixture(autouse=True)
def _builtin_db(monkeypatch):
    monkeypatch.delenv("ORBDIFF_MATERIALS_DB", raising=False)


@pytest.fixture(scope="module")
def shared() -> dict:
    if not SHARED_DATA.is_file():
        pytest.skip(f"shared parameter data not found at {SHARED_DATA}")
    return json.loads(SHARED_DATA.read_text())


def one_spin_set(symbol: str, spin: str, shared: dict) -> ParameterSet:
    """A spinless set of one spin's fit, from the shared numbers (energies to eV)."""
    ref = shared["spin_polarized"][symbol]
    onsite = {name: value * RYDBERG for name, value in ref[spin]["onsite"].items()}
    shells = [{NAMES[k]: v * RYDBERG for k, v in shell.items()} for shell in ref[spin]["shells"]]
    if ref["structure"] != "hcp":
        return ParameterSet(name=f"{symbol}-{spin}", element=symbol, structure=ref["structure"],
                            lattice_constant=ref["a_angstrom"], valence_electrons=ref["valence"],
                            onsite=onsite, shells=shells)
    q = ref["c_over_a"]

    def pd0(sign: int) -> tuple:
        return (("px", "dxy", "pd0", sign), ("py", "dx2-y2", "pd0", sign))

    return ParameterSet(
        name=f"{symbol}-{spin}", structure="hcp", lattice_constant=ref["a_angstrom"],
        cell=[[1, 0, 0], [-0.5, math.sqrt(3) / 2, 0], [0, 0, q]],
        basis=[Site(symbol, (1 / 3, 2 / 3, 0.25), pd0(1)), Site(symbol, (2 / 3, 1 / 3, 0.75),
                                                                pd0(-1))],
        species=[Species(symbol, ref["valence"], onsite, orbital_levels=HCP_LEVELS)],
        shell_distances=[[1.0, math.sqrt(1 / 3 + q**2 / 4)], [math.sqrt(4 / 3 + q**2 / 4)], [q]],
        shells=shells)


@pytest.mark.parametrize("name", SETS)
def test_m_along_z_gives_the_two_fits_as_spin_blocks(name, shared):
    symbol = name.split("-")[0]
    h = orbdiff.load_material(name, soc_scale=0).hamiltonian(K)
    assert np.abs(h[:, 0::2, 1::2]).max() == 0  # no spin mixing
    for spin, block in (("up", h[:, 0::2, 0::2]), ("down", h[:, 1::2, 1::2])):
        alone = one_spin_set(symbol, spin, shared).build_model(soc_scale=0)
        np.testing.assert_allclose(block, alone.hamiltonian(K)[:, ::2, ::2], rtol=0, atol=1e-12)


@pytest.mark.parametrize("name", SETS)
def test_spectrum_without_soc_does_not_depend_on_the_direction_of_m(name):
    reference = np.linalg.eigvalsh(orbdiff.load_material(name, soc_scale=0).hamiltonian(K))
    random = np.random.default_rng(2).normal(size=3)
    for m in ((1, 0, 0), (0, 1, 0), np.ones(3) / math.sqrt(3), random / np.linalg.norm(random)):
        model = orbdiff.load_material(name, soc_scale=0, magnetization=m)
        np.testing.assert_allclose(np.linalg.eigvalsh(model.hamiltonian(K)), reference,
                                   rtol=0, atol=1e-10)


@pytest.mark.parametrize("name", SETS)
def test_reversing_m_exchanges_the_spin_blocks(name):
    up = orbdiff.load_material(name, soc_scale=0).hamiltonian(K)
    down = orbdiff.load_material(name, soc_scale=0, magnetization=(0, 0, -1)).hamiltonian(K)
    np.testing.assert_array_equal(down[:, 0::2, 0::2], up[:, 1::2, 1::2])
    np.testing.assert_array_equal(down[:, 1::2, 1::2], up[:, 0::2, 0::2])


def generated(*generators: np.ndarray) -> list[np.ndarray]:
    """The finite group generated by orthogonal 3 × 3 matrices."""
    group = [np.eye(3)]
    grown = True
    while grown:
        grown = False
        for g in generators:
            for h in list(group):
                product = g @ h
                if not any(np.allclose(product, x) for x in group):
                    group.append(product)
                    grown = True
    return group


def same_operations(found: np.ndarray, expected: list[np.ndarray]) -> bool:
    return len(found) == len(expected) and all(
        any(np.allclose(f, e, atol=1e-8) for e in expected) for f in found)


C4Z = np.array([[0.0, -1, 0], [1, 0, 0], [0, 0, 1]])
C3_111 = np.array([[0.0, 0, 1], [1, 0, 0], [0, 1, 0]])  # x → y → z → x
C6Z = np.array([[0.5, -math.sqrt(3) / 2, 0], [math.sqrt(3) / 2, 0.5, 0], [0, 0, 1]])
MAGNETIC_GROUPS = [  # (set, m, generators of the unitary point group, its order)
    ("Fe-fm", (0, 0, 1), (C4Z, -np.eye(3)), 8),
    ("Ni-fm", (0, 0, 1), (C4Z, -np.eye(3)), 8),
    ("Fe-fm", np.ones(3) / math.sqrt(3), (C3_111, -np.eye(3)), 6),
    ("Ni-fm", np.ones(3) / math.sqrt(3), (C3_111, -np.eye(3)), 6),
    ("Co-fm", (0, 0, 1), (C6Z, -np.eye(3)), 12),
]


@pytest.mark.parametrize(("name", "m", "generators", "order"), MAGNETIC_GROUPS,
                         ids=[f"{n}-{np.round(m, 2).tolist()}" for n, m, _, _ in MAGNETIC_GROUPS])
def test_with_soc_the_point_group_keeps_m(name, m, generators, order):
    model = orbdiff.load_material(name, magnetization=m)
    assert model.parameters["xi"] > 0
    np.testing.assert_array_equal(model.magnetization, np.asarray(m, dtype=float))
    expected = generated(*generators)
    assert len(expected) == order  # 4/m, -3, 6/m
    assert same_operations(verified_point_group(model).rotations, expected)


@pytest.mark.parametrize("m", [(0, 0, 1), (1, 0, 0)])
def test_co_fm_bands_stick_together_in_pairs_on_the_kz_pi_over_c_face(m):
    model = orbdiff.load_material("Co-fm", soc_scale=0, magnetization=m)
    fractions = np.random.default_rng(7).random((12, 2))
    k = np.c_[fractions, np.full(12, 0.5)] @ model.crystal.reciprocal_cell
    bands = np.linalg.eigvalsh(model.hamiltonian(k))
    np.testing.assert_allclose(bands[:, ::2], bands[:, 1::2], atol=1e-9)
    generic = np.linalg.eigvalsh(model.hamiltonian(np.array([[0.13, 0.29, 0.31]])
                                                   @ model.crystal.reciprocal_cell))
    assert np.min(np.abs(generic[:, ::2] - generic[:, 1::2])) > 1e-6  # off the face: split


def d_electrons(model, energies: np.ndarray, vectors: np.ndarray, fermi: float) -> float:
    """d electrons per atom below the Fermi level (eV), from the band projections."""
    d = np.concatenate([np.r_[np.zeros(8, bool), np.ones(10, bool)]
                        for _ in model.crystal.symbols])
    weight = (np.abs(vectors[:, d, :]) ** 2).sum(axis=1)
    return float((weight * (energies < fermi)).sum() / len(energies) / len(model.crystal.symbols))


@pytest.mark.parametrize(("name", "grid"), [("Fe-fm", 16), ("Co-fm", 10), ("Ni-fm", 16)])
def test_spin_moment_at_the_common_fermi_level_is_below_the_d_holes(name, grid):
    ps = orbdiff.load_parameter_set(name)
    model = ps.build_model(soc_scale=0)
    atoms = len(model.crystal.symbols)
    electrons = ps.valence_electrons * atoms
    fermi = fermi_level_on_grid(model, electrons, grid)
    kgrid = KGrid(model.crystal, grid)
    h = model.hamiltonian(kgrid.cartesian)
    counts = []
    for spin in (0, 1):  # m ∥ z: the up and down blocks
        bands = np.linalg.eigvalsh(h[:, spin::2, spin::2])
        window = (bands.min() - 1, bands.max() + 1)
        counts.append(TetrahedronCount(bands.reshape(*kgrid.size, -1), window).states(fermi))
    # the count of the sorted full spectrum (which fixed E_F) interpolates across the
    # crossings of up and down bands, the block counts do not: equal up to ~1 % per atom
    assert sum(counts) == pytest.approx(electrons, abs=0.02 * atoms)
    moment = (counts[0] - counts[1]) / atoms  # μ_B per atom
    holes = 10 - d_electrons(model, *np.linalg.eigh(h), fermi)
    assert 0 < moment < holes


def test_a_set_without_spin_polarization_refuses_a_magnetization():
    assert not orbdiff.load_parameter_set("Fe").spin_polarized
    with pytest.raises(InputError, match="'Fe' has no spin polarization") as info:
        orbdiff.load_material("Fe", magnetization=(0, 0, 1))
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("m", [(0, 0, 2), (1, 0), "z", (0, 0, math.nan)])
def test_magnetization_must_be_a_unit_vector(m):
    with pytest.raises(InputError, match="magnetization: got"):
        orbdiff.load_material("Ni-fm", magnetization=m)


def test_soc_scale_uses_the_borrowed_xi():
    paramagnetic = orbdiff.load_parameter_set("Ni").xi
    model = orbdiff.load_material("Ni-fm", soc_scale=0.5)
    assert model.parameters["xi"] == pytest.approx(0.5 * paramagnetic, rel=1e-12)
    assert model.parameters["magnetization"] == [0.0, 0.0, 1.0]
