"""Plugin machinery: hook specifications, records, plugin manager and registry."""

from .manager import BUILTIN_PLUGINS, PluginManager, PluginWarning, hookimpl, plugin_manager
from .records import (
    ModelRecord,
    ObservableRecord,
    OnsiteTermRecord,
    ParameterSetRecord,
    SelfEnergyRecord,
)
from .registry import Registry

__all__ = [
    "BUILTIN_PLUGINS",
    "ModelRecord",
    "ObservableRecord",
    "OnsiteTermRecord",
    "ParameterSetRecord",
    "PluginManager",
    "PluginWarning",
    "Registry",
    "SelfEnergyRecord",
    "hookimpl",
    "plugin_manager",
]
