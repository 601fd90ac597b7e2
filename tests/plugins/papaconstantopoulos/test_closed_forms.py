"""Band energies of the bcc sets at Γ, H and P against closed forms of the two-centre model.

Shells of bcc: 8 at (a/2)(±1,±1,±1), 6 at a(±1,0,0), 12 at a(±1,±1,0). At these three
points every shell sum reduces to a few integrals (derived below from the SK table with
direction cosines of each shell), so the eigenvalues are known in closed form.
"""

import numpy as np
import pytest

import orbdiff

BCC = ["V", "Nb", "Ta", "Cr", "Mo", "W", "Fe", "Mn"]


def shell_sums(t, shell):
    """Σ_d E(d) over one cubic shell for the s, p, t2g, eg diagonal elements."""
    if shell == 0:  # (±1,±1,±1)/√3: l² = m² = n² = 1/3
        return {"s": 8 * t["sss"], "p": 8 * (t["pps"] + 2 * t["ppp"]) / 3,
                "t2g": 8 * (t["dds"] / 3 + 2 * t["ddp"] / 9 + 4 * t["ddd"] / 9),
                "eg": 8 * (2 * t["ddp"] / 3 + t["ddd"] / 3)}
    if shell == 1:  # (±1,0,0): for p_x two σ bonds and four π bonds
        return {"s": 6 * t["sss"], "p": 2 * t["pps"] + 4 * t["ppp"],
                "t2g": 4 * t["ddp"] + 2 * t["ddd"], "eg": 3 * t["dds"] + 3 * t["ddd"]}
    # (±1,±1,0)/√2
    return {"s": 12 * t["sss"], "p": 4 * t["pps"] + 8 * t["ppp"],
            "t2g": 3 * t["dds"] + 4 * t["ddp"] + 5 * t["ddd"],
            "eg": 1.5 * t["dds"] + 6 * t["ddp"] + 4.5 * t["ddd"]}


def levels(ps, phases, n_shells):
    """On-site energy + Σ_shells phase × shell sum, for s, p, t2g, eg."""
    out = {"s": ps.onsite["es"], "p": ps.onsite["ep"], "t2g": ps.onsite["et2g"],
           "eg": ps.onsite["eeg"]}
    for shell in range(n_shells):
        for key, value in shell_sums(ps.shells[shell], shell).items():
            out[key] += phases[shell] * value
    return out


def spectrum(model, k):
    return np.linalg.eigvalsh(model.hamiltonian(np.asarray(k, float)[None])[0])


@pytest.fixture(scope="module")
def sets(registry):
    return {name: orbdiff.load_parameter_set(name, registry=registry) for name in BCC}


@pytest.mark.parametrize("n_shells", [2, 3])
@pytest.mark.parametrize("name", BCC)
def test_gamma_and_h(sets, registry, name, n_shells):
    ps = sets[name]
    model = ps.build_model(shells=n_shells, soc_scale=0)
    a = ps.lattice_constant
    # Γ: all phases 1. H = (2π/a)(1,0,0): e^{ik·d} = −1 on shell 1, +1 on shells 2 and 3.
    for k, phases in (([0, 0, 0], (1, 1, 1)), ([2 * np.pi / a, 0, 0], (-1, 1, 1))):
        e = levels(ps, phases, n_shells)
        expected = np.sort([e["s"]] + [e["p"]] * 3 + [e["t2g"]] * 3 + [e["eg"]] * 2)
        np.testing.assert_allclose(spectrum(model, k), np.repeat(expected, 2), atol=1e-10)


@pytest.mark.parametrize("n_shells", [2, 3])
@pytest.mark.parametrize("name", BCC)
def test_p_point(sets, name, n_shells):
    # P = (π/a)(1,1,1): shell-1 phases e^{iπ(s1+s2+s3)/2} cancel every shell-1 sum except
    # p_x–d_yz (and cyclic): Σ s1 s2 s3 e^{...} (lmn)(√3 pdσ − 2 pdπ) = −8i(√3 pdσ − 2pdπ)/(3√3).
    # Shell 2 has phase −1, shell 3 phase +1; s, eg stay alone, p and t2g pair up.
    ps = sets[name]
    model = ps.build_model(shells=n_shells, soc_scale=0)
    a = ps.lattice_constant
    e = levels(ps, (0, -1, 1), n_shells)
    t1 = ps.shells[0]
    coupling = 8 * (np.sqrt(3) * t1["pds"] - 2 * t1["pdp"]) / (3 * np.sqrt(3))
    centre, half = (e["p"] + e["t2g"]) / 2, (e["p"] - e["t2g"]) / 2
    split = np.sqrt(half**2 + coupling**2)
    expected = np.sort([e["s"]] + [e["eg"]] * 2 + [centre - split] * 3 + [centre + split] * 3)
    k = np.array([1.0, 1.0, 1.0]) * np.pi / a
    np.testing.assert_allclose(spectrum(model, k), np.repeat(expected, 2), atol=1e-10)
