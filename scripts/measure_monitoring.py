"""Measure the monitoring dashboard in headless Chromium and print the figures (not a test).

Starts the real API on bucket-pandas15, the monitoring dashboard, and a one-chart Streamlit page
(the floor: what any Streamlit page with one Plotly chart costs on this machine), then measures
in the same run, alternating the two pages:

- first view: the first page load after the server started (imports and first-run work included),
  on the page's default view ("Over time");
- later views: page loads on the running server, of each of the three views by its link
  (`?view=...`); all from navigation to every chart of the view drawn and the script finished (the
  floor: its one chart), each in a fresh browser context;
- view change: from the click on another view in the view chooser to that view's charts drawn;
- series change: from the pointer press that chooses another series (in the selectbox of "One
  series", or a row of the breakdown table in "By series", which opens "One series") to the detail
  chart showing that series.

The floor draws its chart with `st.plotly_chart` (Streamlit's full plotly.js chunk), the dashboard
with `dashboard_common.charts.plotly_chart` (plotly.js's cartesian bundle, served by the app).
Targets: first view within 1.3x the floor's first view, later views within 1.2x, series change
under 0.5 s. Each page is started as it is deployed (the dashboard with `python -m monitoring`).
Wall times depend on what else the machine runs, so the script also prints the load average and
the CPU seconds that Chromium and the Streamlit server used per later view (from /proc), which
other processes do not inflate much.
Run from the repository root: `uv run python scripts/measure_monitoring.py [--starts 3] [--rounds 5]`.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from dashboard_common.labels import area_label
from devtools.browser import CHROMIUM, launch_chromium
from devtools.paths import BUCKET_PANDAS15
from devtools.processes import free_port, running, running_api
from playwright.sync_api import Page, sync_playwright

REPO_ROOT = Path(__file__).resolve().parent.parent

FLOOR_APP = """
import os

import plotly.graph_objects as go
import requests
import streamlit as st


@st.cache_data(ttl=600)
def metrics() -> dict:
    return requests.get(os.environ["APP_MONITORING_API_URL"] + "/monitoring/metrics", timeout=5).json()


