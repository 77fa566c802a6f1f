"""The hourly axis both dashboards draw on: the API's ISO 8601 times as a continuous run of hours.

The API lists the hours it has; an hour it leaves out (or sends as null) must show as a gap, never
as a straight line bridging it. So data goes onto every hour from its first to its last, built in
UTC and only then converted to the zone shown: a daylight-saving day then has its 23 or 25 hours,
each once, and the two 02:00 of a fall-back day stay apart.
"""

from collections.abc import Sequence
from typing import TypeVar

import pandas as pd

from dashboard_common.i18n import short_datetime

UTC = "UTC"

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
