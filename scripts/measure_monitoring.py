"""Measure the monitoring dashboard in headless Chromium and print the figures (not a test).

Starts the real API on bucket-pandas15, the monitoring dashboard, and a one-chart Streamlit page
(the floor: what any Streamlit page with one Plotly chart costs on this machine), then measures
in the same run, alternating the two pages:

- page load: from navigation to every chart drawn and the script finished (3 charts vs 1);
- series change: from the pointer press that chooses another series (in the selectbox, or a row of
  the breakdown table) to the detail chart showing that series.

Targets: load within 1.3x the floor, series change under 0.5 s. Wall times depend on what else
the machine runs, so the script also prints the load average and the CPU seconds that Chromium and
each Streamlit server used per page load (from /proc), which other processes do not inflate much.
Run from the repository root: `uv run python scripts/measure_monitoring.py [--rounds 7]`.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from dashboard_common.labels import area_label
from devtools.browser import CHROMIUM, launch_chromium
from devtools.paths import BUCKET_PANDAS15
from devtools.processes import running_api, running_streamlit
from playwright.sync_api import Page, sync_playwright

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

DRAWN = """count => {
    const plots = [...document.querySelectorAll('.js-plotly-plot')];
    return plots.length === count && plots.every(plot => plot.querySelector('.cartesianlayer .mlayer > *'))
        && !document.querySelector('[data-testid="stStatusWidget"]');
}"""

# Records the time of the next pointer press, then watches (every frame) for the detail chart's
# title to start with the expected series name and records that time too.
WATCH_DETAIL = """expected => {
    window.__pressed = null;
    window.__drawn = null;
    document.addEventListener('pointerdown', () => { window.__pressed = performance.now(); },
                              {capture: true, once: true});
    const check = () => {
        const titles = [...document.querySelectorAll('.js-plotly-plot .gtitle')];
        if (window.__pressed !== null && titles.length === 3 && titles[2].textContent.startsWith(expected)) {
            window.__drawn = performance.now();
        } else {
            requestAnimationFrame(check);
        }
    };
    requestAnimationFrame(check);
}"""
ROW_HEIGHT = 35
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


def seconds_to_draw(page: Page, url: str, charts: int) -> float:
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


def change_with_table_row(page: Page, row: int, series: tuple[int, int]) -> float:
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.evaluate(WATCH_DETAIL, series_name(series))
    page.mouse.click(box["x"] + 18, box["y"] + ROW_HEIGHT * (row + 1) + ROW_HEIGHT / 2)
    return seconds_to_redraw(page, series)


def describe(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} s  (min {min(values):.2f}, max {max(values):.2f}, n={len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="page loads of each page (default 7)")
    parser.add_argument("--chromium", default=CHROMIUM)
    arguments = parser.parse_args()
    load_before = f"{os.getloadavg()[0]:.1f}"

    with tempfile.TemporaryDirectory() as floor_dir:
        (Path(floor_dir) / "floor.py").write_text(FLOOR_APP)
        with running_api(BUCKET_PANDAS15) as api_url:
            env = {"APP_MONITORING_API_URL": api_url}
            summary = httpx.get(f"{api_url}/monitoring/summary", timeout=10).json()
            worst_first = [(entry["area"], entry["consumer_type"]) for entry in summary["series"]]
            with (
                running_streamlit("app-monitoring", "monitoring/main.py", env) as dashboard_url,
                running_streamlit(floor_dir, "floor.py", env) as floor_url,
                sync_playwright() as playwright,
            ):
                browser = launch_chromium(playwright, arguments.chromium)
                loads: dict[str, list[float]] = {"floor": [], "monitoring": []}
                browser_cpu: dict[str, list[float]] = {"floor": [], "monitoring": []}
                server_cpu: dict[str, list[float]] = {"floor": [], "monitoring": []}
                server_needle = {"floor": "floor.py", "monitoring": "monitoring/main.py"}
                selectbox_changes: list[float] = []
                row_changes: list[float] = []
                for round_number in range(arguments.rounds + 1):
                    for name, url, charts in (("floor", floor_url, 1), ("monitoring", dashboard_url, 3)):
                        context = browser.new_context(viewport={"width": 1400, "height": 1000})
                        page = context.new_page()
                        browser_before = cpu_seconds("chromium")
                        server_before = cpu_seconds(server_needle[name])
                        seconds = seconds_to_draw(page, url, charts)
                        if round_number > 0:  # round 0 warms both servers and the browser cache
                            loads[name].append(seconds)
                            browser_cpu[name].append(cpu_seconds("chromium") - browser_before)
                            server_cpu[name].append(cpu_seconds(server_needle[name]) - server_before)
                        if name == "monitoring" and round_number > 0:
                            target = worst_first[1 + round_number % 4]
                            selectbox_changes.append(change_with_selectbox(page, target))
                            row = 5 + round_number % 4
                            row_changes.append(change_with_table_row(page, row, worst_first[row]))
                        context.close()
                browser.close()

    floor, monitoring = statistics.median(loads["floor"]), statistics.median(loads["monitoring"])
    floor_cpu = statistics.median(browser_cpu["floor"]) + statistics.median(server_cpu["floor"])
    monitoring_cpu = statistics.median(browser_cpu["monitoring"]) + statistics.median(server_cpu["monitoring"])
    lines = [
        "Monitoring dashboard, headless Chromium, API on bucket-pandas15 (76 series), same run:",
        f"  load average before / after:               {load_before} / {os.getloadavg()[0]:.1f}"
        f"  ({os.cpu_count()} CPUs)",
        f"  floor page, 1 chart, load to drawn:        {describe(loads['floor'])}",
        f"  monitoring page, 3 charts, load to drawn:  {describe(loads['monitoring'])}",
        f"  ratio of medians monitoring / floor:       {monitoring / floor:.2f}x  (target <= 1.3x)",
        f"  CPU per load, floor: Chromium {statistics.median(browser_cpu['floor']):.2f} s + server "
        f"{statistics.median(server_cpu['floor']):.2f} s; monitoring: Chromium "
        f"{statistics.median(browser_cpu['monitoring']):.2f} s + server "
        f"{statistics.median(server_cpu['monitoring']):.2f} s; ratio {monitoring_cpu / floor_cpu:.2f}x",
        f"  series change via selectbox, to redrawn:   {describe(selectbox_changes)}  (target < 0.5 s)",
        f"  series change via table row, to redrawn:   {describe(row_changes)}  (target < 0.5 s)",
    ]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
