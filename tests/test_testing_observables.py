"""orbdiff.testing.check_observable_record computes on a tiny model (issue 10)."""

import numpy as np
import pytest

from orbdiff.plugin import ObservableRecord
from orbdiff.testing import check_observable_record, tiny_model


def test_builtin_observables_compute_on_the_tiny_model(registry):
    for name in ("diffusivity", "conductivity", "dos"):
        check_observable_record(registry.observables[name])


def _record(compute, requires=("hamiltonian",)):
    class Observable:
        units = "states/eV/cell"

        def __init__(self):
            self.requires = requires

        def compute(self, model, grid, energies, self_energy, **options):
            return compute(model, grid, energies)

    return ObservableRecord("broken", Observable, "a test observable", units="states/eV/cell")


def test_a_plain_array_result_is_accepted():
    check_observable_record(_record(lambda m, g, e: np.ones(len(e))))


@pytest.mark.parametrize(("compute", "message"), [
    (lambda m, g, e: np.full(len(e), np.nan), "non-finite"),
    (lambda m, g, e: 1 / 0, "compute failed"),
    (lambda m, g, e: np.random.default_rng().normal(size=len(e)), "not reproducible"),
])
def test_a_broken_observable_is_caught(compute, message):
    with pytest.raises(AssertionError, match=message):
        check_observable_record(_record(compute))


def test_the_tiny_model_is_a_single_s_band():
    model = tiny_model()
    assert model.n_states == 2
    energies = np.linalg.eigvalsh(model.hamiltonian(np.zeros((1, 3))))[0]
    np.testing.assert_allclose(energies, [-3.0, -3.0])  # ε(Γ) = −6t, t = 0.5 eV
