"""The numbers above the chart: forecast total, its peak, and the change against a week earlier."""

from dataclasses import dataclass

import pandas as pd

ONE_WEEK = pd.Timedelta(days=7)


@dataclass(frozen=True)
class KeyFigures:
    forecast_total_kwh: float | None
    peak_hour: pd.Timestamp | None
    peak_kwh: float | None
    week_before_total_kwh: float | None
    change_vs_week_before: float | None
    """Relative change as a fraction (0.05 = +5 %), over the hours observed a week earlier."""
    hours_compared: int


def key_figures(observed: pd.Series, forecast: pd.Series) -> KeyFigures:
    """Key figures of the forecast; the week-earlier change uses only hours observed back then."""
    forecast = forecast.dropna()
    if forecast.empty:
        return KeyFigures(None, None, None, None, None, 0)
    week_before = observed.reindex(forecast.index - ONE_WEEK)
    comparable = week_before.notna().to_numpy()
    week_before_total = float(week_before[comparable].sum()) if comparable.any() else None
    forecast_comparable_total = float(forecast[comparable].sum())
    change = forecast_comparable_total / week_before_total - 1.0 if week_before_total not in (None, 0.0) else None
    return KeyFigures(
        forecast_total_kwh=float(forecast.sum()),
        peak_hour=forecast.idxmax(),
        peak_kwh=float(forecast.max()),
        week_before_total_kwh=week_before_total,
        change_vs_week_before=change,
        hours_compared=int(comparable.sum()),
    )


def format_kwh(value: float | None) -> str:
    """'1,234,567 kWh', or an em dash when there is no value."""
    return "—" if value is None else f"{value:,.0f} kWh"


def format_change(change: float | None) -> str:
    """'+3.2 %' / '-0.4 %', or an em dash when there is nothing to compare with."""
    return "—" if change is None else f"{change * 100:+.1f} %"
