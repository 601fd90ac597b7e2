"""Atomic orbital shells and the orbital order used everywhere in orbdiff.

The real orbitals of a shell are listed in :data:`SHELL_ORBITALS`; that order,
shell after shell in the order given to :class:`OrbitalSet`, is the orbital index
of every matrix orbdiff builds (spin is added as the fastest index, see
:mod:`orbdiff.basis.spin`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import invalid

__all__ = ["ANGULAR_MOMENTUM", "SHELL_ORBITALS", "OrbitalSet"]

SHELL_ORBITALS: dict[str, tuple[str, ...]] = {
    "s": ("s",),
    "p": ("px", "py", "pz"),
    "d": ("dxy", "dyz", "dzx", "dx2-y2", "d3z2-r2"),
}
"""Real orbitals of each shell, in the project's basis order."""

ANGULAR_MOMENTUM: dict[str, int] = {"s": 0, "p": 1, "d": 2}
"""Orbital quantum number l of each shell."""

_ACCEPTED = ", ".join(SHELL_ORBITALS)


@dataclass(frozen=True)
class OrbitalSet:
    """The shells carried by one atom.

    Parameters
    ----------
    shells : sequence of str
        Shell names from ``"s"``, ``"p"``, ``"d"``, each at most once, e.g.
        ``("p",)`` or ``("s", "p", "d")``. Their order is the basis order.

    Raises
    ------
    ValueError
        If a shell name is unknown or repeated, or no shell is given.

    Examples
    --------
    >>> OrbitalSet(("s", "p")).names
    ('s', 'px', 'py', 'pz')
    """

    shells: tuple[str, ...]

    def __post_init__(self) -> None:
        shells = _check_shells(self.shells)
        object.__setattr__(self, "shells", shells)

    @property
    def names(self) -> tuple[str, ...]:
        """Orbital names in basis order, ``(n_orbitals,)``."""
        return tuple(name for shell in self.shells for name in SHELL_ORBITALS[shell])

    @property
    def n_orbitals(self) -> int:
        """Number of orbitals (without spin)."""
        return sum(len(SHELL_ORBITALS[shell]) for shell in self.shells)

    @property
    def shell_slices(self) -> dict[str, slice]:
        """Slice of the orbital index occupied by each shell."""
        slices, start = {}, 0
        for shell in self.shells:
            stop = start + len(SHELL_ORBITALS[shell])
            slices[shell] = slice(start, stop)
            start = stop
        return slices

    @property
    def l_values(self) -> tuple[int, ...]:
        """Orbital quantum number l of each orbital, ``(n_orbitals,)``."""
        return tuple(
            ANGULAR_MOMENTUM[shell] for shell in self.shells for _ in SHELL_ORBITALS[shell]
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready description, inverse of :meth:`from_dict`."""
        return {"shells": list(self.shells)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OrbitalSet:
        """Rebuild an :class:`OrbitalSet` from :meth:`as_dict` output."""
        return cls(tuple(data["shells"]))


def _check_shells(shells: Iterable[str]) -> tuple[str, ...]:
    if isinstance(shells, str):
        raise invalid("shells", shells, f"a sequence of shell names from {_ACCEPTED}")
    shells = tuple(shells)
    if not shells:
        raise invalid("shells", shells, f"at least one shell from {_ACCEPTED}")
    for shell in shells:
        if shell not in SHELL_ORBITALS:
            raise invalid("shells", shell, f"one of {_ACCEPTED}")
    repeated = sorted({shell for shell in shells if shells.count(shell) > 1})
    if repeated:
        raise invalid("shells", shells, f"each of {_ACCEPTED} at most once (repeated: {repeated})")
    return shells
