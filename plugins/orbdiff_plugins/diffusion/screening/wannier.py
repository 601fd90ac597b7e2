"""Wannier90 models in screening campaigns: their files, identity and diffusivity.

The model is built through the registry (``load_model("wannier90", ...)``); this
package never imports the wannier90 plugin.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from orbdiff.api import compute, load_model
from orbdiff.errors import InputError
from orbdiff.observables import FermiLevel, fermi_level
from orbdiff.plugin import Registry

from ..materials import relative_to_fermi_level
from ..result import DiffusivityResult

__all__ = ["FILE_SUFFIXES", "WannierSource", "wannier_diffusivity", "wannier_files_version",
           "wannier_model"]

#: Files of a seedname that enter its version (those that exist).
FILE_SUFFIXES = (".win", "_hr.dat", "_tb.dat", "_centres.xyz")


@dataclass(frozen=True)
class WannierSource:
    """A Wannier90 model of a screening case.

    Attributes
    ----------
    seedname : str
        Absolute path without extension (``seedname.win`` + ``_hr.dat`` or ``_tb.dat``).
    spinor_ordering : str
        ``"interleaved"`` or ``"blocks"`` (spinor files only).
    fermi_energy : float or None
        E_F in eV the energies are measured from (0: absolute energies).
    electrons : float or None
        Electrons per cell, E_F found from the bands (exactly one of the two is set).
    xi : float or tuple of (str, float)
        On-site ξ σ·L in eV added to a spinless file: one value on every p and d
        shell, or ``(("d", 0.13),)`` per shell.
    """

    seedname: str
    spinor_ordering: str = "interleaved"
    fermi_energy: float | None = None
    electrons: float | None = None
    xi: float | tuple[tuple[str, float], ...] = 0.0

    def model_parameters(self) -> dict:
        """Parameters of the registry's ``wannier90`` model."""
        xi = dict(self.xi) if isinstance(self.xi, tuple) else self.xi
        return {"seedname": self.seedname, "spinor_ordering": self.spinor_ordering, "xi": xi}


def wannier_files_version(seedname: str | Path) -> str:
    """A short hash of the contents of the seedname's files (``.win``, ``_hr.dat`` ...).

    Raises
    ------
    InputError
        If ``seedname.win`` or both ``_hr.dat`` and ``_tb.dat`` are missing.
    """
    base = Path(seedname)
    files = {suffix: base.with_name(base.name + suffix) for suffix in FILE_SUFFIXES}
    if not files[".win"].is_file() or not (files["_hr.dat"].is_file()
                                           or files["_tb.dat"].is_file()):
        raise InputError(f"seedname: got {str(base)!r}; expected {base.name}.win and "
                         f"{base.name}_hr.dat or {base.name}_tb.dat there")
    digest = hashlib.sha256()
    for suffix, path in files.items():
        if path.is_file():
            digest.update(suffix.encode() + b"\0" + path.read_bytes() + b"\0")
    return "w90-" + digest.hexdigest()[:12]


def wannier_model(source: WannierSource, registry: Registry):
    """The model of ``source``, built by the registry's ``wannier90`` model."""
    return load_model("wannier90", registry=registry, **source.model_parameters())


def wannier_diffusivity(source: WannierSource, energies, *, grid: int, gamma: float,
                        registry: Registry, **options) -> DiffusivityResult:
    """Diffusivity tensors of a Wannier90 model at energies measured from its E_F.

    Parameters
    ----------
    source : WannierSource
    energies : array_like of float
        eV, relative to ``source.fermi_energy`` or to the E_F of ``source.electrons``.
    grid : int
        k-points per reciprocal axis.
    gamma : float
        Broadening Γ in eV.
    registry : Registry
    **options
        Passed to the observable (``progress``, ``converge``, ``max_grid`` ...).
    """
    model = wannier_model(source, registry)
    if source.electrons is not None:
        level = fermi_level(model, source.electrons)
    else:
        level = FermiLevel(float(source.fermi_energy or 0.0), 0.0, 0, ())
    result = compute("diffusivity", model, grid=grid, gamma=gamma, registry=registry,
                     energies=np.asarray(energies, dtype=float) + level.energy, **options)
    return relative_to_fermi_level(result, level)
