"""Danish public holidays inside a window of hours, from the maintained `holidays` package, named in
the page's language (the package's own Danish and English names)."""

from dataclasses import dataclass
from functools import cache

import holidays
import pandas as pd

DANISH_TIME = "Europe/Copenhagen"
HOLIDAY_LANGUAGES = {"da": "da", "en": "en_US"}
"""The `holidays` package's language per page language (without one it follows the process's locale)."""


@dataclass(frozen=True)
class Holiday:
    """A public holiday as the span of hours it covers: Danish local midnight to the next."""

    name: str
    start: pd.Timestamp
    end: pd.Timestamp


@cache
def _danish_holidays(year: int, language: str = "en") -> dict:
    return dict(holidays.Denmark(years=year, language=HOLIDAY_LANGUAGES[language]))


def holidays_between(first_hour: pd.Timestamp, last_hour: pd.Timestamp, language: str = "en") -> list[Holiday]:
    """Danish public holidays whose day overlaps [first_hour, last_hour] (tz-aware, any zone).

    A holiday is a Danish calendar day whatever zone the page shows, so its span is taken in Danish
    time (23 or 25 hours on a daylight-saving day) and the caller draws it in its own zone.
    """
    first, last = first_hour.tz_convert(DANISH_TIME), last_hour.tz_convert(DANISH_TIME)
    found = []
    for day in pd.date_range(first.normalize().tz_localize(None), last.normalize().tz_localize(None), freq="D"):
        name = _danish_holidays(day.year, language).get(day.date())
        if name:
            start = day.tz_localize(DANISH_TIME)
            end = (day + pd.Timedelta(days=1)).tz_localize(DANISH_TIME)
            found.append(Holiday(name=name, start=start.tz_convert(first_hour.tz), end=end.tz_convert(first_hour.tz)))
    return found
