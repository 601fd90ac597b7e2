"""Regenerate the bundled example ``bcc_sp`` (run from anywhere: python make_example.py).

A bcc s-p model with nearest-neighbour two-centre hoppings (eV), written by orbdiff's
Wannier90 writer in Wannier90's conventions (orbital order, Wigner-Seitz degeneracies).
"""

from pathlib import Path

from orbdiff.basis import OrbitalSet
from orbdiff.hamiltonian import ModelBuilder
from orbdiff.structure import Crystal, neighbour_shells
from orbdiff_plugins.wannier90 import write_wannier90

crystal = Crystal.bcc(3.3, "X")
builder = ModelBuilder(crystal, OrbitalSet(("s", "p")))
builder.add_onsite_energies(0, [-1.0, 1.0, 1.0, 1.0])
builder.add_slater_koster(neighbour_shells(crystal, 1),
                          [{"sss": -0.4, "sps": 0.3, "pps": 0.5, "ppp": -0.1}])
write_wannier90(builder.finalized(), Path(__file__).with_name("bcc_sp"), spinors=False,
                mp_grid=(4, 4, 4))
