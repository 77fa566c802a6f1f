"""The forecast dashboard end to end: real API and dashboard processes, driven in headless Chromium.

Expected series come from the API itself (same process the dashboard talks to), so the checks hold
for any data. Buckets: the fixture bucket (June 2023) and demo buckets written around the spring
and autumn daylight-saving changes of 2026. Screenshots go to test-artifacts/ for a person to look at.
"""

import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import httpx
import pandas as pd
import pytest
from devtools.waiting import wait_until
from playwright.sync_api import expect
from support import ARTIFACTS, BUCKET_PANDAS15, running_api
from yarl import URL

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHART = ".js-plotly-plot"
CHART_TIMEOUT_MS = 60_000
DRAWN_TIMEOUT_MS = 30_000  # for expect(): what a run draws after the chart (captions, notices)
CONSUMER_TYPE_BOX = "Consumer type (DE35 code, type to search)"

CHART_TRACES = """() => {
    const chart = document.querySelector(".js-plotly-plot");
    return chart._fullData.map(trace => ({
        name: trace.name,
        x: Array.from(trace.x),
        values: Array.from(trace.y).filter(value => value !== null && !Number.isNaN(value)).length,
        first_value: trace.y[0],
        customdata: trace.customdata
            ? Array.from(trace.customdata).map(row => Array.isArray(row) ? row[0] : row) : null,
        fill: trace.fill,
    }));
}"""
NO_SIDEWAYS_OVERFLOW = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def wait_for_chart(page, title_part: str) -> None:
    """Wait until the chart is drawn with traces and its title names the expected series."""
    page.wait_for_function(
        """(part) => {
            const chart = document.querySelector(".js-plotly-plot");
            return chart && chart._fullData && chart._fullData.length > 0
                && chart.querySelectorAll('.scatterlayer .trace').length > 0
                && chart.layout.title.text.includes(part);
        }""",
        arg=title_part,
        timeout=CHART_TIMEOUT_MS,
    )


def traces_by_name(page) -> dict[str, dict]:
    return {trace["name"]: trace for trace in page.evaluate(CHART_TRACES) if trace["name"]}


def choose(page, label: str, option: str) -> None:
    """Type into a Streamlit selectbox (a searchable combobox) and pick the matching option."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option, exact=True).click()


def api_series(api_url: str, area: str, consumer_type: str, tz: str = "Europe/Copenhagen") -> dict:
    v2 = api_url.removesuffix("/v1") + "/v2"
    return httpx.get(f"{v2}/series/{area}/{consumer_type}", params={"tz": tz}, timeout=10).raise_for_status().json()


# Streamlit marks the app element with the script's state as soon as it changes (the status widget
# only appears after a delay, so its absence does not mean the run is over).
SCRIPT_FINISHED = """() => document.querySelector('[data-testid="stApp"]')
    ?.getAttribute('data-test-script-state') === 'notRunning'"""

# Counts the runs the server starts from now on (the app's script state turning to `running`).
COUNT_RUNS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    window.__runsStarted = 0;
    new MutationObserver(() => {
        if (app.getAttribute('data-test-script-state') === 'running') window.__runsStarted += 1;
    }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""
RUN_SINCE_COUNTING_FINISHED = """() => window.__runsStarted > 0 && document.querySelector('[data-testid="stApp"]')
    ?.getAttribute('data-test-script-state') === 'notRunning'"""


def assert_no_traceback(page) -> None:
    """Once the run is over (an exception box is drawn by the run that raised), none is on the page."""
    page.wait_for_function(SCRIPT_FINISHED, timeout=CHART_TIMEOUT_MS, polling=50)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert "Traceback" not in page.inner_text("body")


def expect_text(page, text: str) -> None:
    """The text is drawn once (retrying: it may come after the chart in the same run)."""
    expect(page.get_by_text(text)).to_have_count(1, timeout=DRAWN_TIMEOUT_MS)


def move_to_hour(page, hour_label: str, row_test: str) -> None:
    """Move the mouse onto the hour with this label (mid-height) in the chart's trace that `row_test`
    (a JavaScript predicate on a trace) picks, whose `customdata` holds the hours' labels."""
    x = page.evaluate(
        f"""(label) => {{
            const chart = document.querySelector(".js-plotly-plot");
            const row = chart._fullData.find({row_test});
            const index = Array.from(row.customdata).indexOf(label);
            const xaxis = chart._fullLayout.xaxis;
            return chart.getBoundingClientRect().x + xaxis._offset + xaxis.d2p(row.x[index]);
        }}""",
        hour_label,
    )
    plot_area = page.locator(f"{CHART} .nsewdrag").first.bounding_box()
    page.mouse.move(x, plot_area["y"] + plot_area["height"] / 2)


