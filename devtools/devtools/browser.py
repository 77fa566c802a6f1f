"""The one Chromium: Debian's binary (playwright cannot download browsers here), launched headless."""

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_MESSAGE = f"Chromium not found at {CHROMIUM}: install Debian's `chromium` package (apt-get install chromium)"


def chromium_found() -> bool:
    return Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


def launch_chromium(playwright: Any, executable: str = CHROMIUM) -> Any:
    """A headless Chromium from `sync_playwright()` (or the async API's `playwright`), started as the tests do."""
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


# Points per trace of every Plotly chart on the page, read from the live chart elements.
CHART_POINTS_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map((chart) =>
  (chart.data || []).map((trace, i) => {
    const size = (values) => (values && typeof values.length === 'number' ? values.length : 0);
    const calculated = chart.calcdata && chart.calcdata[i] ? chart.calcdata[i].length : 0;
    return Math.max(size(trace.x), size(trace.y), size(trace.values), calculated);
  }))"""
EVERY_CHART_HAS_POINTS_JS = (
    f"() => {{ const charts = ({CHART_POINTS_JS})();"
    " return charts.length > 0 && charts.every((traces) => traces.some((n) => n > 0)); }"
)
# Streamlit marks its app element with the script's state as soon as it changes ('running' while a
# run is going on); the status widget appears only after a delay, so its absence proves nothing.
SCRIPT_FINISHED_JS = """() => document.querySelector('[data-testid="stApp"]')
    ?.getAttribute('data-test-script-state') === 'notRunning'"""
STREAMLIT_ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


@dataclass(frozen=True)
class DashboardView:
    """What a loaded Streamlit page shows: points per trace of each Plotly chart, and any error boxes' text."""

    charts: list[list[int]]
    errors: list[str]

    @property
    def charts_without_points(self) -> list[int]:
        return [i for i, traces in enumerate(self.charts) if not any(n > 0 for n in traces)]


def read_dashboard(page: Any, url: str, screenshot: Path, timeout_s: float = 120) -> DashboardView:
    """Open a dashboard and wait until every Plotly chart has a trace with points and Streamlit's script
    run is over (its own state on the app element, not a fixed pause: something the run draws after
    the charts, an error box included, is then on the page); then read the charts and the errors. The
    page is screenshotted to `screenshot` either way (a timeout included), for a human to look at."""
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    try:
        page.goto(url, wait_until="domcontentloaded", timeout=60_000)
        page.wait_for_function(EVERY_CHART_HAS_POINTS_JS, timeout=timeout_s * 1000, polling=500)
        page.wait_for_function(SCRIPT_FINISHED_JS, timeout=timeout_s * 1000, polling=100)
        charts = page.evaluate(CHART_POINTS_JS)
        errors = page.locator(STREAMLIT_ERRORS)
        return DashboardView(charts, [errors.nth(i).inner_text()[:300] for i in range(errors.count())])
    finally:
        page.screenshot(path=str(screenshot), full_page=True)
