"""orbdiff.testing: the contract checks pass on the built-ins and catch broken plugins."""

import numpy as np
import pytest

import orbdiff
from orbdiff.plugin import BUILTIN_PLUGINS, ModelRecord
from orbdiff.testing import check_model, check_onsite_term, check_plugin, check_registered


@pytest.mark.parametrize("spec", BUILTIN_PLUGINS, ids=lambda s: s.partition(":")[2])
def test_builtin_plugins_pass_the_contract(registry, spec):
    name = spec.partition(":")[2]
    checked = check_registered(registry, name)
    expected = {"core": 2, "toy": 1, "papaconstantopoulos": 35, "diffusion": 3, "ferromagnet": 1,
                "wannier90": 1, "hall": 1}
    assert len(checked) == expected.get(name, 0)


def test_check_plugin_on_a_plugin_object():
    class Plugin:
        @staticmethod
        @orbdiff.hookimpl
        def orbdiff_register_models():
            return [ModelRecord("p-chain", lambda: orbdiff.load_model("bcc-p-toy", xi=0.1),
                                parameters={})]

    assert check_plugin(Plugin()) == ["models:p-chain"]


def test_check_model_catches_a_wrong_velocity(registry):
    model = orbdiff.load_model("bcc-p-toy", registry=registry)
    check_model(model)

    class Wrong(type(model)):
        def velocity_operators(self, k):
            return 2 * super().velocity_operators(k)

    fields = {name: getattr(model, name) for name in model.__dataclass_fields__}
    with pytest.raises(AssertionError, match="k-derivative"):
        check_model(Wrong(**fields))


def test_check_onsite_term_catches_non_hermitian():
    check_onsite_term(lambda orbitals: np.eye(2 * orbitals.n_orbitals))
    with pytest.raises(AssertionError, match="Hermitian"):
        check_onsite_term(lambda orbitals: np.triu(np.ones((18, 18))))
    with pytest.raises(AssertionError, match="shape"):
        check_onsite_term(lambda orbitals: np.eye(3))
