"""Built-in plugin: spin, orbital and anomalous Hall conductivities (Kubo–Bastin, constant Γ)."""

from .observable import HallConductivity, hall_operators
from .result import HallResult

__all__ = ["HallConductivity", "HallResult", "hall_operators"]
