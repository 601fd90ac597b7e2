"""Slater-Koster table, model builder, the immutable model, its protocol and on-site terms."""

from .builder import ModelBuilder
from .fingerprint import model_fingerprint
from .model import TightBindingModel
from .onsite import OnsiteTerm, SpinOrbitCoupling
from .parameter_set import ParameterSet
from .protocol import Model, RepresentedModel, check_model_protocol

__all__ = [
    "Model",
    "ModelBuilder",
    "OnsiteTerm",
    "ParameterSet",
    "RepresentedModel",
    "SpinOrbitCoupling",
    "TightBindingModel",
    "check_model_protocol",
    "model_fingerprint",
]
