"""Shared fixtures: a registry without third-party plugins and cached toy-model results."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import numpy as np
import pytest

import orbdiff
from orbdiff.plugin import Registry, plugin_manager


@pytest.fixture(scope="session")
def registry() -> Registry:
    """Built-in plugins only, strict: what the builtins themselves provide."""
    return Registry(plugin_manager(autoload=False, strict=True))


@functools.cache
def toy_result(xi: float, grid: int, energies: tuple[float, ...], gamma: float = 0.1):
    """Diffusivities of the toy model, computed once per argument set."""
    reg = Registry(plugin_manager(autoload=False, strict=True))
    model = orbdiff.load_model("bcc-p-toy", registry=reg, xi=xi)
    return orbdiff.compute(
        "diffusivity", model, grid=grid, energies=np.array(energies), gamma=gamma, registry=reg
    )


# benchmarks/reference.py holds the direct reference implementation
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
