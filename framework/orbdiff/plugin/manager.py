"""Build the pluggy plugin manager of orbdiff.

No manager exists at import time: :func:`plugin_manager` builds one on request.
Plugins come from three places, in this order:

1. the built-in modules named in :data:`BUILTIN_PLUGINS` (like pytest's default plugins);
2. the ``orbdiff`` entry-point group of installed distributions (third-party plugins);
3. the comma-separated module names in the ``ORBDIFF_PLUGINS`` environment variable.

``ORBDIFF_DISABLE_PLUGIN_AUTOLOAD=1`` switches off the entry points, and
``ORBDIFF_DISABLE_PLUGINS=name1,name2`` (or ``disable=``) blocks single plugins.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import os
import warnings
from collections.abc import Iterable

import pluggy

from ..errors import PluginError
from . import hookspecs

__all__ = ["BUILTIN_PLUGINS", "PluginManager", "PluginWarning", "hookimpl", "plugin_manager"]

hookimpl = pluggy.HookimplMarker("orbdiff")

#: Built-in plugins, registered under the name after the colon.
BUILTIN_PLUGINS: tuple[str, ...] = (
    "orbdiff.plugin.core_terms:core",
    "orbdiff_plugins.toy.plugin:toy",
    "orbdiff_plugins.diffusion.plugin:diffusion",
    "orbdiff_plugins.papaconstantopoulos.plugin:papaconstantopoulos",
    "orbdiff_plugins.ferromagnet.plugin:ferromagnet",
    "orbdiff_plugins.hall.plugin:hall",
    "orbdiff_plugins.wannier90.plugin:wannier90",
)

ENTRY_POINT_GROUP = "orbdiff"


class PluginWarning(UserWarning):
    """A third-party plugin could not be loaded; orbdiff goes on without it."""


class PluginManager(pluggy.PluginManager):
    """pluggy's manager that also remembers where each plugin came from."""

    def __init__(self) -> None:
        super().__init__("orbdiff")
        self.versions: dict[str, str] = {}

    def parse_hookimpl_opts(self, plugin: object, name: str):
        """Treat every ``orbdiff_*`` function as a hook, marked or not.

        A misspelled hook name then fails :meth:`check_pending` loudly instead of
        being silently ignored.
        """
        opts = super().parse_hookimpl_opts(plugin, name)
        if opts is None and name.startswith("orbdiff_"):
            if inspect.isroutine(getattr(plugin, name, None)):
                opts = {
                    "wrapper": False,
                    "hookwrapper": False,
                    "optionalhook": False,
                    "tryfirst": False,
                    "trylast": False,
                    "specname": None,
                }
        return opts

    def register_versioned(self, plugin: object, name: str, version: str) -> None:
        """Register ``plugin`` under ``name`` and record its version."""
        self.register(plugin, name=name)
        self.versions[name] = version


def plugin_manager(
    *,
    autoload: bool | None = None,
    disable: Iterable[str] = (),
    extra: Iterable[object] = (),
    strict: bool = False,
) -> PluginManager:
    """Create a plugin manager with the built-in and discovered plugins registered.

    Parameters
    ----------
    autoload : bool, optional
        Load plugins from the ``orbdiff`` entry-point group. Default: on unless
        ``ORBDIFF_DISABLE_PLUGIN_AUTOLOAD`` is set.
    disable : iterable of str
        Plugin names to block (in addition to ``ORBDIFF_DISABLE_PLUGINS``).
    extra : iterable of objects
        Plugin objects or modules to register as well (tests use this).
    strict : bool
        Turn a broken third-party plugin into an error instead of a warning.

    Returns
    -------
    PluginManager
        With every hook checked against the specifications.
    """
    pm = PluginManager()
    pm.add_hookspecs(hookspecs)
    for name in [*disable, *_env_list("ORBDIFF_DISABLE_PLUGINS")]:
        pm.set_blocked(name)
    for spec in BUILTIN_PLUGINS:
        module_name, _, name = spec.partition(":")
        if not pm.is_blocked(name):
            pm.register_versioned(importlib.import_module(module_name), name, _orbdiff_version())
    if autoload is None:
        autoload = not os.environ.get("ORBDIFF_DISABLE_PLUGIN_AUTOLOAD")
    if autoload:
        _load_entry_points(pm, strict)
    for module_name in _env_list("ORBDIFF_PLUGINS"):
        _register_guarded(pm, module_name, lambda m=module_name: importlib.import_module(m), strict)
    for plugin in extra:
        _register_extra(pm, plugin)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"plugin {pm.get_name(exc.plugin)!r}: {exc}") from exc
    return pm


def _register_extra(pm: PluginManager, plugin: object) -> None:
    """Register a plugin object given in Python; a malformed one is a PluginError."""
    try:
        name = pm.register(plugin)
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"plugin {pm.get_canonical_name(plugin)!r}: {exc}") from exc
    except ValueError as exc:  # a name or object registered twice
        raise PluginError(str(exc)) from exc
    if name is not None:  # None: the plugin's name is blocked
        pm.versions[name] = str(getattr(plugin, "__version__", "unknown"))


def _orbdiff_version() -> str:
    try:
        return importlib.metadata.version("orbdiff")
    except importlib.metadata.PackageNotFoundError:  # running from a source tree
        return "unknown"


def _env_list(variable: str) -> list[str]:
    return [item.strip() for item in os.environ.get(variable, "").split(",") if item.strip()]


def _load_entry_points(pm: PluginManager, strict: bool) -> None:
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if pm.is_blocked(entry_point.name) or pm.has_plugin(entry_point.name):
            continue
        version = entry_point.dist.version if entry_point.dist else "unknown"
        _register_guarded(pm, entry_point.name, entry_point.load, strict, version)


def _register_guarded(
    pm: PluginManager, name: str, load, strict: bool, version: str | None = None
) -> None:
    """Load and register one external plugin; a failure is a warning naming it."""
    if pm.is_blocked(name):
        return
    try:
        plugin = load()
        pm.register_versioned(
            plugin, name, version or str(getattr(plugin, "__version__", "unknown"))
        )
    except Exception as exc:
        message = f"plugin {name!r} could not be loaded: {type(exc).__name__}: {exc}"
        if strict:
            raise PluginError(message) from exc
        warnings.warn(message, PluginWarning, stacklevel=3)
