"""The hourly axis both dashboards draw on: the API's ISO 8601 times as a continuous run of hours.

The API lists the hours it has; an hour it leaves out (or sends as null) must show as a gap, never
as a straight line bridging it. So data goes onto every hour from its first to its last, built in
UTC and only then converted to the zone shown: a daylight-saving day then has its 23 or 25 hours,
each once, and the two 02:00 of a fall-back day stay apart.
"""

import math
from collections.abc import Sequence
from typing import TypeVar

import pandas as pd
from babel.dates import format_date

from dashboard_common.i18n import DANISH, LOCALES, short_datetime

UTC = "UTC"
HALF_HOUR = pd.Timedelta(minutes=30)

Hourly = TypeVar("Hourly", pd.Series, pd.DataFrame)


def parse_times(times: Sequence[str], zone: str = UTC, name: str | None = None) -> pd.DatetimeIndex:
    """ISO 8601 times with any offsets as tz-aware hours in `zone`."""
    parsed = pd.to_datetime(list(times), utc=True, format="ISO8601")
    return pd.DatetimeIndex(parsed, name=name).tz_convert(zone)


def every_hour(data: Hourly, zone: str | None = None) -> Hourly:
    """`data` (indexed by tz-aware hours) on every hour from its first to its last, in `zone`.

    Duplicate hours keep their last row; input order does not matter; missing hours become rows of
    NaN. `zone=None` keeps the index's own zone.
    """
    zone = zone or str(data.index.tz or UTC)
    if data.empty:
        return data
    data = data[~data.index.duplicated(keep="last")].sort_index()
    first, last = data.index[0].tz_convert(UTC), data.index[-1].tz_convert(UTC)
    hours = pd.date_range(first, last, freq="h", name=data.index.name)
    return data.reindex(hours.tz_convert(zone))


def time_label(hour: pd.Timestamp, language: str | None = None) -> str:
    """'Sun 29 Oct 02:00 CEST': the zone's abbreviation tells the two 02:00 of a fall-back day apart.

    With a `language` (`da`/`en`) the weekday and month are Babel's ('søn. 29. okt. 02:00 CEST');
    None keeps the English format every caller had before languages came.
    """
    if language is None:
        return f"{hour:%a %d %b %H:%M} {hour.tzname()}"
    return f"{short_datetime(hour, language)} {hour.tzname()}"


def moment(value: object) -> pd.Timestamp | None:
    """An ISO 8601 time from an API answer as a tz-aware UTC timestamp; None when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        parsed = pd.Timestamp(value)
    except ValueError:
        return None
    if pd.isna(parsed):
        return None
    return parsed.tz_localize(UTC) if parsed.tzinfo is None else parsed.tz_convert(UTC)


def instants(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """Where Plotly draws each hour: its UTC instant, without zone (so no hour folds or goes missing).

    Plotly.js has no time zones, and a zone's wall clock folds an hour on a fall-back day and skips
    one on a spring-forward day; at their instants a day has its 23, 24 or 25 evenly spaced hours.
    """
    return pd.DatetimeIndex(index).tz_convert(UTC).tz_localize(None)


def day_text(midnight: pd.Timestamp, with_month: bool, language: str) -> str:
    """'Tue<br>28 Mar' / 'ti.<br>28. mar.' (the month only where asked), Babel's names per language."""
    day = "d. MMM" if language == DANISH else "d MMM"
    pattern = day if with_month else ("d." if language == DANISH else "d")
    locale = LOCALES[language]
    # Danish abbreviations ("tirs.") crowd a phone's week: the short form ("ti.") there.
    weekday = "EEEEEE" if language == DANISH else "EEE"
    return f"{format_date(midnight, weekday, locale=locale)}<br>{format_date(midnight, pattern, locale=locale)}"


def day_ticks(
    index: pd.DatetimeIndex, language: str, max_ticks: int | None = None
) -> tuple[list[pd.Timestamp], list[str]]:
    """Ticks at the zone's midnights within tz-aware hours, labelled with the zone's day.

    With `max_ticks`, every few days so that no more than that many labels share the axis (a
    phone's width holds about five). Short labels: the month is named on the first tick and on the 1st.
    """
    if not len(index):
        return [], []
    first, last = index[0], index[-1]
    days = pd.date_range(first.tz_localize(None).normalize(), last.tz_localize(None).normalize(), freq="D")
    midnights = [day.tz_localize(first.tz) for day in days]
    midnights = [midnight for midnight in midnights if first - HALF_HOUR <= midnight <= last + HALF_HOUR]
    if max_ticks:
        midnights = midnights[:: max(1, math.ceil(len(midnights) / max_ticks))]
    texts = [day_text(midnight, n == 0 or midnight.day == 1, language) for n, midnight in enumerate(midnights)]
    return list(instants(pd.DatetimeIndex(midnights, tz=first.tz))), texts


def hour_axis(index: pd.DatetimeIndex, language: str, max_ticks: int | None = None) -> dict:
    """The part of a Plotly x axis of hours both pages draw: day ticks in the hours' zone, and a range
    from half an hour before the first hour to half an hour after the last (each hour's bar or
    marker whole). Empty for no hours; titles and hover titles are each page's own."""
    if not len(index):
        return {}
    tickvals, ticktext = day_ticks(index, language, max_ticks)
    drawn = instants(index)
    return {
        "tickmode": "array",
        "tickvals": tickvals,
        "ticktext": ticktext,
        "range": [drawn[0] - HALF_HOUR, drawn[-1] + HALF_HOUR],
    }
