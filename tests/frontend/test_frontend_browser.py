"""The forecast dashboard end to end: real API and dashboard processes, driven in headless Chromium.

Expected series come from the API itself (same process the dashboard talks to), so the checks hold
for any fixture data. Screenshots go to test-artifacts/ for a person to look at.
"""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import httpx
import pytest
from support import ARTIFACTS, BUCKET_PANDAS15, running_api

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHART = "[data-testid='stPlotlyChart'] .js-plotly-plot"
CHART_TIMEOUT_MS = 60_000

CHART_TRACES = """() => {
    const chart = document.querySelector("[data-testid='stPlotlyChart'] .js-plotly-plot");
    return chart._fullData.map(trace => ({
        name: trace.name,
        points: trace.x.length,
        values: Array.from(trace.y).filter(value => value !== null && !Number.isNaN(value)).length,
        first_value: trace.y[0],
    }));
}"""


def wait_for_chart(page, title_part: str) -> None:
    """Wait until the chart is drawn with traces and its title names the expected series."""
    page.wait_for_function(
        """(part) => {
            const chart = document.querySelector("[data-testid='stPlotlyChart'] .js-plotly-plot");
            return chart && chart._fullData && chart._fullData.length > 0
                && chart.querySelectorAll('.scatterlayer .trace').length > 0
                && chart.layout.title.text.includes(part);
        }""",
        arg=title_part,
        timeout=CHART_TIMEOUT_MS,
    )


