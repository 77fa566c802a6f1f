"""The API's layers: the engine imports no version, and neither version imports the other.

The engine (loading, gates, store, snapshot, catalog and the figures) is what every version reads;
`api.v1` and `api.v2` each render it their own way. If the engine imported a view, a change to one
version's bodies could change the data the other serves; if v2 imported v1, frozen v1 code would
become v2's to keep. Every import statement counts, module level or inside a function.
"""

import ast
from pathlib import Path

import pytest
from support import REPO_ROOT

API = REPO_ROOT / "app-api" / "api"
ENGINE = ("storage", "loading", "gates", "store", "snapshot", "catalog", "quality", "intervals", "totals")
VIEWS = ("api.v1", "api.v2", "api.deps", "api.rendering", "api.application", "api.docs")


def imported(source: str, package: str) -> set[str]:
    """Every module `source` imports (relative imports resolved against `package`), including `from X import Y`
    as both X and X.Y (Y may be a module)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _module(path: Path) -> tuple[str, str]:
    parts = path.relative_to(API.parent).with_suffix("").parts
    name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
    return name, name if path.name == "__init__.py" else name.rsplit(".", 1)[0]


def _breaks(names: set[str], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(name for name in names if any(name == f or name.startswith(f + ".") for f in forbidden))


def test_the_reader_sees_every_form_of_import():
    source = "import api.v1.routes\nfrom api.v2 import bodies\ndef f():\n    from . import v1\n"
    names = imported(source, "api")
    assert _breaks(names, ("api.v1",)) == ["api.v1", "api.v1.routes"]
    assert _breaks(names, ("api.v2",)) == ["api.v2", "api.v2.bodies"]
    assert _breaks(imported("from ..v1.schemas import X\n", "api.v2"), ("api.v1",)) == [
        "api.v1.schemas",
        "api.v1.schemas.X",
    ]


@pytest.mark.parametrize("module", ENGINE)
def test_the_engine_imports_no_view(module: str):
    path = API / f"{module}.py"
    name, package = _module(path)
    assert not _breaks(imported(path.read_text(), package), VIEWS), f"{name} imports a view"


@pytest.mark.parametrize(("version", "other"), [("v1", "api.v2"), ("v2", "api.v1")])
def test_no_version_imports_the_other(version: str, other: str):
    paths = sorted((API / version).rglob("*.py"))
    assert paths
    breaking = {}
    for path in paths:
        name, package = _module(path)
        if found := _breaks(imported(path.read_text(), package), (other,)):
            breaking[name] = found
    assert not breaking, f"api.{version} imports {other}: {breaking}"
