"""The monitoring dashboard end to end: real API on bucket-pandas15, real Streamlit, headless Chromium.

Screenshots go to test-artifacts/ (monitoring-*.png) so a person can look at what was tested; the
downloaded HTML report goes there too and is opened again with the network switched off.
"""

import httpx
import pytest
from dashboard_common.labels import area_label
from devtools.paths import ARTIFACTS
from playwright.sync_api import expect
from yarl import URL

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

# Charts drawn per view (only the chosen view is drawn): hourly figure and hour of day; the heatmap;
# the series (with its error distribution). The HTML report holds all four.
VIEW_CHARTS = {"Over time": 2, "By series": 1, "One series": 1}
REPORT_CHARTS = 4
# `count` charts, each drawn (in the report file: no Streamlit around them).
PLOTS_DRAWN = """count => {
    const plots = [...document.querySelectorAll('.js-plotly-plot')];
    return plots.length === count && plots.every(plot => plot.querySelector('.cartesianlayer .mlayer > *'));
}"""
# In the dashboard: the charts drawn and the script run over (Streamlit marks the app element with
# the script's state at once; its status widget only appears after a delay).
CHARTS_DRAWN = f"""count => ({PLOTS_DRAWN})(count)
    && document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state') === 'notRunning'"""
DETAIL_TITLE = """() => [...document.querySelectorAll('.js-plotly-plot .gtitle')]
    .map(title => title.textContent)
    .filter(text => text.includes(' · consumer type '))"""
FULL_PAGE = {"width": 1400, "height": 4400}
ROW_HEIGHT = 35


@pytest.fixture(scope="module")
def worst_first(api_on_fixture_bucket: str) -> list[tuple[int, int]]:
    """The series worst WAPE first, as the table lists them by default."""
    v2 = api_on_fixture_bucket.removesuffix("/api/v1") + "/api/v2"
    summary = httpx.get(f"{v2}/monitoring/summary", timeout=10).json()
    measured = sorted((e for e in summary["series"] if e["wape"] is not None), key=lambda e: -e["wape"])
    return [(entry["area"], entry["consumer_type"]) for entry in measured]


def open_page(page, url: str, view: str = "Over time") -> None:
    page.goto(url)
    page.wait_for_function(CHARTS_DRAWN, arg=VIEW_CHARTS[view], timeout=90_000, polling=100)


def open_view(page, view: str) -> None:
    page.get_by_role("radio", name=view, exact=True).click()
    page.wait_for_url(f"**view={view.replace(' ', '+')}**" if view != "Over time" else "**", timeout=10_000)
    page.wait_for_function(CHARTS_DRAWN, arg=VIEW_CHARTS[view], timeout=60_000, polling=100)


def chart_titles(page) -> list[str]:
    return page.locator(".js-plotly-plot .gtitle").evaluate_all("titles => titles.map(t => t.textContent)")


def wait_for_detail(page, series: tuple[int, int]) -> None:
    area, consumer_type = series
    expected = f"{area_label(area)} · consumer type {consumer_type}"
    page.wait_for_function(
        f"expected => ({DETAIL_TITLE})().some(text => text.startsWith(expected))",
        arg=expected,
        timeout=30_000,
        polling=100,
    )


@pytest.fixture
def screenshot():
    """Saves the whole page (Streamlit scrolls inside its own container, so the window grows)."""

    def save(page, name: str) -> None:
        page.set_viewport_size(FULL_PAGE)
        page.wait_for_timeout(800)
        page.screenshot(path=str(ARTIFACTS / name))

    return save