def hover_over(page, hour_label: str) -> str:
    """Move the mouse onto the hour with this Danish label (mid-height); returns the hover box's text."""
    move_to_hour(page, hour_label, 'trace => trace.name === "Danish time"')
    page.wait_for_function("() => document.querySelector('.hoverlayer').textContent.length > 0", timeout=10_000)
    return page.evaluate("() => document.querySelector('.hoverlayer').textContent")


def test_page_opens_on_all_of_denmark_with_ranges_in_danish_time(
    page, dashboard_on_fixture_bucket: str, api_on_fixture_bucket: str
) -> None:
    expected = api_series(api_on_fixture_bucket, "all", "all")

    page.goto(dashboard_on_fixture_bucket)
    wait_for_chart(page, "All Denmark · All consumer types")

    traces = traces_by_name(page)
    assert len(traces["Observed"]["x"]) == len(expected["observations"])
    assert traces["Forecast (next 24 h)"]["first_value"] == pytest.approx(expected["forecast"][0]["kwh"])
    assert traces["80 % range: 80 % of past errors fall inside"]["fill"] == "tonexty"
    assert traces["95 % range: 95 % of past errors fall inside"]["fill"] == "tonexty"
    assert traces["Danish time"]["customdata"][0].endswith("CEST")
    assert page.url.endswith("?area=all&consumer_type=all&tz=dk")
    expect_text(page, "Forecast for Thu 15 Jun 02:00 CEST – Fri 16 Jun 01:00 CEST")
    assert_no_traceback(page)
    loaded = page.evaluate("() => performance.getEntriesByType('resource').map(entry => entry.name)")
    assert any(name.endswith("/app/static/plotly-cartesian.min.js") for name in loaded)
    assert not any("PlotlyChart" in name for name in loaded), "a chart was drawn by st.plotly_chart"
    page.screenshot(path=ARTIFACTS / "frontend-all-of-denmark.png", full_page=True)


@pytest.mark.parametrize(
    ("bucket", "day", "hours_that_day", "twice"),
    [("spring_forward", "Sun 29 Mar", 23, None), ("fall_back", "Sun 25 Oct", 25, "02:00")],
)
def test_a_daylight_saving_week_is_drawn_hour_by_hour_without_a_folded_or_missing_hour(
    page, request: pytest.FixtureRequest, bucket: str, day: str, hours_that_day: int, twice: str | None
) -> None:
    dashboard = request.getfixturevalue(f"dashboard_on_{bucket}_bucket")
    api_url = request.getfixturevalue(f"api_on_{bucket}_bucket")
    expected = api_series(api_url, "1", "111")

    page.goto(f"{dashboard}/?area=1&consumer_type=111")
    wait_for_chart(page, "DK1 · 111")

    traces = traces_by_name(page)
    time_row = traces["Danish time"]
    drawn = pd.DatetimeIndex(time_row["x"])
    assert len(drawn) == len(expected["observations"]) + len(expected["forecast"])
    assert set(drawn[1:] - drawn[:-1]) == {pd.Timedelta(hours=1)}, "one point per real hour, evenly spaced"
    that_day = [label for label in time_row["customdata"] if label.startswith(day)]
    assert len(that_day) == hours_that_day
    if twice:
        assert f"{day} {twice} CEST" in that_day and f"{day} {twice} CET" in that_day
        hover_label = f"{day} {twice} CET"
    else:
        assert f"{day} 01:00 CET" in that_day and f"{day} 03:00 CEST" in that_day
        assert not any("02:00" in label for label in that_day)
        hover_label = f"{day} 03:00 CEST"
    assert_no_traceback(page)
    hover_text = hover_over(page, hover_label)
    assert hover_label in hover_text
    page.screenshot(path=ARTIFACTS / f"frontend-dst-{bucket}.png", full_page=True)


