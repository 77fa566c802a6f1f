"""Streamlit pieces both dashboards show about the data: how fresh it is, uploads the API rejected,
and the API being down.

The rejection notice reads `rejections` from either answer the pages fetch (v1 `/freshness`, whose
hours are integers, or v2 `/status`, whose times are ISO 8601): which data, since when, why, and up
to which hour the page is showing. The reason comes from a bucket, which is hostile input: it is
shown as plain text, never as Markdown.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
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


def freshness_text(freshness: dict[str, Any], now: datetime | None = None) -> str:
    """'forecast for <window>, data loaded <age> ago' (the age is that of the API's snapshot: v1's
    `age_seconds`, or for v2's `/status`, which has none, the time since its `loaded_at`)."""
    parts = []
    if freshness.get("forecast_from") is not None and freshness.get("forecast_to") is not None:
        parts.append("Forecast for " + format_hour_window(freshness["forecast_from"], freshness["forecast_to"]))
    age = freshness.get("age_seconds")
    loaded_at = _moment(freshness.get("loaded_at"))
    if age is None and loaded_at is not None:
        age = ((now or datetime.now(UTC)) - loaded_at).total_seconds()
    parts.append(f"data loaded {format_age(age)} ago" if age is not None else "data loaded")
    text = " · ".join(parts)
    return text[0].upper() + text[1:]


OBJECT_LABELS = {
    "X.parquet": "The list of series",
    "y.parquet": "The observations",
    "predictions.parquet": "The forecast",
    "predictions_monitoring.parquet": "The past forecasts",
    "y_monitoring.parquet": "The monitoring observations",
    "metrics_monitoring.parquet": "The pipeline's hourly MAPE",
}
MAX_REASON_CHARACTERS = 300


@dataclass(frozen=True)
class RejectionNotice:
    summary: str  # our words only: safe as Markdown
    reason: str  # from the bucket: show as text


def _moment(value: object) -> datetime | None:
    """A wire hour (int) or an ISO 8601 time as an aware datetime; None when it is neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return hours_to_timestamps([value])[0].to_pydatetime()
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return None


def _utc_text(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%d %b %Y %H:%M} UTC"


def one_line(text: object) -> str:
    """Whatever the API sent, as one line of bounded length."""
    line = " ".join(str(text).split())
    return line if len(line) <= MAX_REASON_CHARACTERS else line[: MAX_REASON_CHARACTERS - 1] + "…"


def rejection_notices(freshness: dict[str, Any], now: datetime | None = None) -> list[RejectionNotice]:
    """One notice per rejected upload in a `/freshness` or `/status` body; none when all is well."""
    now = now or datetime.now(UTC)
    notices = []
    for rejection in freshness.get("rejections") or []:
        if not isinstance(rejection, dict):
            continue
        what = OBJECT_LABELS.get(rejection.get("object"), "A data file")
        since = _moment(rejection.get("first_seen"))
        when = f" on {_utc_text(since)} ({format_age((now - since).total_seconds())} ago)" if since else ""
        summary = f"**{what}: newest upload rejected**{when}. It failed the API's data checks and is not shown."
        notices.append(RejectionNotice(summary, one_line(rejection.get("reason") or "no reason given")))
    return notices


def showing_text(freshness: dict[str, Any]) -> str:
    """Up to which hour the page shows data: the last good copy's newest observation and forecast."""
    observed_to, forecast_from = _moment(freshness.get("observed_to")), _moment(freshness.get("forecast_from"))
    parts = []
    if observed_to is not None:
        parts.append(f"observations up to {_utc_text(observed_to)}")
    if forecast_from is not None:
        parts.append(f"the forecast from {_utc_text(forecast_from)}")
    if not parts:
        return "This page shows the last data that passed the checks."
    return "This page shows the last data that passed the checks: " + " and ".join(parts) + "."


def render_rejections(freshness: dict[str, Any]) -> bool:
    """The notice about rejected uploads, if there are any; True when it was shown."""
    notices = rejection_notices(freshness)
    if not notices:
        return False
    with st.container(border=True, key="rejected_uploads"):
        for notice in notices:
            st.warning(notice.summary, icon=":material/block:")
            st.text("Why: " + notice.reason)
        st.caption(showing_text(freshness))
    return True


def render_freshness(freshness: dict[str, Any], show_window: bool = True) -> None:
    """The freshness line, a 'demo data' badge for the demo bucket, a notice for each rejected upload,
    and a warning when stale (left out when a rejection already says why the data is old).

    `show_window=False` leaves the forecast window out of the line, for a page that writes it itself
    (in its own time zone)."""
    if freshness.get("is_demo"):
        st.badge(
            "Demo data: synthetic numbers, not real consumption",
            icon=":material/science:",
            color="orange",
        )
    st.caption(freshness_text(freshness if show_window else {**freshness, "forecast_from": None}))
    if freshness.get("replica_behind"):
        st.caption(
            ":material/sync: An API replica answered with older data (it has not refreshed yet); "
            "this page keeps showing the newer data it already had."
        )
    if render_rejections(freshness):
        return
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
