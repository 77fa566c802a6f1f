"""Capacity of the dashboards: N viewers at once over Streamlit's websocket protocol, no browser.

Not a test: it prints figures. It writes the demo bucket once (`python -m api.demo`) and serves it
with the API as a folder, so that the data, and the dashboards' caches keyed by its version, stay
the same through the run (the API's own demo mode rewrites it every hour). It also starts the
forecast dashboard (`python -m frontend`) and the monitoring dashboard (`python -m monitoring`) as
they are deployed, and Streamlit's floor (`scripts/floor_page.py`: one Plotly chart and one
selectbox, run with the dashboards' runner setting `postScriptGC=false`), each on a free port. Then,
for each number of viewers N and each page, in that order (so that a page and the floor at the same
N are measured minutes apart, not an hour), `devtools.dashboard_load.measure_level`:

- first, per page: the memory of an idle session (as many viewers as the largest N open the page
  one after another and stay: the server's RSS growth divided by them);
- burst: N viewers open the page at once and stay;
- changes: those viewers change a widget again and again (forecast: the price area; monitoring:
  the view chooser on "Over time", the ranking figure on "By series", the series on "One series";
  floor: its selectbox), then leave;
- opens: N viewers open the page, leave, and open it again, for the phase's time.

Each view's time runs from the viewer's action to Streamlit's `script_finished`; CPU per view is
the server's (and the API's) CPU over the phase divided by the views completed. A view with an
exception, missing charts or no end within the timeout is an error, not a time. At the end every
viewer has left; the servers' session counts and memory are read then and again after
`--release-wait` seconds (Streamlit keeps left sessions 2 minutes for reconnection).

    uv run python scripts/load_dashboards.py [--levels 1,5,10,20,40] [--seconds 15] [--views 500]
        [--pages forecast,monitoring,floor] [--release-wait 130] [--json results.json] [--cold] [--pin]
    uv run python scripts/load_dashboards.py --browser-check 5

`--pin`: the servers (the API and the Streamlit processes) run on the first CPU and the load
generator on the others, so that the generator's own CPU (7-15 ms per open) does not slow the
servers it measures; a Streamlit process uses one core at most anyway (one GIL).

`--cold`: every opening viewer also fetches the files (JavaScript, CSS, fonts, plotly.js) that
Chromium fetched for the page, recorded once per page at the start: first visits instead of
returning viewers, whose browsers keep those immutable files.

`--browser-check ROUNDS` measures no levels: at N = 1 it compares, per page, the tool's views with
Chromium's on the same servers, one after the other in each round. In Chromium (headless, a fresh
context, so no cached files) the websocket frames are read over the DevTools protocol, on
Chromium's own clock, and decoded as `BackMsg` and `ForwardMsg`: the span from the `rerun_script`
frame to the `script_finished` frame is what the tool times; navigation to that frame and to every
chart drawn (with Streamlit's script state `notRunning`) add what the browser itself does. The
server's CPU is read around each view (tool, tool with the page's files, Chromium). A change is
made as a viewer makes it: the option clicked in the selectbox, radio or segmented control.
"""

import argparse
import asyncio
import base64
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from devtools.browser import launch_chromium
from devtools.dashboard_load import (
    IdleMemory,
    LevelResult,
    Phase,
    Scenario,
    ServerProcess,
    idle_memory,
    measure_level,
    released,
    warm_up,
)
from devtools.paths import ARTIFACTS, REPO_ROOT
from devtools.processes import (
    dashboard_command,
    free_port,
    pinned,
    running,
    servers_apart_from_generator,
    streamlit_command,
)
from devtools.streamlit_viewer import Viewer, Widget
from playwright.async_api import Page, async_playwright
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

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
VISITS = {
    False: "returning viewers (the page's files in their browsers' cache)",
    True: "first visits (every open also fetches the files Chromium fetched for the page)",
}
SETTLE_SECONDS = 0.5  # after a view, for the requests and work it sets off to end before CPU is read


