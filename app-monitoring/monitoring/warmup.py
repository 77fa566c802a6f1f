"""The monitoring page's part of the start-up warm-up (`dashboard_common.start`): each table and figure
the page builds, built and serialised once from samples shaped like the API's `/api/v2` answers
(pyarrow's pandas bridge, pandas' CSV writer, Plotly's validators per trace type and its JSON
encoder are loaded on first use). The samples go through the same pure functions the page calls;
nothing is fetched from the API and nothing is cached in Streamlit.
"""

from typing import Any

from dashboard_common.charts import figure_json
from dashboard_common.theme import apply_theme
from streamlit import dataframe_util

from monitoring import breakdown, comparison
from monitoring.aggregate import hour_of_day_frame, hourly_frame, hourly_overview, trailing_day
from monitoring.clock import DANISH_TIME
from monitoring.descriptions import heatmap_description, hour_of_day_description, hourly_description, series_description
from monitoring.figures import heatmap_figure, hour_of_day_figure, hourly_figure, series_figure
from monitoring.measures import ALL_MEASURES, BIAS, WAPE
from monitoring.report import ReportSection
from monitoring.series import series_csv, series_frame

FIGURES = {"hours_compared": 24, "mape": 0.05, "wape": 0.05, "bias": 0.01, "mase": 0.8, "coverage_80": 0.8,
           "coverage_95": 0.95}  # fmt: skip
TIMES = [f"2023-06-01T{hour:02d}:00:00+00:00" for hour in range(24)]
RANGES = {"lower_80": 95.0, "upper_80": 105.0, "lower_95": 90.0, "upper_95": 110.0}


def sample_summary() -> dict[str, Any]:
    """A `/api/v2/monitoring/summary` body: two series, every period."""
    areas = [{"area": "all", **FIGURES}]
    period = {"from": TIMES[0], "to": TIMES[-1], "overall": FIGURES, "areas": areas}
    return {
        "window_from": TIMES[0],
        "window_to": TIMES[-1],
        "series": [{"area": area, "consumer_type": 111, **FIGURES} for area in (1, 2)],
        "overall": FIGURES,
        "areas": areas,
        "periods": dict.fromkeys(comparison.PERIOD_LABELS, period),
        "coverage_floors": {"coverage_80": 0.65, "coverage_95": 0.85},
    }


def sample_hourly() -> dict[str, Any]:
    """A `/api/v2/monitoring/hourly` body: a day of hours."""
    hour = {key: FIGURES[key] for key in ("mape", "wape", "bias", "coverage_80", "coverage_95")}
    hour |= {"series_compared": 2, "mape_24h": 0.05, "wape_24h": 0.05, "bias_24h": 0.01}
    return {"hours": [{"time": time, **hour} for time in TIMES]}


def sample_hour_of_day() -> dict[str, Any]:
    """A `/api/v2/monitoring/hour_of_day?tz=Europe/Copenhagen` body: 24 hours of the day."""
    hour = {key: FIGURES[key] for key in ("mape", "wape", "bias", "coverage_80", "coverage_95")}
    rows = [{"hour": hour_of_day, "hours_compared": 2, **hour} for hour_of_day in range(24)]
    return {"tz": "Europe/Copenhagen", "window_from": TIMES[0], "window_to": TIMES[-1], "hours": rows}


def sample_monitored_series() -> dict[str, Any]:
    """A `/api/v2/monitoring/series/{area}/{consumer_type}` body whose last hours await observations."""
    rows = [
        {
            "time": time,
            "observed_kwh": None if hour > 20 else 100.0,
            "predicted_kwh": 101.0,
            "error_kwh": None if hour > 20 else 1.0,
            "awaiting_observation": hour > 20,
            **RANGES,
            "absolute_percentage_error": None if hour > 20 else 0.01,
        }
        for hour, time in enumerate(TIMES)
    ]
    counts = {"hours_compared": 21, "hours_awaiting_observation": 3, "hours_missing": 0}
    return {"area": 1, "consumer_type": 111, "tz": "UTC", **counts, "hours": rows}


def warm_up() -> None:
    """Build every table, figure and text alternative of the page once from the samples, in both
    languages (Babel reads each locale's CLDR data and each catalogue at first use), and serialise them."""
    apply_theme()
    summary = sample_summary()
    frame = hourly_frame(sample_hourly(), DANISH_TIME)
    overview = hourly_overview(frame[WAPE.field], WAPE, 10.0)
    floors = breakdown.coverage_floors(summary)
    detail = series_frame(sample_monitored_series())
    profile = hour_of_day_frame(sample_hour_of_day())
    for language in ("da", "en"):
        table = breakdown.rank(breakdown.breakdown_table(summary, language), WAPE)
        table = breakdown.flag_beyond_threshold(table, WAPE, 10.0, floors)
        matrix = breakdown.heatmap_matrix(table, ALL_MEASURES[0])
        figures = [
            hourly_figure(frame[BIAS.field], BIAS, 10.0, trailing_day(frame, BIAS), language),
            hour_of_day_figure(profile, DANISH_TIME, language),
            heatmap_figure(matrix, ALL_MEASURES[0], 10.0, language, breakdown.beyond_cells(table)[:1] or [(1, 111)]),
            series_figure(detail, (1, 111), language),
        ]
        for figure in figures:
            figure_json(figure)  # what plotly_chart sends
        if overview is not None:
            hourly_description(frame[WAPE.field], WAPE, 10.0, overview, language)
        hour_of_day_description(profile, DANISH_TIME, language)
        heatmap_description(matrix, ALL_MEASURES[0], language)
        series_description(detail, (1, 111), language)
        comparison.formatted(comparison.comparison_table(summary), language)
        breakdown.breakdown_csv(table, language)
    for data in (table, comparison.comparison_table(summary)):
        dataframe_util.convert_pandas_df_to_arrow_bytes(data)  # what st.dataframe sends
    series_csv(detail)
    ReportSection("warm-up")
