"""The one status widget of both dashboards: which data the page shows and how fresh it is, uploads
the API rejected, and the API being down.

It reads the API's `/api/v2/status` (as `dashboard_common.status.load_status` fetches it): the
forecast window in the page's own zone and the data's age, computed from `loaded_at` when the page
is drawn (a cached status does not freeze the age). A rejection's reason comes from a bucket, which
is hostile input: it is shown as plain text, never as Markdown.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import pandas as pd
import streamlit as st
from babel.dates import format_datetime

from dashboard_common.client import ApiError, DataVersionMismatch
from dashboard_common.hours import moment, time_label
from dashboard_common.i18n import ENGLISH, LOCALES, N_, Translate


def format_age(seconds: float, _: Translate = N_) -> str:
    """A rough, readable age: '40 s', '12 min', '3 h 5 min', '2 days' (in the page's language, `_`)."""
    seconds = max(0.0, float(seconds))
    if seconds < 60:
        return _("{seconds} s").format(seconds=int(seconds))
    minutes = int(seconds // 60)
    if minutes < 60:
        return _("{minutes} min").format(minutes=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        if minutes:
            return _("{hours} h {minutes} min").format(hours=hours, minutes=minutes)
        return _("{hours} h").format(hours=hours)
    return _("{days} days").format(days=hours // 24)


def _now(now: datetime | None) -> pd.Timestamp:
    return pd.Timestamp(now or datetime.now(UTC))


def window_text(
    status: dict[str, Any], zone: str = "UTC", *, _: Translate = N_, language: str | None = None
) -> str | None:
    """'Forecast for Thu 15 Jun 02:00 CEST – Fri 16 Jun 01:00 CEST', in `zone` and the page's
    language (`_`, `language`; None: the English default formats); None without a window."""
    forecast_from, forecast_to = status.get("forecast_from"), status.get("forecast_to")
    if not isinstance(forecast_from, str) or not isinstance(forecast_to, str):
        return None  # not a time (`moment`), and the cache below takes only hashable keys
    return _window_text(forecast_from, forecast_to, zone, _, language)


@lru_cache(maxsize=256)
def _window_text(forecast_from: str, forecast_to: str, zone: str, _: Translate, language: str | None) -> str | None:
    """`window_text` once per window, zone and language for the process (Babel's formatting ran on
    every page run; the translators are one function per language, `i18n.translator`)."""
    first, last = moment(forecast_from), moment(forecast_to)
    if first is None or last is None:
        return None
    return _("Forecast for {first} – {last}").format(
        first=time_label(first.tz_convert(zone), language), last=time_label(last.tz_convert(zone), language)
    )


def status_text(
    status: dict[str, Any],
    zone: str = "UTC",
    now: datetime | None = None,
    *,
    _: Translate = N_,
    language: str | None = None,
) -> str:
    """The status line: the forecast window in the page's zone and how long ago the API loaded the data."""
    loaded_at = moment(status.get("loaded_at"))
    seconds = None if loaded_at is None else (_now(now) - loaded_at).total_seconds()
    age = _("data loaded") if seconds is None else _("data loaded {age} ago").format(age=format_age(seconds, _))
    window = window_text(status, zone, _=_, language=language)
    text = age if window is None else f"{window} · {age}"
    return text[0].upper() + text[1:]


def stale_text(
    status: dict[str, Any],
    zone: str = "UTC",
    now: datetime | None = None,
    *,
    _: Translate = N_,
    language: str | None = None,
) -> str:
    """The warning for data the API has not managed to refresh, with when it last managed to."""
    last_ok = moment(status.get("last_successful_refresh_at"))
    if last_ok is None:
        when = _(" (last successful check: never)") if "last_successful_refresh_at" in status else ""
    else:
        ago = format_age((_now(now) - last_ok).total_seconds(), _)
        when = _(" (last successful check: {when}, {age} ago)").format(
            when=time_label(last_ok.tz_convert(zone), language), age=ago
        )
    return _("The API has not been able to refresh its data for a while{when}. Figures may be out of date.").format(
        when=when
    )


OBJECT_LABELS = {
    "X.parquet": N_("The list of series"),
    "y.parquet": N_("The observations"),
    "predictions.parquet": N_("The forecast"),
    "predictions_monitoring.parquet": N_("The past forecasts"),
    "y_monitoring.parquet": N_("The monitoring observations"),
    "metrics_monitoring.parquet": N_("The pipeline's hourly MAPE"),
}
MAX_REASON_CHARACTERS = 300


@dataclass(frozen=True)
class RejectionNotice:
    summary: str  # our words only: safe as Markdown
    reason: str  # from the bucket: show as text


def _utc_text(instant: pd.Timestamp, language: str | None = None) -> str:
    """'14 Jun 2023 23:00 UTC' ('14. jun. 2023 23:00 UTC' in Danish)."""
    if language is None:
        return f"{instant.tz_convert(UTC):%d %b %Y %H:%M} UTC"
    pattern = "d. MMM y HH:mm" if language != ENGLISH else "dd MMM y HH:mm"
    return format_datetime(instant.tz_convert(UTC), pattern, tzinfo=UTC, locale=LOCALES[language]) + " UTC"


def one_line(text: object) -> str:
    """Whatever the API sent, as one line of bounded length."""
    line = " ".join(str(text).split())
    return line if len(line) <= MAX_REASON_CHARACTERS else line[: MAX_REASON_CHARACTERS - 1] + "…"


def rejection_notices(
    status: dict[str, Any], now: datetime | None = None, *, _: Translate = N_, language: str | None = None
) -> list[RejectionNotice]:
    """One notice per rejected upload in a `/status` body; none when all is well."""
    now = _now(now)
    notices = []
    for rejection in status.get("rejections") or []:
        if not isinstance(rejection, dict):
            continue
        what = _(OBJECT_LABELS.get(rejection.get("object"), N_("A data file")))
        since = moment(rejection.get("first_seen"))
        when = ""
        if since is not None:
            when = _(" on {when} ({age} ago)").format(
                when=_utc_text(since, language), age=format_age((now - since).total_seconds(), _)
            )
        summary = _("**{what}: newest upload rejected**{when}. It failed the API's data checks and is not shown.")
        reason = one_line(rejection.get("reason") or _("no reason given"))
        notices.append(RejectionNotice(summary.format(what=what, when=when), reason))
    return notices


def showing_text(status: dict[str, Any], *, _: Translate = N_, language: str | None = None) -> str:
    """Up to which hour the page shows data: the last good copy's newest observation and forecast."""
    observed_to, forecast_from = moment(status.get("observed_to")), moment(status.get("forecast_from"))
    parts = []
    if observed_to is not None:
        parts.append(_("observations up to {when}").format(when=_utc_text(observed_to, language)))
    if forecast_from is not None:
        parts.append(_("the forecast from {when}").format(when=_utc_text(forecast_from, language)))
    if not parts:
        return _("This page shows the last data that passed the checks.")
    return _("This page shows the last data that passed the checks: {parts}.").format(parts=_(" and ").join(parts))


def render_rejections(status: dict[str, Any], *, _: Translate = N_, language: str | None = None) -> bool:
    """The notice about rejected uploads, if there are any; True when it was shown."""
    notices = rejection_notices(status, _=_, language=language)
    if not notices:
        return False
    with st.container(border=True, key="rejected_uploads"):
        for notice in notices:
            st.warning(notice.summary, icon=":material/block:")
            st.text(_("Why: {reason}").format(reason=notice.reason))
        st.caption(showing_text(status, _=_, language=language))
    return True


def render_status(status: dict[str, Any], zone: str = "UTC", *, _: Translate = N_, language: str | None = None) -> None:
    """The status line (forecast window in `zone`, data age), a 'demo data' badge for the demo bucket,
    a notice for each rejected upload, and a warning when stale (left out when a rejection already
    says why the data is old). Texts in the page's language: its `_` and `language` (`da`/`en`;
    None keeps the English formats of before)."""
    if status.get("is_demo"):
        st.badge(
            _("Demo data: synthetic numbers, not real consumption"),
            icon=":material/science:",
            color="orange",
        )
    st.caption(status_text(status, zone, _=_, language=language))
    if status.get("replica_behind"):
        st.caption(
            ":material/sync: "
            + _(
                "An API replica answered with older data (it has not refreshed yet); "
                "this page keeps showing the newer data it already had."
            )
        )
    if render_rejections(status, _=_, language=language):
        return
    if status.get("stale"):
        st.warning(stale_text(status, zone, _=_, language=language), icon=":material/schedule:")


def render_api_unavailable(error: ApiError, key: str = "retry_api", *, _: Translate = N_) -> None:
    """A warning naming the URL that failed, and a button that clears the cache and tries again."""
    if isinstance(error, DataVersionMismatch):
        st.info(
            _(
                "The forecast API's replicas are switching to new data, and the one that answered has not "
                "caught up yet. Try again in a moment."
            ),
            icon=":material/sync:",
        )
        st.button(_("Try again"), key=key, on_click=st.cache_data.clear, icon=":material/refresh:")
        return
    st.warning(
        _(
            "The forecast API is not answering at `{url}` ({message}). "
            "The page will show data again as soon as the API is back."
        ).format(url=error.url, message=error.message),
        icon=":material/cloud_off:",
    )
    st.button(_("Retry"), key=key, on_click=st.cache_data.clear, icon=":material/refresh:")
