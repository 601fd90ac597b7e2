"""Built-in plugin: ferromagnetic exchange J σ·m and magnetization-rotation sweeps."""

from .exchange import Exchange, magnetization, with_exchange
from .sweep import PrecessionResult, precession_sweep

__all__ = ["Exchange", "PrecessionResult", "magnetization", "precession_sweep", "with_exchange"]
