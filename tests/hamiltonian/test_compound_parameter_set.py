"""A CsCl-type compound (two species, s and p orbitals) against a hand-built H(k).

The reference is written out by hand from the two-centre rules (not from the table
in orbdiff): with A at the origin, B at (1/2, 1/2, 1/2)a, c_i = cos(k_i a/2),
s_i = sin(k_i a/2), the eight A→B bonds (±1, ±1, ±1)a/2 give

    ⟨s_A|H|s_B⟩ = 8 c_x c_y c_z (ssσ)_AB
    ⟨s_A|H|p_B,x⟩ = (8i/√3) s_x c_y c_z (spσ)_AB,  ⟨p_A,x|H|s_B⟩ = −(8i/√3) s_x c_y c_z (spσ)_BA
    ⟨p_A,x|H|p_B,x⟩ = 8 c_x c_y c_z [(ppσ) + 2(ppπ)]/3
    ⟨p_A,x|H|p_B,y⟩ = −(8/3) s_x s_y c_z [(ppσ) − (ppπ)]

and the six same-species bonds (±a along each axis), with C_i = cos k_i a, S_i = sin k_i a,

    ⟨s|H|s⟩ = 2 (ssσ) ΣC_i,  ⟨s|H|p_x⟩ = 2i S_x (spσ),
    ⟨p_x|H|p_x⟩ = 2 (ppσ) C_x + 2 (ppπ)(C_y + C_z).
"""

from __future__ import annotations

import numpy as np
import pytest

import orbdiff
from orbdiff.errors import InputError
from orbdiff.hamiltonian.parameter_set import Site, Species

A = 4.0  # Å
INTEGRALS = {
    "Cs-Cl": {"sss": -0.50, "sps": 0.70, "pps": 0.90, "ppp": -0.20},
    "Cl-Cs": {"sss": -0.50, "sps": 0.30, "pps": 0.90, "ppp": -0.20},
}
SAME = {"Cs-Cs": {"sss": -0.10, "sps": 0.15, "pps": 0.25, "ppp": -0.05},
        "Cl-Cl": {"sss": -0.08, "sps": 0.12, "pps": 0.35, "ppp": -0.04}}
ONSITE = {"Cs": {"es": 1.0, "ep": 3.0}, "Cl": {"es": -2.0, "ep": 0.5}}


def cscl(**changes) -> orbdiff.ParameterSet:
    fields = dict(
        name="CsCl-test", structure="B2", lattice_constant=A,
        cell=np.eye(3), basis=[Site("Cs", (0, 0, 0)), Site("Cl", (0.5, 0.5, 0.5))],
        species=[Species("Cs", 1, ONSITE["Cs"], shells=("s", "p")),
                 Species("Cl", 7, ONSITE["Cl"], shells=("s", "p"))],
        shells=[INTEGRALS, SAME], shell_distances=[[np.sqrt(3) / 2], [1.0]],
    )
    return orbdiff.ParameterSet(**{**fields, **changes})


def same_species_block(k: np.ndarray, v: dict, onsite: dict) -> np.ndarray:
    cos, sin = np.cos(k * A), np.sin(k * A)
    h = np.zeros((4, 4), complex)
    h[0, 0] = onsite["es"] + 2 * v["sss"] * cos.sum()
    for x in range(3):
        h[0, 1 + x] = 2j * sin[x] * v["sps"]
        h[1 + x, 0] = np.conj(h[0, 1 + x])
        others = cos.sum() - cos[x]
        h[1 + x, 1 + x] = onsite["ep"] + 2 * v["pps"] * cos[x] + 2 * v["ppp"] * others
    return h


def cross_block(k: np.ndarray, ab: dict, ba: dict) -> np.ndarray:
    c, s = np.cos(k * A / 2), np.sin(k * A / 2)
    h = np.zeros((4, 4), complex)
    h[0, 0] = 8 * c.prod() * ab["sss"]
    for x in range(3):
        y, z = (x + 1) % 3, (x + 2) % 3
        h[0, 1 + x] = 8j / np.sqrt(3) * s[x] * c[y] * c[z] * ab["sps"]
        h[1 + x, 0] = -8j / np.sqrt(3) * s[x] * c[y] * c[z] * ba["sps"]
        h[1 + x, 1 + x] = 8 * c.prod() * (ab["pps"] + 2 * ab["ppp"]) / 3
        for w in (y, z):
            other = ({0, 1, 2} - {x, w}).pop()
            h[1 + x, 1 + w] = -8 / 3 * s[x] * s[w] * c[other] * (ab["pps"] - ab["ppp"])
    return h


def hand_built(k: np.ndarray) -> np.ndarray:
    ab = cross_block(k, INTEGRALS["Cs-Cl"], INTEGRALS["Cl-Cs"])
    return np.block([[same_species_block(k, SAME["Cs-Cs"], ONSITE["Cs"]), ab],
                     [ab.conj().T, same_species_block(k, SAME["Cl-Cl"], ONSITE["Cl"])]])


POINTS = {"Γ": (0, 0, 0), "X": (0.5, 0, 0), "M": (0.5, 0.5, 0), "R": (0.5, 0.5, 0.5),
          "generic": (0.11, 0.23, 0.37)}


@pytest.mark.parametrize("point", POINTS)
def test_cscl_hamiltonian_equals_the_hand_built_one(point):
    model = cscl().build_model(soc_scale=0)
    k = 2 * np.pi / A * np.array([POINTS[point]])
    spinless = model.hamiltonian(k)[0, ::2, ::2]
    np.testing.assert_allclose(spinless, hand_built(k[0]), atol=1e-12)


