"""The error over all series, hour by hour: a continuous hourly frame, its overview, its hour-of-day profile.

Built from `/api/v2/monitoring/hourly` (fractions, ISO times) on the shared hourly axis
(`dashboard_common.hours`): hours the API does not list become rows of NaN, so charts break the
line there instead of drawing across the gap.
"""

from dataclasses import dataclass

import pandas as pd
from dashboard_common.hours import every_hour, parse_times

from monitoring.measures import HOURLY_MEASURES, Measure

DEFAULT_THRESHOLD_PERCENT = 10.0
HOURS_PER_DAY = 24
SERIES_COMPARED = "series_compared"


def hourly_frame(hourly: dict) -> pd.DataFrame:
    """One row per hour from the first to the last listed: each hourly figure in display units."""
    rows = hourly["hours"]
    index = parse_times([row["time"] for row in rows], name="time")
    frame = pd.DataFrame(
        {measure.field: [measure.display(row.get(measure.field)) for row in rows] for measure in HOURLY_MEASURES}
        | {SERIES_COMPARED: [row.get(SERIES_COMPARED) for row in rows]},
        index=index,
        dtype="float64",
    )
    return every_hour(frame)


@dataclass(frozen=True)
class HourlyOverview:
    """Latest, mean and worst hour of one hourly figure, and how often it is beyond the threshold."""

    latest_hour: pd.Timestamp
    latest: float
    mean: float
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
    """Latest, mean and worst (largest in size) value; None when no hour has one."""
    measured = values.dropna()
    if measured.empty:
        return None
    worst_hour = measured.abs().idxmax() if measure.signed else measured.idxmax()
    return HourlyOverview(
        latest_hour=measured.index[-1],
        latest=float(measured.iloc[-1]),
        mean=float(measured.mean()),
        worst_hour=worst_hour,
        worst=float(measured.loc[worst_hour]),
        hours_measured=len(measured),
        hours_beyond_threshold=int(beyond_threshold(measured, measure, threshold).sum()),
    )


def daily_rolling_mean(values: pd.Series) -> pd.Series:
    """Trailing 24-hour mean, shown once at least half of the day's hours are measured."""
    return values.rolling(HOURS_PER_DAY, min_periods=HOURS_PER_DAY // 2).mean()


def hour_of_day_profile(frame: pd.DataFrame) -> pd.DataFrame:
    """Mean of each hourly figure per hour of the day (UTC), hours 0..23 as the index."""
    measured = frame[[measure.field for measure in HOURLY_MEASURES]]
    profile = measured.groupby(measured.index.hour).mean()
    profile.index.name = "hour_of_day"
    return profile.reindex(range(HOURS_PER_DAY))
