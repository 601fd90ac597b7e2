"""Green's-function traces at one or two energies in the orbital basis, without eigenvectors.

For few energies the band basis costs more than it saves: diagonalizing H(k) and
rotating ħv, σ and L into the eigenbasis is about half the work of a one-energy run,
and the current operators ``½{ħv_j, O_c}``, Kronecker products in the orbital basis
(for spinless hoppings ``½{1 ⊗ v, σ_c ⊗ 1} = σ_c ⊗ v`` and ``½{1 ⊗ v, 1 ⊗ L_c} =
1 ⊗ ½{v, L_c}``, spin ⊗ orbital), become dense N × N products there. Here, per
k-point and energy,

    G^R = (E + iΓ − H)⁻¹,   G^A = (G^R)†,   C_i = G^R ħv_i G^R = (G^A ħv_i G^A)†,

and every trace of the engine follows from products:

- ``Im Tr[J_cj G^R S_s G^A ħv_i G^A] = −Im Tr[J_cj Y†_si]`` with ``Y†_si = C_i S_s G^A``
  (``Im Tr[J Y†] = −Im Tr[J Y]`` for Hermitian J), paired with ``i J_cj`` as one real
  product per k-point;
- the charge traces are the same with unit source and ``J_0j = ħv_j``;
- ``Tr[ħv_j A ħv_i A]`` with ``A = (G^A − G^R)/2i``, and the DOS ``Tr A / π``.

The matrices are held spin-major (index ``spin · N/2 + orbital``, the engine's order
permuted), so that spin blocks are contiguous: ``σ_c ⊗ 1`` acts on G^A as a signed
permutation of its rows, ``1 ⊗ A`` (L, shell projectors) as A on both halves, and any
other operator, and spinful hoppings, as dense products. Per k-point and energy this is
one inversion and about ``3 (n_ops + 3)`` products of N × N matrices, against a
diagonalization, the rotations and ``6 n_ops`` products in the band basis;
benchmarks/run.py, case K, measures where it wins
(:func:`orbdiff.observables.kernels.orbital_energies`). The loop over k-points is
compiled (:mod:`orbdiff.observables.orbital_kernel`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..basis.spin import pauli_matrices
from ..hamiltonian.model import TightBindingModel

__all__ = ["OrbitalData", "orbital_traces", "spin_major_order"]


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


def _pauli_index(operator: np.ndarray) -> int | None:
    """c if ``operator`` is exactly ``1 ⊗ σ_c`` in the engine's order, else None."""
    n = operator.shape[-1]
    for c, sigma in enumerate(pauli_matrices()):
        if n % 2 == 0 and np.array_equal(operator, np.kron(np.eye(n // 2), sigma)):
            return c
    return None


def _orbital_factor(operator: np.ndarray) -> np.ndarray | None:
    """A if ``operator`` is ``A ⊗ 1₂`` in the engine's order, else None."""
    n = operator.shape[-1]
    if (n % 2 or operator[0::2, 1::2].any() or operator[1::2, 0::2].any()
            or not np.array_equal(operator[0::2, 0::2], operator[1::2, 1::2])):
        return None
    return np.ascontiguousarray(operator[0::2, 0::2])


class _Operators:
    """Source and current operators, each recognized as σ_c, ``1 ⊗ A`` or dense.

    Held as the arrays of :func:`~orbdiff.observables.orbital_kernel.orbital_block_traces`
    (spin-major).
    """

    def __init__(self, operators: np.ndarray) -> None:
        n = operators.shape[-1]
        order = spin_major_order(n)
        indices = [_pauli_index(o) for o in operators]
        factors = [None if p is not None else _orbital_factor(o)
                   for p, o in zip(indices, operators, strict=True)]
        self.pauli = np.array([-1 if p is None else p for p in indices], dtype=np.int64)
        self.is_orbital = np.array([f is not None for f in factors], dtype=bool)
        self.orbital = np.array([np.zeros((n // 2, n // 2)) if f is None else f
                                 for f in factors], dtype=complex).reshape(-1, n // 2, n // 2)
        self.dense = np.ascontiguousarray(operators[:, order][:, :, order])
        spin = np.arange(n) // (n // 2)  # spin-major: the first half is spin up
        self.spin = pauli_matrices().astype(complex)
        # (σ_c ⊗ 1) M = phases · M[rows]
        half = np.arange(n) % (n // 2)
        partner = (1 - spin) * (n // 2) + half
        self.rows = np.array([partner, partner, np.arange(n)], dtype=np.int64)
        self.phases = np.array([np.ones(n), np.where(spin == 0, -1j, 1j),
                                np.where(spin == 0, 1, -1)], dtype=complex)

    def __len__(self) -> int:
        return len(self.dense)


@lru_cache(maxsize=16)
def _recognized(shape: tuple[int, ...], data: bytes) -> _Operators:
    return _Operators(np.frombuffer(data, dtype=complex).reshape(shape))


def orbital_traces(data: OrbitalData, energies: np.ndarray, gamma: float,
                   operators: np.ndarray) -> dict[str, np.ndarray]:
    """Weighted k-sums of every trace of the diffusivities, evaluated without eigenvectors.

    The same sums as :func:`~orbdiff.observables.kernels.charge_traces`,
    :func:`~orbdiff.observables.kernels.green_traces` (with ``operators`` as sources and
    currents), :func:`~orbdiff.observables.kernels.kubo_traces` and
    :func:`~orbdiff.observables.kernels.density_of_states`, by the compiled loop of
    :mod:`orbdiff.observables.orbital_kernel`.

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
    from .orbital_kernel import orbital_block_traces  # imports numba only when needed

    operators = np.ascontiguousarray(operators, dtype=complex)
    recognized = _recognized(operators.shape, operators.tobytes())
    charge, tensor, kubo, dos = orbital_block_traces(
        np.ascontiguousarray(data.hamiltonian), np.ascontiguousarray(data.velocities),
        data.spinless, np.ascontiguousarray(data.weights, dtype=float),
        np.ascontiguousarray(energies, dtype=float), float(gamma), recognized.pauli,
        recognized.is_orbital, recognized.orbital, recognized.dense, recognized.rows,
        recognized.phases, recognized.spin, spin_major_order(data.n_states))
    n_ops = len(recognized)
    return {"charge": charge, "tensor": tensor.reshape(len(energies), n_ops, 3, n_ops, 3),
            "kubo": kubo, "dos": dos}
