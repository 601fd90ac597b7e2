"""Exceptions raised by orbdiff.

Every error a user can cause with bad input derives from :class:`OrbdiffError`;
the command line prints its message as one line and exits with status 2.
"""

from __future__ import annotations


class OrbdiffError(Exception):
    """Base class of the errors orbdiff raises on purpose."""


class InputError(OrbdiffError, ValueError):
    """A value given by the user is outside what is accepted.

    The message names the offending field, the value received and what is accepted.
    """


class PluginError(OrbdiffError):
    """A plugin is broken, conflicts with another one, or failed while registering."""


class CapabilityError(OrbdiffError):
    """An observable asked a model for something the model cannot provide."""


def invalid(field: str, value: object, accepted: str) -> InputError:
    """Build the standard bad-input error.

    Parameters
    ----------
    field : str
        Name of the argument or option, e.g. ``"gamma"`` or ``"--grid"``.
    value : object
        The value received.
    accepted : str
        What is accepted, e.g. ``"a finite number > 0 (eV)"``.
    """
    return InputError(f"{field}: got {value!r}; expected {accepted}")
