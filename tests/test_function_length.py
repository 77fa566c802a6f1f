"""No function of the apps is longer than 80 lines, from its first decorator to its last line.

A long function mixes steps that each deserve a name (and a test). One parametrised case per package,
so each app adds its own line to `PACKAGES`; the message names every function over the limit.
"""

import ast
from pathlib import Path

import pytest
from support import REPO_ROOT

MAX_LINES = 80
PACKAGES = {
    "api": REPO_ROOT / "app-api" / "api",
    "frontend": REPO_ROOT / "app-frontend" / "frontend",
    "monitoring": REPO_ROOT / "app-monitoring" / "monitoring",
    "dashboard_common": REPO_ROOT / "dashboard-common" / "dashboard_common",
}


def long_functions(source: str, max_lines: int = MAX_LINES) -> list[tuple[str, int, int]]:
    """(name, first line, length) of every function or method in `source` longer than `max_lines`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
            length = (node.end_lineno or node.lineno) - first + 1
            if length > max_lines:
                found.append((node.name, first, length))
    return found


def test_the_measure_counts_decorators_and_finds_a_long_function():
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_LINES - 2))
    at_limit = f"@decorator\ndef f():\n{body}\n"  # 80 lines with its decorator
    assert long_functions(at_limit) == []
    assert long_functions(at_limit + "    return x0\n") == [("f", 1, MAX_LINES + 1)]


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_no_function_is_longer_than_the_limit(package: str):
    root: Path = PACKAGES[package]
    assert list(root.rglob("*.py")), f"{package} moved: point the guard at it"
    too_long = [
        f"{path.relative_to(REPO_ROOT)}:{line} {name} ({length} lines)"
        for path in sorted(root.rglob("*.py"))
        for name, line, length in long_functions(path.read_text())
    ]
    assert not too_long, f"functions over {MAX_LINES} lines in {package}: split them into named steps:\n" + "\n".join(
        too_long
    )
