"""Times at the edge of `/api/v2`: hours since the epoch (UTC, as the snapshot keeps them) to ISO 8601
strings in any IANA zone, and `start`/`end` query values to hour boundaries.

Converting UTC hours to local time is always well defined, so daylight saving needs no special case:
a spring-forward day has 23 local hours, and on a fall-back day the repeated hour appears twice with
different offsets.
"""

import math
import re
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

import numpy as np
import pandas as pd

SECONDS_PER_HOUR = 3600
UTC_NAMES = frozenset({"UTC", "utc", "Etc/UTC", "Z"})
_OFFSET_WITHOUT_PLUS = re.compile(r"^(.*\d) (\d\d(:?\d\d)?)$")  # '+' decoded to a space in a hand-typed URL


# In the zone database's folder, but not zones a caller can mean: the host's own zone (differs per
# machine and replica), the rules file for POSIX TZ strings, and the "zone unknown" placeholder.
NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})
# Every name `tz` accepts. `ZoneInfo` alone is no check: it opens whatever the name points at in the
# zone folder, so a folder ('Europe') raised IsADirectoryError (a 500) and 'localtime' gave the host's zone.
ZONE_NAMES = frozenset(available_timezones() | {"UTC"}) - NOT_ZONES
_ZONE_BY_LOWER_NAME = {name.lower(): name for name in ZONE_NAMES}


class BadTimeParameter(ValueError):
    """A `tz`, `start` or `end` value that cannot be used; the message says what is accepted."""


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    """The zone of an IANA name from `ZONE_NAMES`; anything else is a `BadTimeParameter` saying what to use."""
    if name not in ZONE_NAMES:
        suggestion = _ZONE_BY_LOWER_NAME.get(name.strip().lower())
        hint = f"did you mean {suggestion!r}? " if suggestion else ""
        shown = name if len(name) <= 64 else name[:64] + "..."
        raise BadTimeParameter(
            f"unknown time zone {shown!r}: {hint}use an IANA zone name such as 'Europe/Copenhagen' or 'UTC'"
        )
    return ZoneInfo(name)


# Hours formatted per step. Each step is a few calls into numpy and pandas that hold the GIL; at this
# size one takes ~1-2 ms, so a long range formatted in a worker thread never holds the event loop
# for longer (three years at once held it ~15 ms).
CHUNK_HOURS = 2048


def iso_hours(hours: np.ndarray, tz: str = "UTC") -> list[str]:
    """ISO 8601 with the zone's offset at each hour, e.g. '2023-10-29T02:00:00+02:00'."""
    if hours.size <= CHUNK_HOURS:
        return _iso_hours(hours, tz)
    texts: list[str] = []
    for first in range(0, hours.size, CHUNK_HOURS):
        texts += _iso_hours(hours[first : first + CHUNK_HOURS], tz)
    return texts


def _iso_hours(hours: np.ndarray, tz: str) -> list[str]:
    if hours.size == 0:
        return []
    utc_seconds = hours.astype(np.int64) * SECONDS_PER_HOUR
    if tz in UTC_NAMES:
        return np.char.add(np.datetime_as_string(utc_seconds.astype("datetime64[s]")), "+00:00").tolist()
    local = pd.DatetimeIndex(utc_seconds.astype("datetime64[s]"), tz="UTC").tz_convert(zone(tz)).tz_localize(None)
    local_seconds = local.asi8 // 1_000_000_000 if local.unit == "ns" else local.as_unit("s").asi8
    offsets = local_seconds - utc_seconds
    text = np.datetime_as_string(local_seconds.astype("datetime64[s]"))
    suffixes = np.empty(offsets.size, dtype="<U6")
    for offset in np.unique(offsets):
        suffixes[offsets == offset] = _offset_text(int(offset))
    return np.char.add(text, suffixes).tolist()


def local_hour_of_day(hours: np.ndarray, tz: str = "UTC") -> np.ndarray:
    """The hour of the day (0-23) each UTC hour starts at on the clocks of `tz`.

    A spring-forward day has no local 02:00, and on a fall-back day two UTC hours start at 02:00.
    """
    if tz in UTC_NAMES or hours.size == 0:
        return (hours.astype(np.int64) % 24).astype(np.int64)
    utc = pd.DatetimeIndex((hours.astype(np.int64) * SECONDS_PER_HOUR).astype("datetime64[s]"), tz="UTC")
    return utc.tz_convert(zone(tz)).hour.to_numpy(dtype=np.int64)


def iso_hours_or_none(hours: np.ndarray, tz: str = "UTC") -> list[str | None]:
    """As `iso_hours` for float hours where NaN means "no such time" (given as None)."""
    present = ~np.isnan(hours)
    texts: list[str | None] = [None] * hours.size
    for position, text in zip(
        np.flatnonzero(present).tolist(), iso_hours(hours[present].astype(np.int64), tz), strict=True
    ):
        texts[position] = text
    return texts


def _offset_text(seconds: int) -> str:
    sign = "+" if seconds >= 0 else "-"
    minutes = abs(seconds) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def iso_moment(hour: int | None, tz: str = "UTC") -> str | None:
    return None if hour is None else iso_hours(np.array([hour], dtype=np.int64), tz)[0]


def hour_boundary(text: str, tz: str, name: str) -> int:
    """The first whole hour at or after an ISO 8601 instant; a value without offset is read in `tz`."""
    value = text.strip()
    repaired = _OFFSET_WITHOUT_PLUS.match(value)
    if repaired:
        value = f"{repaired.group(1)}+{repaired.group(2)}"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise BadTimeParameter(
            f"{name}={text!r} is not an ISO 8601 time: use e.g. '2024-03-31T00:00:00+01:00', "
            "'2024-03-30T23:00:00Z' or '2024-03-31' (read in the zone given by tz)"
        ) from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone(tz))
    return math.ceil(moment.timestamp() / SECONDS_PER_HOUR)
