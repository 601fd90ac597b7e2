"""Green's-function traces at a few energies in the orbital basis, without eigenvectors.

For few energies the band basis costs more than it saves: diagonalizing H(k) and
rotating ħv, σ and L into the eigenbasis is about half the work of a one-energy run,
and the current operators ``½{ħv_j, O_c}``, Kronecker products in the orbital basis
(for spinless hoppings ``½{v ⊗ 1, 1 ⊗ σ_c} = v ⊗ σ_c`` and ``½{v ⊗ 1, L_c ⊗ 1} =
½{v, L_c} ⊗ 1``, orbital ⊗ spin), become dense N × N products there. Here, per
k-point and energy,

    G^R = (E + iΓ − H)⁻¹,   G^A = (G^R)†,   C_i = G^R ħv_i G^R = (G^A ħv_i G^A)†,

and every trace of the engine follows from products:

- ``Im Tr[J_cj G^R S_s G^A ħv_i G^A] = −Im Tr[J_cj Y†_si]`` with ``Y†_si = C_i S_s G^A``
  (``Im Tr[J Y†] = −Im Tr[J Y]`` for Hermitian J), paired with ``i J_cj`` as one real
  product per k-point;
- the charge traces are the same with unit source and ``J_0j = ħv_j``;
- ``Tr[ħv_j A ħv_i A]`` with ``A = (G^A − G^R)/2i``, and the DOS ``Tr A / π``.

σ_c and operators ``A ⊗ 1`` (L, shell projectors) act through their structure, any
other operator, and spinful hoppings, as dense products. Per k-point and energy this is
one inversion and about ``3 (n_ops + 3)`` products of N × N matrices, against a
diagonalization, the rotations and ``6 n_ops`` products in the band basis;
benchmarks/run.py, case K-basis, measures where it wins
(:func:`orbdiff.observables.kernels.orbital_energies`).

The loop over k-points is compiled (:mod:`orbdiff.observables.orbital_compiled`): it
keeps each k-point's matrices in the core's cache and releases the GIL, so the engine's
threads share the blocks. Loading numba costs about 0.45 s per process (and about 0.2 s
at its exit), so :func:`orbital_basis_pays` takes this basis only for runs large enough
to pay for loading it (:data:`COMPILED_WORK`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..hamiltonian.model import TightBindingModel
from .bands import operator_structure

__all__ = [
    "COMPILED_WORK",
    "OperatorStructure",
    "OrbitalData",
    "orbital_basis_pays",
    "orbital_traces",
    "spin_major_order",
]


def spin_major_order(n: int) -> np.ndarray:
    """Permutation from the engine's ``2 · orbital + spin`` order to ``spin · n/2 + orbital``."""
    return np.concatenate([np.arange(0, n, 2), np.arange(1, n, 2)])


@dataclass(frozen=True, eq=False)
class OrbitalData:
    """H(k) and ħv(k) of a block of k-points in the orbital basis (the engine's order).

    Attributes
    ----------
    hamiltonian : (n_k, N, N) ndarray of complex
        H(k) in eV.
    velocities : (n_k, 3, M, M) ndarray of complex
        ħ v_i in eV·Å: the orbital ``v`` with ``ħv = v ⊗ 1₂`` (M = N/2) when the
        hoppings are spinless, else the full (N × N) operators.
    spinless : bool
        Whether ``velocities`` is the orbital factor ``v``.
    weights : (n_k,) ndarray of float
        Weight of each k-point (its star size).
    """

    hamiltonian: np.ndarray
    velocities: np.ndarray
    spinless: bool
    weights: np.ndarray

    @classmethod
    def from_model(cls, model: TightBindingModel, k: np.ndarray,
                   weights: np.ndarray | None = None) -> OrbitalData:
        """H(k) and ħv(k) at ``k`` (n_k, 3) in Å⁻¹; no diagonalization."""
        spinless = not getattr(model, "spinful_hoppings", True)
        velocities = (model.hopping_velocity_operators(k) if spinless
                      else model.velocity_operators(k))
        weights = np.ones(len(k)) if weights is None else np.asarray(weights, dtype=float)
        return cls(model.hamiltonian(k), velocities, spinless, weights)

    @property
    def n_states(self) -> int:
        """Dimension N of H(k)."""
        return self.hamiltonian.shape[-1]


