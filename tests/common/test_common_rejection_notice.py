"""The dashboards' notice about rejected uploads, on what the real API answers before and after one.

The bodies are the API's own: `python -m api` over a copy of the fixture bucket answers
`/api/v2/status` (what both pages read, in UTC) while all is well, then again after the issue's
upload (y.parquet with a null price area) has been rejected.
"""

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from bad_uploads import CORPUS
from dashboard_common.freshness import one_line, rejection_notices, showing_text
from devtools.waiting import wait_until
from streamlit.testing.v1 import AppTest
from support import BUCKET_PANDAS15, running_api

NULL_AREA = next(bad for bad in CORPUS if bad.kind == "null_area")
REASON = "y.parquet: area is empty (null) in row 3"
HOSTILE = "**bold** [a link](http://evil.example) ![x](http://evil.example/t.png) <b>html</b> $x^2$ :red[red]"


@pytest.fixture(scope="module")
def bodies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, dict]]:
    """{"well", "rejected"}: the API's status (as the pages load it) before and after."""
    bucket = shutil.copytree(BUCKET_PANDAS15, tmp_path_factory.mktemp("notice") / "bucket")
    with running_api(bucket, {"APP_API_REFRESH_SECONDS": "1"}) as api:
        status = api.removesuffix("/v1") + "/v2/status?tz=UTC"
        found = {"well": httpx.get(status).json()}
        (bucket / ".y.parquet.partial").write_bytes(NULL_AREA.build())
        (bucket / ".y.parquet.partial").replace(bucket / "y.parquet")
        wait_until(lambda: httpx.get(status).json()["rejections"], 30, "the rejection reported")
        found["rejected"] = httpx.get(status).json()
        yield found


def _page(status: dict, zone: str) -> None:
    from dashboard_common.freshness import render_status

    render_status(status, zone)


def rendered(status: dict, zone: str = "UTC") -> AppTest:
    return AppTest.from_function(_page, kwargs={"status": status, "zone": zone}).run()


@pytest.mark.parametrize("zone", ["UTC", "Europe/Copenhagen"])
def test_no_notice_when_all_is_well(bodies, zone):
    body = bodies["well"]
    assert body["rejections"] == []
    app = rendered(body, zone)
    assert not app.warning and not app.text and not app.exception


@pytest.mark.parametrize("zone", ["UTC", "Europe/Copenhagen"])
def test_a_rejected_upload_is_named_with_its_time_its_reason_and_what_the_page_shows(bodies, zone):
    body = bodies["rejected"]
    app = rendered(body, zone)
    (warning,) = app.warning
    assert "**The observations: newest upload rejected**" in warning.value
    assert "failed the API's data checks and is not shown" in warning.value
    first_seen = datetime.fromisoformat(body["rejections"][0]["first_seen"])
    assert f" on {first_seen.astimezone(UTC):%d %b %Y %H:%M} UTC (" in warning.value
    assert [text.value for text in app.text] == [f"Why: {REASON}"]
    shown = [caption.value for caption in app.caption]
    assert (
        "This page shows the last data that passed the checks: observations up to 14 Jun 2023 23:00 UTC and the "
        "forecast from 15 Jun 2023 00:00 UTC." in shown
    )
    assert not app.exception


def test_a_reason_from_the_bucket_is_shown_as_text_never_as_markdown(bodies):
    body = bodies["rejected"]
    hostile = {**body, "rejections": [{**body["rejections"][0], "reason": HOSTILE + "\nsecond line"}]}
    app = rendered(hostile)
    assert [text.value for text in app.text] == [f"Why: {HOSTILE} second line"]
    markdown = [element.value for element in (*app.warning, *app.markdown, *app.caption)]
    assert not [value for value in markdown if "evil.example" in value or "<b>" in value]


def test_the_stale_warning_gives_way_to_the_rejection_that_explains_it(bodies):
    app = rendered({**bodies["rejected"], "stale": True})
    assert len(app.warning) == 1 and "rejected" in app.warning[0].value
    assert "not been able to refresh" not in app.warning[0].value


def test_every_rejection_gets_its_own_notice_and_an_unknown_object_a_plain_name(bodies):
    rejection = bodies["rejected"]["rejections"][0]
    now = datetime.fromisoformat(rejection["first_seen"]) + timedelta(minutes=12)
    body = {
        "rejections": [
            rejection,
            {**rejection, "object": "predictions.parquet", "reason": "predictions.parquet: ..."},
            {**rejection, "object": "**elsewhere**.parquet", "first_seen": "not a time", "reason": "x" * 500},
        ]
    }
    notices = rejection_notices(body, now)
    assert [notice.summary.split(": newest")[0] for notice in notices] == [
        "**The observations",
        "**The forecast",
        "**A data file",
    ]
    assert "(12 min ago)" in notices[0].summary and " on " not in notices[2].summary
    assert len(notices[2].reason) == 300 and notices[2].reason.endswith("…")
    assert "elsewhere" not in "".join(notice.summary for notice in notices)


def test_what_the_page_shows_reads_times_with_any_offset_alike():
    utc = {"observed_to": "2023-06-14T23:00:00+00:00", "forecast_from": "2023-06-15T00:00:00+00:00"}
    danish = {"observed_to": "2023-06-15T01:00:00+02:00", "forecast_from": "2023-06-15T02:00:00+02:00"}
    assert showing_text(utc) == showing_text(danish)
    assert "observations up to 14 Jun 2023 23:00 UTC" in showing_text(danish)
    assert showing_text({}) == "This page shows the last data that passed the checks."
    assert showing_text({"observed_to": 468551}) == "This page shows the last data that passed the checks."
    assert one_line("a\n\tb  c") == "a b c"


def test_rejection_notices_in_danish_name_the_file_and_the_time_the_danish_way(bodies):
    from dashboard_common.i18n import translator

    rejection = bodies["rejected"]["rejections"][0]
    now = datetime.fromisoformat(rejection["first_seen"]) + timedelta(minutes=12)
    (notice,) = rejection_notices({"rejections": [rejection]}, now, _=translator("da", "frontend"), language="da")
    assert notice.summary.startswith("**Målingerne: nyeste upload afvist** den ")
    assert notice.summary.endswith("(for 12 min. siden). Den bestod ikke API'ets datatjek og vises ikke.")
    danish = {"observed_to": "2023-06-15T01:00:00+02:00", "forecast_from": "2023-06-15T02:00:00+02:00"}
    assert showing_text(danish, _=translator("da", "frontend"), language="da") == (
        "Siden viser de seneste data, der bestod tjekkene: målinger til og med 14. jun. 2023 23:00 UTC "
        "og prognosen fra 15. jun. 2023 00:00 UTC."
    )
