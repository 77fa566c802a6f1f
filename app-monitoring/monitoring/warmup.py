"""Work the first visitor would otherwise pay for, done once when the server starts.

A Streamlit script imports its modules and builds its first figures on the first session: pandas,
pyarrow, plotly's trace validators (loaded per trace type on first use), the ISO time parser. Run
by `python -m monitoring` before the server starts, in the same process, so the first page view
finds all of it loaded. The sample is shaped like the API's answers and goes through the same pure
functions the page calls; nothing is cached in Streamlit and the API is not asked.
"""

from dashboard_common.charts import figure_json
from streamlit import dataframe_util

from monitoring import breakdown, comparison
from monitoring.aggregate import daily_rolling_mean, hour_of_day_profile, hourly_frame, hourly_overview
from monitoring.figures import (
    heatmap_figure,
    hour_of_day_figure,
    hourly_figure,
    series_figure,
)
from monitoring.measures import ALL_MEASURES, BIAS, WAPE
from monitoring.report import ReportSection
from monitoring.series import series_csv, series_frame

FIGURES = {"hours_compared": 24, "mape": 0.05, "wape": 0.05, "bias": 0.01, "mase": 0.8, "coverage_80": 0.8,
           "coverage_95": 0.95}  # fmt: skip
TIMES = [f"2023-06-01T{hour:02d}:00:00+00:00" for hour in range(24)]


def _sample() -> tuple[dict, dict, dict]:
    summary = {
        "series": [{"area": area, "consumer_type": 111, **FIGURES} for area in (1, 2)],
        "overall": FIGURES,
        "periods": {name: {"from": TIMES[0], "to": TIMES[-1], "overall": FIGURES} for name in comparison.PERIOD_LABELS},
    }
    hourly = {"hours": [{"time": time, **FIGURES, "series_compared": 2} for time in TIMES]}
    ranges = {"lower_80": 95.0, "upper_80": 105.0, "lower_95": 90.0, "upper_95": 110.0}
    monitored = {
        "hours": [
            {
                "time": time,
                "observed_kwh": 100.0,
                "predicted_kwh": 101.0,
                "error_kwh": 1.0,
                "awaiting_observation": hour > 20,
                **ranges,
            }
            for hour, time in enumerate(TIMES)
        ]
    }
    return summary, hourly, monitored


def warm_up() -> None:
    """Build every table and figure of the page once from a small sample, and serialise them."""
    summary, hourly, monitored = _sample()
    frame = hourly_frame(hourly)
    hourly_overview(frame[WAPE.field], WAPE, 10.0)
    table = breakdown.flag_beyond_threshold(breakdown.rank(breakdown.breakdown_table(summary), WAPE), WAPE, 10.0)
    detail = series_frame(monitored)
    figures = [
        hourly_figure(frame[BIAS.field], BIAS, 10.0, daily_rolling_mean(frame[BIAS.field])),
        hour_of_day_figure(hour_of_day_profile(frame)),
        heatmap_figure(breakdown.heatmap_matrix(table, ALL_MEASURES[0]), ALL_MEASURES[0], 10.0),
        series_figure(detail, (1, 111)),
    ]
    for figure in figures:
        figure_json(figure)  # what plotly_chart sends
    for data in (table, comparison.comparison_table(summary)):
        dataframe_util.convert_pandas_df_to_arrow_bytes(data)  # what st.dataframe sends
    breakdown.breakdown_csv(table)
    series_csv(detail)
    ReportSection("warm-up")
