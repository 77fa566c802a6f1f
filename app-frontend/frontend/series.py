"""A `/api/v2/series/...` body as hourly pandas data in the zone the API was asked for.

Rows keep the API's instants (ISO 8601 with offsets) on the shared hourly axis
(`dashboard_common.hours`): an hour the API does not list (or lists as null) is a gap.
"""

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from dashboard_common.hours import every_hour, parse_times

BOUNDS = ("lower_80", "upper_80", "lower_95", "upper_95")
FORECAST_COLUMNS = ("kwh", *BOUNDS)


@dataclass(frozen=True)
class SeriesView:
    """Observed hours and the 24-hour forecast with its ranges, indexed by tz-aware hours in `zone`."""

    zone: str
    observed: pd.Series
    forecast: pd.DataFrame
    interval: dict[str, Any]
    forecast_total: dict[str, Any]
    """The API's total of the forecast hours with its own ranges (`forecast_total`)."""

    @cached_property
    def has_ranges(self) -> bool:
        """Whether any forecast hour has a range. Computed once per view (a pandas pass over the bounds
        that every run asked for two or three times: BENCHMARKS.md, "Capacity"); a view is read-only."""
        return bool(len(self.forecast)) and bool(self.forecast[list(BOUNDS)].notna().any().any())


def _frame(rows: list[dict[str, Any]], columns: tuple[str, ...], zone: str) -> pd.DataFrame:
    index = parse_times([row["time"] for row in rows], zone)
    values = {
        column: np.asarray([np.nan if row.get(column) is None else row[column] for row in rows], dtype="float64")
        for column in columns
    }
    return every_hour(pd.DataFrame(values, index=index), zone)


def series_view(body: dict[str, Any]) -> SeriesView:
    zone = body.get("tz") or "UTC"
    observed = _frame(body.get("observations") or [], ("kwh",), zone)["kwh"].rename("observed_kwh")
    forecast = _frame(body.get("forecast") or [], FORECAST_COLUMNS, zone)
    return SeriesView(
        zone=zone,
        observed=observed,
        forecast=forecast,
        interval=body.get("interval") or {},
        forecast_total=body.get("forecast_total") or {},
    )


def past_forecast(body: dict[str, Any] | None, zone: str) -> pd.Series:
    """What the model had predicted for each hour (`/api/v2/monitoring/series/...`), on an hourly axis."""
    hours = (body or {}).get("hours") or []
    return _frame(hours, ("predicted_kwh",), zone)["predicted_kwh"] if hours else pd.Series(dtype="float64")


def chart_table(view: SeriesView) -> pd.DataFrame:
    """One row per hour on the chart, observed and forecast with its ranges side by side."""
    table = pd.concat([view.observed, view.forecast.rename(columns={"kwh": "forecast_kwh"})], axis=1)
    table.index.name = "time"
    return table.reset_index()


def chart_csv(view: SeriesView) -> str:
    """The table as CSV; times in ISO 8601 with their offset, so every hour is unambiguous."""
    table = chart_table(view)
    table["time"] = table["time"].map(lambda hour: hour.isoformat(timespec="minutes"))
    return table.to_csv(index=False, float_format="%.3f")
