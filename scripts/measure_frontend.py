"""Print how fast the forecast dashboard draws its chart, next to Streamlit's own floor.

Not a test: it prints figures. It starts the API once (warm, on a bucket) and then, `--starts`
times, starts the forecast dashboard (`python -m frontend`, as the container and `dev.py up` do)
and a one-chart Streamlit page (the floor) as new processes, and in headless Chromium measures
- first view after start: the first page load to chart drawn once the server answers its health
  check (imports and first-run work are paid here), for both pages, alternating which goes first;
- later views: further page loads to chart drawn, interleaved between the two pages;
each in a fresh browser context (navigation start to the first plotted trace, in-page clock); and,
on the last start,
- selection change to chart redrawn on the dashboard (option pressed to new series drawn).

    uv run python scripts/measure_frontend.py [--bucket PATH] [--starts 3] [--loads 5] [--switches 8]
"""

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

import httpx
from devtools.browser import launch_chromium
from devtools.paths import BUCKET_PANDAS15
from devtools.processes import running_api, running_dashboard, running_streamlit
from playwright.sync_api import Page, sync_playwright

CHART_DRAWN = """(titlePart) => {
    const chart = document.querySelector(".js-plotly-plot");
    if (!chart || !chart._fullData || chart.querySelectorAll('.scatterlayer .trace path').length === 0) return false;
    if (titlePart && !(chart.layout.title && chart.layout.title.text.includes(titlePart))) return false;
    return performance.now();
}"""

FLOOR_PAGE = '''"""Streamlit's floor: one Plotly line chart of a week plus a day of hourly values, nothing else."""
import math

import plotly.graph_objects as go
import streamlit as st

hours = list(range(192))
st.plotly_chart(go.Figure(go.Scatter(x=hours, y=[50 + 30 * math.sin(h / 24 * 2 * math.pi) for h in hours])))
'''
CONSUMER_TYPE_BOX = "Consumer type (DE35 code, type to search)"


def load_to_chart_ms(browser, url: str, title_part: str | None = None) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(url, wait_until="commit")
        return float(page.wait_for_function(CHART_DRAWN, arg=title_part, polling="raf", timeout=60_000).json_value())
    finally:
        context.close()


def switch_to_chart_ms(page: Page, consumer_type: int) -> float:
    """From the user pressing the option (the browser's own event time) to the new series drawn."""
    box = page.get_by_role("combobox", name=CONSUMER_TYPE_BOX)
    box.click()
    box.fill(str(consumer_type))
    option = page.get_by_role("option", name=str(consumer_type), exact=True)
    option.wait_for()
    page.evaluate(
        "() => { window.__pressedAt = null; document.addEventListener('pointerdown', "
        "event => { window.__pressedAt = event.timeStamp; }, {capture: true, once: true}); }"
    )
    option.click()
    drawn = page.wait_for_function(CHART_DRAWN, arg=f"· {consumer_type}", polling="raf", timeout=60_000).json_value()
    return float(drawn) - float(page.evaluate("window.__pressedAt"))


def summary(label: str, values_ms: list[float]) -> str:
    seconds = [value / 1000 for value in values_ms]
    return (
        f"{label:<46} median {statistics.median(seconds):6.3f} s   min {min(seconds):6.3f} s   "
        f"max {max(seconds):6.3f} s   (n={len(seconds)})"
    )


def ratio_line(label: str, dashboard: list[float], floor: list[float], target: float) -> str:
    ratio = statistics.median(dashboard) / statistics.median(floor)
    return f"{label:<46} {ratio:6.2f}x   (target <= {target}x)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bucket", default=str(BUCKET_PANDAS15), help="bucket folder the API serves")
    parser.add_argument("--starts", type=int, default=3, help="fresh starts of both servers")
    parser.add_argument("--loads", type=int, default=5, help="later page loads measured per page and start")
    parser.add_argument("--switches", type=int, default=8, help="selection changes measured (last start)")
    arguments = parser.parse_args()

    first_dashboard, first_floor, later_dashboard, later_floor, switches = [], [], [], [], []
    load_before = os.getloadavg()[0]
    with (
        tempfile.TemporaryDirectory() as floor_dir,
        running_api(arguments.bucket) as api_url,
        sync_playwright() as playwright,
    ):
        (Path(floor_dir) / "floor.py").write_text(FLOOR_PAGE)
        consumer_types = httpx.get(f"{api_url}/consumer_type_values", timeout=10).json()["values"]
        # The API is long-running in production: let it build the answers the page asks for first
        # once, so the first views measure the dashboard's start, not the API's.
        v2 = api_url.removesuffix("/v1") + "/v2"
        for path in ("status", "series", "series/all/all", "monitoring/series/all/all"):
            httpx.get(f"{v2}/{path}", params={"tz": "Europe/Copenhagen"}, timeout=30).raise_for_status()
        browser = launch_chromium(playwright)
        warm_up = browser.new_page()  # the browser's own first page costs more; neither page should pay it
        warm_up.goto(f"{api_url}/health")
        warm_up.close()
        for start in range(arguments.starts):
            with (
                running_dashboard("frontend", {"APP_FRONTEND_API_URL": api_url}) as dashboard,
                running_streamlit(floor_dir, "floor.py", {}) as floor,
            ):
                # First views: both servers just answered their health check; alternate who goes first.
                if start % 2 == 0:
                    first_dashboard.append(load_to_chart_ms(browser, dashboard, "·"))
                    first_floor.append(load_to_chart_ms(browser, floor))
                else:
                    first_floor.append(load_to_chart_ms(browser, floor))
                    first_dashboard.append(load_to_chart_ms(browser, dashboard, "·"))
                for _ in range(arguments.loads):  # interleaved, so both see the same machine load
                    later_dashboard.append(load_to_chart_ms(browser, dashboard, "·"))
                    later_floor.append(load_to_chart_ms(browser, floor))
                if start == arguments.starts - 1:
                    page = browser.new_page(viewport={"width": 1400, "height": 1000})
                    page.goto(dashboard)
                    page.wait_for_function(CHART_DRAWN, arg="·", polling="raf", timeout=60_000)
                    # Each series once while not yet cached by the dashboard, then each again (cached).
                    new_series = sorted(consumer_types)[: arguments.switches // 2]
                    switches = [switch_to_chart_ms(page, code) for code in new_series + new_series]
                    page.close()
        browser.close()

    print(
        f"machine: {os.cpu_count()} CPUs, load average {load_before:.1f} before and "
        f"{os.getloadavg()[0]:.1f} after (1 min); bucket {arguments.bucket}"
    )
    print(summary("first view after start, forecast dashboard", first_dashboard))
    print(summary("first view after start, one-chart floor", first_floor))
    print(ratio_line("first view: dashboard / floor (medians)", first_dashboard, first_floor, 1.3))
    print(summary("later views, forecast dashboard", later_dashboard))
    print(summary("later views, one-chart floor", later_floor))
    print(ratio_line("later views: dashboard / floor (medians)", later_dashboard, later_floor, 1.2))
    half = len(switches) // 2
    print(summary("selection change to chart redrawn", switches) + "   (target < 0.5 s)")
    print(summary("  of which: series not cached yet", switches[:half]))
    print(summary("  of which: series seen before (cached)", switches[half:]))


if __name__ == "__main__":
    sys.exit(main())
