"""The dashboards' notice about rejected uploads, on what the real API answers before and after one.

The bodies are the API's own: `python -m api` over a copy of the fixture bucket answers `/freshness`
(v1, what the monitoring page reads) and `/api/v2/status` (what the forecast page reads) while all is
well, then again after the issue's upload (y.parquet with a null price area) has been rejected.
"""

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from bad_uploads import CORPUS
from dashboard_common.freshness import freshness_text, one_line, rejection_notices, showing_text
from devtools.waiting import wait_until
from streamlit.testing.v1 import AppTest
from support import BUCKET_PANDAS15, running_api

NULL_AREA = next(bad for bad in CORPUS if bad.kind == "null_area")
REASON = "y.parquet: area is empty (null) in row 3"
HOSTILE = "**bold** [a link](http://evil.example) ![x](http://evil.example/t.png) <b>html</b> $x^2$ :red[red]"


@pytest.fixture(scope="module")
def bodies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, dict]]:
    """{"v1-well", "v2-well", "v1-rejected", "v2-rejected"}: the API's answers before and after."""
    bucket = shutil.copytree(BUCKET_PANDAS15, tmp_path_factory.mktemp("notice") / "bucket")
    with running_api(bucket, {"APP_API_REFRESH_SECONDS": "1"}) as api:
        v2 = api.removesuffix("/v1") + "/v2"
        found = {"v1-well": httpx.get(f"{api}/freshness").json(), "v2-well": httpx.get(f"{v2}/status").json()}
        (bucket / ".y.parquet.partial").write_bytes(NULL_AREA.build())
        (bucket / ".y.parquet.partial").replace(bucket / "y.parquet")
        wait_until(lambda: httpx.get(f"{api}/freshness").json()["rejections"], 30, "the rejection reported")
        found["v1-rejected"] = httpx.get(f"{api}/freshness").json()
        found["v2-rejected"] = httpx.get(f"{v2}/status").json()
        yield found


def _page(freshness: dict, show_window: bool) -> None:
    from dashboard_common.freshness import render_freshness

    render_freshness(freshness, show_window=show_window)


def rendered(freshness: dict, show_window: bool = True) -> AppTest:
    return AppTest.from_function(_page, kwargs={"freshness": freshness, "show_window": show_window}).run()


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_no_notice_when_all_is_well(bodies, version):
    body = bodies[f"{version}-well"]
    assert body["rejections"] == []
    app = rendered(body, show_window=version == "v1")
    assert not app.warning and not app.text and not app.exception


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_a_rejected_upload_is_named_with_its_time_its_reason_and_what_the_page_shows(bodies, version):
    body = bodies[f"{version}-rejected"]
    app = rendered(body, show_window=version == "v1")
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
    body = bodies["v1-rejected"]
    hostile = {**body, "rejections": [{**body["rejections"][0], "reason": HOSTILE + "\nsecond line"}]}
    app = rendered(hostile)
    assert [text.value for text in app.text] == [f"Why: {HOSTILE} second line"]
    markdown = [element.value for element in (*app.warning, *app.markdown, *app.caption)]
    assert not [value for value in markdown if "evil.example" in value or "<b>" in value]


def test_the_stale_warning_gives_way_to_the_rejection_that_explains_it(bodies):
    app = rendered({**bodies["v1-rejected"], "stale": True})
    assert len(app.warning) == 1 and "rejected" in app.warning[0].value
    assert "not been able to refresh" not in app.warning[0].value


def test_every_rejection_gets_its_own_notice_and_an_unknown_object_a_plain_name(bodies):
    rejection = bodies["v1-rejected"]["rejections"][0]
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


def test_what_the_page_shows_reads_wire_hours_and_iso_times_alike():
    v1 = {"observed_to": 468551, "forecast_from": 468552}
    v2 = {"observed_to": "2023-06-15T01:00:00+02:00", "forecast_from": "2023-06-15T00:00:00+00:00"}
    assert showing_text(v1) == showing_text(v2)
    assert showing_text({}) == "This page shows the last data that passed the checks."
    assert one_line("a\n\tb  c") == "a b c"


def test_the_v2_status_which_has_no_age_field_gives_the_data_age_from_its_load_time(bodies):
    """The forecast page reads /api/v2/status: without this its line said "loaded 0 s ago" forever."""
    status = bodies["v2-well"]
    assert "age_seconds" not in status
    two_minutes_later = datetime.fromisoformat(status["loaded_at"]) + timedelta(seconds=125)
    assert freshness_text({**status, "forecast_from": None}, now=two_minutes_later) == "Data loaded 2 min ago"
