"""Read Wannier90's real-space Hamiltonian, ``seedname_hr.dat`` or ``seedname_tb.dat``.

Both give ``H_mn(R) = ⟨m, 0|H|n, R⟩`` (eV) on the Wigner-Seitz set of lattice vectors R
with degeneracies d(R), so that ``H(k) = Σ_R e^{ik·R} H(R) / d(R)``. ``_tb.dat`` also
carries the lattice vectors (Å) and the position matrix elements, which orbdiff does not
need (orbitals sit at their atoms).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from orbdiff.errors import InputError

__all__ = ["RealSpaceHamiltonian", "read_hr", "read_tb"]


@dataclass(frozen=True)
class RealSpaceHamiltonian:
    """Hoppings per lattice vector, already divided by their degeneracies.

    Attributes
    ----------
    path : Path
    lattice_vectors : (n_R, 3) ndarray of int
        R in units of the lattice vectors.
    degeneracies : (n_R,) ndarray of int
    hoppings : (n_R, num_wann, num_wann) ndarray of complex
        ``H(R) / d(R)`` in eV, in Wannier90's order of Wannier functions.
    cell : (3, 3) ndarray or None
        Lattice vectors as rows in Å (``_tb.dat`` only).
    """

    path: Path
    lattice_vectors: np.ndarray
    degeneracies: np.ndarray
    hoppings: np.ndarray
    cell: np.ndarray | None = None

    @property
    def num_wann(self) -> int:
        return self.hoppings.shape[1]


class _Reader:
    """Whitespace-separated tokens with their line numbers, for messages."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.lines = path.read_text().splitlines()
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror})") from None
        self.position = 1  # the first line is a comment (date)

    def error(self, message: str, line: int | None = None) -> InputError:
        return InputError(f"{self.path}, line {line or self.position}: {message}")

    def line(self, skip_blank: bool = True) -> list[str]:
        while skip_blank and self.position < len(self.lines) and not self.lines[
                self.position].strip():
            self.position += 1
        if self.position >= len(self.lines):
            raise InputError(f"{self.path}: ends early, at line {len(self.lines)}")
        self.position += 1
        return self.lines[self.position - 1].split()

    def integers(self, count: int | None = None) -> list[int]:
        words = self.line()
        if not words or not all(w.lstrip("-").isdigit() for w in words) or (
                count is not None and len(words) != count):
            raise self.error(f"expected {count or 'some'} integers, got {' '.join(words)!r}",
                             self.position)
        return [int(w) for w in words]

    def numbers(self, count: int) -> list[float]:
        words = self.line()
        try:
            values = [float(w) for w in words]
        except ValueError:
            values = []
        if len(values) != count or not np.all(np.isfinite(values)):
            raise self.error(f"expected {count} numbers, got {' '.join(words)!r}",
                             self.position)
        return values

    def degeneracies(self, count: int) -> np.ndarray:
        values: list[int] = []
        while len(values) < count:
            values.extend(self.integers())
        if len(values) != count or min(values) < 1:
            raise self.error(f"expected {count} Wigner-Seitz degeneracies ≥ 1", self.position)
        return np.array(values)


def read_hr(path: str | Path) -> RealSpaceHamiltonian:
    """Parse ``seedname_hr.dat``: lines ``R1 R2 R3 m n Re Im`` after the degeneracies."""
    reader = _Reader(Path(path))
    num_wann, = reader.integers(1)
    n_r, = reader.integers(1)
    degeneracies = reader.degeneracies(n_r)
    fast = _table(reader, n_r * num_wann**2, 7)
    if fast is not None and _regular(fast, n_r, num_wann):
        vectors = fast[:: num_wann**2, :3].astype(int)
        values = (fast[:, 5] + 1j * fast[:, 6]).reshape(n_r, num_wann, num_wann)
        return _checked(reader, vectors, degeneracies, np.swapaxes(values, 1, 2), None)
    vectors = np.zeros((n_r, 3), dtype=int)
    hoppings = np.zeros((n_r, num_wann, num_wann), dtype=complex)
    seen = np.zeros((n_r, num_wann, num_wann), dtype=bool)
    for index in range(n_r * num_wann**2):
        words = reader.line()
        r, entry = index // num_wann**2, _entry(reader, words, 5, num_wann)
        if index % num_wann**2 == 0:
            vectors[r] = entry[0]
        elif tuple(entry[0]) != tuple(vectors[r]):
            raise reader.error(f"expected R = {tuple(vectors[r])} ({num_wann}² lines per R)")
        m, n, value = entry[1]
        if seen[r, m, n]:
            raise reader.error(f"element ({m + 1}, {n + 1}) of R = {tuple(vectors[r])} repeated")
        seen[r, m, n] = True
        hoppings[r, m, n] = value
    return _checked(reader, vectors, degeneracies, hoppings, None)