def choose(page, label: str, option: str) -> None:
    """Type into a Streamlit selectbox (a searchable combobox) and pick the matching option."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option, exact=True).click()


def api_predictions(api_url: str, area: int, consumer_type: int) -> dict:
    return httpx.get(f"{api_url}/predictions/{area}/{consumer_type}", timeout=10).raise_for_status().json()


def assert_no_traceback(page) -> None:
    assert page.get_by_test_id("stException").count() == 0
    assert "Traceback" not in page.inner_text("body")


def test_chart_shows_the_observed_week_and_the_24_hour_forecast(
    page, dashboard_on_fixture_bucket: str, api_on_fixture_bucket: str
) -> None:
    expected = api_predictions(api_on_fixture_bucket, 1, 111)

    page.goto(dashboard_on_fixture_bucket)
    wait_for_chart(page, "DK1 (west of the Great Belt) · consumer type 111")

    traces = page.evaluate(CHART_TRACES)
    assert [(trace["name"], trace["points"], trace["values"]) for trace in traces] == [
        ("Observed", len(expected["datetime_utc"]), len(expected["energy_consumption"])),
        ("Forecast (next 24 h)", len(expected["preds_datetime_utc"]), 24),
    ]
    assert traces[1]["first_value"] == pytest.approx(expected["preds_energy_consumption"][0])
    assert page.url.endswith("?area=1&consumer_type=111")
    assert page.get_by_text("Forecast for 15 Jun 2023 00:00 – 23:00 UTC").count() == 1
    assert page.get_by_text("Demo data").count() == 0
    assert_no_traceback(page)
    page.screenshot(path=ARTIFACTS / "frontend-chart-1-111.png", full_page=True)


def test_data_behind_the_chart_opens_as_a_table_and_downloads_as_csv(page, dashboard_on_fixture_bucket: str) -> None:
    page.goto(f"{dashboard_on_fixture_bucket}/?area=2&consumer_type=462")
    wait_for_chart(page, "DK2 (east) · consumer type 462")

    page.get_by_text("Data behind the chart").click()
    page.get_by_test_id("stDataFrame").wait_for(timeout=CHART_TIMEOUT_MS)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").click()
    csv_lines = download_info.value.path().read_text().splitlines()

    assert download_info.value.suggested_filename == "forecast_area2_consumer_type462.csv"
    assert csv_lines[0] == "hour_utc,observed_kwh,forecast_kwh"
    assert len(csv_lines) == 1 + 168 + 24
    assert csv_lines[-1].startswith("2023-06-15T23:00Z,,")
    page.set_viewport_size({"width": 1400, "height": 1700})
    page.screenshot(path=ARTIFACTS / "frontend-data-table-2-462.png")


def test_switching_consumer_type_redraws_the_chart_for_that_series(
    page, dashboard_on_fixture_bucket: str, api_on_fixture_bucket: str
) -> None:
    expected = api_predictions(api_on_fixture_bucket, 1, 112)
    page.goto(dashboard_on_fixture_bucket)
    wait_for_chart(page, "consumer type 111")
    before = page.evaluate(CHART_TRACES)

    choose(page, "Consumer type (DE35 code, type to search)", "112")
    wait_for_chart(page, "DK1 (west of the Great Belt) · consumer type 112")

    after = page.evaluate(CHART_TRACES)
    assert after[1]["first_value"] == pytest.approx(expected["preds_energy_consumption"][0])
    assert after[1]["first_value"] != before[1]["first_value"]
    assert [trace["points"] for trace in after] == [len(expected["datetime_utc"]), 24]
    page.wait_for_url("**/?area=1&consumer_type=112")
    page.screenshot(path=ARTIFACTS / "frontend-switched-1-112.png", full_page=True)


def test_deep_link_opens_that_series(page, dashboard_on_fixture_bucket: str, api_on_fixture_bucket: str) -> None:
    expected = api_predictions(api_on_fixture_bucket, 2, 462)

    page.goto(f"{dashboard_on_fixture_bucket}/?area=2&consumer_type=462")
    wait_for_chart(page, "DK2 (east) · consumer type 462")

    traces = page.evaluate(CHART_TRACES)
    assert traces[1]["first_value"] == pytest.approx(expected["preds_energy_consumption"][0])
    assert page.get_by_role("combobox", name="Price area").input_value() == "DK2 (east)"
    assert page.get_by_role("combobox", name="Consumer type (DE35 code, type to search)").input_value() == "462"
    page.screenshot(path=ARTIFACTS / "frontend-deep-link-2-462.png", full_page=True)


def test_invalid_deep_link_falls_back_with_a_notice(page, dashboard_on_fixture_bucket: str) -> None:
    page.goto(f"{dashboard_on_fixture_bucket}/?area=7&consumer_type=111")
    wait_for_chart(page, "DK1 (west of the Great Belt) · consumer type 111")

    assert page.get_by_text("The link asks for area 7, which has no data").count() == 1
    page.wait_for_url("**/?area=1&consumer_type=111")
    page.screenshot(path=ARTIFACTS / "frontend-deep-link-invalid.png", full_page=True)


def test_stopping_the_api_shows_a_warning_naming_it_instead_of_a_traceback(
    page, start_dashboard: Callable[[str], AbstractContextManager[str]]
) -> None:
    with api_that_can_be_stopped() as (api_url, stop_api), start_dashboard(api_url) as dashboard_url:
        page.goto(dashboard_url)
        wait_for_chart(page, "consumer type 111")

        stop_api()
        choose(page, "Consumer type (DE35 code, type to search)", "112")

        warning = page.get_by_text(f"The forecast API is not answering at {api_url}/predictions/1/112")
        warning.wait_for(timeout=CHART_TIMEOUT_MS)
        page.screenshot(path=ARTIFACTS / "frontend-api-stopped-selection.png", full_page=True)
        page.get_by_role("button", name="Retry").wait_for()
        assert page.locator(CHART).count() == 0
        assert_no_traceback(page)

        page.get_by_role("button", name="Retry").click()
        page.reload()

        page.get_by_text(f"The forecast API is not answering at {api_url}/freshness").wait_for(timeout=CHART_TIMEOUT_MS)
        assert page.get_by_role("heading", name="Hourly electricity consumption forecast").count() == 1
        assert_no_traceback(page)
        page.screenshot(path=ARTIFACTS / "frontend-api-stopped-reload.png", full_page=True)


@contextmanager
def api_that_can_be_stopped() -> Iterator[tuple[str, Callable[[], None]]]:
    """An API process of this test alone, with a function that stops it early."""
    api = running_api(BUCKET_PANDAS15)
    api_url = api.__enter__()
    stopped = False

    def stop() -> None:
        nonlocal stopped
        if not stopped:
            stopped = True
            api.__exit__(None, None, None)

    try:
        yield api_url, stop
    finally:
        stop()