def test_in_danish_the_hover_title_is_the_danish_hour_and_the_document_is_danish(
    page, dashboard_on_fall_back_bucket: str
) -> None:
    """Issue 25: in Danish time the hover box's title read '05:00 UTC'; now it is the hovered hour in
    the page's zone and language, and `<html lang>` follows the page's language."""
    page.goto(f"{dashboard_on_fall_back_bucket}/?area=1&consumer_type=111&lang=da")
    wait_for_chart(page, "DK1 · 111")
    expect_text(page, "Prognose for elforbruget time for time")
    assert page.evaluate("() => document.documentElement.lang") == "da"
    label = "søn. 25. okt. 02:00 CET"  # the second 02:00 of the fall-back night
    move_to_hour(page, label, 'trace => trace.meta === "hover-title"')
    page.wait_for_function("() => document.querySelector('.hoverlayer .legendtitletext')", timeout=10_000)
    title = page.evaluate("() => document.querySelector('.hoverlayer .legendtitletext').textContent")
    assert title == label
    box = page.evaluate("() => document.querySelector('.hoverlayer').textContent")
    assert "Målt" in box and "UTC" not in box
    page.screenshot(path=ARTIFACTS / "frontend-hover-danish.png", full_page=True)
    # Switching to English: the document follows.
    page.get_by_text("English", exact=True).click()
    expect_text(page, "Hourly electricity consumption forecast")
    page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=DRAWN_TIMEOUT_MS)


def test_holiday_in_the_window_is_marked(page, dashboard_on_spring_forward_bucket: str) -> None:
    page.goto(f"{dashboard_on_spring_forward_bucket}/?area=all&consumer_type=all")
    wait_for_chart(page, "All Denmark")

    annotations = page.evaluate(f'() => document.querySelector("{CHART}").layout.annotations.map(a => a.text)')
    assert "Maundy Thursday (public holiday)" in annotations
    expect_text(page, "Public holidays in this window: Maundy Thursday (Thursday 2 April).")
    expect_text(page, "Demo data")


