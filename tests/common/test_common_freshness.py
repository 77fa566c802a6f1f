"""The freshness line and the API-down warning, as text and as rendered by Streamlit."""

import pytest
from dashboard_common.freshness import format_age, format_hour_window, freshness_text
from streamlit.testing.v1 import AppTest
from support import freshness_body

FRESHNESS = freshness_body(
    source="/data/bucket",
    loaded_at="2026-01-01T00:00:00+00:00",
    age_seconds=125.0,
    last_successful_refresh_at="2026-01-01T00:01:00+00:00",
)


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


def test_window_within_one_day_names_the_day_once() -> None:
    assert format_hour_window(468552, 468575) == "15 Jun 2023 00:00 – 23:00 UTC"


def test_window_across_midnight_names_both_days() -> None:
    assert format_hour_window(468550, 468573) == "14 Jun 2023 22:00 – 15 Jun 2023 21:00 UTC"


def test_freshness_text_gives_the_forecast_window_and_the_snapshot_age() -> None:
    assert freshness_text(FRESHNESS) == "Forecast for 15 Jun 2023 00:00 – 23:00 UTC · data loaded 2 min ago"


def test_freshness_text_without_a_forecast_window_still_gives_the_age() -> None:
    assert freshness_text({**FRESHNESS, "forecast_from": None, "forecast_to": None}) == "Data loaded 2 min ago"


def _freshness_page(freshness: dict) -> None:
    from dashboard_common.freshness import render_freshness

    render_freshness(freshness)


def test_render_freshness_shows_the_line_and_no_badge_or_warning_for_fresh_real_data() -> None:
    app = AppTest.from_function(_freshness_page, kwargs={"freshness": FRESHNESS}).run()

    assert [caption.value for caption in app.caption] == [freshness_text(FRESHNESS)]
    assert not app.warning
    assert not app.markdown


def test_render_freshness_shows_a_demo_badge_and_a_stale_warning() -> None:
    freshness = {**FRESHNESS, "is_demo": True, "stale": True}
    app = AppTest.from_function(_freshness_page, kwargs={"freshness": freshness}).run()

    assert any("Demo data" in markdown.value for markdown in app.markdown)
    assert len(app.warning) == 1
    assert "2026-01-01T00:01:00+00:00" in app.warning[0].value


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
    render_api_unavailable(ApiUnavailable("http://api:8001/api/v1/freshness", "cannot reach the API: ConnectionError"))


def test_render_api_unavailable_names_the_url_and_retry_clears_the_cache() -> None:
    app = AppTest.from_function(_unavailable_page).run()

    assert "http://api:8001/api/v1/freshness" in app.warning[0].value
    assert not app.exception
    app.button(key="retry_api").click().run()

    assert app.markdown[0].value == "loads: 2"
