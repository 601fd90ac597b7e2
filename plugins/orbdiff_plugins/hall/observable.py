"""The ``hall`` observable: spin, orbital and anomalous Hall conductivities on a k-grid."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

import numpy as np

from orbdiff.disorder import ConstantBroadening
from orbdiff.errors import CapabilityError, invalid
from orbdiff.hamiltonian import TightBindingModel
from orbdiff.observables import BandData, integrate, sampling
from orbdiff.structure import KGrid
from orbdiff.units import ELEMENTARY_CHARGE, HBAR

from .kernels import bastin_traces, intrinsic_traces
from .result import HallResult
from .symmetry import symmetrize_axial_tensor, symmetrize_polar_tensor

__all__ = ["FORMULAS", "UNITS", "HallConductivity", "hall_operators"]

#: e²/ħ in S, per Å of (trace in Å²)/(cell volume in Å³), in each accepted unit.
UNITS = {"S/cm": ELEMENTARY_CHARGE**2 / HBAR * 1e8,
         "S/m": ELEMENTARY_CHARGE**2 / HBAR * 1e10}

FORMULAS = {"bastin": bastin_traces, "intrinsic": intrinsic_traces}

#: k-points per block: the pair products are (C·9) × N² complex numbers per k-point.
CHUNK_SIZE = 64


def hall_operators(model: TightBindingModel) -> np.ndarray:
    """(6, 2n, 2n): σx/2, σy/2, σz/2 (spin in units of ħ) and Lx, Ly, Lz (units of ħ)."""
    return np.concatenate([0.5 * model.spin_operators(), model.orbital_moment_operators()])


def _gamma(self_energy: Any) -> float:
    if not isinstance(self_energy, ConstantBroadening):
        raise CapabilityError(f"the hall observable needs a constant broadening, "
                              f"got {self_energy!r}")
    return self_energy.gamma


def _code_version() -> str:
    try:
        return version("orbdiff")
    except PackageNotFoundError:
        return "unknown"


class HallConductivity:
    """Spin, orbital and anomalous Hall conductivity tensors (docs/theory.md, Hall section)."""

    name = "hall"
    requires = ("velocities", "spin", "orbital_moment")
    units = "(hbar/e) S/cm"

    def compute(
        self,
        model: TightBindingModel,
        grid: KGrid,
        energies: np.ndarray,
        self_energy: Any,
        formula: str = "bastin",
        units: str = "S/cm",
        chunk_size: int | None = None,
        progress: bool | None = None,
        symmetry: bool = True,
    ) -> HallResult:
        """σ^{s_γ}_{ij}, σ^{l_γ}_{ij} and σ^A_{ij} at ``energies``.

        Parameters
        ----------
        model : TightBindingModel
        grid : KGrid
        energies : (n_E,) ndarray of float
            Fermi energies E in eV (T = 0), on the model's scale.
        self_energy : ConstantBroadening
            Constant broadening Γ in eV.
        formula : {"bastin", "intrinsic"}
            Full Kubo–Bastin (Fermi sea + surface) or the broadened intrinsic formula.
        units : {"S/cm", "S/m"}
            Conductivity unit (spin and orbital ones in ħ/e of it).
        chunk_size : int, optional
            k-points per block.
        progress : bool, optional
            Progress bar (default: only on a terminal).
        symmetry : bool
            Irreducible wedge + symmetrization (default) or the full grid.
        """
        if formula not in FORMULAS:
            raise invalid("formula", formula, "bastin or intrinsic")
        if units not in UNITS:
            raise invalid("units", units, "S/cm or S/m")
        gamma = _gamma(self_energy)
        energies = np.asarray(energies, float)
        traces = FORMULAS[formula]
        ksampling = sampling(model, grid, symmetry)

        def accumulate(bands: BandData) -> dict[str, np.ndarray]:
            return {"hall": traces(bands, energies, gamma)}

        sums = integrate(model, ksampling, hall_operators(model), accumulate,
                         chunk_size or CHUNK_SIZE, progress)["hall"]
        # (e²/ħ)(1/V_cell) × Brillouin-zone average; the spin and orbital currents carry
        # one electron charge −e (from the field), the charge current two (docs/theory.md)
        sigma = UNITS[units] / model.crystal.volume * sums
        group = ksampling.group
        charge = symmetrize_polar_tensor(sigma[:, 6], group)
        sigma = -sigma
        inputs = {"model": model.name, "parameters": _parameters(model), "gamma": gamma,
                  "grid": list(grid.size), "formula": formula, "units": units,
                  "symmetry": symmetry, "orbdiff_version": _code_version()}
        return HallResult(
            energies,
            spin_hall=symmetrize_axial_tensor(sigma[:, 0:3], group),
            orbital_hall=symmetrize_axial_tensor(sigma[:, 3:6], group),
            anomalous_hall=0.5 * (charge - np.swapaxes(charge, 1, 2)),
            inputs=inputs,
        )


def _parameters(model: TightBindingModel) -> dict[str, Any]:
    return {k: v for k, v in model.parameters.items()
            if v is None or isinstance(v, str | int | float | bool | list | dict)}
