"""The monitoring dashboard end to end: real API on bucket-pandas15, real Streamlit, headless Chromium.

Screenshots go to test-artifacts/ (monitoring-*.png) so a person can look at what was tested.
"""

import httpx
import pytest
from dashboard_common.labels import area_label
from support import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHARTS_DRAWN = """() => {
    const plots = [...document.querySelectorAll('.js-plotly-plot')];
    return plots.length === 3 && plots.every(plot => plot.querySelector('.cartesianlayer .mlayer > *'))
        && !document.querySelector('[data-testid="stStatusWidget"]');
}"""
FULL_PAGE = {"width": 1400, "height": 3300}
ROW_HEIGHT = 35


@pytest.fixture(scope="module")
def worst_first(api_on_fixture_bucket: str) -> list[tuple[int, int]]:
    """The series in the API's order (worst MAPE first), as the table lists them."""
    summary = httpx.get(f"{api_on_fixture_bucket}/monitoring/summary", timeout=10).json()
    return [(entry["area"], entry["consumer_type"]) for entry in summary["series"]]


def open_page(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function(CHARTS_DRAWN, timeout=60_000, polling=100)


def chart_titles(page) -> list[str]:
    return page.locator(".js-plotly-plot .gtitle").evaluate_all("titles => titles.map(t => t.textContent)")


def detail_title(page) -> str:
    return chart_titles(page)[-1]


def wait_for_detail(page, series: tuple[int, int]) -> None:
    area, consumer_type = series
    expected = f"{area_label(area)} · consumer type {consumer_type}"
    page.wait_for_function(
        """expected => {
            const titles = [...document.querySelectorAll('.js-plotly-plot .gtitle')];
            return titles.length === 3 && titles[2].textContent.startsWith(expected);
        }""",
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


def test_page_draws_all_charts_with_the_threshold_from_the_link(page, dashboard, worst_first, screenshot):
    open_page(page, f"{dashboard}/?threshold=4")
    assert page.get_by_role("heading", name="Forecast monitoring").is_visible()
    assert chart_titles(page)[:2] == ["Aggregated MAPE over all series, per hour", "MAPE by consumer type and area"]
    assert page.get_by_text("threshold 4 %").first.is_visible()
    hours_above = page.locator('[data-testid="stMetric"]', has_text="Hours above threshold")
    assert hours_above.locator('[data-testid="stMetricValue"]').inner_text() == "32%"
    assert detail_title(page).startswith(f"{area_label(worst_first[0][0])} · consumer type {worst_first[0][1]}")
    assert "awaiting observations" in page.locator(".js-plotly-plot").nth(2).text_content()
    assert "Traceback" not in page.content()
    screenshot(page, "monitoring-page.png")


def test_choosing_a_row_in_the_breakdown_selects_that_series_below(page, dashboard, worst_first, screenshot):
    open_page(page, dashboard)
    wait_for_detail(page, worst_first[0])
    before = detail_title(page)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    row = 2
    # The row-selection checkbox sits in the first column; the header takes one row.
    page.mouse.click(box["x"] + 18, box["y"] + ROW_HEIGHT * (row + 1) + ROW_HEIGHT / 2)
    wait_for_detail(page, worst_first[row])
    assert detail_title(page) != before
    area, consumer_type = worst_first[row]
    page.wait_for_url(f"**area={area}**", timeout=10_000)
    assert f"consumer_type={consumer_type}" in page.url
    screenshot(page, "monitoring-row-selected.png")


def test_deep_link_to_a_series_then_choosing_another_in_the_selectbox(page, dashboard, worst_first, screenshot):
    open_page(page, f"{dashboard}/?area=1&consumer_type=111&threshold=6")
    wait_for_detail(page, (1, 111))
    assert page.locator('[data-testid="stNumberInput"] input').input_value() == "6.0"
    other = next(series for series in worst_first if series != (1, 111))
    selectbox = page.locator('[data-testid="stSelectbox"]')
    selectbox.scroll_into_view_if_needed()
    selectbox.click()
    page.get_by_role("option", name=f"{area_label(other[0])} · consumer type {other[1]}", exact=True).click()
    wait_for_detail(page, other)
    page.wait_for_url(f"**consumer_type={other[1]}**", timeout=10_000)
    assert "threshold=6" in page.url
    screenshot(page, "monitoring-series-changed.png")


def test_invalid_link_values_fall_back_with_notices(page, dashboard, worst_first):
    open_page(page, f"{dashboard}/?area=x&consumer_type=111&threshold=-5")
    alerts = page.locator('[data-testid="stAlert"]').all_inner_texts()
    assert any("showing the worst series instead" in text for text in alerts)
    assert any("threshold -5 is not a percentage" in text for text in alerts)
    wait_for_detail(page, worst_first[0])
    assert page.locator('[data-testid="stNumberInput"] input').input_value() == "10.0"
