"""orbdiff's constants against scipy.constants (CODATA), an independent source."""

import math

from scipy import constants

from orbdiff import units


def test_constants_equal_scipy_codata():
    assert units.ELEMENTARY_CHARGE == constants.e
    assert math.isclose(units.HBAR, constants.hbar, rel_tol=1e-15)
    rydberg = constants.physical_constants["Rydberg constant times hc in eV"]
    assert math.isclose(units.RYDBERG, rydberg[0], rel_tol=0, abs_tol=rydberg[2])
    assert math.isclose(units.CONDUCTIVITY_UNIT,
                        constants.e**2 / (constants.pi * constants.hbar) * 1e10, rel_tol=1e-15)
