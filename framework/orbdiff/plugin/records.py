"""Frozen records that plugins return from their hooks.

Records describe what a plugin offers and carry lazy factories; the registry
(:mod:`orbdiff.plugin.registry`) validates them and stamps each with the name of
the plugin that registered it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = [
    "ModelRecord",
    "ObservableRecord",
    "OnsiteTermRecord",
    "ParameterSetRecord",
    "SelfEnergyRecord",
]


def _frozen_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(value or {}))


@dataclass(frozen=True)
class _Record:
    name: str
    factory: Callable[..., Any]
    summary: str = ""
    plugin: str = ""

    kind = "record"

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise TypeError(f"{self.kind} name must be a non-empty string, got {self.name!r}")
        if not callable(self.factory):
            raise TypeError(f"{self.kind} {self.name!r}: factory must be callable")


@dataclass(frozen=True)
class ModelRecord(_Record):
    """A named tight-binding model.

    Attributes
    ----------
    name : str
        Model name used on the command line, e.g. ``"bcc-p-toy"``.
    factory : callable
        ``factory(**parameters) -> TightBindingModel``.
    parameters : mapping of str to object
        Accepted keyword parameters and their defaults (units in ``summary``).
    """

    parameters: Mapping[str, Any] = field(default_factory=dict)
    kind = "model"

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "parameters", _frozen_mapping(self.parameters))


@dataclass(frozen=True)
class ParameterSetRecord(_Record):
    """A Slater-Koster parameter set of an element.

    ``factory()`` loads and validates the set and returns a
    :class:`orbdiff.hamiltonian.ParameterSet`; nothing is read before it is called.
    """

    element: str = ""
    structure: str = ""
    source: str = ""
    kind = "parameter set"


@dataclass(frozen=True)
class OnsiteTermRecord(_Record):
    """An on-site term added to H, e.g. ``soc`` or ``exchange``.

    ``example`` holds keyword parameters for which ``factory(**example)`` works; the
    contract checks of :mod:`orbdiff.testing` use it.
    """

    example: Mapping[str, Any] = field(default_factory=dict)
    kind = "on-site term"

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "example", _frozen_mapping(self.example))


@dataclass(frozen=True)
class SelfEnergyRecord(_Record):
    """A disorder self-energy, e.g. ``constant`` (Γ); ``example`` as for on-site terms."""

    example: Mapping[str, Any] = field(default_factory=dict)
    kind = "self-energy"

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "example", _frozen_mapping(self.example))


@dataclass(frozen=True)
class ObservableRecord(_Record):
    """An observable evaluated on a k-grid, with the units of its main result."""

    units: str = ""
    kind = "observable"