def read_tb(path: str | Path) -> RealSpaceHamiltonian:
    """Parse ``seedname_tb.dat``: lattice (Å), then per R a line ``R`` and ``m n Re Im`` lines."""
    reader = _Reader(Path(path))
    cell = np.array([reader.numbers(3) for _ in range(3)])
    num_wann, = reader.integers(1)
    n_r, = reader.integers(1)
    degeneracies = reader.degeneracies(n_r)
    vectors = np.zeros((n_r, 3), dtype=int)
    hoppings = np.zeros((n_r, num_wann, num_wann), dtype=complex)
    for r in range(n_r):
        vectors[r] = reader.integers(3)
        for _ in range(num_wann**2):
            m, n, value = _entry(reader, reader.line(), 2, num_wann)[1]
            hoppings[r, m, n] = value
    return _checked(reader, vectors, degeneracies, hoppings, cell)


def _table(reader: _Reader, rows: int, columns: int) -> np.ndarray | None:
    """The next ``rows`` lines as numbers in one go, or None (then parse line by line)."""
    lines = reader.lines[reader.position : reader.position + rows]
    try:
        table = np.array(" ".join(lines).split(), dtype=float)
    except ValueError:
        return None
    if len(lines) != rows or table.size != rows * columns or not np.all(np.isfinite(table)):
        return None
    return table.reshape(rows, columns)


def _regular(table: np.ndarray, n_r: int, num_wann: int) -> bool:
    """Wannier90's own layout: per R, n (columns) slow and m (rows) fast."""
    m, n = np.meshgrid(np.arange(1, num_wann + 1), np.arange(1, num_wann + 1))
    blocks = table.reshape(n_r, num_wann**2, 7)
    same_r = np.all(blocks[:, :, :3] == blocks[:, :1, :3])
    integers = np.all(table[:, :5] == np.round(table[:, :5]))
    return bool(same_r and integers and np.all(blocks[:, :, 3] == m.ravel())
                and np.all(blocks[:, :, 4] == n.ravel()))


def _entry(reader: _Reader, words: list[str], columns: int, num_wann: int):
    """(R or None, (m, n, value)) from ``[R1 R2 R3] m n Re Im`` (m, n from 1)."""
    try:
        integers = [int(w) for w in words[: columns]]
        value = complex(float(words[columns]), float(words[columns + 1]))
    except (ValueError, IndexError):
        raise reader.error(f"expected {columns} integers and two numbers, got "
                           f"{' '.join(words)!r}", reader.position) from None
    if len(words) < columns + 2 or not np.isfinite(value):
        raise reader.error(f"malformed line {' '.join(words)!r}", reader.position)
    m, n = integers[-2] - 1, integers[-1] - 1
    if not (0 <= m < num_wann and 0 <= n < num_wann):
        raise reader.error(f"Wannier indices ({m + 1}, {n + 1}) outside 1..{num_wann}",
                           reader.position)
    return integers[:3], (m, n, value)


def _checked(reader, vectors, degeneracies, hoppings, cell) -> RealSpaceHamiltonian:
    if len({tuple(v) for v in vectors}) != len(vectors):
        raise InputError(f"{reader.path}: a lattice vector R appears twice")
    hoppings = hoppings / degeneracies[:, None, None]
    # H(−R) = H(R)† (Hermitian); files print ~6 decimals, so the pair is averaged
    index = {tuple(v): i for i, v in enumerate(vectors)}
    partners = np.array([index.get(tuple(-v), -1) for v in vectors])
    for i in np.flatnonzero((partners < 0) | ~np.all(np.isclose(
            hoppings[partners], np.conj(np.swapaxes(hoppings, 1, 2)), rtol=0, atol=1e-5),
            axis=(1, 2))):
        raise InputError(f"{reader.path}: H(−R) ≠ H(R)† for R = {tuple(vectors[i])} "
                         "(not Hermitian)")
    hoppings = 0.5 * (hoppings + np.conj(np.swapaxes(hoppings[partners], 1, 2)))
    return RealSpaceHamiltonian(reader.path, vectors, degeneracies, hoppings, cell)
