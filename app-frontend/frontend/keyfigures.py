"""The numbers above the chart: the 24-hour total and its range, the peak and its range, the week-earlier change.

The API gives ranges per hour. The range of a 24-hour *total* is not the sum of the hourly bounds
(that assumes every hour misses by its extreme at once), so it is learnt the same honest way from
the past: how far the model's own 24-hour totals for the same hours of earlier days were from what
was then observed (`/api/v2/monitoring/series/...`). With too few complete past days there is no range.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

ONE_DAY = pd.Timedelta(days=1)
ONE_WEEK = pd.Timedelta(days=7)
# Fewest complete past days for an empirical range: its end points are the 10th/90th (2.5th/97.5th)
# percentiles of the past days' ratios, which need at least this many days to mean anything.
MIN_DAYS_80 = 10
MIN_DAYS_95 = 20

Range = tuple[float, float]


@dataclass(frozen=True)
class ForecastKeyFigures:
    """Key figures of one series' forecast (not the monitoring page's error figures)."""

    total_kwh: float | None
    total_range_80: Range | None
    total_range_95: Range | None
    total_range_days: int
    """How many complete past days the total's range was learnt from."""
    peak_hour: pd.Timestamp | None
    peak_kwh: float | None
    peak_range_80: Range | None
    peak_range_95: Range | None
    week_before_total_kwh: float | None
    change_vs_week_before: float | None
    """Relative change as a fraction (0.05 = +5 %), over the hours observed a week earlier."""
    hours_compared: int


def past_total_ratios(past: pd.DataFrame, forecast_hours: pd.DatetimeIndex, max_days: int = 60) -> np.ndarray:
    """observed / predicted 24-hour totals for the forecast's hours of day on earlier days.

    A day counts only when every one of its hours has a finite prediction and observation, so a
    gap never looks like a miss.
    """
    if past.empty or not len(forecast_hours):
        return np.array([])
    past = past.set_axis(past.index.tz_convert("UTC").as_unit("ns"))
    hours_ns = forecast_hours.tz_convert("UTC").as_unit("ns").asi8
    days_back = np.arange(1, max_days + 1, dtype="int64")
    # One lookup for every (earlier day, hour): rows are days, columns the forecast's hours.
    wanted = (hours_ns[None, :] - days_back[:, None] * ONE_DAY.value).ravel()
    window = past.reindex(pd.to_datetime(wanted, unit="ns", utc=True))
    predicted = window["predicted_kwh"].to_numpy().reshape(max_days, len(hours_ns))
    observed = window["observed_kwh"].to_numpy().reshape(max_days, len(hours_ns))
    complete = np.isfinite(predicted).all(axis=1) & np.isfinite(observed).all(axis=1)
    predicted_totals, observed_totals = predicted[complete].sum(axis=1), observed[complete].sum(axis=1)
    return observed_totals[predicted_totals > 0] / predicted_totals[predicted_totals > 0]


def total_ranges(total: float, ratios: np.ndarray) -> tuple[Range | None, Range | None]:
    """80 % and 95 % ranges of a 24-hour total from past days' observed/predicted ratios."""

    def empirical(low: float, high: float, min_days: int) -> Range | None:
        if len(ratios) < min_days:
            return None
        lower, upper = np.quantile(ratios, [low, high])
        return float(total * lower), float(total * upper)

    return empirical(0.10, 0.90, MIN_DAYS_80), empirical(0.025, 0.975, MIN_DAYS_95)


def _bounds(row: pd.Series, level: int) -> Range | None:
    lower, upper = row.get(f"lower_{level}"), row.get(f"upper_{level}")
    if lower is None or upper is None or not np.isfinite(lower) or not np.isfinite(upper):
        return None
    return float(lower), float(upper)


def key_figures(observed: pd.Series, forecast: pd.DataFrame, past: pd.DataFrame | None = None) -> ForecastKeyFigures:
    """Key figures of the forecast; the week-earlier change uses only hours observed back then."""
    forecast = forecast[forecast["kwh"].notna()]
    if forecast.empty:
        return ForecastKeyFigures(None, None, None, 0, None, None, None, None, None, None, 0)
    kwh = forecast["kwh"]
    total = float(kwh.sum())
    ratios = past_total_ratios(past if past is not None else pd.DataFrame(), forecast.index)
    range_80, range_95 = total_ranges(total, ratios)
    week_before = observed.reindex(forecast.index - ONE_WEEK)
    comparable = week_before.notna().to_numpy()
    week_before_total = float(week_before[comparable].sum()) if comparable.any() else None
    change = float(kwh[comparable].sum()) / week_before_total - 1.0 if week_before_total not in (None, 0.0) else None
    peak_hour = kwh.idxmax()
    peak_row = forecast.loc[peak_hour]
    return ForecastKeyFigures(
        total_kwh=total,
        total_range_80=range_80,
        total_range_95=range_95,
        total_range_days=len(ratios),
        peak_hour=peak_hour,
        peak_kwh=float(kwh.max()),
        peak_range_80=_bounds(peak_row, 80),
        peak_range_95=_bounds(peak_row, 95),
        week_before_total_kwh=week_before_total,
        change_vs_week_before=change,
        hours_compared=int(comparable.sum()),
    )


def format_kwh(value: float | None) -> str:
    """'1,234,567 kWh', or an em dash when there is no value."""
    return "—" if value is None else f"{value:,.0f} kWh"


def format_range(bounds: Range | None) -> str:
    """'1,200 – 1,450 kWh', or an em dash when there is no range."""
    return "—" if bounds is None else f"{bounds[0]:,.0f} – {bounds[1]:,.0f} kWh"


def format_change(change: float | None) -> str:
    """'+3.2 %' / '-0.4 %', or an em dash when there is nothing to compare with."""
    return "—" if change is None else f"{change * 100:+.1f} %"
