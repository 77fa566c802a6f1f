"""The numbers above the chart: the 24-hour total and its range, the peak and its range, the week-earlier change.

Every figure but the peak comes from the API: the peak's range is the forecast's own range for that
hour; the total, its range (learnt from past sums over as many hours; the sum of the hourly bounds
would be far too wide) and the change against the same hours a week earlier are the API's
`forecast_total` (with `week_earlier`). The page sums and divides nothing itself.
"""

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

Range = tuple[float, float]


@dataclass(frozen=True)
class ForecastKeyFigures:
    """Key figures of one series' forecast (not the monitoring page's error figures)."""

    total_kwh: float | None
    total_range_80: Range | None
    total_range_95: Range | None
    total_range_windows: int
    """How many past windows the API learnt the total's range from (0: no range)."""
    peak_hour: pd.Timestamp | None
    peak_kwh: float | None
    peak_range_80: Range | None
    peak_range_95: Range | None
    week_before_total_kwh: float | None
    change_vs_week_before: float | None
    """Relative change as a fraction (0.05 = +5 %), over the hours observed a week earlier."""
    hours_compared: int


def _bounds(values: Any, level: int) -> Range | None:
    lower, upper = values.get(f"lower_{level}"), values.get(f"upper_{level}")
    if lower is None or upper is None or not np.isfinite(lower) or not np.isfinite(upper):
        return None
    return float(lower), float(upper)


def key_figures(forecast: pd.DataFrame, forecast_total: dict[str, Any]) -> ForecastKeyFigures:
    """Key figures of the forecast: the peak from its hours, the rest from the API's `forecast_total`
    (a total it has not got, `kwh` null, stays empty rather than being summed here)."""
    forecast = forecast[forecast["kwh"].notna()]
    week = forecast_total.get("week_earlier") or {}
    peak_hour = forecast["kwh"].idxmax() if len(forecast) else None
    peak_row = forecast.loc[peak_hour] if peak_hour is not None else {}
    total = forecast_total.get("kwh")
    return ForecastKeyFigures(
        total_kwh=None if total is None else float(total),
        total_range_80=_bounds(forecast_total, 80),
        total_range_95=_bounds(forecast_total, 95),
        total_range_windows=int(forecast_total.get("calibration_windows") or 0),
        peak_hour=peak_hour,
        peak_kwh=None if peak_hour is None else float(forecast["kwh"].max()),
        peak_range_80=_bounds(peak_row, 80),
        peak_range_95=_bounds(peak_row, 95),
        week_before_total_kwh=week.get("observed_kwh"),
        change_vs_week_before=week.get("change"),
        hours_compared=int(week.get("hours") or 0),
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
