"""The one status widget of both pages, on the real API's `/api/v2/status` for the fixture bucket: the
status line in the page's zone, the data's age from `loaded_at`, the stale warning, and the API-down
warning, as text and as rendered by Streamlit."""

from datetime import datetime, timedelta

import httpx
import pytest
from dashboard_common.freshness import format_age, stale_text, status_text, window_text
from streamlit.testing.v1 import AppTest

DK = "Europe/Copenhagen"


@pytest.fixture(scope="module")
def status(api_on_fixture_bucket: str) -> dict:
    """What the pages load: the API's status with its times in UTC."""
    root = api_on_fixture_bucket.removesuffix("/api/v1")
    return httpx.get(f"{root}/api/v2/status", params={"tz": "UTC"}, timeout=10).raise_for_status().json()


def later(body: dict, seconds: float) -> datetime:
    return datetime.fromisoformat(body["loaded_at"]) + timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (-3, "0 s"),
        (42.9, "42 s"),
        (125, "2 min"),
        (3600, "1 h"),
        (3 * 3600 + 300, "3 h 5 min"),
        (5 * 86400, "5 days"),
    ],
)
def test_format_age(seconds: float, text: str) -> None:
    assert format_age(seconds) == text


def test_the_window_is_written_in_the_zone_the_page_shows(status) -> None:
    assert window_text(status, DK) == "Forecast for Thu 15 Jun 02:00 CEST – Fri 16 Jun 01:00 CEST"
    assert window_text(status) == "Forecast for Thu 15 Jun 00:00 UTC – Thu 15 Jun 23:00 UTC"
    assert window_text({**status, "forecast_from": None}) is None


def test_the_age_is_the_time_since_the_api_loaded_the_data_not_zero(status) -> None:
    """The v2 status has no age field; before this widget the forecast page said "loaded 0 s ago"."""
    assert "age_seconds" not in status
    assert status_text(status, DK, now=later(status, 125)) == (
        "Forecast for Thu 15 Jun 02:00 CEST – Fri 16 Jun 01:00 CEST · data loaded 2 min ago"
    )
    assert status_text(status, now=later(status, 3 * 3600 + 300)).endswith("· data loaded 3 h 5 min ago")


def test_without_a_forecast_window_the_line_still_gives_the_age(status) -> None:
    no_window = {**status, "forecast_from": None, "forecast_to": None}
    assert status_text(no_window, now=later(status, 42)) == "Data loaded 42 s ago"


def test_the_stale_warning_says_when_the_api_last_managed_to_refresh(status) -> None:
    last_ok = datetime.fromisoformat(status["loaded_at"])
    body = {**status, "stale": True, "last_successful_refresh_at": last_ok.isoformat()}
    text = stale_text(body, "UTC", now=last_ok + timedelta(minutes=12))
    assert f"(last successful check: {last_ok:%a %d %b %H:%M} UTC, 12 min ago)" in text
    assert stale_text({**body, "last_successful_refresh_at": None}, now=last_ok).count("check: never") == 1


def _status_page(status: dict, zone: str) -> None:
    from dashboard_common.freshness import render_status

    render_status(status, zone)


def test_the_widget_shows_the_line_and_no_badge_or_warning_for_fresh_real_data(status) -> None:
    app = AppTest.from_function(_status_page, kwargs={"status": status, "zone": DK}).run()

    (line,) = [caption.value for caption in app.caption]
    assert line.startswith("Forecast for Thu 15 Jun 02:00 CEST – Fri 16 Jun 01:00 CEST · data loaded ")
    assert not app.warning
    assert not app.markdown


def test_the_widget_shows_a_demo_badge_and_a_stale_warning(status) -> None:
    body = {**status, "is_demo": True, "stale": True, "last_successful_refresh_at": status["loaded_at"]}
    app = AppTest.from_function(_status_page, kwargs={"status": body, "zone": "UTC"}).run()

    assert any("Demo data" in markdown.value for markdown in app.markdown)
    (warning,) = app.warning
    assert "not been able to refresh" in warning.value
    assert f"last successful check: {datetime.fromisoformat(status['loaded_at']):%a %d %b %H:%M} UTC" in warning.value


def _unavailable_page() -> None:
    import streamlit as st
    from dashboard_common.client import ApiUnavailable
    from dashboard_common.freshness import render_api_unavailable

    calls = st.session_state.setdefault("loads", [])

    @st.cache_data
    def cached_load() -> int:
        calls.append(1)
        return len(calls)

    st.write(f"loads: {cached_load()}")
    failed = ApiUnavailable("http://api:8001/api/v2/status?tz=UTC", "cannot reach the API: ConnectionError")
    render_api_unavailable(failed)


def test_render_api_unavailable_names_the_url_and_retry_clears_the_cache() -> None:
    app = AppTest.from_function(_unavailable_page).run()

    assert "http://api:8001/api/v2/status?tz=UTC" in app.warning[0].value
    assert not app.exception
    app.button(key="retry_api").click().run()

    assert app.markdown[0].value == "loads: 2"


def test_the_status_line_in_danish_has_danish_words_weekdays_and_months(status) -> None:
    from dashboard_common.i18n import translator

    danish = translator("da", "frontend")
    assert status_text(status, DK, now=later(status, 3 * 3600 + 300), _=danish, language="da") == (
        "Prognose for tors. 15. jun. 02:00 CEST – fre. 16. jun. 01:00 CEST · data indlæst for 3 t. 5 min. siden"
    )
    english = translator("en", "frontend")
    assert status_text(status, DK, now=later(status, 125), _=english, language="en") == status_text(
        status, DK, now=later(status, 125)
    )
    last_ok = datetime.fromisoformat(status["loaded_at"])
    body = {**status, "stale": True, "last_successful_refresh_at": last_ok.isoformat()}
    text = stale_text(body, "UTC", now=last_ok + timedelta(days=3), _=danish, language="da")
    assert text.startswith("API'et har i et stykke tid ikke kunnet opdatere sine data (sidste vellykkede tjek: ")
    assert text.endswith(", for 3 dage siden). Tallene kan være forældede.")
