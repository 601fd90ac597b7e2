"""What a Dask worker runs for one case: check the identity, compute, never raise."""

from __future__ import annotations

from typing import Any

from orbdiff.errors import InputError
from orbdiff.plugin import Registry

from .cases import ScreeningCase, _code_version, parameter_set_version
from .group import failure, run_group
from .wannier import wannier_files_version

__all__ = ["Requirements", "requirements", "verified_run", "verified_run_group"]

#: What a case needs on the worker: the plugin (and its version) of its parameter set.
Requirements = dict[str, str]


def requirements(case: ScreeningCase, registry: Registry) -> Requirements:
    """The plugin that provides ``case.material`` (or its Wannier90 model) on the client."""
    if case.wannier is not None:
        plugin = registry.models["wannier90"].plugin
        return {"plugin": plugin, "version": registry.versions.get(plugin, "unknown")}
    plugin = registry.parameter_sets[case.material].plugin
    return {"plugin": plugin, "version": registry.versions.get(plugin, "unknown")}


def identity_mismatch(case: ScreeningCase, needs: Requirements, registry: Registry) -> str:
    """Why this process must not compute ``case`` under its identity ('' if it may)."""
    where = _worker_name()
    if case.code_version != _code_version():
        return (f"orbdiff {_code_version()} on {where}, {case.code_version} on the client; "
                "nothing computed")
    if case.wannier is not None:
        return _wannier_mismatch(case, needs, registry, where)
    if case.material not in registry.parameter_sets:
        return (f"{where} has no parameter set {case.material!r} (plugin "
                f"{needs['plugin']!r} {needs['version']} is not installed there); "
                "nothing computed")
    plugin = registry.parameter_sets[case.material].plugin
    version = registry.versions.get(plugin, "unknown")
    if (plugin, version) != (needs["plugin"], needs["version"]):
        return (f"parameter set {case.material!r} comes from plugin {plugin!r} {version} on "
                f"{where}, {needs['plugin']!r} {needs['version']} on the client; "
                "nothing computed")
    found = parameter_set_version(case.material, registry)
    if found != case.parameter_set_version:
        return (f"parameter set {case.material!r} differs on {where}: {found} there, "
                f"{case.parameter_set_version} on the client (different parameter files); "
                "nothing computed")
    return ""


def _wannier_mismatch(case: ScreeningCase, needs: Requirements, registry: Registry,
                      where: str) -> str:
    if "wannier90" not in registry.models:
        return (f"{where} has no model 'wannier90' (plugin {needs['plugin']!r} "
                f"{needs['version']} is not installed there); nothing computed")
    plugin = registry.models["wannier90"].plugin
    version = registry.versions.get(plugin, "unknown")
    if (plugin, version) != (needs["plugin"], needs["version"]):
        return (f"model 'wannier90' comes from plugin {plugin!r} {version} on {where}, "
                f"{needs['plugin']!r} {needs['version']} on the client; nothing computed")
    seedname = case.wannier.seedname
    try:
        found = wannier_files_version(seedname)
    except InputError:
        return f"the Wannier90 files of {seedname} are missing on {where}; nothing computed"
    if found != case.parameter_set_version:
        return (f"the Wannier90 files of {seedname} differ on {where}: {found} there, "
                f"{case.parameter_set_version} on the client; nothing computed")
    return ""


def verified_run(case: ScreeningCase, needs: Requirements) -> dict[str, Any]:
    """Check the case's identity here, then compute it (a group of one).

    Returns ``{"scalars", "arrays"}``, or ``{"error", "traceback"}``: an exception
    becomes the failed row's message instead of a worker log on stderr.
    """
    return verified_run_group([case], needs)[0]


def verified_run_group(cases: list[ScreeningCase], needs: Requirements
                       ) -> list[dict[str, Any]]:
    """:func:`verified_run` for cases sharing a model (see :mod:`.group`), in order.

    One registry and one identity check serve the group (its cases share material,
    parameter-set version and code version); one outcome per case, never raises.
    """
    try:
        registry = Registry()
        problem = identity_mismatch(cases[0], needs, registry)
        if problem:
            return [{"error": f"IdentityMismatch: {problem}", "traceback": ""} for _ in cases]
        return run_group(cases, registry, _worker_name())
    except Exception as exc:  # any failure is each case's row, not a crash
        return [failure(exc, _worker_name()) for _ in cases]


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return f"worker {get_worker().address}"
    except (ImportError, ValueError):
        return "this process"
