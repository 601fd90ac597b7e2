"""Contract checks for plugin authors: the tests the built-in plugins pass.

Call :func:`check_plugin` from your plugin's test suite::

    import my_plugin
    from orbdiff.testing import check_plugin

    def test_contract():
        check_plugin(my_plugin)

Each check raises ``AssertionError`` naming the record and what is wrong.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping

import numpy as np

from .basis.orbitals import OrbitalSet
from .disorder import ConstantBroadening
from .hamiltonian import Model, ModelBuilder, ParameterSet, TightBindingModel
from .hamiltonian.protocol import KNOWN_CAPABILITIES
from .observables.convergence import EstimatedResult, with_error_estimate
from .plugin.manager import plugin_manager
from .plugin.registry import Registry
from .structure import Crystal, KGrid, neighbour_shells

__all__ = [
    "check_model",
    "check_model_record",
    "check_observable_record",
    "check_onsite_term",
    "check_parameter_set",
    "check_plugin",
    "check_registered",
    "tiny_model",
]

def check_model(model: Model, label: str = "model") -> None:
    """Any model of the protocol: shapes, H(k) Hermitian, ħv = ∂H/∂k, σ and L algebra."""
    assert isinstance(model, Model), f"{label}: does not implement orbdiff.hamiltonian.Model"
    assert set(model.capabilities) <= KNOWN_CAPABILITIES, (
        f"{label}: unknown capabilities {sorted(set(model.capabilities) - KNOWN_CAPABILITIES)}")
    size = sum(orbitals.n_orbitals for orbitals in model.orbitals)
    assert model.n_states == 2 * size, f"{label}: n_states is not 2 × the orbitals per cell"
    rng = np.random.default_rng(0)
    k = rng.normal(size=(3, 3))
    h = model.hamiltonian(k)
    assert h.shape == (3, model.n_states, model.n_states), f"{label}: H(k) shape {h.shape}"
    assert np.allclose(h, np.conj(np.swapaxes(h, 1, 2)), atol=1e-10), f"{label}: H(k) not Hermitian"
    step = 1e-6
    velocity = model.velocity_operators(k[:1])[0]
    for i in range(3):
        dk = np.zeros(3)
        dk[i] = step
        numeric = (model.hamiltonian(k[:1] + dk)[0] - model.hamiltonian(k[:1] - dk)[0]) / (2 * step)
        assert np.allclose(velocity[i], numeric, atol=1e-6 * max(1.0, np.abs(numeric).max())), (
            f"{label}: velocity_operators is not the k-derivative of H along {'xyz'[i]}")
    for name, ops, factor in (("spin", model.spin_operators(), 2j),
                              ("orbital moment", model.orbital_moment_operators(), 1j)):
        lx, ly, lz = ops
        assert np.allclose(ops, np.conj(np.swapaxes(ops, 1, 2))), f"{label}: {name} not Hermitian"
        commutator = lx @ ly - ly @ lx
        assert np.allclose(commutator, factor * lz, atol=1e-10), (
            f"{label}: {name} operators violate [x, y] = {factor} z")


def check_model_record(record) -> None:
    """The factory builds a valid model from its default parameters."""
    defaults = {k: v for k, v in record.parameters.items() if v is not None}
    check_model(record.factory(**defaults), f"model {record.name!r}")


def check_parameter_set(parameter_set: ParameterSet, label: str = "parameter set") -> None:
    """Finite numbers, sensible lattice and electron count, and valid models from it."""
    assert isinstance(parameter_set, ParameterSet), f"{label}: not a ParameterSet"
    numbers = [parameter_set.lattice_constant, parameter_set.valence_electrons,
               *parameter_set.onsite.values(),
               *(v for shell in parameter_set.shells for value in shell.values()
                 for v in (value.values() if isinstance(value, Mapping) else [value]))]
    assert all(math.isfinite(x) for x in numbers), f"{label}: non-finite numbers"
    assert parameter_set.lattice_constant > 0, f"{label}: lattice constant must be > 0"
    assert 0 < parameter_set.valence_electrons < 18, f"{label}: valence must be in (0, 18)"
    check_model(parameter_set.build_model(soc_scale=0), f"{label} without SOC")
    if parameter_set.xi is not None:
        assert parameter_set.xi >= 0, f"{label}: xi must be ≥ 0"
        check_model(parameter_set.build_model(), f"{label} with SOC")


def check_onsite_term(term, orbitals: OrbitalSet | None = None, label: str = "term") -> None:
    """The term gives a Hermitian (2n, 2n) matrix for an atom with ``orbitals``."""
    orbitals = orbitals or OrbitalSet(("s", "p", "d"))
    matrix = np.asarray(term(orbitals))
    size = 2 * orbitals.n_orbitals
    assert matrix.shape == (size, size), f"{label}: shape {matrix.shape}, expected {(size, size)}"
    assert np.allclose(matrix, matrix.conj().T), f"{label}: not Hermitian"


def tiny_model() -> TightBindingModel:
    """A single s band on a simple cubic lattice (a = 3 Å, t = 0.5 eV): 2 × 2 H(k)."""
    crystal = Crystal(3.0 * np.eye(3), np.zeros((1, 3)), ("X",))
    builder = ModelBuilder(crystal, OrbitalSet(("s",)))
    builder.add_slater_koster(neighbour_shells(crystal, 1), [{"sss": -0.5}])
    return builder.finalized(name="tiny-s-band")


def _arrays(result) -> dict[str, np.ndarray]:
    if isinstance(result, EstimatedResult):
        return {name: np.asarray(getattr(result, name)) for name in result.error_fields}
    return {"result": np.asarray(result)}


def check_observable_record(record) -> None:
    """The observable declares what it needs and its units, and computes on a tiny model.

    On a 3³ grid of a single s band at two energies, the result must be finite and
    reproducible; a result following
    :class:`~orbdiff.observables.convergence.EstimatedResult` must get ``*_error``
    arrays of the same shapes from the two-grid estimate, and serialize with
    ``as_dict`` if it has one.
    """
    label = f"observable {record.name!r}"
    instance = record.factory()
    unknown = set(getattr(instance, "requires", ())) - KNOWN_CAPABILITIES
    assert not unknown, f"{label}: unknown capabilities {sorted(unknown)}"
    assert isinstance(getattr(instance, "units", None), str) and instance.units, (
        f"{label}: declare units")
    assert callable(getattr(instance, "compute", None)), f"{label}: no compute"
    model = tiny_model()
    if set(instance.requires) - set(model.capabilities):
        return  # needs more than a tight-binding model offers; nothing to compute here
    energies = np.array([-0.5, 0.5])

    def evaluate(size):
        return instance.compute(model, KGrid(model.crystal, size), energies,
                                ConstantBroadening(0.1))

    try:
        result = with_error_estimate(evaluate, 3)
    except Exception as exc:
        raise AssertionError(f"{label}: compute failed on a tiny model: {exc!r}") from exc
    again = evaluate((3, 3, 3))
    for name, values in _arrays(result).items():
        assert np.all(np.isfinite(values)), f"{label}: non-finite {name}"
        np.testing.assert_allclose(_arrays(again)[name], values, rtol=1e-12, atol=0,
                                   err_msg=f"{label}: {name} not reproducible")
        if isinstance(result, EstimatedResult):
            error = getattr(result, f"{name}_error", None)
            assert error is not None and np.shape(error) == values.shape, (
                f"{label}: {name}_error missing or of another shape than {name}")
    if callable(getattr(result, "as_dict", None)):
        json.dumps(result.as_dict(), allow_nan=True)


def check_registered(registry: Registry, plugin_name: str) -> list[str]:
    """Check every record that ``plugin_name`` registered in ``registry``."""
    checked = []
    for kind, names in registry.registered_by(plugin_name).items():
        for record_name in names:
            record = getattr(registry, kind)[record_name]
            if kind == "models":
                check_model_record(record)
            elif kind == "parameter_sets":
                check_parameter_set(record.factory(), f"parameter set {record_name!r}")
            elif kind == "observables":
                check_observable_record(record)
            elif kind == "onsite_terms":
                check_onsite_term(record.factory(**record.example), label=f"term {record_name!r}")
            elif kind == "self_energies":
                record.factory(**record.example)  # must build from its example parameters
            checked.append(f"{kind}:{record_name}")
    return checked


def check_plugin(plugin: object) -> list[str]:
    """Register ``plugin`` next to the built-ins (strict) and check all it registers.

    Returns the records that were checked, as ``"kind:name"``.
    """
    pm = plugin_manager(autoload=False, strict=True, extra=[plugin])
    return check_registered(Registry(pm), pm.get_name(plugin))
