"""Read what orbdiff needs from a Wannier90 ``seedname.win``.

The cell (``unit_cell_cart``), the atoms (``atoms_cart`` or ``atoms_frac``), ``spinors``,
``num_wann``, ``mp_grid`` and the ``projections`` block, which gives every Wannier
function its atom, l and m_r. Keywords are case-insensitive, ``!`` and ``#`` start
comments, and lengths are in Å unless a block starts with ``bohr``.
"""

# ruff: noqa: E741 -- ``l`` is the orbital quantum number, as in the physics literature.
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from orbdiff.errors import InputError

__all__ = ["BOHR", "Projection", "WinFile", "read_win"]

#: Bohr radius in Å (CODATA 2018), for blocks given in ``bohr``.
BOHR = 0.529177210903

# Wannier90's real harmonics of each l, by m_r (user guide, Table 3.1-3.2)
ORBITAL_NAMES: dict[str, tuple[int, int]] = {
    "s": (0, 1), "pz": (1, 1), "px": (1, 2), "py": (1, 3),
    "dz2": (2, 1), "dxz": (2, 2), "dyz": (2, 3), "dx2-y2": (2, 4), "dxy": (2, 5),
}
SHELL_NAMES = {"s": 0, "p": 1, "d": 2}


@dataclass(frozen=True)
class Projection:
    """One Wannier function (spin aside): its atom, l and Wannier90's m_r."""

    atom: int
    l: int
    mr: int


@dataclass(frozen=True)
class WinFile:
    """The parts of ``seedname.win`` that define the model's basis (lengths in Å)."""

    path: Path
    cell: np.ndarray | None
    symbols: tuple[str, ...]
    positions: np.ndarray
    spinors: bool
    num_wann: int | None
    mp_grid: tuple[int, int, int] | None
    projections: tuple[Projection, ...]


class _Lines:
    """Non-empty lines with comments removed, each with its line number."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            text = path.read_text()
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror})") from None
        self.lines = [(number, re.split(r"[!#]", raw, maxsplit=1)[0].strip())
                      for number, raw in enumerate(text.splitlines(), start=1)]
        self.lines = [(n, line) for n, line in self.lines if line]

    def error(self, number: int, message: str) -> InputError:
        return InputError(f"{self.path}, line {number}: {message}")


def read_win(path: str | Path) -> WinFile:
    """Parse ``path`` (a ``.win`` file); :class:`InputError` names the file and line."""
    lines = _Lines(Path(path))
    keywords, blocks = _split(lines)
    cell = _cell(lines, blocks)
    symbols, positions = _atoms(lines, blocks, cell)
    if "projections" not in blocks:
        raise InputError(f"{lines.path}: no projections block (orbdiff needs each Wannier "
                         "function's atom and orbital, e.g. 'Ta: s;p;d')")
    projections = _projections(lines, blocks["projections"], symbols, positions, cell)
    return WinFile(lines.path, cell, symbols, positions,
                   _logical(lines, keywords.get("spinors")),
                   _integer(lines, keywords.get("num_wann")),
                   _grid(lines, keywords.get("mp_grid")), projections)


def _split(lines: _Lines):
    keywords: dict[str, tuple[int, str]] = {}
    blocks: dict[str, list[tuple[int, str]]] = {}
    current: tuple[str, int] | None = None
    for number, line in lines.lines:
        words = line.lower().split()
        if words[0] == "begin":
            if current or len(words) < 2:
                raise lines.error(number, f"unexpected {line!r}")
            current = (words[1], number)
            blocks[words[1]] = []
        elif words[0] == "end":
            if not current or len(words) < 2 or words[1] != current[0]:
                raise lines.error(number, f"{line!r} does not close a block")
            current = None
        elif current:
            blocks[current[0]].append((number, line))
        else:
            parts = re.split(r"\s*[=:]\s*|\s+", line, maxsplit=1)
            key, value = parts[0].lower(), (parts[1] if len(parts) > 1 else "")
            keywords[key] = (number, value.strip())
    if current:
        raise lines.error(current[1], f"block {current[0]!r} has no 'end {current[0]}'")
    return keywords, blocks


def _unit_scale(block: list[tuple[int, str]]) -> tuple[float, list[tuple[int, str]]]:
    if block and block[0][1].lower() in ("bohr", "ang", "angstrom"):
        return (BOHR if block[0][1].lower() == "bohr" else 1.0), block[1:]
    return 1.0, block


def _numbers(lines: _Lines, number: int, words: list[str], count: int) -> list[float]:
    try:
        values = [float(w.replace("d", "e").replace("D", "e")) for w in words]
    except ValueError:
        values = []
    if len(values) != count or not np.all(np.isfinite(values)):
        raise lines.error(number, f"expected {count} numbers, got {' '.join(words)!r}")
    return values


def _cell(lines: _Lines, blocks) -> np.ndarray | None:
    if "unit_cell_cart" not in blocks:
        return None
    scale, rows = _unit_scale(blocks["unit_cell_cart"])
    if len(rows) != 3:
        raise InputError(f"{lines.path}: unit_cell_cart needs three lattice vectors")
    return scale * np.array([_numbers(lines, n, line.split(), 3) for n, line in rows])


def _atoms(lines: _Lines, blocks, cell):
    if "atoms_cart" in blocks:
        scale, rows = _unit_scale(blocks["atoms_cart"])
    elif "atoms_frac" in blocks:
        if cell is None:
            raise InputError(f"{lines.path}: atoms_frac needs unit_cell_cart")
        scale, rows = 1.0, blocks["atoms_frac"]
    else:
        raise InputError(f"{lines.path}: no atoms_cart or atoms_frac block")
    if not rows:
        raise InputError(f"{lines.path}: the atoms block is empty")
    symbols = tuple(line.split()[0] for _, line in rows)
    positions = np.array([_numbers(lines, n, line.split()[1:], 3) for n, line in rows])
    if "atoms_frac" in blocks and "atoms_cart" not in blocks:
        return symbols, positions @ cell
    return symbols, scale * positions


def _logical(lines: _Lines, entry) -> bool:
    if entry is None:
        return False
    number, value = entry
    word = value.lower().strip(".")
    if word in ("true", "t"):
        return True
    if word in ("false", "f"):
        return False
    raise lines.error(number, f"spinors: got {value!r}; expected true or false")


def _integer(lines: _Lines, entry) -> int | None:
    if entry is None:
        return None
    number, value = entry
    if not value.isdigit():
        raise lines.error(number, f"expected a positive integer, got {value!r}")
    return int(value)


def _grid(lines: _Lines, entry) -> tuple[int, int, int] | None:
    if entry is None:
        return None
    number, value = entry
    words = value.replace(",", " ").split()
    if len(words) != 3 or not all(w.isdigit() for w in words):
        raise lines.error(number, f"mp_grid: got {value!r}; expected three positive integers")
    return tuple(int(w) for w in words)


def _projections(lines: _Lines, block, symbols, positions, cell) -> tuple[Projection, ...]:
    """Wannier90's order: line by line, each site, then l ascending, then m_r ascending."""
    scale, rows = _unit_scale(block)
    out: list[Projection] = []
    for number, line in rows:
        site, _, rest = line.partition(":")
        orbitals, _, options = rest.partition(":")
        if not orbitals.strip():
            raise lines.error(number, f"expected 'site: orbitals', got {line!r}")
        if re.search(r"\b[zx]\s*=|\(|\[", options + orbitals):
            raise lines.error(number, "local axes and spin-resolved projections are not "
                                      "supported (orbdiff needs the global x, y, z axes)")
        atoms = _sites(lines, number, site.strip(), symbols, positions, cell, scale)
        states = sorted(_states(lines, number, orbitals))
        out.extend(Projection(atom, l, mr) for atom in atoms for l, mr in states)
    return tuple(out)


