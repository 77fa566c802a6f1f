"""The predictions body of `/api/v1` as two hourly pandas series, and as the table behind the chart."""

from dataclasses import dataclass
from typing import Any

import pandas as pd
from dashboard_common.timeutils import hourly_series


@dataclass(frozen=True)
class ForecastSeries:
    """Latest week of observations and the 24-hour forecast, each on a gap-preserving hourly index."""

    observed: pd.Series
    forecast: pd.Series


def forecast_series(predictions: dict[str, Any]) -> ForecastSeries:
    return ForecastSeries(
        observed=hourly_series(predictions["datetime_utc"], predictions["energy_consumption"], name="observed_kwh"),
        forecast=hourly_series(
            predictions["preds_datetime_utc"],
            predictions["preds_energy_consumption"],
            name="forecast_kwh",
        ),
    )


def chart_table(series: ForecastSeries) -> pd.DataFrame:
    """One row per hour on the chart's axis, observed and forecast side by side (empty where none)."""
    table = pd.concat([series.observed, series.forecast], axis=1)
    table.index.name = "hour_utc"
    return table.reset_index()


def chart_csv(series: ForecastSeries) -> str:
    table = chart_table(series)
    table["hour_utc"] = table["hour_utc"].dt.strftime("%Y-%m-%dT%H:%MZ")
    return table.to_csv(index=False, float_format="%.3f")