st.title("Floor: one chart")
body = metrics()
st.plotly_chart(go.Figure(go.Scatter(x=body["datetime_utc"], y=body["mape"])))
"""

# Every chart of the view drawn, one of them titled with the view's mark (so a chart left from the
# view before does not count), and the script run over.
DRAWN = """([count, mark]) => {
    const plots = [...document.querySelectorAll('.js-plotly-plot')];
    return plots.length === count && plots.every(plot => plot.querySelector('.cartesianlayer .mlayer > *'))
        && plots.some(plot => (plot.querySelector('.gtitle')?.textContent ?? '').includes(mark))
        && document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state') === 'notRunning';
}"""

# Records the time of the next pointer press, then watches (every frame) for the detail chart's
# title to start with the expected series name and records that time too.
WATCH_DETAIL = """expected => {
    window.__pressed = null;
    window.__drawn = null;
    document.addEventListener('pointerdown', () => { window.__pressed = performance.now(); },
                              {capture: true, once: true});
    const check = () => {
        const titles = [...document.querySelectorAll('.js-plotly-plot .gtitle')].map(title => title.textContent);
        const detail = titles.filter(text => text.includes(' · consumer type '));
        if (window.__pressed !== null && detail.length === 1 && detail[0].startsWith(expected)) {
            window.__drawn = performance.now();
        } else {
            requestAnimationFrame(check);
        }
    };
    requestAnimationFrame(check);
}"""
ROW_HEIGHT = 35
# The page's views, the link that opens each, and the charts each draws: hourly figure and
# hour of day; the heatmap; the series (with its error distribution).
VIEWS = {
    "Over time": ("", [2, "over all series, per hour"]),
    "By series": ("?view=By+series", [1, "by consumer type and area"]),
    "One series": ("?view=One+series", [1, " · consumer type "]),
}
FLOOR_CHARTS = [1, ""]
FIRST_VIEW = "Over time"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _descendants_cpu_seconds() -> dict[int, tuple[str, float]]:
    """CPU seconds (user + system) and command line of every live process below this one."""
    processes: dict[int, tuple[int, str, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        parent, user, system = int(fields[1]), int(fields[11]), int(fields[12])
        processes[int(entry.name)] = (parent, command, (user + system) / CLOCK_TICKS)
    mine = {os.getpid()}
    grew = True
    while grew:
        below = {pid for pid, (parent, _, _) in processes.items() if parent in mine} - mine
        grew = bool(below)
        mine |= below
    return {pid: processes[pid][1:] for pid in mine if pid in processes}


def cpu_seconds(needle: str) -> float:
    """CPU seconds used so far by the live processes below this one whose command line has `needle`."""
    return sum(seconds for command, seconds in _descendants_cpu_seconds().values() if needle in command)


def seconds_to_draw(page: Page, url: str, charts: list) -> float:
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_function(DRAWN, arg=charts, timeout=120_000, polling="raf")
    return time.perf_counter() - started


def series_name(series: tuple[int, int]) -> str:
    return f"{area_label(series[0])} · consumer type {series[1]}"


def seconds_to_redraw(page: Page, series: tuple[int, int]) -> float:
    page.wait_for_function("() => window.__drawn !== null", timeout=30_000, polling=20)
    return page.evaluate("() => window.__drawn - window.__pressed") / 1000


def change_with_selectbox(page: Page, series: tuple[int, int]) -> float:
    selectbox = page.locator('[data-testid="stSelectbox"]')
    selectbox.scroll_into_view_if_needed()
    selectbox.click()
    option = page.get_by_role("option", name=series_name(series), exact=True)
    option.wait_for()
    page.evaluate(WATCH_DETAIL, series_name(series))
    option.click()
    return seconds_to_redraw(page, series)


def change_view(page: Page, view: str) -> float:
    """Seconds from the click on the view in the view chooser to its charts drawn."""
    choice = page.get_by_role("radio", name=view, exact=True)
    choice.scroll_into_view_if_needed()
    started = time.perf_counter()
    choice.click()
    page.wait_for_url(f"**{VIEWS[view][0].replace('?', '')}**" if VIEWS[view][0] else "**", timeout=30_000)
    page.wait_for_function(DRAWN, arg=VIEWS[view][1], timeout=30_000, polling="raf")
    return time.perf_counter() - started


def change_with_table_row(page: Page, row: int, series: tuple[int, int]) -> float:
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.evaluate(WATCH_DETAIL, series_name(series))
    page.mouse.click(box["x"] + 18, box["y"] + ROW_HEIGHT * (row + 1) + ROW_HEIGHT / 2)
    return seconds_to_redraw(page, series)


def describe(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} s  (min {min(values):.2f}, max {max(values):.2f}, n={len(values)})"


@contextmanager
def running_dashboard(command: list[str], cwd: Path, env: dict[str, str]) -> Iterator[str]:
    """A Streamlit server started with `command` (plus address and port flags) on a free port; its URL."""
    port = free_port()
    flags = [
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--server.headless=true",
        "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
    ]
    url = f"http://127.0.0.1:{port}"
    with running([*command, *flags], cwd, {**os.environ, **env}, f"{url}/_stcore/health", timeout=120):
        yield url


def load(browser, url: str, charts: list, needle: str) -> tuple[float, float]:
    """One page load in a fresh browser context: seconds to drawn, CPU seconds (Chromium + server)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    before = cpu_seconds("chromium") + cpu_seconds(needle)
    seconds = seconds_to_draw(page, url, charts)
    used = cpu_seconds("chromium") + cpu_seconds(needle) - before
    context.close()
    return seconds, used


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=3, help="server starts, each giving one first view (default 3)")
    parser.add_argument("--rounds", type=int, default=4, help="later loads of each view per start (default 4)")
    parser.add_argument("--chromium", default=CHROMIUM)
    parser.add_argument(
        "--plain", action="store_true", help="start the dashboard with `streamlit run` (no warm-up) to compare"
    )
    arguments = parser.parse_args()
    load_before = f"{os.getloadavg()[0]:.1f}"
    python = sys.executable

    with tempfile.TemporaryDirectory() as floor_dir:
        (Path(floor_dir) / "floor.py").write_text(FLOOR_APP)
        floor = ([python, "-m", "streamlit", "run", "floor.py"], Path(floor_dir))
        dashboard = ([python, "-m", "monitoring"], REPO_ROOT / "app-monitoring")
        needles = {"floor": "floor.py", "monitoring": "-m monitoring"}
        if arguments.plain:
            dashboard = ([python, "-m", "streamlit", "run", "monitoring/main.py"], REPO_ROOT / "app-monitoring")
            needles["monitoring"] = "monitoring/main.py"
        with running_api(BUCKET_PANDAS15) as api_url, sync_playwright() as playwright:
            env = {"APP_MONITORING_API_URL": api_url}
            summary = httpx.get(f"{api_url.removesuffix('/v1')}/v2/monitoring/summary", timeout=10).json()
            measured = [entry for entry in summary["series"] if entry["wape"] is not None]
            worst_first = [
                (entry["area"], entry["consumer_type"]) for entry in sorted(measured, key=lambda e: -e["wape"])
            ]
            browser = launch_chromium(playwright, arguments.chromium)
            names = ["floor", *VIEWS]
            first: dict[str, list[float]] = {"floor": [], FIRST_VIEW: []}
            later: dict[str, list[float]] = {name: [] for name in names}
            cpu: dict[str, list[float]] = {name: [] for name in names}
            view_changes: dict[str, list[float]] = {view: [] for view in VIEWS}
            selectbox_changes: list[float] = []
            row_changes: list[float] = []
            for start in range(arguments.starts + 1):  # start 0 warms the browser and the disk cache
                with running_dashboard(*floor, env) as floor_url, running_dashboard(*dashboard, env) as dashboard_url:
                    for round_number in range(arguments.rounds + 1):
                        order = names if (start + round_number) % 2 else names[::-1]
                        if round_number == 0:  # the first view after the start: floor and default view only
                            order = [name for name in order if name in first]
                        for name in order:
                            if name == "floor":
                                url, charts, needle = floor_url, FLOOR_CHARTS, needles["floor"]
                            else:
                                url, charts, needle = (
                                    dashboard_url + VIEWS[name][0],
                                    VIEWS[name][1],
                                    needles["monitoring"],
                                )
                            seconds, used = load(browser, url, charts, needle)
                            if start == 0:
                                continue
                            if round_number == 0:
                                first[name].append(seconds)
                            else:
                                later[name].append(seconds)
                                cpu[name].append(used)
                    if start > 0:
                        context = browser.new_context(viewport={"width": 1400, "height": 1000})
                        page = context.new_page()
                        seconds_to_draw(page, dashboard_url, VIEWS[FIRST_VIEW][1])
                        for view in ("By series", "One series", "Over time"):
                            view_changes[view].append(change_view(page, view))
                        change_view(page, "One series")
                        for change in range(2):
                            target = worst_first[1 + (2 * start + change) % 6]
                            selectbox_changes.append(change_with_selectbox(page, target))
                        for change in range(2):
                            change_view(page, "By series")
                            row = 5 + (2 * start + change) % 4
                            row_changes.append(change_with_table_row(page, row, worst_first[row]))
                        context.close()
            browser.close()

    def ratio(loads: list[float], floor_loads: list[float]) -> str:
        return f"{statistics.median(loads) / statistics.median(floor_loads):.2f}x"

    lines = [
        "Monitoring dashboard, each view against a one-chart Streamlit page, headless Chromium,",
        f"API on bucket-pandas15, {arguments.starts} server starts x (1 first view + {arguments.rounds} later loads "
        "of each view),",
        f"dashboard started with {'streamlit run' if arguments.plain else 'python -m monitoring (warm-up)'}:",
        f"  load average before / after:        {load_before} / {os.getloadavg()[0]:.1f}  ({os.cpu_count()} CPUs)",
        f"  first view after start, floor:      {describe(first['floor'])}",
        f"  first view after start, {FIRST_VIEW + ':':11s}{describe(first[FIRST_VIEW])}",
        f"  ratio of medians, first view:       {ratio(first[FIRST_VIEW], first['floor'])}  (target <= 1.3x)",
        f"  later views, floor:                 {describe(later['floor'])}",
    ]
    for view in VIEWS:
        lines += [
            f"  later views, {view + ' (' + str(VIEWS[view][1][0]) + ' charts):':23s}{describe(later[view])}",
            f"    ratio of medians:                 {ratio(later[view], later['floor'])}  (target <= 1.2x)",
        ]
    lines += [
        "  CPU per later view (Chromium + server): "
        + ", ".join(f"{name} {statistics.median(cpu[name]):.2f} s" for name in names),
    ]
    lines += [f"  view change to {view + ':':20s}{describe(view_changes[view])}" for view in VIEWS]
    lines += [
        f"  series change via selectbox:        {describe(selectbox_changes)}  (target < 0.5 s)",
        f"  series change via table row:        {describe(row_changes)}  (opens One series; target < 0.5 s)",
    ]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
