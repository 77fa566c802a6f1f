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