def _sites(lines, number, site, symbols, positions, cell, scale) -> list[int]:
    if site[:2].lower() in ("f=", "c="):
        coordinates = _numbers(lines, number, site[2:].split(","), 3)
        point = np.array(coordinates) @ cell if site[0].lower() == "f" else scale * np.array(
            coordinates)
        if cell is None:
            raise lines.error(number, "a projection at a site needs unit_cell_cart")
        offsets = (point - positions) @ np.linalg.inv(cell)
        matches = np.flatnonzero(np.all(np.abs(offsets - np.round(offsets)) < 1e-4, axis=1))
        if len(matches) != 1:
            raise lines.error(number, f"site {site!r} is not at an atom")
        return [int(matches[0])]
    atoms = [index for index, symbol in enumerate(symbols) if symbol.lower() == site.lower()]
    if not atoms:
        raise lines.error(number, f"site {site!r} is not an atom label of the atoms block "
                                  f"({', '.join(dict.fromkeys(symbols))})")
    return atoms


def _tokens(orbitals: str) -> list[str]:
    """``d;px,py`` → d, px, py (commas separate names, not the values of ``l=, mr=``)."""
    tokens = []
    for part in (t.strip().lower() for t in orbitals.split(";")):
        tokens += [part] if part.startswith("l") else [t.strip() for t in part.split(",")]
    return tokens


def _states(lines: _Lines, number: int, orbitals: str) -> set[tuple[int, int]]:
    states: set[tuple[int, int]] = set()
    for token in _tokens(orbitals):
        if token in SHELL_NAMES:
            l = SHELL_NAMES[token]
            states |= {(l, mr) for mr in range(1, 2 * l + 2)}
        elif token in ORBITAL_NAMES:
            states.add(ORBITAL_NAMES[token])
        elif match := re.fullmatch(r"l\s*=\s*(-?\d+)(?:\s*,\s*mr\s*=\s*([\d,\s]+))?", token):
            l = int(match.group(1))
            if l not in (0, 1, 2):
                raise lines.error(number, f"l={l}: orbdiff takes s, p and d shells (l = 0, 1, "
                                          "2), not hybrids or f")
            mrs = [int(m) for m in match.group(2).replace(",", " ").split()] if match.group(
                2) else range(1, 2 * l + 2)
            if any(not 1 <= mr <= 2 * l + 1 for mr in mrs):
                raise lines.error(number, f"{token!r}: m_r must be 1 to {2 * l + 1}")
            states |= {(l, mr) for mr in mrs}
        else:
            raise lines.error(number, f"projection {token!r}: expected s, p, d, one of "
                                      f"{', '.join(ORBITAL_NAMES)} or l=0..2[,mr=...] (hybrids "
                                      "carry no definite L)")
    return states
