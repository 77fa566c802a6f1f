"""No function of the dashboards is longer than 80 lines (from its first decorator or `def` to its
last line), so each page reads as small named steps. Pure and fast: it walks each package's `ast`.
The API helper adds the API's packages to the same guard (issue 23); the lead merges both lists."""

import ast
from pathlib import Path

import pytest
from devtools.paths import REPO_ROOT

MAX_LINES = 80
PACKAGES = {
    "frontend": REPO_ROOT / "app-frontend" / "frontend",
    "monitoring": REPO_ROOT / "app-monitoring" / "monitoring",
    "dashboard_common": REPO_ROOT / "dashboard-common" / "dashboard_common",
}


def long_functions(package: Path, limit: int = MAX_LINES) -> list[str]:
    """'module.py:line name (N lines)' for every function or method over `limit` lines."""
    found = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
                lines = node.end_lineno - first + 1
                if lines > limit:
                    found.append(f"{path.name}:{first} {node.name} ({lines} lines)")
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_no_function_is_longer_than_80_lines(package: str) -> None:
    assert list(PACKAGES[package].rglob("*.py")), "the package moved: point the guard at it"
    assert long_functions(PACKAGES[package]) == []


def test_the_guard_sees_a_long_function(tmp_path: Path) -> None:
    body = "\n".join(f"    x{n} = {n}" for n in range(MAX_LINES))
    (tmp_path / "long.py").write_text(f"@decorated\ndef long():\n{body}\n\n\ndef short():\n    pass\n")
    assert [line.split(" ", 1)[1] for line in long_functions(tmp_path, MAX_LINES)] == ["long (82 lines)"]
