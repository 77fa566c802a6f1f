"""The numbers above the chart: the 24-hour total and its range, the peak and its range, the week-earlier change.

Every range comes from the API: the peak's is the forecast's own range for that hour, the total's
is the API's range for the sum (`forecast_total`, learnt from past sums over as many hours; the sum
of the hourly bounds would be far too wide). The page computes none of them.
"""

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

ONE_WEEK = pd.Timedelta(days=7)

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


def key_figures(
    observed: pd.Series, forecast: pd.DataFrame, forecast_total: dict[str, Any] | None = None
) -> ForecastKeyFigures:
    """Key figures of the forecast; the week-earlier change uses only hours observed back then.

    `forecast_total` is the API's `forecast_total` (the sum and its ranges); without it, or when
    it has no total, the total is summed here and shown without a range.
    """
    forecast = forecast[forecast["kwh"].notna()]
    if forecast.empty:
        return ForecastKeyFigures(None, None, None, 0, None, None, None, None, None, None, 0)
    kwh = forecast["kwh"]
    api_total = forecast_total or {}
    total = api_total.get("kwh")
    week_before = observed.reindex(forecast.index - ONE_WEEK)
    comparable = week_before.notna().to_numpy()
    week_before_total = float(week_before[comparable].sum()) if comparable.any() else None
    change = float(kwh[comparable].sum()) / week_before_total - 1.0 if week_before_total not in (None, 0.0) else None
    peak_hour = kwh.idxmax()
    peak_row = forecast.loc[peak_hour]
    return ForecastKeyFigures(
        total_kwh=float(kwh.sum()) if total is None else float(total),
        total_range_80=_bounds(api_total, 80),
        total_range_95=_bounds(api_total, 95),
        total_range_windows=int(api_total.get("calibration_windows") or 0),
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
