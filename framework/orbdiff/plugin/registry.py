"""Collect, validate and index the records that plugins register.

The registry calls each hook implementation directly, so that every record is
stamped with the plugin that returned it, and a record name registered twice is
rejected with both plugins named.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from ..errors import InputError, PluginError
from .manager import PluginManager, plugin_manager
from .records import (
    ModelRecord,
    ObservableRecord,
    OnsiteTermRecord,
    ParameterSetRecord,
    SelfEnergyRecord,
)

__all__ = ["Registry"]

#: hook name -> (registry attribute, record type)
_CATEGORIES: dict[str, tuple[str, type]] = {
    "orbdiff_register_parameter_sets": ("parameter_sets", ParameterSetRecord),
    "orbdiff_register_models": ("models", ModelRecord),
    "orbdiff_register_onsite_terms": ("onsite_terms", OnsiteTermRecord),
    "orbdiff_register_self_energies": ("self_energies", SelfEnergyRecord),
    "orbdiff_register_observables": ("observables", ObservableRecord),
}


@dataclass(frozen=True)
class Category:
    """Records of one kind, by name, sorted."""

    kind: str
    records: dict[str, Any]

    def __getitem__(self, name: str):
        try:
            return self.records[name]
        except KeyError:
            known = ", ".join(self.records) or "none registered"
            hint = _did_you_mean(name, list(self.records))
            raise InputError(f"unknown {self.kind} {name!r}{hint}; known: {known}") from None

    def __contains__(self, name: object) -> bool:
        return name in self.records

    def __iter__(self) -> Iterator[str]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def values(self):
        return self.records.values()


class Registry:
    """Everything the loaded plugins offer, validated and indexed by name.

    Parameters
    ----------
    pm : PluginManager, optional
        A plugin manager; by default one is built with :func:`plugin_manager`.

    Attributes
    ----------
    parameter_sets, models, onsite_terms, self_energies, observables : Category
        Records by name, each with ``record.plugin`` set to the plugin's name.
    versions : dict of str to str
        Version of every registered plugin.
    """

    def __init__(self, pm: PluginManager | None = None) -> None:
        self.pm = pm if pm is not None else plugin_manager()
        self.versions = dict(self.pm.versions)
        for hook_name, (attribute, record_type) in _CATEGORIES.items():
            records = _collect(self.pm, hook_name, record_type)
            setattr(self, attribute, Category(record_type.kind, records))

    def registered_by(self, plugin_name: str) -> dict[str, list[str]]:
        """Names of the records of each kind that one plugin registered."""
        result = {}
        for attribute, _ in _CATEGORIES.values():
            names = [
                n for n, r in getattr(self, attribute).records.items() if r.plugin == plugin_name
            ]
            if names:
                result[attribute] = names
        return result

    def plugin_names(self) -> list[str]:
        """Names of all registered plugins, sorted."""
        return sorted(name for name, plugin in self.pm.list_name_plugin() if plugin is not None)


def _did_you_mean(name: object, known: list[str]) -> str:
    """`` (did you mean 'Ta'?)`` for a name that differs in case or by a typo, else ``""``."""
    if not isinstance(name, str):
        return ""
    same_case = [k for k in known if k.lower() == name.lower()]
    close = same_case or difflib.get_close_matches(name, known, n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _collect(pm: PluginManager, hook_name: str, record_type: type) -> dict[str, Any]:
    hook = getattr(pm.hook, hook_name)
    seen: dict[str, Any] = {}
    for impl in hook.get_hookimpls():
        for record in _call_plugin(impl.plugin_name, hook_name, impl.function):
            if not isinstance(record, record_type):
                raise PluginError(
                    f"plugin {impl.plugin_name!r}: {hook_name} must return "
                    f"{record_type.__name__} records, got {type(record).__name__}"
                )
            if record.name in seen:
                first = seen[record.name].plugin
                raise PluginError(
                    f"{record_type.kind} {record.name!r} is registered by both plugin "
                    f"{first!r} and plugin {impl.plugin_name!r}; disable one of them"
                )
            seen[record.name] = replace(record, plugin=impl.plugin_name)
    return dict(sorted(seen.items()))


def _call_plugin(plugin_name: str, hook_name: str, function: Callable[[], Any]) -> list:
    try:
        records = function()
    except Exception as exc:
        raise PluginError(f"plugin {plugin_name!r} failed in {hook_name}: {exc}") from exc
    if records is None:
        return []
    try:
        return list(records)
    except TypeError:
        raise PluginError(
            f"plugin {plugin_name!r}: {hook_name} must return a list of records, "
            f"got {type(records).__name__}"
        ) from None
