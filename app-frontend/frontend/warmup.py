"""The forecast page's part of the start-up warm-up (`dashboard_common.start`): each figure and table
the page builds, built and serialised once from samples shaped like the API's `/api/v2` answers, so
Plotly's validators and JSON encoder, the holiday calendar and the zone database are loaded before
the first visitor. Nothing is fetched from the API and nothing is cached in Streamlit.
"""

from typing import Any

import pandas as pd
from dashboard_common.charts import figure_json
from dashboard_common.theme import apply_theme

from frontend.calendar_days import holidays_between
from frontend.choices import DANISH_TIME
from frontend.figures import CompareMember, compare_figure, forecast_figure
from frontend.keyfigures import key_figures
from frontend.series import chart_csv, past_forecast, series_view

RANGES = {"lower_80": 90.0, "upper_80": 110.0, "lower_95": 80.0, "upper_95": 120.0}


def _hours(start: pd.Timestamp, count: int) -> list[str]:
    return [hour.tz_convert(DANISH_TIME).isoformat() for hour in pd.date_range(start, periods=count, freq="h")]


def sample_series(now: pd.Timestamp) -> dict[str, Any]:
    """A `/api/v2/series/{area}/{consumer_type}` body: the observed week before `now`, 24 forecast hours."""
    observed, forecast = _hours(now - pd.Timedelta(hours=167), 168), _hours(now + pd.Timedelta(hours=1), 24)
    return {
        "area": "all",
        "consumer_type": "all",
        "unit": "kWh",
        "tz": DANISH_TIME,
        "observations": [{"time": time, "kwh": 100.0 + number % 24} for number, time in enumerate(observed)],
        "forecast": [{"time": time, "kwh": 100.0, **RANGES} for time in forecast],
        "interval": {"method": "empirical", "calibration_hours": 336, "coverage_80": 0.8, "coverage_95": 0.95},
        "forecast_total": {
            "hours": 24,
            "kwh": 2400.0,
            "lower_80": 2300.0,
            "upper_80": 2500.0,
            "lower_95": 2200.0,
            "upper_95": 2600.0,
            "method": "empirical",
            "calibration_windows": 100,
            "week_earlier": {"hours": 24, "observed_kwh": 2300.0, "forecast_kwh": 2400.0, "change": 2400 / 2300 - 1},
        },
    }


def sample_monitored_series(now: pd.Timestamp) -> dict[str, Any]:
    """A `/api/v2/monitoring/series/{area}/{consumer_type}` body over the observed week (past forecasts)."""
    hours = _hours(now - pd.Timedelta(hours=167), 168)
    rows = [
        {
            "time": time,
            "observed_kwh": 100.0,
            "predicted_kwh": 101.0,
            "error_kwh": 1.0,
            "awaiting_observation": False,
            **RANGES,
            "absolute_percentage_error": 0.01,
        }
        for time in hours
    ]
    counts = {"hours_compared": len(rows), "hours_awaiting_observation": 0, "hours_missing": 0}
    return {"area": "all", "consumer_type": "all", "tz": DANISH_TIME, **counts, "hours": rows}


def warm_up() -> None:
    """Build and serialise both charts, the key figures and the CSV once, as the page would."""
    apply_theme()
    now = pd.Timestamp.now(tz="UTC").floor("h")
    view = series_view(sample_series(now))
    key_figures(view.forecast, view.forecast_total)
    holidays = holidays_between(view.observed.index[0], view.forecast.index[-1] + pd.Timedelta(days=366))
    past = past_forecast(sample_monitored_series(now), DANISH_TIME)
    members = [CompareMember("warm-up", view.observed, view.forecast["kwh"])]
    for figure in (
        forecast_figure(view, "warm-up", "Danish time", holidays=holidays, past_forecast=past),
        compare_figure(members, "warm-up", "Danish time", as_share=True, small_multiples=True),
    ):
        figure_json(figure)
    chart_csv(view)
