"""Capacity of the dashboards: N viewers at once over Streamlit's websocket protocol, no browser.

Not a test: it prints figures. It writes the demo bucket once (`python -m api.demo`) and serves it
with the API as a folder, so that the data, and the dashboards' caches keyed by its version, stay
the same through the run (the API's own demo mode rewrites it every hour). It also starts the
forecast dashboard (`python -m frontend`) and the monitoring dashboard (`python -m monitoring`) as
they are deployed, and Streamlit's floor (`scripts/floor_page.py`: one Plotly chart and one
selectbox, run with the dashboards' runner setting `postScriptGC=false`), each on a free port. Then,
for each number of viewers N and each page, in that order (so that a page and the floor at the same
N are measured minutes apart, not an hour), `devtools.dashboard_load.measure_level`:

- burst: N viewers open the page at once and stay; memory per idle session from the server's RSS;
- changes: those viewers change a widget again and again (forecast: the price area; monitoring:
  the view chooser on "Over time", the ranking figure on "By series", the series on "One series";
  floor: its selectbox), then leave;
- opens: N viewers open the page, leave, and open it again, for the phase's time.

Each view's time runs from the viewer's action to Streamlit's `script_finished`; CPU per view is
the server's (and the API's) CPU over the phase divided by the views completed. A view with an
exception, missing charts or no end within the timeout is an error, not a time. At the end every
viewer has left; the servers' session counts and memory are read then and again after
`--release-wait` seconds (Streamlit keeps left sessions 2 minutes for reconnection).

    uv run python scripts/load_dashboards.py [--levels 1,5,10,20,40] [--seconds 15] [--views 200]
        [--pages forecast,monitoring,floor] [--release-wait 130] [--json results.json]

Run it under `flock /tmp/bench.lock` on a shared machine. Wall times depend on what else runs; the
script prints the load average and the load generator's own CPU beside the figures.
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from devtools.dashboard_load import LevelResult, Phase, Scenario, ServerProcess, measure_level, released, warm_up
from devtools.paths import ARTIFACTS, REPO_ROOT
from devtools.processes import free_port, running, streamlit_command

FLOOR_PAGE = REPO_ROOT / "scripts" / "floor_page.py"
SCENARIOS = [
    Scenario("floor", "floor", "", "phase", 1),
    Scenario("forecast", "forecast", "", "area", 1),
    Scenario("forecast, compare", "forecast", "?compare=types", "area", 1),
    Scenario("monitoring, Over time", "monitoring", "", "view", 2),
    Scenario("monitoring, By series", "monitoring", "?view=By+series", "rank_measure", 1),
    Scenario("monitoring, One series", "monitoring", "?view=One+series", "series", 1),
]
WARM_UP_CHANGES = 80  # one pass over the longest option list (76 series) fills the pages' caches


@contextmanager
def server(name: str, command: list[str], cwd: Path, env: dict[str, str], ready_path: str, port: int) -> Iterator:
    url = f"http://127.0.0.1:{port}"
    log_path = ARTIFACTS / f"load-{name}-{port}.log"
    log_path.unlink(missing_ok=True)
    with running(command, cwd, {**os.environ, **env}, url + ready_path, log_path, timeout=180) as process:
        yield ServerProcess(name, url, process.pid)


def start_servers(stack: ExitStack, demo_dir: str, pages: set[str]) -> tuple[ServerProcess, dict[str, ServerProcess]]:
    subprocess.run([sys.executable, "-m", "api.demo", demo_dir], cwd=REPO_ROOT / "app-api", check=True, timeout=300)
    api_port = free_port()
    api = stack.enter_context(
        server(
            "api",
            [sys.executable, "-m", "api"],
            REPO_ROOT / "app-api",
            {
                "APP_API_GCP_BUCKET": demo_dir,
                "APP_API_HOST": "127.0.0.1",
                "APP_API_PORT": str(api_port),
                "APP_API_LOG_LEVEL": "warning",
            },
            "/api/v1/ready",
            api_port,
        )
    )
    api_url = f"{api.url}/api/v1"
    commands = {
        "forecast": (
            lambda port: streamlit_command("frontend/main.py", port, module="frontend"),
            REPO_ROOT / "app-frontend",
            {"APP_FRONTEND_API_URL": api_url},
        ),
        "monitoring": (
            lambda port: streamlit_command("monitoring/main.py", port, module="monitoring"),
            REPO_ROOT / "app-monitoring",
            {"APP_MONITORING_API_URL": api_url},
        ),
        "floor": (
            lambda port: [*streamlit_command(str(FLOOR_PAGE), port), "--runner.postScriptGC=false"],
            REPO_ROOT / "scripts",
            {},
        ),
    }
    servers = {}
    for name in pages:
        command, cwd, env = commands[name]
        port = free_port()
        servers[name] = stack.enter_context(server(name, command(port), cwd, env, "/_stcore/health", port))
    return api, servers


def seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def milliseconds(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.0f}"


def times(phase: Phase) -> str:
    return " / ".join(seconds(phase.percentile(p)) for p in (50, 95, 99))


def table(levels: list[LevelResult]) -> list[str]:
    lines = [
        "| page | N | opens: p50 / p95 / p99 s (views) | server CPU per open ms (API) | "
        "changes: p50 / p95 / p99 s (views) | server CPU per change ms | burst p95 s | MB per idle session "
        "(sessions) | errors |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for level in levels:
        opens, changes = level.opens, level.changes
        errors = len(level.burst.errors) + len(opens.errors) + len(changes.errors)
        lines.append(
            f"| {level.scenario} | {level.viewers} | {times(opens)} ({opens.views}) | "
            f"{milliseconds(opens.cpu_per_view(opens.server_cpu_seconds))} "
            f"({milliseconds(opens.cpu_per_view(opens.api_cpu_seconds))}) | {times(changes)} ({changes.views}) | "
            f"{milliseconds(changes.cpu_per_view(changes.server_cpu_seconds))} | "
            f"{seconds(level.burst.percentile(95))} | {level.idle_session_mb:.1f} ({level.sessions_idle}) | {errors} |"
        )
    return lines


def ratios(levels: list[LevelResult]) -> list[str]:
    floor = {level.viewers: level for level in levels if level.scenario == "floor"}
    lines = ["| page | N | opens p95 / floor's | changes p95 / floor's |", "|---|---|---|---|"]
    for level in levels:
        reference = floor.get(level.viewers)
        if level.scenario == "floor" or reference is None:
            continue
        cells = []
        for mine, theirs in ((level.opens, reference.opens), (level.changes, reference.changes)):
            ours, base = mine.percentile(95), theirs.percentile(95)
            cells.append("-" if ours is None or not base else f"{ours / base:.2f}x")
        lines.append(f"| {level.scenario} | {level.viewers} | {cells[0]} | {cells[1]} |")
    return lines


def error_samples(levels: list[LevelResult]) -> list[str]:
    lines = []
    for level in levels:
        for name in ("burst", "changes", "opens"):
            errors = getattr(level, name).errors
            if errors:
                lines.append(f"  {level.scenario}, N={level.viewers}, {name}: {len(errors)} errors, e.g. {errors[0]}")
    return lines


async def run(arguments: argparse.Namespace, api: ServerProcess, servers: dict[str, ServerProcess]) -> dict:
    scenarios = [scenario for scenario in SCENARIOS if scenario.server in servers]
    for scenario in scenarios:
        await warm_up(scenario, servers[scenario.server], WARM_UP_CHANGES)
    levels: list[LevelResult] = []
    load: list[float] = []
    for viewers in arguments.levels:
        for scenario in scenarios:
            load.append(os.getloadavg()[0])
            level = await measure_level(
                scenario, servers[scenario.server], api, viewers, arguments.seconds, arguments.views, arguments.timeout
            )
            levels.append(level)
            print(
                f"  {scenario.name}, N={viewers}: opens p95 {seconds(level.opens.percentile(95))} s, "
                f"changes p95 {seconds(level.changes.percentile(95))} s, load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    releases = await released(list(servers.values()), arguments.release_wait, arguments.timeout)
    return {"levels": levels, "releases": releases, "load": load}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", default="1,5,10,20,40", help="numbers of viewers, comma-separated")
    parser.add_argument("--seconds", type=float, default=15, help="length of the changes and opens phases")
    parser.add_argument("--views", type=int, default=200, help="at most this many views per viewer and phase")
    parser.add_argument("--timeout", type=float, default=120, help="a view not finished by then is an error")
    parser.add_argument("--pages", default="forecast,monitoring,floor", help="servers to load, comma-separated")
    parser.add_argument("--release-wait", type=float, default=130, help="seconds after the last viewer left")
    parser.add_argument("--json", type=Path, help="also write every figure (and every view's time) here")
    arguments = parser.parse_args()
    arguments.levels = [int(level) for level in arguments.levels.split(",")]
    pages = set(arguments.pages.split(","))
    started = datetime.now(UTC)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="demo-bucket-") as demo_dir, ExitStack() as stack:
        api, servers = start_servers(stack, demo_dir, pages)
        outcome = asyncio.run(run(arguments, api, servers))
    levels, releases = outcome["levels"], outcome["releases"]
    tool_cpu = sum(phase.tool_cpu_seconds for level in levels for phase in (level.burst, level.changes, level.opens))
    server_cpu = sum(
        phase.server_cpu_seconds for level in levels for phase in (level.burst, level.changes, level.opens)
    )
    lines = [
        f"Dashboards under N concurrent viewers (protocol level), {started:%Y-%m-%d %H:%M} UTC, "
        f"{os.cpu_count()} CPUs, load average {load_before:.1f} before, "
        f"{statistics.median(outcome['load']):.1f} median at the levels' starts, {os.getloadavg()[0]:.1f} after;",
        f"API on the demo bucket; phases of {arguments.seconds:g} s (at most {arguments.views} views per viewer); "
        f"load generator CPU {tool_cpu:.0f} s against the Streamlit servers' {server_cpu:.0f} s.",
        "",
        *table(levels),
        "",
        "p95 against the floor page's p95 at the same N:",
        "",
        *ratios(levels),
        "",
        "Sessions released when viewers leave (Streamlit keeps a left session 2 minutes for reconnection):",
        *(
            f"  {release.server}: {release.sessions_at_close} sessions and {release.rss_at_close_mb:.0f} MB RSS when "
            f"the last viewer left; {release.sessions_after} sessions and {release.rss_after_mb:.0f} MB "
            f"{release.waited_seconds:.0f} s later (after one more viewer came and went)"
            for release in releases
        ),
        *(["Errors:", *error_samples(levels)] if error_samples(levels) else []),
    ]
    print("\n".join(lines))
    if arguments.json:
        arguments.json.write_text(
            json.dumps(
                {
                    "started": started.isoformat(),
                    "arguments": {key: str(value) for key, value in vars(arguments).items()},
                    "levels": [asdict(level) for level in levels],
                    "releases": [asdict(release) for release in releases],
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
