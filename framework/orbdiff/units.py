"""Physical constants and unit conversions used by orbdiff.

Internal units: energies in eV, lengths in Å, wave vectors in Å⁻¹, velocities as
ħv = ∂H/∂k in eV·Å.
"""

from __future__ import annotations

import math

#: Elementary charge e in C (exact in the SI since 2019).
ELEMENTARY_CHARGE = 1.602176634e-19

#: Reduced Planck constant ħ = h/2π in J·s (h = 6.62607015e-34 J·s exactly).
HBAR = 6.62607015e-34 / (2 * math.pi)

#: e²/(πħ) in S, times 10¹⁰ Å/m: turns a Green's-function trace in Å⁻¹ into S/m.
CONDUCTIVITY_UNIT = ELEMENTARY_CHARGE**2 / (math.pi * HBAR) * 1e10

#: 1 Rydberg (R∞hc) in eV, CODATA 2022: 13.605 693 122 990(15) eV. These values are
#: scipy.constants' (tested); they are written out because importing scipy.constants
#: costs 0.1 s of every command's start-up.
RYDBERG = 13.60569312299
