"""Disorder self-energies."""

from .constant import ConstantBroadening

__all__ = ["ConstantBroadening"]