@contextmanager
def server(
    name: str, command: list[str], cwd: Path, env: dict[str, str], ready_path: str, port: int, cpus: str | None
) -> Iterator:
    url = f"http://127.0.0.1:{port}"
    log_path = ARTIFACTS / f"load-{name}-{port}.log"
    log_path.unlink(missing_ok=True)
    with running(pinned(command, cpus), cwd, {**os.environ, **env}, url + ready_path, log_path, timeout=180) as process:
        yield ServerProcess(name, url, process.pid)


def start_servers(
    stack: ExitStack, demo_dir: str, pages: set[str], cpus: str | None
) -> tuple[ServerProcess, dict[str, ServerProcess]]:
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
            cpus,
        )
    )
    api_url = f"{api.url}/api/v1"
    commands = {
        "forecast": (
            lambda port: dashboard_command("frontend", port),
            REPO_ROOT / "app-frontend",
            {"APP_FRONTEND_API_URL": api_url},
        ),
        "monitoring": (
            lambda port: dashboard_command("monitoring", port),
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
        servers[name] = stack.enter_context(server(name, command(port), cwd, env, "/_stcore/health", port, cpus))
    return api, servers


def seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def milliseconds(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.0f}"


def times(phase: Phase) -> str:
    return " / ".join(seconds(phase.percentile(p)) for p in (50, 95, 99))


def cores(phase: Phase, spent: float) -> str:
    return f"{spent / phase.wall_seconds:.2f}" if phase.wall_seconds else "-"


def table(levels: list[LevelResult]) -> list[str]:
    lines = [
        "| page | N | opens: p50 / p95 / p99 s (views) | server CPU per open ms (API) | "
        "changes: p50 / p95 / p99 s (views) | server CPU per change ms | burst of N opens: p95 s | "
        "server busy, cores: opens / changes | load generator, cores: opens / changes | errors |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for level in levels:
        opens, changes = level.opens, level.changes
        errors = len(level.burst.errors) + len(opens.errors) + len(changes.errors)
        lines.append(
            f"| {level.scenario} | {level.viewers} | {times(opens)} ({opens.views}) | "
            f"{milliseconds(opens.cpu_per_view(opens.server_cpu_seconds))} "
            f"({milliseconds(opens.cpu_per_view(opens.api_cpu_seconds))}) | {times(changes)} ({changes.views}) | "
            f"{milliseconds(changes.cpu_per_view(changes.server_cpu_seconds))} | "
            f"{seconds(level.burst.percentile(95))} | "
            f"{cores(opens, opens.server_cpu_seconds)} / {cores(changes, changes.server_cpu_seconds)} | "
            f"{cores(opens, opens.tool_cpu_seconds)} / {cores(changes, changes.tool_cpu_seconds)} | {errors} |"
        )
    return lines


def memory_table(memories: list[IdleMemory]) -> list[str]:
    lines = [
        "| page | idle sessions (counted by Streamlit) | RSS before / with them MB | MB per idle session |",
        "|---|---|---|---|",
    ]
    for memory in memories:
        lines.append(
            f"| {memory.scenario} | {memory.sessions} ({memory.sessions_counted}) | "
            f"{memory.rss_before_mb:.0f} / {memory.rss_with_sessions_mb:.0f} | {memory.mb_per_session:.2f} |"
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


# Every chart of the view drawn and the script run over (as scripts/measure_monitoring.py waits).
DRAWN = """charts => {
    const plots = [...document.querySelectorAll('.js-plotly-plot')];
    return plots.length >= charts && plots.every(plot => plot.querySelector('.cartesianlayer .mlayer > *'))
        && document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state') === 'notRunning';
}"""


class FrameClock:
    """When Chromium requested the page, sent each `rerun_script` and received each `script_finished`,
    on Chromium's own clock (the DevTools protocol's Network events carry their timestamps, so the
    time the events take to reach this process does not count)."""

    def __init__(self) -> None:
        self.document: float | None = None
        self.reruns: list[float] = []
        self.finishes: list[float] = []

    async def attach(self, context, page: Page) -> None:
        session = await context.new_cdp_session(page)
        session.on("Network.requestWillBeSent", self._request)
        session.on("Network.webSocketFrameSent", self._sent)
        session.on("Network.webSocketFrameReceived", self._received)
        await session.send("Network.enable")

    def _request(self, event: dict) -> None:
        if event.get("type") == "Document" and self.document is None:
            self.document = event["timestamp"]

    @staticmethod
    def _payload(event: dict) -> bytes | None:
        frame = event["response"]
        return base64.b64decode(frame["payloadData"]) if frame.get("opcode") == 2 else None

    def _sent(self, event: dict) -> None:
        payload = self._payload(event)
        if payload is not None and BackMsg.FromString(payload).WhichOneof("type") == "rerun_script":
            self.reruns.append(event["timestamp"])

    def _received(self, event: dict) -> None:
        payload = self._payload(event)
        if payload is None:
            return
        message = ForwardMsg.FromString(payload)
        if (
            message.WhichOneof("type") == "script_finished"
            and message.script_finished != ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
        ):
            self.finishes.append(event["timestamp"])

    async def finished(self, count: int, timeout: float = 60) -> float:
        """The browser's time of the `count`-th `script_finished` frame, once it has arrived."""
        deadline = time.perf_counter() + timeout
        while len(self.finishes) < count:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"script_finished number {count} did not arrive")
            await asyncio.sleep(0.005)
        return self.finishes[count - 1]


async def click_choice(page: Page, widget: Widget, choice: str) -> None:
    """Choose `choice` in the widget the way a viewer does: open the selectbox and pick the option
    (typed, so that long lists show it), or click the radio or segmented-control option."""
    if widget.kind == "selectbox":
        box = page.get_by_role("combobox", name=widget.label)
        await box.click()
        await box.fill(choice)
        await page.get_by_role("option", name=choice, exact=True).click()
    elif widget.kind == "radio":  # its input is hidden under the option's label, which takes the click
        await page.locator('[data-testid="stRadio"]').get_by_text(choice, exact=True).click()
    else:
        await page.get_by_role("radio", name=choice, exact=True).click()


def cpu_of(server: ServerProcess):
    """A stopwatch of the server's CPU seconds: call it to start, call the result to read."""
    before = server.cpu_seconds()
    return lambda: server.cpu_seconds() - before


async def browser_views(browser, server: ServerProcess, scenario: Scenario, widget: Widget, choice: str) -> dict:
    """One open and one change in a fresh Chromium context (no cached files): the websocket spans on
    Chromium's clock, the times to drawn, and the server's CPU for each."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = await context.new_page()
        clock = FrameClock()
        await clock.attach(context, page)
        cpu = cpu_of(server)
        started = time.perf_counter()
        await page.goto(server.url + scenario.link)
        await page.wait_for_function(DRAWN, arg=scenario.charts, polling="raf", timeout=60_000)
        drawn = time.perf_counter()
        opened = await clock.finished(1)
        await asyncio.sleep(SETTLE_SECONDS)  # files the page fetches after its first run (lazy chunks)
        open_cpu = cpu()
        cpu = cpu_of(server)
        await click_choice(page, widget, choice)
        changed = await clock.finished(2)
        finished = time.perf_counter()
        await page.wait_for_function(DRAWN, arg=1, polling="raf", timeout=60_000)
        redrawn = time.perf_counter()
        return {
            "open": opened - clock.reruns[0],
            "open from navigation": opened - clock.document,
            "open to drawn": drawn - started,
            "open CPU": open_cpu,
            "change": changed - clock.reruns[1],
            "change to drawn": redrawn - finished,
            "change CPU": cpu(),
        }
    finally:
        await context.close()


async def tool_views(server: ServerProcess, scenario: Scenario, assets: list[str]) -> tuple[dict, Widget, str]:
    """The tool's open and change (a returning viewer), and an open with the page's files (a first
    visit), with the server's CPU for each; the widget and choice, for Chromium to make the same."""
    cpu = cpu_of(server)
    async with Viewer(server.url, scenario.link) as viewer:
        opened = await viewer.open()
        await asyncio.sleep(SETTLE_SECONDS)
        open_cpu = cpu()
        widget = viewer.widget(scenario.change)
        choice = widget.next_choice()
        cpu = cpu_of(server)
        changed = await viewer.set_widget(scenario.change, choice)
        change_cpu = cpu()
    cpu = cpu_of(server)
    async with Viewer(server.url, scenario.link, assets=assets) as viewer:
        cold = await viewer.open()
        await asyncio.sleep(SETTLE_SECONDS)
    measured = {
        "open": opened.seconds,
        "open CPU": open_cpu,
        "change": changed.seconds,
        "change CPU": change_cpu,
        "cold open": cold.seconds,
        "cold open CPU": cpu(),
    }
    return measured, widget, choice


async def recorded_assets(browser, url: str, scenario: Scenario) -> list[str]:
    """The paths of the files Chromium fetched from the server for a first view of the page (its
    JavaScript, CSS, fonts, the plotly.js bundle), other than the page itself and `/_stcore/`."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    paths: list[str] = []

    def seen(request) -> None:
        path = request.url.removeprefix(url)
        if path != request.url and request.resource_type != "document" and not path.startswith("/_stcore/"):
            paths.append(path)

    try:
        page = await context.new_page()
        page.on("request", seen)
        await page.goto(url + scenario.link)
        await page.wait_for_function(DRAWN, arg=scenario.charts, polling="raf", timeout=60_000)
        await asyncio.sleep(SETTLE_SECONDS)
    finally:
        await context.close()
    return paths


async def record_all_assets(servers: dict[str, ServerProcess], scenarios: list[Scenario]) -> dict[str, list[str]]:
    async with async_playwright() as playwright:
        browser = await launch_chromium(playwright)
        try:
            return {
                scenario.name: await recorded_assets(browser, servers[scenario.server].url, scenario)
                for scenario in scenarios
            }
        finally:
            await browser.close()


async def browser_check(servers: dict[str, ServerProcess], rounds: int) -> list[str]:
    scenarios = [scenario for scenario in SCENARIOS if scenario.server in servers]
    lines = [
        "| page | open s: tool / Chromium span / Chromium from navigation / to drawn | server CPU per open ms: "
        "tool / tool with the files / Chromium | change s: tool / Chromium span / Chromium then to drawn | "
        "server CPU per change ms: tool / Chromium | files |",
        "|---|---|---|---|---|---|",
    ]
    async with async_playwright() as playwright:
        browser = await launch_chromium(playwright)
        warm = await browser.new_page()  # the browser's own first page costs more; no page should pay it
        await warm.goto(next(iter(servers.values())).url + "/_stcore/health")
        await warm.close()
        for scenario in scenarios:
            server = servers[scenario.server]
            await warm_up(scenario, server, WARM_UP_CHANGES)
            assets = await recorded_assets(browser, server.url, scenario)
            tool: dict[str, list[float]] = {}
            chromium: dict[str, list[float]] = {}
            for _ in range(rounds):
                measured, widget, choice = await tool_views(server, scenario, assets)
                seen = await browser_views(browser, server, scenario, widget, choice)
                for name, value in measured.items():
                    tool.setdefault(name, []).append(value)
                for name, value in seen.items():
                    chromium.setdefault(name, []).append(value)

            def s(values: list[float]) -> str:
                return f"{statistics.median(values):.3f}"

            def ms(values: list[float]) -> str:
                return f"{statistics.median(values) * 1000:.0f}"

            lines.append(
                f"| {scenario.name} | {s(tool['open'])} / {s(chromium['open'])} / "
                f"{s(chromium['open from navigation'])} / {s(chromium['open to drawn'])} | "
                f"{ms(tool['open CPU'])} / {ms(tool['cold open CPU'])} / {ms(chromium['open CPU'])} | "
                f"{s(tool['change'])} / {s(chromium['change'])} / {s(chromium['change to drawn'])} | "
                f"{ms(tool['change CPU'])} / {ms(chromium['change CPU'])} | {len(assets)} |"
            )
        await browser.close()
    return lines


async def run(arguments: argparse.Namespace, api: ServerProcess, servers: dict[str, ServerProcess]) -> dict:
    scenarios = [scenario for scenario in SCENARIOS if scenario.server in servers]
    for scenario in scenarios:
        await warm_up(scenario, servers[scenario.server], WARM_UP_CHANGES)
    assets = await record_all_assets(servers, scenarios) if arguments.cold else {}
    memories = [
        await idle_memory(scenario, servers[scenario.server], max(arguments.levels), arguments.timeout)
        for scenario in scenarios
    ]
    levels: list[LevelResult] = []
    load: list[float] = []
    for viewers in arguments.levels:
        for scenario in scenarios:
            load.append(os.getloadavg()[0])
            level = await measure_level(
                scenario,
                servers[scenario.server],
                api,
                viewers,
                arguments.seconds,
                arguments.views,
                arguments.timeout,
                assets.get(scenario.name),
            )
            levels.append(level)
            print(
                f"  {scenario.name}, N={viewers}: opens p95 {seconds(level.opens.percentile(95))} s, "
                f"changes p95 {seconds(level.changes.percentile(95))} s, load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    releases = await released(list(servers.values()), arguments.release_wait, arguments.timeout)
    return {"levels": levels, "releases": releases, "load": load, "memories": memories}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", default="1,5,10,20,40", help="numbers of viewers, comma-separated")
    parser.add_argument("--seconds", type=float, default=15, help="length of the changes and opens phases")
    parser.add_argument("--views", type=int, default=500, help="at most this many views per viewer and phase")
    parser.add_argument("--timeout", type=float, default=120, help="a view not finished by then is an error")
    parser.add_argument("--pages", default="forecast,monitoring,floor", help="servers to load, comma-separated")
    parser.add_argument("--release-wait", type=float, default=130, help="seconds after the last viewer left")
    parser.add_argument("--json", type=Path, help="also write every figure (and every view's time) here")
    parser.add_argument(
        "--cold", action="store_true", help="every opening viewer also fetches the page's files (a first visit)"
    )
    parser.add_argument(
        "--pin",
        action="store_true",
        help="the servers on the first CPU, the load generator on the others (so it does not take the servers' CPU)",
    )
    parser.add_argument("--browser-check", type=int, metavar="ROUNDS", help="compare with Chromium at N = 1 instead")
    arguments = parser.parse_args()
    arguments.levels = [int(level) for level in arguments.levels.split(",")]
    pages = set(arguments.pages.split(","))
    started = datetime.now(UTC)
    load_before = os.getloadavg()[0]
    server_cpus = servers_apart_from_generator(arguments.pin)  # the viewers' threads: the other CPUs
    with tempfile.TemporaryDirectory(prefix="demo-bucket-") as demo_dir, ExitStack() as stack:
        api, servers = start_servers(stack, demo_dir, pages, server_cpus)
        if arguments.browser_check:
            lines = asyncio.run(browser_check(servers, arguments.browser_check))
            print(
                f"The tool against Chromium at N = 1, {started:%Y-%m-%d %H:%M} UTC, medians of "
                f"{arguments.browser_check} rounds, load average {load_before:.1f} before, "
                f"{os.getloadavg()[0]:.1f} after:\n"
            )
            print("\n".join(lines))
            return
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
        f"API on the demo bucket; {VISITS[arguments.cold]}"
        + (f"; servers pinned to CPU {server_cpus}, the load generator to the others;" if server_cpus else ";"),
        f"phases of {arguments.seconds:g} s (at most {arguments.views} views per viewer); "
        f"load generator CPU {tool_cpu:.0f} s against the Streamlit servers' {server_cpu:.0f} s.",
        "",
        *table(levels),
        "",
        "p95 against the floor page's p95 at the same N:",
        "",
        *ratios(levels),
        "",
        "Memory per idle session (viewers who opened the page one after another and stay), before the levels:",
        "",
        *memory_table(outcome["memories"]),
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
                    "idle_memory": [asdict(memory) for memory in outcome["memories"]],
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