def test_phone_width_stacks_the_controls_and_nothing_overflows_sideways(
    browser, dashboard_on_spring_forward_bucket: str
) -> None:
    # A phone's width; tall enough that the screenshot holds the whole page (Streamlit scrolls inside it).
    context = browser.new_context(viewport={"width": 390, "height": 2200}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{dashboard_on_spring_forward_bucket}/?area=1&consumer_type=all")
        wait_for_chart(page, "DK1 · All consumer types")

        assert page.evaluate(NO_SIDEWAYS_OVERFLOW)
        area = page.get_by_role("combobox", name="Price area").bounding_box()
        consumer_type = page.get_by_role("combobox", name=CONSUMER_TYPE_BOX).bounding_box()
        assert consumer_type["y"] > area["y"] + area["height"], "controls stack"
        chart = page.locator(CHART).first.bounding_box()
        assert chart["x"] >= 0 and chart["x"] + chart["width"] <= 390
        page.screenshot(path=ARTIFACTS / "frontend-phone-390.png", full_page=True)

        page.get_by_text("Compare several series").click()
        wait_for_chart(page, "3 consumer types")
        page.get_by_text("small multiples").click()
        page.wait_for_function(
            f'() => {{ const chart = document.querySelector("{CHART}"); return chart && chart.layout.yaxis3; }}',
            timeout=CHART_TIMEOUT_MS,
        )
        assert page.evaluate(NO_SIDEWAYS_OVERFLOW)
        page.screenshot(path=ARTIFACTS / "frontend-phone-390-compare.png", full_page=True)
        assert_no_traceback(page)
    finally:
        context.close()


def test_utc_switch_redraws_in_utc_and_keeps_it_in_the_link(page, dashboard_on_fixture_bucket: str) -> None:
    page.goto(f"{dashboard_on_fixture_bucket}/?area=1&consumer_type=111")
    wait_for_chart(page, "Hours in Danish time")

    page.get_by_text("UTC", exact=True).click()
    wait_for_chart(page, "Hours in UTC")

    page.wait_for_url("**/?area=1&consumer_type=111&tz=utc")
    assert "Danish time" not in traces_by_name(page)
    expect_text(page, "Forecast for Thu 15 Jun 00:00 UTC – Thu 15 Jun 23:00 UTC")
    page.screenshot(path=ARTIFACTS / "frontend-utc.png", full_page=True)


def test_data_behind_the_chart_downloads_as_csv_with_offsets(
    page, dashboard_on_fall_back_bucket: str, api_on_fall_back_bucket: str
) -> None:
    expected = api_series(api_on_fall_back_bucket, "2", "all")
    page.goto(f"{dashboard_on_fall_back_bucket}/?area=2&consumer_type=all")
    wait_for_chart(page, "DK2 · All consumer types")

    page.get_by_text("Data behind the chart").click()
    page.get_by_test_id("stDataFrame").wait_for(timeout=CHART_TIMEOUT_MS)
    # The button's file is made on demand by the run that drew it: press it once that run is over.
    page.wait_for_function(SCRIPT_FINISHED, timeout=CHART_TIMEOUT_MS, polling=50)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").click()
    csv_lines = download_info.value.path().read_text().splitlines()

    assert download_info.value.suggested_filename == "forecast_area-2_consumer-type-all_dk.csv"
    assert csv_lines[0] == "time,observed_kwh,forecast_kwh,lower_80,upper_80,lower_95,upper_95"
    assert len(csv_lines) == 1 + len(expected["observations"]) + len(expected["forecast"])
    times = [line.split(",")[0] for line in csv_lines[1:]]
    assert "2026-10-25T02:00+02:00" in times and "2026-10-25T02:00+01:00" in times
    page.screenshot(path=ARTIFACTS / "frontend-data-table.png", full_page=True)


def test_switching_consumer_type_redraws_the_chart_for_that_series(
    page, dashboard_on_fixture_bucket: str, api_on_fixture_bucket: str
) -> None:
    expected = api_series(api_on_fixture_bucket, "1", "112")
    page.goto(f"{dashboard_on_fixture_bucket}/?area=1&consumer_type=111")
    wait_for_chart(page, "· 111")

    choose(page, CONSUMER_TYPE_BOX, "112")
    wait_for_chart(page, "DK1 · 112")

    forecast = traces_by_name(page)["Forecast (next 24 h)"]
    assert forecast["first_value"] == pytest.approx(expected["forecast"][0]["kwh"])
    page.wait_for_url("**/?area=1&consumer_type=112&tz=dk")


def test_past_forecasts_overlay_the_observed_week(page, dashboard_on_fixture_bucket: str) -> None:
    page.goto(f"{dashboard_on_fixture_bucket}/?area=2&consumer_type=all")
    wait_for_chart(page, "DK2 · All consumer types")

    page.get_by_text("Show what the model had predicted for the past week").click()
    page.wait_for_function(
        f'() => {{ const chart = document.querySelector("{CHART}"); '
        "return chart && chart._fullData && chart._fullData.some(t => t.name.startsWith('What the model')); }",
        timeout=CHART_TIMEOUT_MS,
    )

    overlay = traces_by_name(page)["What the model had predicted for these hours"]
    assert overlay["values"] > 0
    page.screenshot(path=ARTIFACTS / "frontend-past-forecasts.png", full_page=True)


def test_invalid_link_falls_back_with_a_notice(page, dashboard_on_fixture_bucket: str) -> None:
    page.goto(f"{dashboard_on_fixture_bucket}/?area=7&consumer_type=111&tz=Mars")
    wait_for_chart(page, "All Denmark · 111")

    expect_text(page, "The link asks for area 7, which has no data")
    expect_text(page, "The link asks for time zone Mars")
    page.wait_for_url("**/?area=all&consumer_type=111&tz=dk")


def test_stopping_the_api_shows_a_warning_naming_it_instead_of_a_traceback(
    page, start_dashboard: Callable[[str], AbstractContextManager[str]]
) -> None:
    with api_that_can_be_stopped() as (api_url, stop_api), start_dashboard(api_url) as dashboard_url:
        page.goto(dashboard_url)
        wait_for_chart(page, "All Denmark")

        stop_api()
        choose(page, CONSUMER_TYPE_BOX, "112")

        v2_url = api_url.removesuffix("/v1") + "/v2"
        warning = page.get_by_text(f"The forecast API is not answering at {v2_url}/series/all/112")
        warning.wait_for(timeout=CHART_TIMEOUT_MS)
        page.screenshot(path=ARTIFACTS / "frontend-api-stopped-selection.png", full_page=True)
        expect(page.locator(CHART)).to_have_count(0)
        assert_no_traceback(page)

        # Retry clears the page's caches on the server; a reload before the server has taken the click
        # would find the status still cached (15 s) and draw the page from it: wait for the Retry's run.
        page.evaluate(COUNT_RUNS)
        page.get_by_role("button", name="Retry").click()
        page.wait_for_function(RUN_SINCE_COUNTING_FINISHED, timeout=CHART_TIMEOUT_MS)
        page.reload()

        page.get_by_text(f"The forecast API is not answering at {v2_url}/status").wait_for(timeout=CHART_TIMEOUT_MS)
        expect(page.get_by_role("heading", name="Hourly electricity consumption forecast")).to_have_count(1)
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


def test_link_values_with_links_images_and_html_show_as_text_in_the_notices(
    page, dashboard_on_fixture_bucket: str
) -> None:
    hostile = {
        "area": "**Session expired** [sign in](https://example.org)",
        "consumer_type": "![pixel](https://example.org/pixel.png)",
        "tz": "<a href='https://example.org'>sign in</a><img src=x>",
        "compare": "` [sign in](https://example.org) `",
        "layout": "x\n\n[sign in](https://example.org)",
        "share": "https://example.org",
        "past": ":red[Session expired]",
        "types": "A" * 3000,
    }
    page.goto(str(URL(dashboard_on_fixture_bucket).with_query(hostile)))
    wait_for_chart(page, "All Denmark · All consumer types")
    page.wait_for_function(SCRIPT_FINISHED, timeout=CHART_TIMEOUT_MS)
    notices = page.locator('[data-testid="stAlert"]')
    assert notices.count() == 8
    assert notices.locator("a, img").count() == 0  # no link or image of the visitor's making inside a notice
    shown = "\n".join(notices.all_inner_texts())
    for literal in (
        "**Session expired** [sign in](https://example.org)",
        "![pixel](https://example.org/pixel.png)",
        "<a href='https://example.org'>sign in</a><img src=x>",
        ":red[Session expired]",
        "(3000 characters)",
    ):
        assert literal in shown, literal
    page.screenshot(path=ARTIFACTS / "frontend-hostile-link.png", full_page=True)


def write_new_predictions(bucket: Path, factor: float) -> None:
    """New data from the pipeline: every prediction times `factor`, written the way an upload lands
    (a temporary name, then replaced in one step)."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    path = bucket / "predictions.parquet"
    table = pq.read_table(path)  # as written by pandas 1.5 (a period index pandas 3 cannot read back)
    column = table.schema.get_field_index("energy_consumption")
    table = table.set_column(column, "energy_consumption", pc.multiply(table["energy_consumption"], factor))
    pq.write_table(table, bucket / ".predictions.parquet.partial")
    (bucket / ".predictions.parquet.partial").replace(path)


def test_a_choice_made_after_the_api_loaded_new_data_shows_the_new_data_not_a_notice(
    page, tmp_path: Path, start_dashboard: Callable[[str], AbstractContextManager[str]]
) -> None:
    """The controls are a fragment: a change reruns only it, with the data version of the page's last
    full run. Once the API serves new data, that version's answers are refused (`DataVersionMismatch`);
    the page must then follow the new data, not claim the API's replicas are switching."""
    bucket = shutil.copytree(BUCKET_PANDAS15, tmp_path / "bucket")
    with (
        running_api(bucket, {"APP_API_REFRESH_SECONDS": "1"}) as api_url,
        start_dashboard(api_url) as dashboard_url,
    ):
        status_url = api_url.removesuffix("/v1") + "/v2/status"
        shown_version = httpx.get(status_url, timeout=10).json()["data_version"]
        page.goto(f"{dashboard_url}/?area=1&consumer_type=111")
        wait_for_chart(page, "DK1 · 111")

        write_new_predictions(bucket, 1.5)
        wait_until(
            lambda: httpx.get(status_url, timeout=10).json()["data_version"] != shown_version, 30, "new data loaded"
        )
        expected = api_series(api_url, "1", "112")
        choose(page, CONSUMER_TYPE_BOX, "112")
        wait_for_chart(page, "DK1 · 112")

        forecast = traces_by_name(page)["Forecast (next 24 h)"]
        assert forecast["first_value"] == pytest.approx(expected["forecast"][0]["kwh"])
        expect(page.get_by_text("has not caught up yet")).to_have_count(0)
        expect(page.get_by_text("is not answering")).to_have_count(0)
        assert_no_traceback(page)
        page.screenshot(path=ARTIFACTS / "frontend-new-data-after-a-choice.png", full_page=True)
