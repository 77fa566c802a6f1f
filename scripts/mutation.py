"""Mutation testing of the modules that hold the product's logic, one module at a time, with mutmut 3.

    uv run python scripts/mutation.py                      every module of MODULES, one after another
    uv run python scripts/mutation.py api.totals monitoring.measures
    uv run python scripts/mutation.py --list               the modules and the test files each one runs
    uv run python scripts/mutation.py --survivors api.totals   the surviving mutants' diffs of a run
    uv run python scripts/mutation.py --scores             the scores of the last runs, without running

Why a staging folder: mutmut copies the code it mutates into `mutants/` and puts `mutants/src` (or
`mutants/.`) first on `sys.path`, so that `import api` finds the mutated copy. This repository is a uv
workspace whose packages live in `app-api/api`, `app-monitoring/monitoring`, ... and are installed
editable, so run from the root mutmut would copy them to `mutants/app-api/api` where no import finds
them, and every test would run the original code. The script therefore lays out, per module, a
folder `.mutation/<module>/` in the `src/` layout mutmut knows: `src/<package>` (a copy of the
package; only the one module is mutated), `tests/` (a copy of the test folder, for the conftest
files and helpers) and a `pyproject.toml` with the root's pytest settings and a `[tool.mutmut]`
table naming the module and its test files. mutmut runs there with one worker (the machine is
shared), and its per-mutant results give the score printed at the end.

Only fast in-process tests are named: no browser, emulator or server process is started, and a
mutant is judged by the tests that exercised its function (mutmut's own test selection).
The lead adds a module by adding a line to MODULES (issue 21's validation module, for example).
"""

import argparse
import json
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGING = ROOT / ".mutation"
PACKAGES = {
    "api": ROOT / "app-api" / "api",
    "frontend": ROOT / "app-frontend" / "frontend",
    "monitoring": ROOT / "app-monitoring" / "monitoring",
    "dashboard_common": ROOT / "dashboard-common" / "dashboard_common",
}
TARGET = 0.85  # the bar: at least 85 % of the mutants killed in each module


@dataclass(frozen=True)
class Module:
    name: str  # dotted, e.g. "api.totals"
    tests: tuple[str, ...]  # test files (relative to tests/) that exercise it, all fast and in-process

    @property
    def package(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def source(self) -> Path:
        return PACKAGES[self.package].joinpath(*self.name.split(".")[1:]).with_suffix(".py")


# Fast tests only: each one builds what it needs in memory (a frame, a small bucket, one request to
# the in-process app); none starts a browser, an emulator or a server process.
API_UNITS = "api/test_api_units.py"
MODULES = {
    module.name: module
    for module in (
        Module("api.loading", ("api/test_loading_units.py",)),
        Module("api.totals", (API_UNITS, "api/test_v2_series.py")),
        Module("api.timefmt", (API_UNITS, "api/test_v2_series.py")),
        Module("api.intervals", ("api/test_intervals_units.py",)),
        Module("api.quality", ("api/test_quality_units.py",)),
        Module("api.http_caching", (API_UNITS, "api/test_http_caching_units.py")),
        Module("api.v2.forms", (API_UNITS, "api/test_v2_series.py")),
        Module("api.rendering", (API_UNITS, "api/test_v2_series.py", "api/test_views_per_snapshot.py")),
        Module("api.v1.bodies", ("api/test_answers_unchanged.py", "api/test_contract.py")),
        Module("api.gates", ("api/test_gates_units.py",)),
        Module("api.v2.answers", ("api/test_answers_units.py",)),
        Module("dashboard_common.links", ("common/test_common_links.py",)),
        Module(
            "frontend.links",
            ("frontend/test_frontend_links.py", "frontend/test_frontend_pure.py", "common/test_common_links.py"),
        ),
        Module("monitoring.links", ("monitoring/test_monitoring_links.py", "common/test_common_links.py")),
        Module(
            "monitoring.measures",
            (
                "monitoring/test_monitoring_measures.py",
                "monitoring/test_monitoring_breakdown.py",
                "monitoring/test_monitoring_comparison.py",
                "monitoring/test_monitoring_aggregate.py",
            ),
        ),
        Module("monitoring.aggregate", ("monitoring/test_monitoring_aggregate.py",)),
    )
}


def existing_tests(module: Module) -> list[str]:
    """The module's test files that exist (a test file named here may not have been written yet)."""
    return [f"tests/{name}" for name in module.tests if (ROOT / "tests" / name).is_file()]


def stage(module: Module) -> Path:
    """`.mutation/<module>/` laid out for mutmut (see the module docstring); a previous run's folder is replaced."""
    folder = STAGING / module.name
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "src").mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(PACKAGES[module.package], folder / "src" / module.package, ignore=ignore)
    shutil.copytree(ROOT / "tests", folder / "tests", ignore=ignore)
    root_config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    pytest_options = root_config["tool"]["pytest"]["ini_options"]
    relative = module.source.relative_to(PACKAGES[module.package].parent)
    lines = ["[tool.pytest.ini_options]"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in pytest_options.items() if key != "testpaths"]
    lines += [
        "",
        "[tool.mutmut]",
        f"source_paths = {json.dumps([f'src/{module.package}'])}",
        f"only_mutate = {json.dumps([f'src/{relative}'])}",
        f"pytest_add_cli_args_test_selection = {json.dumps(existing_tests(module))}",
        # No cache folder inside the copy; a mutant that loops is stopped after 15x the tests' time + 5 s.
        'pytest_add_cli_args = ["-p", "no:cacheprovider"]',
        "timeout_constant = 5.0",
        "use_git_change_detection = false",
        "",
    ]
    (folder / "pyproject.toml").write_text("\n".join(lines))
    return folder


