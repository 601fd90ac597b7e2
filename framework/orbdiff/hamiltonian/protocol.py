"""The model protocol: everything the k-space engine asks of a model, and nothing else.

:class:`~orbdiff.hamiltonian.TightBindingModel` (Slater-Koster models from the builder,
Wannier90 models) is one implementation; any object with these members is another,
as Kwant's solvers accept any low-level system. :func:`check_model_protocol` turns a
mistake at this seam (a builder that was not finalized, a half-written user model)
into a hint instead of an ``AttributeError`` deep inside the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

import numpy as np

from ..basis.orbitals import OrbitalSet
from ..errors import InputError
from ..structure.crystal import Crystal
from ..structure.symmetry import PointGroup

__all__ = ["KNOWN_CAPABILITIES", "Model", "RepresentedModel", "check_model_protocol"]

#: Capabilities a model may declare; observables list the ones they need.
KNOWN_CAPABILITIES = frozenset({"hamiltonian", "velocities", "spin", "orbital_moment"})


@runtime_checkable
class Model(Protocol):
    """What a model provides to the engine (basis index ``2 * orbital + spin``).

    Attributes
    ----------
    name : str
    parameters : mapping of str to object
        The inputs the model was built from (provenance).
    capabilities : frozenset of str
        Subset of :data:`KNOWN_CAPABILITIES` this model can provide.
    crystal : Crystal
        Lattice (Å) and atoms; the orbitals of atom a are centred at its position.
    orbitals : tuple of OrbitalSet
        Orbitals of each atom, in the order of ``crystal.symbols``.
    n_states : int
        Dimension N of H(k): 2 × number of orbitals.
    """

    name: str
    parameters: Mapping[str, Any]
    capabilities: frozenset[str]
    crystal: Crystal
    orbitals: tuple[OrbitalSet, ...]

    @property
    def n_states(self) -> int:
        """Dimension N of H(k)."""

    def hamiltonian(self, k: np.ndarray) -> np.ndarray:
        """(n_k, N, N) H(k) in eV for Cartesian ``k`` (n_k, 3) in Å⁻¹."""

    def velocity_operators(self, k: np.ndarray) -> np.ndarray:
        """(n_k, 3, N, N) ħ v_i(k) = ∂H/∂k_i in eV·Å."""

    def spin_operators(self) -> np.ndarray:
        """(3, N, N) Pauli matrices σ (dimensionless)."""

    def orbital_moment_operators(self) -> np.ndarray:
        """(3, N, N) atomic orbital angular momentum L (units of ħ)."""

    def point_group(self) -> PointGroup:
        """Point-group operations (Cartesian) that leave the model invariant."""


@runtime_checkable
class RepresentedModel(Model, Protocol):
    """A model that also gives the matrix of a symmetry operation on its basis.

    The operator-verified symmetry check uses :meth:`symmetry_representation` when a
    model has it (optional for user models; :class:`TightBindingModel` has it).
    """

    def symmetry_representation(
        self, rotation: np.ndarray, translation: np.ndarray | None = None
    ) -> np.ndarray | None:
        """(N, N) unitary D(g) of ``r ↦ R r + t`` (R Cartesian, t in Å), or None.

        g is a symmetry of the model when ``D H(k) D† = H(R k)`` for all k.
        """


_MEMBERS = ("name", "parameters", "capabilities", "crystal", "orbitals", "n_states",
            "hamiltonian", "velocity_operators", "spin_operators", "orbital_moment_operators",
            "point_group")


def check_model_protocol(model: object, field: str = "model") -> None:
    """Raise :class:`~orbdiff.errors.InputError` with a hint unless ``model`` is a model.

    Parameters
    ----------
    model : object
        What was passed where a model is expected.
    field : str
        Name of the argument, for the message.
    """
    if isinstance(model, Model):
        return
    kind = type(model).__name__
    if callable(getattr(model, "finalized", None)):
        raise InputError(f"{field}: got a {kind}; expected a finalized model "
                         "(call builder.finalized())")
    missing = [name for name in _MEMBERS if not hasattr(model, name)]
    raise InputError(f"{field}: got {kind}; expected a model implementing "
                     f"orbdiff.hamiltonian.Model (missing: {', '.join(missing)})")
