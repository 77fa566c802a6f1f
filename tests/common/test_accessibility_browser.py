"""Accessibility of both dashboards, checked by a real engine: axe-core (shipped by
`axe-playwright-python`) run in headless Chromium over every page and view, at desktop width and at a
phone's 390 px, against the real API on bucket-pandas15 and the dashboards started as deployed.

The rule: no critical and no serious violation in our content. What axe finds inside Streamlit's own
widgets, and cannot be fixed from the page's code, is allowed only by rule *and* by the widget it sits
in (ALLOWED below; each entry is explained in app-frontend/README.md, "Accessibility"). Every
violation of any impact is written to test-artifacts/axe-<view>-<width>.json for people to read,
with what axe could not decide and the chart text colours.
"""

import json
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from coloraide import Color
from devtools.browser import read_dashboard
from devtools.processes import running_dashboard
from support import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

BLOCKING = {"critical", "serious"}
# Every WCAG 2.x A/AA rule and axe's best practices (the headings order, landmarks...).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
}
# Rules that must have been applied to the page (passed or violated): proof that axe read our content
# (a blank or half-drawn page would pass most rules by having nothing to check).
APPLIED = {"color-contrast", "document-title", "html-has-lang", "landmark-one-main", "page-has-heading-one"}
# (rule, selector of the Streamlit widget it is inside): a violation is allowed only when its element
# sits inside that widget (the element itself or an ancestor matches). Why each cannot be fixed here:
# app-frontend/README.md, "Accessibility".
ALLOWED: set[tuple[str, str]] = set()
VIEWS = {
    "forecast-default": ("frontend", "/?area=all&consumer_type=all"),
    "forecast-compare": ("frontend", "/?compare=types"),
    "forecast-areas-multiples-past": ("frontend", "/?area=1&consumer_type=all&past=1&compare=areas&layout=multiples"),
    "forecast-past-utc": ("frontend", "/?area=2&consumer_type=all&past=1&tz=utc"),
    "monitoring-over-time": ("monitoring", "/"),
    "monitoring-by-series": ("monitoring", "/?view=By+series"),
    "monitoring-one-series": ("monitoring", "/?view=One+series&area=1&consumer_type=111"),
}
# The forecast page in Danish (issue 25): the same views' content in the other language.
VIEWS |= {
    "forecast-default-da": ("frontend", "/?area=all&consumer_type=all&lang=da"),
    "forecast-compare-da": ("frontend", "/?compare=types&lang=da"),
    "forecast-areas-multiples-past-da": (
        "frontend",
        "/?area=1&consumer_type=all&past=1&compare=areas&layout=multiples&lang=da",
    ),
    "forecast-past-utc-da": ("frontend", "/?area=2&consumer_type=all&past=1&tz=utc&lang=da"),
}
# The monitoring views in Danish too (issue 25), one of them on UTC; <html lang> is checked in
# tests/monitoring/test_monitoring_browser.py.
VIEWS |= {
    "monitoring-over-time-da": ("monitoring", "/?lang=da"),
    "monitoring-by-series-da": ("monitoring", "/?lang=da&view=By+series"),
    "monitoring-one-series-da-utc": ("monitoring", "/?lang=da&tz=utc&view=One+series&area=1&consumer_type=111"),
}
WIDTHS = {
    "desktop": {"viewport": {"width": 1400, "height": 1000}},
    "390px": {"viewport": {"width": 390, "height": 2200}, "device_scale_factor": 2, "is_mobile": True},
}
# Height of the page's content: Streamlit scrolls inside its own container, not the window.
CONTENT_HEIGHT = """() => Math.max(document.documentElement.scrollHeight,
    ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"]')]
        .map(element => element.scrollHeight))"""