def test_swapping_ab_and_ba_changes_the_model():
    """(spσ)_AB and (spσ)_BA are distinct inputs: exchanging them changes H at X."""
    swapped = {"Cs-Cl": INTEGRALS["Cl-Cs"], "Cl-Cs": INTEGRALS["Cs-Cl"]}
    k = 2 * np.pi / A * np.array([POINTS["X"]])
    h = cscl().build_model(xi=0).hamiltonian(k)
    h_swapped = cscl(shells=[swapped, SAME]).build_model(xi=0).hamiltonian(k)
    assert np.abs(h - h_swapped).max() > 0.1


def test_compound_derived_fields():
    ps = cscl()
    assert ps.element == "CsCl"
    assert ps.valence_electrons == 4  # (1 + 7) / 2 atoms
    assert len(ps.prototype().symbols) == 2


def test_both_orders_of_a_species_pair_are_required():
    with pytest.raises(InputError, match=r"shells\[0\]\.Cl-Cs: got 'missing'"):
        cscl(shells=[{"Cs-Cl": INTEGRALS["Cs-Cl"]}, SAME])


def test_same_l_integrals_must_agree_between_the_two_orders():
    bad = {"Cs-Cl": INTEGRALS["Cs-Cl"], "Cl-Cs": {**INTEGRALS["Cl-Cs"], "pps": 0.8}}
    with pytest.raises(InputError, match=r"shells\[0\]\.Cs-Cl\.pps: got 0\.9; expected 0\.8"):
        cscl(shells=[bad, SAME])


def test_pair_not_bonded_in_a_shell_is_refused():
    with pytest.raises(InputError, match=r"shells\[1\]"):
        cscl(shells=[INTEGRALS, {**SAME, **INTEGRALS}])


def test_structure_with_foreign_or_misplaced_atoms_is_refused():
    crystal = cscl().prototype()
    wrong = orbdiff.Crystal(crystal.cell, crystal.positions, ("Cs", "Cs"))
    with pytest.raises(InputError, match="neighbours of a Cs atom"):
        cscl().build_model(wrong, xi=0)


def test_compound_passes_the_plugin_contract_checks():
    from orbdiff.testing import check_parameter_set

    check_parameter_set(cscl(), "CsCl-test")


def test_onsite_matrix_is_added_per_atom_and_spin_independent():
    crystal = cscl().prototype()
    orbitals = orbdiff.basis.OrbitalSet(("s", "p"))
    builder = orbdiff.ModelBuilder(crystal, orbitals)
    coupling = np.zeros((4, 4))
    coupling[1, 2] = coupling[2, 1] = 0.3  # ⟨p_x|H|p_y⟩ on atom 1 only
    builder.add_onsite_matrix(1, coupling)
    onsite = builder.finalized().onsite
    np.testing.assert_allclose(onsite[::2, ::2][4:, 4:], coupling)  # spin up
    np.testing.assert_allclose(onsite[1::2, 1::2][4:, 4:], coupling)  # spin down
    assert not onsite[:8, :8].any() and not onsite[::2, 1::2].any()
    with pytest.raises(InputError, match="Hermitian"):
        builder.add_onsite_matrix(0, np.triu(np.ones((4, 4))))
    with pytest.raises(InputError, match=r"\(4, 4\)"):
        builder.add_onsite_matrix(0, np.eye(3))


def test_spd_compound_is_hermitian_and_cubic_with_distinct_ab_and_ba_integrals():
    """All ten integrals, different for (A, B) and (B, A) where l differs: the model must be
    Hermitian (checked when finalized) and its energies must have the 48 operations of m3m."""
    rng = np.random.default_rng(11)
    names = ("sss", "sps", "pps", "ppp", "sds", "pds", "pdp", "dds", "ddp", "ddd")
    ab = dict(zip(names, rng.normal(scale=0.3, size=10), strict=True))
    ba = {**dict(zip(names, rng.normal(scale=0.3, size=10), strict=True)),
          **{n: ab[n] for n in ("sss", "pps", "ppp", "dds", "ddp", "ddd")}}
    same = {pair: dict(zip(names, rng.normal(scale=0.1, size=10), strict=True))
            for pair in ("Cs-Cs", "Cl-Cl")}
    levels = {"es": 1.0, "ep": 3.0, "et2g": -0.5, "eeg": -0.3}
    ps = cscl(species=[Species("Cs", 1, levels), Species("Cl", 7, {**levels, "es": -2.0})],
              shells=[{"Cs-Cl": ab, "Cl-Cs": ba}, same])
    model = ps.build_model(soc_scale=0)
    k = rng.normal(size=(3, 3))
    reference = np.linalg.eigvalsh(model.hamiltonian(k))
    signs = np.array(np.meshgrid(*[[1, -1]] * 3)).T.reshape(-1, 3)
    permutations = [np.eye(3)[list(p)] for p in
                    ((0, 1, 2), (1, 2, 0), (2, 0, 1), (1, 0, 2), (0, 2, 1), (2, 1, 0))]
    for p in permutations:
        for s in signs:
            rotated = np.linalg.eigvalsh(model.hamiltonian(k @ (np.diag(s) @ p).T))
            np.testing.assert_allclose(rotated, reference, atol=1e-10)
