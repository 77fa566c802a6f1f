"""Both dashboards in headless Chromium while the API rejects an upload, and after a good one.

Real processes: `python -m api` over a copy of the fixture bucket (refreshing every second), the
forecast dashboard (`python -m frontend`) and the monitoring dashboard (`python -m monitoring`). The
issue's upload (y.parquet with a null price area, every value doubled) is rejected; both pages
then say so with the word "rejected", since when, why, and up to which hour they show data. A good
upload clears it; once the pages' short status caches have expired, the notice is gone. Screenshots
go to test-artifacts/.
"""

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from bad_uploads import CORPUS, good_upload
from devtools.processes import running_dashboard
from devtools.waiting import wait_until
from support import ARTIFACTS, BUCKET_PANDAS15, running_api

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

NULL_AREA = next(bad for bad in CORPUS if bad.kind == "null_area")
PAGE_TIMEOUT_MS = 60_000
CACHE_EXPIRY_SECONDS = 90  # both pages keep /api/v2/status 15 s (dashboard_common.status)
SCRIPT_FINISHED = """() => document.querySelector('[data-testid="stApp"]')
    ?.getAttribute('data-test-script-state') === 'notRunning'"""


def replace_object(bucket: Path, name: str, data: bytes) -> None:
    partial = bucket / f".{name}.partial"
    partial.write_bytes(data)
    partial.replace(bucket / name)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    bucket = shutil.copytree(BUCKET_PANDAS15, tmp_path_factory.mktemp("rejected") / "bucket")
    with (
        running_api(bucket, {"APP_API_REFRESH_SECONDS": "1"}) as api,
        running_dashboard("frontend", {"APP_FRONTEND_API_URL": api}) as fc,
        running_dashboard("monitoring", {"APP_MONITORING_API_URL": api}) as mon,
    ):
        yield {"bucket": bucket, "api": api, "forecast": fc, "monitoring": mon}


def open_page(page, url: str) -> str:
    """Load a dashboard, wait until its script has run and a chart is drawn; the page's text."""
    page.goto(url)
    page.wait_for_selector(".js-plotly-plot", timeout=PAGE_TIMEOUT_MS)
    page.wait_for_function(SCRIPT_FINISHED, timeout=PAGE_TIMEOUT_MS)
    assert page.get_by_test_id("stException").count() == 0
    return page.inner_text("body")


def notice_text(page) -> str:
    notice = page.locator(".st-key-rejected_uploads")
    return notice.inner_text() if notice.count() else ""


@pytest.mark.parametrize("dashboard", ["forecast", "monitoring"])
def test_a_rejected_upload_shows_a_notice_on_the_dashboard_until_a_good_one_arrives(page, stack, dashboard):
    bucket, api = stack["bucket"], stack["api"]
    replace_object(bucket, "y.parquet", NULL_AREA.build())
    rejection = wait_until(
        lambda: httpx.get(f"{api}/ready", timeout=5).json()["rejections"], 30, "the API's rejection"
    )[0]

    page.set_viewport_size({"width": 1400, "height": 900})
    deadline = time.monotonic() + CACHE_EXPIRY_SECONDS
    open_page(page, stack[dashboard])
    while "rejected" not in notice_text(page):  # a status cached before the upload may still be shown
        assert time.monotonic() < deadline, "no notice on the page"
        time.sleep(2)
        open_page(page, stack[dashboard])
    notice = notice_text(page)
    page.locator(".st-key-rejected_uploads").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"rejected-notice-{dashboard}.png"))
    assert "The observations: newest upload rejected" in notice and "failed the API's data checks" in notice
    assert "Why: y.parquet: area is empty (null) in row 3" in notice
    assert f" on {rejection['first_seen'][8:10]} " in notice  # the day of the month it was first seen
    assert "observations up to 14 Jun 2023 23:00 UTC" in notice

    replace_object(bucket, "y.parquet", good_upload("y.parquet", 100 + len(dashboard)))
    wait_until(lambda: not httpx.get(f"{api}/ready", timeout=5).json()["rejections"], 30, "the rejection cleared")
    deadline = time.monotonic() + CACHE_EXPIRY_SECONDS
    while True:
        text = open_page(page, stack[dashboard])
        if not notice_text(page):
            break
        assert time.monotonic() < deadline, "the notice stayed after a good upload"
        time.sleep(2)
    page.screenshot(path=str(ARTIFACTS / f"rejected-notice-cleared-{dashboard}.png"))
    assert "rejected" not in text.lower()
