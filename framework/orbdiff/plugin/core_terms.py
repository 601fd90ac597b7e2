"""The core's own registrations: the ``soc`` on-site term and the ``constant`` self-energy."""

from __future__ import annotations

from ..disorder import ConstantBroadening
from ..hamiltonian import SpinOrbitCoupling
from .manager import hookimpl
from .records import OnsiteTermRecord, SelfEnergyRecord


@hookimpl
def orbdiff_register_onsite_terms():
    return [OnsiteTermRecord("soc", SpinOrbitCoupling, "atomic spin-orbit coupling ξ σ·L (eV)",
                             example={"xi": 0.1})]


@hookimpl
def orbdiff_register_self_energies():
    return [SelfEnergyRecord("constant", ConstantBroadening, "constant broadening Σ^R = −iΓ (eV)",
                             example={"gamma": 0.1})]
