"""Spin-polarized parameter sets built in Python: the model in closed form and validation.

A bcc s band with spin-dependent level ε_σ and hopping t_σ (8 nearest neighbours) has
H(k) = ε̄ + t̄ γ(k) + ½(Δε + Δt γ(k)) σ·m with γ(k) = 8 cos(k_x a/2) cos(k_y a/2) cos(k_z a/2),
x̄ = (x↑ + x↓)/2 and Δx = x↑ − x↓.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from orbdiff.basis import pauli_matrices
from orbdiff.errors import InputError
from orbdiff.hamiltonian import ParameterSet
from orbdiff.hamiltonian.parameter_set import Species

A = 3.0  # Å
LEVELS = {"up": 0.5, "down": 1.5}  # eV
HOPPING = {"up": -0.3, "down": -0.2}  # eV


def s_band(**changes) -> ParameterSet:
    species = Species("X", 1.0, {"es": LEVELS["up"]}, orbital_levels={"s": "es"}, shells=("s",),
                      onsite_down={"es": LEVELS["down"]})
    fields = {"name": "s-fm", "structure": "bcc", "lattice_constant": A, "species": [species],
              "shells": [{"sss": HOPPING["up"]}], "shells_down": [{"sss": HOPPING["down"]}]}
    return ParameterSet(**{**fields, **changes})


def closed_form(k: np.ndarray, m: np.ndarray) -> np.ndarray:
    gamma = 8 * np.prod(np.cos(k * A / 2), axis=1)
    mean = 0.5 * (LEVELS["up"] + LEVELS["down"]) + 0.5 * (HOPPING["up"] + HOPPING["down"]) * gamma
    split = 0.5 * (LEVELS["up"] - LEVELS["down"]) + 0.5 * (HOPPING["up"] - HOPPING["down"]) * gamma
    sigma_m = np.einsum("a,aij->ij", m, pauli_matrices())
    return mean[:, None, None] * np.eye(2) + split[:, None, None] * sigma_m


def test_model_equals_the_closed_form_for_any_magnetization():
    k = np.random.default_rng(4).normal(size=(5, 3))
    ps = s_band()
    assert ps.spin_polarized
    for m in ((0.0, 0.0, 1.0), (1.0, 0.0, 0.0), (0.6, 0.0, 0.8), (0.0, -0.6, 0.8)):
        model = ps.build_model(soc_scale=0, magnetization=m)
        np.testing.assert_allclose(model.hamiltonian(k), closed_form(k, np.array(m)),
                                   rtol=0, atol=1e-12)
        np.testing.assert_array_equal(model.magnetization, m)
        assert model.parameters["magnetization"] == list(m)


def test_default_magnetization_is_z_and_channels_are_the_spin_blocks():
    k = np.random.default_rng(5).normal(size=(3, 3))
    ps = s_band()
    model = ps.build_model(soc_scale=0)
    np.testing.assert_array_equal(model.magnetization, [0, 0, 1])
    h = model.hamiltonian(k)
    for spin, index in (("up", 0), ("down", 1)):
        channel = ps.spin_channel(spin)
        assert not channel.spin_polarized
        alone = channel.build_model(soc_scale=0).hamiltonian(k)
        np.testing.assert_allclose(h[:, index, index], alone[:, 0, 0], rtol=0, atol=1e-12)


def test_a_set_without_spin_polarization_is_unchanged():
    plain = s_band(shells_down=None, species=[Species("X", 1.0, {"es": 0.5},
                                                      orbital_levels={"s": "es"},
                                                      shells=("s",))])
    assert not plain.spin_polarized
    model = plain.build_model(soc_scale=0)
    assert model.magnetization is None and "magnetization" not in model.parameters
    assert model.hoppings.shape[-1] == model.n_orbitals  # spin-independent storage
    with pytest.raises(InputError, match="'s-fm' has no spin polarization"):
        plain.build_model(soc_scale=0, magnetization=(0, 0, 1))
    with pytest.raises(InputError, match="spin_channel: got 's-fm'"):
        plain.spin_channel("up")


def _species(**changes) -> list[Species]:
    fields = {"symbol": "X", "valence_electrons": 1.0, "onsite": {"es": 0.5},
              "orbital_levels": {"s": "es"}, "shells": ("s",), "onsite_down": {"es": 1.5}}
    return [Species(**{**fields, **changes})]


MALFORMED = [
    ({"species": _species(onsite_down=None)}, "onsite_down: got \"none for species ['X']\""),
    ({"shells_down": None}, "shells_down: got None"),
    ({"species": _species(onsite_down={"ep": 1.0})}, "species[X].onsite_down: got ['ep']"),
    ({"species": _species(onsite_down={"es": math.nan})}, "species[X].onsite_down.es: got nan"),
    ({"shells_down": [{"sss": -0.2}, {"sss": 0.0}]}, "shells_down: got"),
    ({"shells_down": [{}]}, "shells_down[0].integrals.sss: got 'missing'"),
    ({"shells_down": [{"sss": "x"}]}, "shells_down[0].integrals.sss: got 'x'"),
]


@pytest.mark.parametrize(("changes", "message"), MALFORMED, ids=[m for _, m in MALFORMED])
def test_malformed_spin_polarized_set_names_the_field(changes, message):
    with pytest.raises(InputError) as info:
        s_band(**changes)
    assert message in str(info.value)


def test_one_element_fields_with_species_are_refused():
    with pytest.raises(InputError, match="species: got 'species together with"):
        s_band(onsite_down={"es": 1.5})


@pytest.mark.parametrize("m", [(0, 0, 2), (1, 0), "z", (math.inf, 0, 0), None])
def test_magnetization_is_a_unit_vector(m):
    if m is None:
        assert s_band().build_model(soc_scale=0, magnetization=None).magnetization is not None
        return
    with pytest.raises(InputError, match="magnetization: got"):
        s_band().build_model(soc_scale=0, magnetization=m)


def test_spin_channel_names_up_or_down():
    with pytest.raises(InputError, match="spin: got 'sideways'"):
        s_band().spin_channel("sideways")
