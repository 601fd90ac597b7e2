"""Physical constants and unit conversions used by orbdiff.

Internal units: energies in eV, lengths in Å, wave vectors in Å⁻¹, velocities as
ħv = ∂H/∂k in eV·Å.
"""

from __future__ import annotations

from scipy import constants

#: e²/(πħ) in S, times 10¹⁰ Å/m: turns a Green's-function trace in Å⁻¹ into S/m.
CONDUCTIVITY_UNIT = constants.e**2 / (constants.pi * constants.hbar) * 1e10

#: 1 Rydberg in eV.
RYDBERG = constants.physical_constants["Rydberg constant times hc in eV"][0]