def test_each_view_draws_its_charts_and_the_page_explains_the_figures(page, dashboard, worst_first, screenshot):
    open_page(page, f"{dashboard}/?threshold=3")
    expect(page.get_by_role("heading", name="Forecast monitoring")).to_be_visible()
    assert chart_titles(page) == ["WAPE over all series, per hour", "Error by hour of day"]
    expect(page.get_by_text("threshold 3 %").first).to_be_visible()
    expect(page.get_by_text("When MAPE misleads: a small consumer type")).to_be_visible()
    headline = page.locator('[data-testid="stMetric"]').first
    expect(headline.locator('[data-testid="stMetricLabel"]')).to_have_text("WAPE")
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(0)  # the run is over: other views not drawn
    screenshot(page, "monitoring-page.png")

    open_view(page, "By series")
    assert chart_titles(page) == ["WAPE by consumer type and area"]
    page.locator('[data-testid="stDataFrame"]').wait_for(timeout=30_000)  # its code loads on first use
    assert "threshold=3" in page.url
    screenshot(page, "monitoring-by-series.png")

    open_view(page, "One series")
    wait_for_detail(page, worst_first[0])
    assert len(chart_titles(page)) == 1
    screenshot(page, "monitoring-one-series.png")

    open_view(page, "Over time")
    assert "view=" not in page.url  # the first view is the default, left out of the link
    assert "Traceback" not in page.content()
    loaded = page.evaluate("() => performance.getEntriesByType('resource').map(entry => entry.name)")
    assert any(name.endswith("/app/static/plotly-cartesian.min.js") for name in loaded)
    assert not any("PlotlyChart" in name for name in loaded), "a chart was drawn by st.plotly_chart"


def test_choosing_a_row_in_the_breakdown_opens_that_series(page, dashboard, worst_first, screenshot):
    open_page(page, f"{dashboard}/?view=By+series", "By series")
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    row = 2
    # The row-selection checkbox sits in the first column; the header takes one row.
    page.mouse.click(box["x"] + 18, box["y"] + ROW_HEIGHT * (row + 1) + ROW_HEIGHT / 2)
    wait_for_detail(page, worst_first[row])
    expect(page.get_by_role("radio", name="One series", checked=True)).to_be_visible()
    area, consumer_type = worst_first[row]
    page.wait_for_url(f"**area={area}**", timeout=10_000)
    assert f"consumer_type={consumer_type}" in page.url and "view=One+series" in page.url
    screenshot(page, "monitoring-row-selected.png")


def test_deep_link_to_a_series_then_choosing_another_in_the_selectbox(page, dashboard, worst_first, screenshot):
    open_page(page, f"{dashboard}/?view=One+series&area=1&consumer_type=111&threshold=6", "One series")
    wait_for_detail(page, (1, 111))
    expect(page.locator('[data-testid="stNumberInput"] input')).to_have_value("6.0")
    other = next(series for series in worst_first if series != (1, 111))
    selectbox = page.locator('[data-testid="stSelectbox"]')
    selectbox.scroll_into_view_if_needed()
    selectbox.click()
    page.get_by_role("option", name=f"{area_label(other[0])} · consumer type {other[1]}", exact=True).click()
    wait_for_detail(page, other)
    page.wait_for_url(f"**consumer_type={other[1]}**", timeout=10_000)
    assert "threshold=6" in page.url and "view=One+series" in page.url
    screenshot(page, "monitoring-series-changed.png")


def test_invalid_link_values_fall_back_with_notices(page, dashboard, worst_first):
    open_page(page, f"{dashboard}/?view=One+series&area=x&consumer_type=111&threshold=-5", "One series")
    alerts = page.locator('[data-testid="stAlert"]')
    expect(alerts.filter(has_text="showing the worst series instead")).to_have_count(1)
    expect(alerts.filter(has_text="threshold -5 is not a percentage")).to_have_count(1)
    wait_for_detail(page, worst_first[0])
    expect(page.locator('[data-testid="stNumberInput"] input')).to_have_value("10.0")

    open_page(page, f"{dashboard}/?view=Everything")  # not a tab: the first view, and a notice
    alerts = page.locator('[data-testid="stAlert"]')
    expect(alerts.filter(has_text="view Everything is not one of Over time, By series, One series")).to_have_count(1)
    expect(page.get_by_role("radio", name="Over time", checked=True)).to_be_visible()


