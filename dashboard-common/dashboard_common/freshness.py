"""The one status widget of both dashboards: which data the page shows and how fresh it is, uploads
the API rejected, and the API being down.

It reads the API's `/api/v2/status` (as `dashboard_common.status.load_status` fetches it): the
forecast window in the page's own zone and the data's age, computed from `loaded_at` when the page
is drawn (a cached status does not freeze the age). A rejection's reason comes from a bucket, which
is hostile input: it is shown as plain text, never as Markdown.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import streamlit as st

from dashboard_common.client import ApiError, DataVersionMismatch
from dashboard_common.hours import moment, time_label


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


def _now(now: datetime | None) -> pd.Timestamp:
    return pd.Timestamp(now or datetime.now(UTC))


def window_text(status: dict[str, Any], zone: str = "UTC") -> str | None:
    """'Forecast for Thu 15 Jun 02:00 CEST – Fri 16 Jun 01:00 CEST', in `zone`; None without a window."""
    first, last = moment(status.get("forecast_from")), moment(status.get("forecast_to"))
    if first is None or last is None:
        return None
    return f"Forecast for {time_label(first.tz_convert(zone))} – {time_label(last.tz_convert(zone))}"


def status_text(status: dict[str, Any], zone: str = "UTC", now: datetime | None = None) -> str:
    """The status line: the forecast window in the page's zone and how long ago the API loaded the data."""
    loaded_at = moment(status.get("loaded_at"))
    seconds = None if loaded_at is None else (_now(now) - loaded_at).total_seconds()
    age = "data loaded" if seconds is None else f"data loaded {format_age(seconds)} ago"
    window = window_text(status, zone)
    text = age if window is None else f"{window} · {age}"
    return text[0].upper() + text[1:]


def stale_text(status: dict[str, Any], zone: str = "UTC", now: datetime | None = None) -> str:
    """The warning for data the API has not managed to refresh, with when it last managed to."""
    last_ok = moment(status.get("last_successful_refresh_at"))
    if last_ok is None:
        when = " (last successful check: never)" if "last_successful_refresh_at" in status else ""
    else:
        ago = format_age((_now(now) - last_ok).total_seconds())
        when = f" (last successful check: {time_label(last_ok.tz_convert(zone))}, {ago} ago)"
    return f"The API has not been able to refresh its data for a while{when}. Figures may be out of date."


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


def _utc_text(instant: pd.Timestamp) -> str:
    return f"{instant.tz_convert(UTC):%d %b %Y %H:%M} UTC"


def one_line(text: object) -> str:
    """Whatever the API sent, as one line of bounded length."""
    line = " ".join(str(text).split())
    return line if len(line) <= MAX_REASON_CHARACTERS else line[: MAX_REASON_CHARACTERS - 1] + "…"


def rejection_notices(status: dict[str, Any], now: datetime | None = None) -> list[RejectionNotice]:
    """One notice per rejected upload in a `/status` body; none when all is well."""
    now = _now(now)
    notices = []
    for rejection in status.get("rejections") or []:
        if not isinstance(rejection, dict):
            continue
        what = OBJECT_LABELS.get(rejection.get("object"), "A data file")
        since = moment(rejection.get("first_seen"))
        when = f" on {_utc_text(since)} ({format_age((now - since).total_seconds())} ago)" if since is not None else ""
        summary = f"**{what}: newest upload rejected**{when}. It failed the API's data checks and is not shown."
        notices.append(RejectionNotice(summary, one_line(rejection.get("reason") or "no reason given")))
    return notices


def showing_text(status: dict[str, Any]) -> str:
    """Up to which hour the page shows data: the last good copy's newest observation and forecast."""
    observed_to, forecast_from = moment(status.get("observed_to")), moment(status.get("forecast_from"))
    parts = []
    if observed_to is not None:
        parts.append(f"observations up to {_utc_text(observed_to)}")
    if forecast_from is not None:
        parts.append(f"the forecast from {_utc_text(forecast_from)}")
    if not parts:
        return "This page shows the last data that passed the checks."
    return "This page shows the last data that passed the checks: " + " and ".join(parts) + "."


def render_rejections(status: dict[str, Any]) -> bool:
    """The notice about rejected uploads, if there are any; True when it was shown."""
    notices = rejection_notices(status)
    if not notices:
        return False
    with st.container(border=True, key="rejected_uploads"):
        for notice in notices:
            st.warning(notice.summary, icon=":material/block:")
            st.text("Why: " + notice.reason)
        st.caption(showing_text(status))
    return True


def render_status(status: dict[str, Any], zone: str = "UTC") -> None:
    """The status line (forecast window in `zone`, data age), a 'demo data' badge for the demo bucket,
    a notice for each rejected upload, and a warning when stale (left out when a rejection already
    says why the data is old)."""
    if status.get("is_demo"):
        st.badge(
            "Demo data: synthetic numbers, not real consumption",
            icon=":material/science:",
            color="orange",
        )
    st.caption(status_text(status, zone))
    if status.get("replica_behind"):
        st.caption(
            ":material/sync: An API replica answered with older data (it has not refreshed yet); "
            "this page keeps showing the newer data it already had."
        )
    if render_rejections(status):
        return
    if status.get("stale"):
        st.warning(stale_text(status, zone), icon=":material/schedule:")


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
