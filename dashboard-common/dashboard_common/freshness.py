"""Streamlit pieces both dashboards show about the data: how fresh it is, and the API being down."""

from typing import Any

import streamlit as st

from dashboard_common.client import ApiError, DataVersionMismatch
from dashboard_common.timeutils import hours_to_timestamps


def format_age(seconds: float) -> str:
    """A rough, readable age: '40 s', '12 min', '3 h 5 min', '2 days'."""
    seconds = max(0.0, float(seconds))
    if seconds < 60:
        return f"{int(seconds)} s"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{hours // 24} days"


def format_hour_window(first_hour: int, last_hour: int) -> str:
    """'15 Jun 2023 00:00 – 23:00 UTC'; names the second day too if the window crosses midnight."""
    start, end = hours_to_timestamps([first_hour, last_hour])
    if start.date() == end.date():
        return f"{start:%d %b %Y %H:%M} – {end:%H:%M} UTC"
    return f"{start:%d %b %Y %H:%M} – {end:%d %b %Y %H:%M} UTC"


def freshness_text(freshness: dict[str, Any]) -> str:
    """'forecast for <window>, data loaded <age> ago' (the age is that of the API's snapshot)."""
    parts = []
    if freshness.get("forecast_from") is not None and freshness.get("forecast_to") is not None:
        parts.append("Forecast for " + format_hour_window(freshness["forecast_from"], freshness["forecast_to"]))
    parts.append(f"data loaded {format_age(freshness.get('age_seconds', 0.0))} ago")
    text = " · ".join(parts)
    return text[0].upper() + text[1:]


def render_freshness(freshness: dict[str, Any]) -> None:
    """The freshness line, a 'demo data' badge for the demo bucket, a warning when stale."""
    if freshness.get("is_demo"):
        st.badge(
            "Demo data: synthetic numbers, not real consumption",
            icon=":material/science:",
            color="orange",
        )
    st.caption(freshness_text(freshness))
    if freshness.get("replica_behind"):
        st.caption(
            ":material/sync: An API replica answered with older data (it has not refreshed yet); "
            "this page keeps showing the newer data it already had."
        )
    if freshness.get("stale"):
        last_ok = freshness.get("last_successful_refresh_at") or "never"
        st.warning(
            "The API has not been able to refresh its data for a while "
            f"(last successful check: {last_ok}). Figures may be out of date.",
            icon=":material/schedule:",
        )


def render_api_unavailable(error: ApiError, key: str = "retry_api") -> None:
    """A warning naming the URL that failed, and a button that clears the cache and tries again."""
    if isinstance(error, DataVersionMismatch):
        st.info(
            "The forecast API's replicas are switching to new data, and the one that answered has not "
            "caught up yet. Try again in a moment.",
            icon=":material/sync:",
        )
        st.button("Try again", key=key, on_click=st.cache_data.clear, icon=":material/refresh:")
        return
    st.warning(
        f"The forecast API is not answering at `{error.url}` ({error.message}). "
        "The page will show data again as soon as the API is back.",
        icon=":material/cloud_off:",
    )
    st.button("Retry", key=key, on_click=st.cache_data.clear, icon=":material/refresh:")
