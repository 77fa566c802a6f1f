"""The aggregated error over time: MAPE in percent per hour, threshold breaches and key figures.

The API sends MAPE as a fraction (0.05 = 5 %); people read and set thresholds in percent, so the
conversion happens once, here, and everything downstream works in percent.
"""

from dataclasses import dataclass

import pandas as pd
from dashboard_common.timeutils import hourly_series

DEFAULT_THRESHOLD_PERCENT = 10.0
HOURS_PER_DAY = 24


@dataclass(frozen=True)
class KeyFigures:
    """What an engineer wants to know before looking at the chart."""

    latest_hour: pd.Timestamp
    latest_mape: float
    mean_mape: float
    worst_hour: pd.Timestamp
    worst_mape: float
    hours_measured: int
    hours_above_threshold: int

    @property
    def share_above_threshold(self) -> float:
        """Fraction (0..1) of measured hours whose MAPE exceeds the threshold."""
        return self.hours_above_threshold / self.hours_measured


def mape_percent(metrics: dict) -> pd.Series:
    """MAPE per hour in percent, one entry per hour of the window, NaN where an hour is missing."""
    mape = hourly_series(metrics["datetime_utc"], [value * 100 for value in metrics["mape"]])
    return mape.astype("float64").rename("MAPE (%)")


def above_threshold(mape: pd.Series, threshold: float) -> pd.Series:
    """The hours whose MAPE is strictly above `threshold` (missing hours are never above)."""
    return mape[mape > threshold]


def daily_rolling_mean(mape: pd.Series) -> pd.Series:
    """Trailing 24-hour mean, shown once at least half of the day's hours are measured."""
    rolling = mape.rolling(HOURS_PER_DAY, min_periods=HOURS_PER_DAY // 2).mean()
    return rolling.rename("24 h rolling mean (%)")


def key_figures(mape: pd.Series, threshold: float) -> KeyFigures | None:
    """Latest, mean and worst MAPE and how often it exceeds `threshold`; None without any value."""
    measured = mape.dropna()
    if measured.empty:
        return None
    worst_hour = measured.idxmax()
    return KeyFigures(
        latest_hour=measured.index[-1],
        latest_mape=float(measured.iloc[-1]),
        mean_mape=float(measured.mean()),
        worst_hour=worst_hour,
        worst_mape=float(measured.loc[worst_hour]),
        hours_measured=len(measured),
        hours_above_threshold=int((measured > threshold).sum()),
    )