def results(folder: Path) -> dict[str, str]:
    """Mutant name -> status ('killed', 'survived', 'no tests', 'timeout', ...), from mutmut's own report."""
    printed = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    statuses = {}
    for line in printed.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name and "__mutmut_" in name:
            statuses[name] = status
    return statuses


@dataclass(frozen=True)
class Score:
    module: str
    killed: int
    total: int
    survivors: list[str]
    seconds: float
    unchecked: int = 0  # a run stopped early: its mutants not checked yet count as survivors

    @property
    def ratio(self) -> float:
        return self.killed / self.total if self.total else 1.0


# What counts as killed: a test failed, the mutant timed out, or it crashed the run (segfault).
KILLED = {"killed", "timeout", "segfault"}


def score_of(module: Module, seconds: float = float("nan")) -> Score:
    statuses = results(STAGING / module.name)
    killed = sum(status in KILLED for status in statuses.values())
    survivors = sorted(name for name, status in statuses.items() if status not in KILLED)
    unchecked = sum(status == "not checked" for status in statuses.values())
    return Score(module.name, killed, len(statuses), survivors, seconds, unchecked)


def run(module: Module) -> Score:
    folder = stage(module)
    log = STAGING / f"{module.name}.log"
    print(f"{module.name}: mutmut run in {folder.relative_to(ROOT)} (its output: {log.relative_to(ROOT)})", flush=True)
    started = time.monotonic()
    with log.open("w") as output:
        subprocess.run(
            [sys.executable, "-m", "mutmut", "run", "--max-children", "1"],
            cwd=folder,
            stdout=output,
            stderr=subprocess.STDOUT,
            check=True,
        )
    return score_of(module, time.monotonic() - started)


def show_survivors(module: Module) -> None:
    """Each surviving mutant's diff, for writing its verdict (a test to add, or why it is equivalent)."""
    folder = STAGING / module.name
    for name, status in results(folder).items():
        if status not in KILLED:
            print(f"== {name}: {status}")
            shown = subprocess.run(
                [sys.executable, "-m", "mutmut", "show", name], cwd=folder, capture_output=True, text=True, check=False
            )
            print(shown.stdout.strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modules", nargs="*", help=f"dotted module names (default: all): {', '.join(MODULES)}")
    parser.add_argument("--list", action="store_true", help="print the modules and their test files, run nothing")
    parser.add_argument("--survivors", action="store_true", help="print the survivors of the last run of each module")
    parser.add_argument("--scores", action="store_true", help="print the scores of the last runs, run nothing")
    arguments = parser.parse_args()
    unknown = [name for name in arguments.modules if name not in MODULES]
    if unknown:
        parser.error(f"unknown module(s) {unknown}; known: {', '.join(MODULES)}")
    chosen = [MODULES[name] for name in arguments.modules or MODULES]
    if arguments.list:
        for module in chosen:
            print(f"{module.name}: {module.source.relative_to(ROOT)} <- {', '.join(existing_tests(module))}")
        return 0
    if arguments.survivors:
        for module in chosen:
            show_survivors(module)
        return 0
    if arguments.scores:
        chosen = [module for module in chosen if (STAGING / module.name / "mutants").is_dir()]
    scores = [score_of(module) if arguments.scores else run(module) for module in chosen]
    print(f"\n{'module':24} {'killed':>7} {'total':>6} {'score':>7} {'time':>7}")
    for score in scores:
        mark = "" if score.ratio >= TARGET else f"  below {TARGET:.0%}"
        mark += f"  ({score.unchecked} not checked: the run did not finish)" if score.unchecked else ""
        took = "-" if score.seconds != score.seconds else f"{score.seconds:.0f}s"  # NaN: not run now
        print(f"{score.module:24} {score.killed:7d} {score.total:6d} {score.ratio:7.1%} {took:>7}{mark}")
        for name in score.survivors if not score.unchecked else []:
            print(f"    survived: {name}")
    return 0 if all(score.ratio >= TARGET for score in scores) else 1


if __name__ == "__main__":
    raise SystemExit(main())
