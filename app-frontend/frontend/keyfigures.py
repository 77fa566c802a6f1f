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
from dashboard_common.i18n import ENGLISH, number

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


def format_kwh(value: float | None, language: str = ENGLISH) -> str:
    """'1,234,567 kWh' ('1.234.567 kWh' in Danish), or an em dash when there is no value."""
    return "—" if value is None else f"{number(value, language)} kWh"


def format_range(bounds: Range | None, language: str = ENGLISH) -> str:
    """'1,200 – 1,450 kWh' ('1.200 – 1.450 kWh'), or an em dash when there is no range."""
    return "—" if bounds is None else f"{number(bounds[0], language)} – {number(bounds[1], language)} kWh"


def format_change(change: float | None, language: str = ENGLISH) -> str:
    """'+3.2 %' / '-0.4 %' ('+3,2 %'), or an em dash when there is nothing to compare with."""
    if change is None:
        return "—"
    sign = "+" if change * 100 >= 0 else "-"
    return f"{sign}{number(abs(change) * 100, language, decimals=1)} %"


BIAS_THRESHOLD = 0.02
"""How far the model's forecasts over the last week may be off on balance (Σ(ŷ − y) / Σ|y|, the
API's `bias`) before the key figures say that it is running high or low: 2 % of what was observed."""
BIAS_WINDOW_HOURS = 168


def recent_bias(monitoring: dict[str, Any] | None, hours: int = BIAS_WINDOW_HOURS) -> float | None:
    """The model's bias over the last `hours` compared hours of `/api/v2/monitoring/series` (the
    contract's `bias`: Σ(ŷ − y) / Σ|y|, positive when it forecast too much); None without any."""
    rows = [
        row
        for row in (monitoring or {}).get("hours") or []
        if isinstance(row.get("observed_kwh"), int | float)
        and isinstance(row.get("predicted_kwh"), int | float)
        and np.isfinite(row["observed_kwh"])
        and np.isfinite(row["predicted_kwh"])
    ][-hours:]
    observed = sum(abs(row["observed_kwh"]) for row in rows)
    if not rows or observed == 0:
        return None
    return sum(row["predicted_kwh"] - row["observed_kwh"] for row in rows) / observed


@dataclass(frozen=True)
class BiasWarning:
    """Why the key figures warn that the model is off: where its forecast lies against its own 80 %
    range, and its bias over the last week (either may be missing)."""

    running_low: bool
    outside_range: str | None
    """"below"/"above" when the 24-hour total lies outside its own 80 % range, else None."""
    bias: float | None
    """Last week's bias when it is beyond `BIAS_THRESHOLD`, else None."""


def bias_warning(figures: ForecastKeyFigures, bias: float | None) -> BiasWarning | None:
    """A warning when the forecast total lies outside its own 80 % range (the range is learnt from
    the model's past errors, so a model running low has its range above the forecast) or when last
    week's bias is beyond `BIAS_THRESHOLD`; None when neither."""
    outside = None
    if figures.total_kwh is not None and figures.total_range_80 is not None:
        low, high = figures.total_range_80
        outside = "below" if figures.total_kwh < low else "above" if figures.total_kwh > high else None
    large_bias = bias if bias is not None and abs(bias) > BIAS_THRESHOLD else None
    if outside is None and large_bias is None:
        return None
    running_low = large_bias < 0 if large_bias is not None else outside == "below"
    return BiasWarning(running_low=running_low, outside_range=outside, bias=large_bias)
