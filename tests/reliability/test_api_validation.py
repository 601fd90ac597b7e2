"""The Python API rejects what it used to coerce silently, before any computation."""

from __future__ import annotations

import numpy as np
import pytest

import orbdiff
from orbdiff.errors import InputError
from orbdiff.validation import MAX_ENERGIES


@pytest.fixture(scope="module")
def toy(registry):
    return orbdiff.load_model("bcc-p-toy", registry=registry, xi=0.05)


GOOD = {"grid": 3, "energies": [0.5], "gamma": 0.1}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"gamma": True}, "gamma"),           # used to become Γ = 1 eV
        ({"gamma": "0.1"}, "gamma"),          # used to be accepted
        ({"gamma": 1e308}, "gamma"),          # overflowed
        ({"gamma": 1e-300}, "gamma"),
        ({"gamma": np.nan}, "gamma"),
        ({"symmetry": "no"}, "symmetry"),     # used to leave symmetry on
        ({"symmetry": 0}, "symmetry"),
        ({"progress": "yes"}, "progress"),
        ({"chunk_size": -1}, "chunk_size"),   # used to be KeyError: 'tensor'
        ({"chunk_size": 0}, "chunk_size"),
        ({"chunk_size": 2.5}, "chunk_size"),
        ({"chunk_size": True}, "chunk_size"),
        ({"energies": [1e300]}, "energies"),  # used to give NaN tables
        ({"energies": ["0.5"]}, "energies"),
        ({"energies": "0.5"}, "energies"),
        ({"energies": [True]}, "energies"),
        ({"energies": []}, "energies"),
        ({"energies": np.zeros(MAX_ENERGIES + 1)}, "energies"),
        ({"grid": True}, "grid"),
        ({"grid": 2.0}, "grid"),
        ({"grid": "4"}, "grid"),
        ({"grid": (4, 4)}, "grid"),
        ({"basis": "eigen"}, "basis"),
        ({"basis": None}, "basis"),
    ],
)
def test_compute_rejects_coercible_nonsense(toy, registry, changes, field):
    with pytest.raises(InputError, match=rf"^{field}: got "):
        orbdiff.compute("diffusivity", toy, registry=registry, **{**GOOD, **changes})


def test_an_option_the_observable_does_not_take_is_named_before_computing(toy, registry):
    with pytest.raises(InputError, match=r"^basis: the observable 'conductivity' does not "
                                         r"take this option; it takes chunk_size, progress"):
        orbdiff.compute("conductivity", toy, registry=registry, basis="band", **GOOD)


def test_the_accepted_edges_still_compute(toy, registry):
    result = orbdiff.compute("diffusivity", toy, registry=registry, grid=2,
                             energies=np.array([-1e3, 1e3]), gamma=1e3, symmetry=False,
                             progress=False, chunk_size=1)
    assert np.all(np.isfinite(result.tensor)) and np.all(np.isfinite(result.charge))


@pytest.mark.parametrize(
    ("options", "field"),
    [({"xi": 1e300}, "xi"), ({"xi": True}, "xi"), ({"soc_scale": "1"}, "soc_scale"),
     ({"soc_scale": -1.0}, "soc_scale"), ({"shells": 1.5}, "shells"),
     ({"shells": True}, "shells"), ({"rescale": "no"}, "rescale")],
)
def test_load_material_rejects_bad_arguments(registry, options, field):
    with pytest.raises(InputError, match=rf"^{field}: got "):
        orbdiff.load_material("V", registry=registry, **options)


@pytest.mark.parametrize("gamma", [True, "0.1", 0.0, -1.0, 1e308, float("inf")])
def test_constant_broadening_rejects(gamma):
    from orbdiff.disorder import ConstantBroadening

    with pytest.raises(InputError, match=r"^gamma: got"):
        ConstantBroadening(gamma)
