"""Hook specifications of orbdiff: the contract between the core and its plugins.

This module holds no logic. Each hook takes no required argument (except
:func:`orbdiff_register_commands`) and returns a list of frozen records from
:mod:`orbdiff.plugin.records`. The registry validates the records, sorts them by
name and rejects a name registered twice, naming both plugins. Records carry lazy
factories: nothing is loaded or computed when a hook runs.

A plugin is any module or object with functions decorated by
:data:`orbdiff.plugin.hookimpl`; it is found through the built-in tuple, the
``orbdiff`` entry-point group, or the ``ORBDIFF_PLUGINS`` environment variable.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("orbdiff")


@hookspec
def orbdiff_register_parameter_sets() -> list:
    """Return Slater-Koster parameter sets as :class:`~orbdiff.plugin.records.ParameterSetRecord`.

    Called once when the registry is built. Names (usually the element symbol,
    e.g. ``"Ta"``) must be unique across all plugins.

    Example
    -------
    >>> @hookimpl
    ... def orbdiff_register_parameter_sets():
    ...     return [ParameterSetRecord(name="Mo", factory=load_mo, element="Mo",
    ...                                structure="bcc", summary="Mo, 3 shells")]

    .. versionadded:: 0.1
    """


@hookspec
def orbdiff_register_models() -> list:
    """Return named tight-binding model factories as :class:`~orbdiff.plugin.records.ModelRecord`.

    ``factory(**parameters)`` must return a finalized
    :class:`~orbdiff.hamiltonian.TightBindingModel`; ``parameters`` lists the
    accepted keyword names with their defaults and units, so that unknown names
    are rejected before the factory runs.

    Example
    -------
    >>> @hookimpl
    ... def orbdiff_register_models():
    ...     return [ModelRecord(name="bcc-p-toy", factory=bcc_p_toy,
    ...                         parameters={"v_sigma": 0.2}, summary="...")]

    .. versionadded:: 0.1
    """


@hookspec
def orbdiff_register_onsite_terms() -> list:
    """Return on-site terms added to H as :class:`~orbdiff.plugin.records.OnsiteTermRecord`.

    ``factory(**parameters)`` returns an :class:`~orbdiff.hamiltonian.OnsiteTerm`:
    a callable that maps an :class:`~orbdiff.basis.OrbitalSet` to a Hermitian
    (2n, 2n) matrix in eV, in the ``orbital ⊗ spin`` basis. ``example`` gives
    parameters that build one (used by :mod:`orbdiff.testing`).

    Example
    -------
    >>> @hookimpl
    ... def orbdiff_register_onsite_terms():
    ...     return [OnsiteTermRecord(name="soc", factory=SpinOrbitCoupling,
    ...                              summary="ξ σ·L per shell", example={"xi": 0.1})]

    .. versionadded:: 0.1
    """


@hookspec
def orbdiff_register_self_energies() -> list:
    """Return disorder self-energies as :class:`~orbdiff.plugin.records.SelfEnergyRecord`.

    ``factory(**parameters)`` returns a self-energy object (see
    :mod:`orbdiff.disorder`).

    Example
    -------
    >>> @hookimpl
    ... def orbdiff_register_self_energies():
    ...     return [SelfEnergyRecord(name="constant", factory=ConstantBroadening,
    ...                              summary="Σ = -iΓ", example={"gamma": 0.1})]

    .. versionadded:: 0.1
    """


@hookspec
def orbdiff_register_observables() -> list:
    """Return observables on a k-grid as :class:`~orbdiff.plugin.records.ObservableRecord`.

    ``factory()`` returns an object with ``requires`` (capabilities it needs from
    a model, see ``TightBindingModel.capabilities``), ``units`` and
    ``compute(model, grid, energies, self_energy, **options)``; call it through
    :func:`orbdiff.compute`, which checks the capabilities.

    Example
    -------
    >>> @hookimpl
    ... def orbdiff_register_observables():
    ...     return [ObservableRecord(name="dos", factory=DensityOfStates,
    ...                              units="states/eV/cell", summary="...")]

    .. versionadded:: 0.1
    """


@hookspec
def orbdiff_register_commands(cli) -> None:
    """Add sub-commands to the ``orbdiff`` command line.

    Parameters
    ----------
    cli : click.Group
        The ``orbdiff`` group; call ``cli.add_command(command)``. A command name
        already taken is an error naming both plugins.

    Example
    -------
    >>> @hookimpl
    ... def orbdiff_register_commands(cli):
    ...     cli.add_command(precession)

    .. versionadded:: 0.1
    """