def test_html_report_downloads_and_its_charts_work_offline(page, browser, dashboard, worst_first):
    open_page(page, f"{dashboard}/?view=One+series&area=1&consumer_type=111", "One series")
    wait_for_detail(page, (1, 111))
    button = page.get_by_role("button", name="Download this view (HTML report)")
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=60_000) as download_info:
        button.click()
    report = ARTIFACTS / "monitoring-report.html"
    download_info.value.save_as(report)
    assert report.stat().st_size > 3_000_000  # plotly.js is inside

    offline = browser.new_context(offline=True, viewport={"width": 1400, "height": 1000})
    try:
        requests_made: list[str] = []
        viewer = offline.new_page()
        viewer.on("request", lambda request: requests_made.append(request.url))
        viewer.goto(report.as_uri())
        viewer.wait_for_function(PLOTS_DRAWN, arg=REPORT_CHARTS, timeout=30_000, polling=100)
        assert [url for url in requests_made if not url.startswith("file:")] == []
        assert viewer.locator(".js-plotly-plot .gtitle").first.text_content() == "WAPE over all series, per hour"
        chart = viewer.locator(".js-plotly-plot").first
        chart.scroll_into_view_if_needed()
        box = chart.locator(".nsewdrag").first.bounding_box()
        assert box is not None
        x_range = "() => [...document.querySelector('.js-plotly-plot')._fullLayout.xaxis.range]"
        before = viewer.evaluate(x_range)
        # Interactive offline: dragging across the chart zooms it, as in the dashboard.
        viewer.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.5)
        viewer.mouse.down()
        viewer.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.5, steps=8)
        viewer.mouse.up()
        viewer.wait_for_function(f"before => ({x_range})()[0] !== before[0]", arg=before, timeout=10_000)
        viewer.set_viewport_size(FULL_PAGE)
        viewer.wait_for_timeout(500)
        viewer.screenshot(path=str(ARTIFACTS / "monitoring-report-offline.png"))
    finally:
        offline.close()


def test_link_values_with_links_images_and_html_show_as_text_in_the_notices(page, dashboard, screenshot):
    hostile = {
        "view": "**Session expired** [sign in](https://example.org)",
        "area": "![pixel](https://example.org/pixel.png)",
        "consumer_type": "<img src=x onerror=alert(1)>",
        "threshold": "x\n\n[sign in](https://example.org)",
        "rank": "<a href='https://example.org'>sign in</a>",
        "figure": "A" * 3000,
    }
    open_page(page, str(URL(dashboard).with_query(hostile)))
    notices = page.locator('[data-testid="stAlert"]')
    assert notices.count() == 5
    assert notices.locator("a, img").count() == 0  # no link or image of the visitor's making inside a notice
    shown = "\n".join(notices.all_inner_texts())
    for literal in (
        "**Session expired** [sign in](https://example.org)",
        "![pixel](https://example.org/pixel.png)",
        "<img src=x onerror=alert(1)>",
        "<a href='https://example.org'>sign in</a>",
        "(3000 characters)",
    ):
        assert literal in shown, literal
    screenshot(page, "monitoring-hostile-link.png")


DOCUMENT_LANGUAGE = "() => document.documentElement.lang"
PHONE = {"viewport": {"width": 390, "height": 2200}, "device_scale_factor": 2, "is_mobile": True}


def choose(page, option: str) -> None:
    """Click an option of a Streamlit radio by its label (its input sits hidden under the label)."""
    page.locator('[data-testid="stRadioGroup"] label').filter(has_text=option).first.click()


def caption_texts(page) -> str:
    return "\n".join(page.locator('[data-testid="stCaptionContainer"]').all_inner_texts())


