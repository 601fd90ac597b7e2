"""Slater-Koster table, model builder, the immutable model and on-site terms."""

from .builder import ModelBuilder
from .model import TightBindingModel
from .onsite import OnsiteTerm, SpinOrbitCoupling
from .parameter_set import ParameterSet

__all__ = ["ModelBuilder", "OnsiteTerm", "ParameterSet", "SpinOrbitCoupling", "TightBindingModel"]