@dataclass(frozen=True, eq=False)
class OperatorStructure:
    """Source and current operators, each recognized as ``1 ⊗ σ_c``, ``A ⊗ 1`` or dense.

    Attributes
    ----------
    matrices : (n_ops, N, N) ndarray of complex
        The operators, engine order (``2 · orbital + spin``).
    pauli : tuple of (int or None)
        c for the operators ``1 ⊗ σ_c``.
    orbital : tuple of (ndarray or None)
        The (N/2, N/2) factor A of the operators ``A ⊗ 1₂``.
    """

    matrices: np.ndarray
    pauli: tuple
    orbital: tuple

    def __len__(self) -> int:
        return len(self.matrices)

    @classmethod
    def of(cls, operators: np.ndarray) -> OperatorStructure:
        """The structure of ``operators`` (n_ops, N, N), remembered per operator set.

        The kinds are :func:`orbdiff.observables.bands.operator_structure`'s, which the
        band basis uses for its rotations.
        """
        operators = np.ascontiguousarray(operators, dtype=complex)
        return _structure(operators.shape, operators.tobytes())


@lru_cache(maxsize=16)
def _structure(shape: tuple[int, ...], data: bytes) -> OperatorStructure:
    matrices = np.frombuffer(data, dtype=complex).reshape(shape)
    kinds = operator_structure(matrices)
    pauli = tuple(index if kind == "pauli" else None for kind, index in kinds)
    orbital = tuple(np.ascontiguousarray(o[0::2, 0::2]) if kind == "orbital" else None
                    for (kind, _), o in zip(kinds, matrices, strict=True))
    return OperatorStructure(matrices, pauli, orbital)


#: Point-energies (``points`` as the engine counts them, ``N_k / |G|``, about the wedge's
#: size, times the energies) from which the orbital basis is taken. At one energy this is
#: about the break-even of a fresh process: numba costs ≈ 0.45 s to load and ≈ 0.2 s at
#: exit, and on two threads the orbital basis saves ≈ 55–60 µs of wall time per wedge
#: point (Ta 50³: 0.14 s against 0.32 s, 3107 points), 0.65 s / 55 µs ≈ 1.2 × 10⁴. It is
#: set a little lower, so that a 100³ run and its 80³ error grid (20 833 and 10 667) take
#: the same basis. At 2–4 energies the saving per point-energy is smaller (case K-basis:
#: about 36, 23 and 9 µs), so a fresh process just above the threshold can lose up to
#: ≈ 0.3 s there; a process that runs more than once gains.
COMPILED_WORK = 10_000


def orbital_basis_pays(points: float, n_energies: int) -> bool:
    """Whether a run of ``points`` wedge points at ``n_energies`` energies takes this basis.

    Only the run decides (not what the process loaded before), so the same inputs give
    the same numbers in every process: at least :data:`COMPILED_WORK` point-energies;
    below, loading numba would cost more than the band basis. ``points`` is the engine's
    count ``N_k / |G|`` (2604 at Ta 50³, whose wedge has 3107 points).
    """
    return points * n_energies >= COMPILED_WORK


def orbital_traces(data: OrbitalData, energies: np.ndarray, gamma: float,
                   operators: np.ndarray) -> dict[str, np.ndarray]:
    """Weighted k-sums of every trace of the diffusivities, evaluated without eigenvectors.

    The same sums as :func:`~orbdiff.observables.kernels.charge_traces`,
    :func:`~orbdiff.observables.kernels.green_traces` (with ``operators`` as sources and
    currents), :func:`~orbdiff.observables.kernels.kubo_traces` and
    :func:`~orbdiff.observables.kernels.density_of_states`, by the compiled loop.

    Parameters
    ----------
    data : OrbitalData
    energies : (n_E,) ndarray of float
        Energies E in eV.
    gamma : float
        Broadening Γ in eV.
    operators : (n_ops, N, N) ndarray
        Hermitian source and current operators O in the engine's orbital basis
        (``2 · orbital + spin``), dimensionless.

    Returns
    -------
    dict
        ``charge`` (n_E, 3, 3) and ``tensor`` (n_E, n_ops, 3, n_ops, 3) in Å²/eV,
        ``kubo`` (n_E, 3, 3) in Å², ``dos`` (n_E,) in states per eV.
    """
    from .orbital_compiled import compiled_traces  # imports numba only when needed

    return compiled_traces(data, np.asarray(energies, dtype=float), float(gamma),
                           OperatorStructure.of(operators))