@pytest.mark.parametrize(("locale", "query"), [("en-US", "?lang=da"), ("da-DK", "")])
def test_the_page_in_danish_says_so_to_the_browser_and_reads_in_danish(browser, dashboard, locale, query):
    """From the link, or from a Danish browser without `lang`: Danish texts and numbers, <html lang="da">."""
    context = browser.new_context(locale=locale, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        open_page(page, dashboard + "/" + query)
        page.wait_for_function(f"() => ({DOCUMENT_LANGUAGE})() === 'da'", timeout=10_000)
        expect(page.get_by_role("heading", name="Overvågning af prognoser", level=1)).to_be_visible()
        assert chart_titles(page)[:2] == [
            "WAPE for alle serier, pr. time",
            "Fejl efter time på døgnet",
        ]
        texts = caption_texts(page)
        assert "Graf over WAPE for alle serier time for time" in texts
        assert "Graf over WAPE, MAPE og bias for hver time på døgnet (dansk tid)" in texts
        # Danish number format in the headline figures: a decimal comma.
        wape = page.locator('[data-testid="stMetricValue"]').first.inner_text()
        assert wape.endswith(" %") and "," in wape and "." not in wape, wape
        page.screenshot(path=str(ARTIFACTS / f"monitoring-da-{locale}.png"))
    finally:
        context.close()


def test_switching_to_english_and_utc_on_the_page_follows_in_the_document_and_link(page, dashboard, screenshot):
    open_page(page, dashboard + "/?lang=da")
    choose(page, "English")
    page.wait_for_function(f"() => ({DOCUMENT_LANGUAGE})() === 'en'", timeout=30_000)
    expect(page.get_by_role("heading", name="Forecast monitoring", level=1)).to_be_visible()
    choose(page, "UTC")
    page.wait_for_url("**tz=utc**", timeout=30_000)
    page.wait_for_function(CHARTS_DRAWN, arg=VIEW_CHARTS["Over time"], timeout=60_000, polling=100)
    assert "lang=" not in page.url  # English is this browser's language: nothing to keep in the link
    axis_titles = page.locator(".js-plotly-plot .xtitle").evaluate_all("titles => titles.map(t => t.textContent)")
    assert "Hour of day (UTC)" in axis_titles
    screenshot(page, "monitoring-en-utc.png")


@pytest.mark.parametrize("view", ["Over time", "One series"])
def test_the_danish_page_on_a_phone(browser, dashboard, worst_first, api_on_fixture_bucket, view):
    """390 px wide: the Danish page with its switches, charts and text alternatives, for a person to look at."""
    context = browser.new_context(locale="da-DK", **PHONE)
    page = context.new_page()
    try:
        query = "" if view == "Over time" else "?view=One+series&area={}&consumer_type={}".format(*worst_first[0])
        open_page(page, dashboard + "/" + query, view)
        assert page.evaluate(DOCUMENT_LANGUAGE) == "da"
        assert "Graf over" in caption_texts(page)
        if view == "One series":
            # The error panel's axis spans the API's errors (it once autoranged to the histogram's
            # counts, 0-4, when the time axis had a fixed range).
            v2 = api_on_fixture_bucket.removesuffix("/api/v1") + "/api/v2"
            area, consumer_type = worst_first[0]
            hours = httpx.get(f"{v2}/monitoring/series/{area}/{consumer_type}", timeout=10).json()["hours"]
            errors = [hour["error_kwh"] for hour in hours if hour["error_kwh"] is not None]
            low, high = page.evaluate("() => document.querySelector('.js-plotly-plot')._fullLayout.yaxis2.range")
            assert low <= min(errors) and high >= max(errors), (low, high, min(errors), max(errors))
        height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight || 4000")
        page.set_viewport_size({"width": 390, "height": min(height + 200, 12_000)})
        page.wait_for_timeout(800)
    finally:
        page.screenshot(path=str(ARTIFACTS / f"monitoring-da-phone-{view.replace(' ', '-').lower()}.png"))
        context.close()
