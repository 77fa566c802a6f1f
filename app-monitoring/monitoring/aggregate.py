"""The error over all series, hour by hour: a continuous hourly frame, its overview, the hour-of-day profile.

Built from `/api/v2/monitoring/hourly` (fractions, ISO times) on the shared hourly axis
(`dashboard_common.hours`): hours the API does not list become rows of NaN, so charts break the
line there instead of drawing across the gap. Every figure here is the API's, in display units: the
trailing-24-hour lines (`<figure>_24h`) and the hour-of-day profile (`/monitoring/hour_of_day`, on the
page's clock) are pooled by the API over the compared series-hours, not averaged here.
"""

from dataclasses import dataclass

import pandas as pd
from dashboard_common.hours import UTC, every_hour, parse_times

from monitoring.measures import HOURLY_MEASURES, Measure

DEFAULT_THRESHOLD_PERCENT = 10.0
HOURS_PER_DAY = 24
SERIES_COMPARED = "series_compared"
TRAILING_DAY = "_24h"  # suffix of the API's figure pooled over the 24 hours ending at each hour


def hourly_frame(hourly: dict, zone: str = UTC) -> pd.DataFrame:
    """One row per hour from the first to the last listed, in `zone` (the one the API was asked
    for): each hourly figure and its trailing-24-hour line (`wape_24h`, ...) in display units."""
    rows = hourly["hours"]
    index = parse_times([row["time"] for row in rows], zone, name="time")
    displayed = [(measure.field + suffix, measure) for measure in HOURLY_MEASURES for suffix in ("", TRAILING_DAY)]
    frame = pd.DataFrame(
        {column: [measure.display(row.get(column)) for row in rows] for column, measure in displayed}
        | {SERIES_COMPARED: [row.get(SERIES_COMPARED) for row in rows]},
        index=index,
        dtype="float64",
    )
    return every_hour(frame)


@dataclass(frozen=True)
class HourlyOverview:
    """Latest and worst hour of one hourly figure, and how often it is beyond the threshold (the
    figure over the whole window is the API's pooled one, `summary.overall`)."""

    latest_hour: pd.Timestamp
    latest: float
    worst_hour: pd.Timestamp
    worst: float
    hours_measured: int
    hours_beyond_threshold: int

    @property
    def share_beyond_threshold(self) -> float:
        """Fraction (0..1) of measured hours beyond the threshold."""
        return self.hours_beyond_threshold / self.hours_measured


def beyond_threshold(values: pd.Series, measure: Measure, threshold: float) -> pd.Series:
    """True where the value (display units) is strictly beyond `threshold`; bias counts either sign."""
    return values.abs() > threshold if measure.signed else values > threshold


def hourly_overview(values: pd.Series, measure: Measure, threshold: float) -> HourlyOverview | None:
    """Latest and worst (largest in size) value; None when no hour has one."""
    measured = values.dropna()
    if measured.empty:
        return None
    worst_hour = measured.abs().idxmax() if measure.signed else measured.idxmax()
    return HourlyOverview(
        latest_hour=measured.index[-1],
        latest=float(measured.iloc[-1]),
        worst_hour=worst_hour,
        worst=float(measured.loc[worst_hour]),
        hours_measured=len(measured),
        hours_beyond_threshold=int(beyond_threshold(measured, measure, threshold).sum()),
    )


def trailing_day(frame: pd.DataFrame, measure: Measure) -> pd.Series | None:
    """The API's figure pooled over the 24 hours ending at each hour (None when it sends none)."""
    return frame.get(measure.field + TRAILING_DAY)


def hour_of_day_frame(profile: dict) -> pd.DataFrame:
    """`/api/v2/monitoring/hour_of_day`: hours 0..23 of the API's zone as the index, each hourly
    figure in display units and the series-hours compared; an hour nothing was compared in is NaN."""
    rows = {row["hour"]: row for row in profile["hours"]}
    hours = [rows.get(hour, {}) for hour in range(HOURS_PER_DAY)]
    return pd.DataFrame(
        {measure.field: [measure.display(row.get(measure.field)) for row in hours] for measure in HOURLY_MEASURES}
        | {"hours_compared": [row.get("hours_compared", 0) for row in hours]},
        index=pd.RangeIndex(HOURS_PER_DAY, name="hour_of_day"),
        dtype="float64",
    )
