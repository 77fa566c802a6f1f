"""Swagger UI and ReDoc render in a real browser from the API's own assets (no CDN, no internet)."""

import pytest
from support import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


@pytest.mark.parametrize(
    ("page_path", "rendered_selector", "expected_text"),
    [
        ("docs", ".opblock-summary-path", "/api/v1/predictions/{area}/{consumer_type}"),
        ("redoc", "[data-section-id] h2", "Observations and forecast of one series"),
    ],
)
def test_docs_render_offline(api_on_fixture_bucket, page, page_path, rendered_selector, expected_text):
    api_host = api_on_fixture_bucket.split("/")[2]

    def only_the_api(route):  # everything else is "the internet", which is not there
        if route.request.url.split("/")[2] == api_host:
            route.continue_()
        else:
            route.abort()

    page.route("**/*", only_the_api)
    page.goto(f"{api_on_fixture_bucket}/{page_path}")
    page.wait_for_selector(rendered_selector, timeout=30_000)
    assert expected_text in page.content()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"api-{page_path}.png"))


def test_v2_swagger_try_it_out_runs_its_examples_as_they_are(api_on_fixture_bucket, page):
    """A person opens v2's Swagger UI, picks the series operation, clicks Try it out and Execute: data comes back."""
    v2 = api_on_fixture_bucket.replace("/api/v1", "/api/v2")
    page.goto(f"{v2}/docs")
    page.wait_for_selector(".opblock-tag", timeout=30_000)
    tags = {text.strip().split("\n")[0] for text in page.locator(".opblock-tag").all_inner_texts()}
    assert {"status", "forecasts", "monitoring"} <= tags
    page.locator(".opblock-summary-path", has_text="/api/v2/series/{area}/{consumer_type}").first.click()
    page.get_by_role("button", name="Try it out").first.click()
    page.get_by_role("button", name="Execute").first.click()
    status = page.locator(".live-responses-table tr.response .response-col_status").first
    status.wait_for(timeout=30_000)
    assert status.inner_text().strip().startswith("200")
    body = page.locator(".live-responses-table tr.response .response-col_description").first.inner_text()
    assert '"unit": "kWh"' in body and '"observations"' in body
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "api-v2-docs-try-it-out.png"))
