"""orbdiff: charge, spin and orbital diffusion tensors of metals.

Slater-Koster tight-binding models with spin-orbit coupling and constant disorder
broadening, evaluated with the Keldysh theory of Ning et al. (orbital diffusion,
polarization and swapping in centrosymmetric metals).

>>> import orbdiff
>>> model = orbdiff.load_model("bcc-p-toy", xi=0.05)
>>> result = orbdiff.compute("diffusivity", model, grid=8, energies=[0.5], gamma=0.1)
>>> result.save("toy.json")                      # later: orbdiff.load_result("toy.json")
"""

from .api import check_energies, compute, load_material, load_model, load_parameter_set
from .disorder import ConstantBroadening
from .errors import CapabilityError, InputError, OrbdiffError, PluginError
from .hamiltonian import ModelBuilder, ParameterSet, TightBindingModel
from .plugin import Registry, hookimpl, plugin_manager
from .results import load_result
from .structure import Crystal, KGrid

__all__ = [
    "CapabilityError",
    "ConstantBroadening",
    "Crystal",
    "InputError",
    "KGrid",
    "ModelBuilder",
    "OrbdiffError",
    "ParameterSet",
    "PluginError",
    "Registry",
    "TightBindingModel",
    "check_energies",
    "compute",
    "hookimpl",
    "load_material",
    "load_model",
    "load_parameter_set",
    "load_result",
    "plugin_manager",
]
