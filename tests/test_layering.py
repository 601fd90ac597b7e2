"""Import rules of DESIGN §1 and STYLE, checked on the source with ast."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "framework" / "orbdiff"
PLUGINS = ROOT / "plugins" / "orbdiff_plugins"
LAYERS = ["structure", "basis", "hamiltonian", "disorder", "observables"]


def _imports(path: Path) -> set[str]:
    """Absolute names imported by ``path``: modules and ``module.name`` for from-imports."""
    package = path.relative_to(path.parents[len(path.relative_to(ROOT).parts) - 2]).parent.parts
    return _imported_names(path.read_text(), package)


def _imported_names(source: str, package: tuple[str, ...]) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names if alias.name != "*")
    return names


def test_imported_names_are_seen_not_only_modules():
    names = _imported_names("from .. import plugin\nfrom orbdiff import cli as c\n"
                            "from .kernels import _private", ("orbdiff", "observables"))
    assert {"orbdiff.plugin", "orbdiff.cli", "orbdiff.observables.kernels._private"} <= names


def _sources(folder: Path):
    return sorted(folder.rglob("*.py"))


@pytest.mark.parametrize("path", _sources(CORE), ids=lambda p: str(p.relative_to(CORE)))
def test_core_never_imports_plugins_and_respects_layers(path):
    imports = _imports(path)
    assert not any(name.startswith("orbdiff_plugins") for name in imports)
    layer = path.relative_to(CORE).parts[0]
    if layer in LAYERS:
        allowed = set(LAYERS[: LAYERS.index(layer) + 1])
        for name in imports:
            parts = name.split(".")
            if parts[0] == "orbdiff" and len(parts) > 1 and parts[1] in LAYERS:
                assert parts[1] in allowed, f"{layer} may not import {name}"
            assert not name.startswith(("orbdiff.cli", "orbdiff.plugin")), name


@pytest.mark.parametrize("path", _sources(CORE) + _sources(PLUGINS), ids=lambda p: p.name)
def test_ase_and_pymatgen_only_at_the_structure_boundary(path):
    # ase.db is the results database (DESIGN §5), not a structure conversion
    imports = {name.split(".")[0] for name in _imports(path) if not name.startswith("ase.db")}
    if imports & {"ase", "pymatgen"}:
        assert path.parent.name == "structure", f"{path} imports ase/pymatgen"


@pytest.mark.parametrize("path", _sources(PLUGINS), ids=lambda p: str(p.relative_to(PLUGINS)))
def test_plugins_use_only_public_core_api_and_not_each_other(path):
    own = path.relative_to(PLUGINS).parts[0]
    for name in _imports(path):
        parts = name.split(".")
        if parts[0] == "orbdiff":
            assert not any(part.startswith("_") for part in parts), name
        if parts[0] == "orbdiff_plugins" and len(parts) > 1:
            assert parts[1] == own, f"plugin {own} imports plugin {parts[1]}"