# Every text drawn in a chart (axis ticks and titles, legend, annotations): axe leaves text over SVG
# undecided, so its colour (with every opacity on the way) is read here and measured against the
# background it is drawn on.
CHART_TEXTS = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(chart =>
    [...chart.querySelectorAll('.main-svg text')].filter(text => text.textContent.trim()).map(text => {
        const style = getComputedStyle(text);
        // Its own fill opacity times every group's opacity up to the SVG (a hidden trace's legend entry).
        let opacity = Number(style.fillOpacity);
        for (let node = text; node && node.tagName !== 'svg'; node = node.parentElement) {
            opacity *= Number(getComputedStyle(node).opacity);
        }
        // Over a plot area (any subplot's drag rectangle) the plot's background, elsewhere the paper's.
        const box = text.getBoundingClientRect();
        const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
        const inPlot = [...chart.querySelectorAll('.draglayer .nsewdrag')].some(area => {
            const r = area.getBoundingClientRect();
            return x >= r.left && x <= r.right && y >= r.top && y <= r.bottom;
        });
        const layout = chart._fullLayout;
        return {text: text.textContent.trim().slice(0, 60), fill: style.fill, opacity: String(opacity),
                background: inPlot ? layout.plot_bgcolor : layout.paper_bgcolor};
    }))"""
INSIDE = "([target, selector]) => { const found = document.querySelector(target); return !!found?.closest(selector); }"


@pytest.fixture(scope="module")
def dashboards(api_on_fixture_bucket: str) -> Iterator[dict[str, str]]:
    """Both dashboards as deployed (`python -m <package>`), on the real API over bucket-pandas15."""
    root = api_on_fixture_bucket.removesuffix("/api/v1")
    with (
        running_dashboard("frontend", {"APP_FRONTEND_API_URL": root}) as frontend,
        running_dashboard("monitoring", {"APP_MONITORING_API_URL": root}) as monitoring,
    ):
        yield {"frontend": frontend, "monitoring": monitoring}


def contrast(fill: str, opacity: str, background: str) -> float:
    """WCAG 2.1 contrast of a text colour (at its opacity, over the background) with that background."""
    ground = Color(background)
    text = Color(fill).set("alpha", float(opacity) * Color(fill).alpha())
    return Color.layer([text, ground], space="srgb").contrast(ground, method="wcag21")


def allowed(page, rule: str, target: str) -> bool:
    """The element is inside a Streamlit widget that the allow-list names for this rule."""
    return any(page.evaluate(INSIDE, [target, selector]) for r, selector in ALLOWED if r == rule)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("view", VIEWS)
def test_no_critical_or_serious_accessibility_violation_in_our_content(browser, dashboards, view, width) -> None:
    package, path = VIEWS[view]
    context = browser.new_context(**WIDTHS[width])
    page = context.new_page()
    try:
        shown = read_dashboard(page, dashboards[package] + path, ARTIFACTS / f"axe-{view}-{width}.png")
        assert shown.errors == [] and shown.charts_without_points == []
        # Every expander open: axe skips what is hidden.
        for summary in page.locator('[data-testid="stExpander"] details:not([open]) > summary').all():
            summary.click()
        # The whole page in the window: axe judges the contrast of text only where it is on screen.
        width_px = WIDTHS[width]["viewport"]["width"]
        page.set_viewport_size({"width": width_px, "height": min(page.evaluate(CONTENT_HEIGHT) + 200, 16_000)})
        page.wait_for_timeout(800)  # Plotly redraws its charts for the new size
        page.screenshot(path=str(ARTIFACTS / f"axe-{view}-{width}.png"))
        chart_texts = page.evaluate(CHART_TEXTS)
        # The document says which language it is in (html-has-lang passes on Streamlit's "en" alone).
        document_language = page.evaluate("() => document.documentElement.lang")
        assert document_language == ("da" if "lang=da" in path else "en")
        results = Axe().run(page, options=AXE_OPTIONS).response
        violations, unsure = results["violations"], results["incomplete"]
        found = [
            {
                "rule": violation["id"],
                "impact": violation["impact"],
                "target": ", ".join(map(str, node["target"])),
                "html": node["html"][:200],
                "why": node["failureSummary"][:300],
                "allowed": allowed(page, violation["id"], node["target"][-1]),
            }
            for violation in violations
            for node in violation["nodes"]
        ]
        # What axe could not decide (text over a chart's SVG, for one): kept for people to read.
        undecided = [
            {"rule": item["id"], "impact": item["impact"], "target": ", ".join(map(str, node["target"]))}
            for item in unsure
            for node in item["nodes"]
        ]
    finally:
        context.close()
    colours = sorted({(t["fill"], t["opacity"], t["background"]) for t in chart_texts})
    report = {"violations": found, "undecided": undecided, "chart_text_colours": colours}
    (ARTIFACTS / f"axe-{view}-{width}.json").write_text(json.dumps(report, indent=1))
    low = [text for text in chart_texts if contrast(text["fill"], text["opacity"], text["background"]) < 4.5]
    assert chart_texts and low == [], low
    applied = {rule["id"] for rule in results["passes"] + violations}
    assert applied >= APPLIED, f"axe did not apply {APPLIED - applied}: was the page drawn?"
    blocking = [v for v in found if v["impact"] in BLOCKING and not v["allowed"]]
    assert blocking == [], json.dumps(blocking, indent=1)
