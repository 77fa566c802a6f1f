"""Print how fast the forecast dashboard draws its chart, next to Streamlit's own floor.

Not a test: it prints figures. In one run it starts the API (warm, on a fixture bucket), the
forecast dashboard, and a one-chart Streamlit page, then in headless Chromium measures
- page load to chart drawn (navigation start to the first plotted trace, in-page clock), for both
  pages, each in a fresh browser context so nothing is cached in the browser;
- selection change to chart redrawn on the dashboard (option pressed to new series drawn).

    uv run python scripts/measure_frontend.py [--bucket PATH] [--loads 7] [--switches 8]
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
from devtools.processes import running_api, running_streamlit
from playwright.sync_api import Page, sync_playwright

CHART_DRAWN = """(titlePart) => {
    const chart = document.querySelector("[data-testid='stPlotlyChart'] .js-plotly-plot");
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
    box = page.get_by_role("combobox", name="Consumer type (DE35 code, type to search)")
    box.click()
    box.fill(str(consumer_type))
    option = page.get_by_role("option", name=str(consumer_type), exact=True)
    option.wait_for()
    page.evaluate(
        "() => { window.__pressedAt = null; document.addEventListener('pointerdown', "
        "event => { window.__pressedAt = event.timeStamp; }, {capture: true, once: true}); }"
    )
    option.click()
    drawn = page.wait_for_function(
        CHART_DRAWN, arg=f"consumer type {consumer_type}", polling="raf", timeout=60_000
    ).json_value()
    return float(drawn) - float(page.evaluate("window.__pressedAt"))


def summary(label: str, values_ms: list[float]) -> str:
    seconds = [value / 1000 for value in values_ms]
    return (
        f"{label:<44} median {statistics.median(seconds):6.3f} s   min {min(seconds):6.3f} s   "
        f"max {max(seconds):6.3f} s   (n={len(seconds)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bucket", default=str(BUCKET_PANDAS15), help="bucket folder the API serves")
    parser.add_argument("--loads", type=int, default=7, help="page loads measured per page")
    parser.add_argument("--switches", type=int, default=8, help="selection changes measured")
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as floor_dir:
        (Path(floor_dir) / "floor.py").write_text(FLOOR_PAGE)
        with (
            running_api(arguments.bucket) as api_url,
            running_streamlit("app-frontend", "frontend/main.py", {"APP_FRONTEND_API_URL": api_url}) as dashboard,
            running_streamlit(floor_dir, "floor.py", {}) as floor,
            sync_playwright() as playwright,
        ):
            consumer_types = httpx.get(f"{api_url}/consumer_type_values", timeout=10).json()["values"]
            browser = launch_chromium(playwright)
            # Warm-up: API and Streamlit caches, Python imports in both servers.
            for _ in range(2):
                load_to_chart_ms(browser, dashboard, "consumer type")
                load_to_chart_ms(browser, floor)

            dashboard_loads, floor_loads = [], []
            for _ in range(arguments.loads):  # interleaved, so both see the same machine load
                dashboard_loads.append(load_to_chart_ms(browser, dashboard, "consumer type"))
                floor_loads.append(load_to_chart_ms(browser, floor))

            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(dashboard)
            page.wait_for_function(CHART_DRAWN, arg="consumer type 111", polling="raf", timeout=60_000)
            # Each series once while not yet cached by the dashboard, then each again (cached).
            new_series = [code for code in sorted(consumer_types) if code not in (111, 462)][: arguments.switches // 2]
            switches = [switch_to_chart_ms(page, consumer_type) for consumer_type in new_series + new_series]
            browser.close()

    ratio = statistics.median(dashboard_loads) / statistics.median(floor_loads)
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; bucket {arguments.bucket}")
    print(summary("page load to chart drawn, forecast dashboard", dashboard_loads))
    print(summary("page load to chart drawn, one-chart floor", floor_loads))
    print(f"{'dashboard / floor (medians)':<44} {ratio:6.2f}x   (target <= 1.2x)")
    half = len(switches) // 2
    print(summary("selection change to chart redrawn", switches) + "   (target < 0.5 s)")
    print(summary("  of which: series not cached yet", switches[:half]))
    print(summary("  of which: series seen before (cached)", switches[half:]))


if __name__ == "__main__":
    sys.exit(main())
