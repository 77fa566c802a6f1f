"""Pure parts of the forecast page: wire body to series, key figures, the figure, the table, deep links."""

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from dashboard_common import theme
from dashboard_common.timeutils import hours_to_timestamps
from frontend.figures import forecast_figure
from frontend.keyfigures import format_change, format_kwh, key_figures
from frontend.selection import choice_from_query
from frontend.series import chart_csv, chart_table, forecast_series

RESPONSES = Path(__file__).resolve().parents[1] / "fixtures" / "responses"


@pytest.fixture
def golden_1_111() -> dict:
    return json.loads((RESPONSES / "predictions_1_111.json").read_text())


def body_with(observed: dict[int, float], forecast: dict[int, float]) -> dict:
    return {
        "datetime_utc": list(observed),
        "energy_consumption": list(observed.values()),
        "preds_datetime_utc": list(forecast),
        "preds_energy_consumption": list(forecast.values()),
    }


def test_golden_body_gives_a_week_of_observations_then_24_forecast_hours(golden_1_111: dict) -> None:
    series = forecast_series(golden_1_111)

    assert len(series.observed) == 168
    assert len(series.forecast) == 24
    assert series.observed.index[0] == pd.Timestamp("2023-06-08T00:00Z")
    assert series.forecast.index[0] == series.observed.index[-1] + pd.Timedelta(hours=1)
    assert series.forecast.iloc[0] == pytest.approx(55453.634072307206)


def test_key_figures_of_a_handmade_series() -> None:
    week_before = {100 + hour: 10.0 for hour in range(3)}
    forecast = {100 + 168 + hour: value for hour, value in enumerate([11.0, 15.0, 12.0])}
    series = forecast_series(body_with({**week_before, 267: 1.0}, forecast))

    figures = key_figures(series.observed, series.forecast)

    assert figures.forecast_total_kwh == 38.0
    assert figures.peak_kwh == 15.0
    assert figures.peak_hour == hours_to_timestamps([269])[0]
    assert figures.week_before_total_kwh == 30.0
    assert figures.change_vs_week_before == pytest.approx(38.0 / 30.0 - 1)
    assert figures.hours_compared == 3


def test_change_uses_only_hours_observed_a_week_earlier() -> None:
    observed = {100: 10.0, 102: 20.0}  # hour 101 missing a week before the forecast
    forecast = {268: 12.0, 269: 1000.0, 270: 30.0}
    series = forecast_series(body_with(observed, forecast))

    figures = key_figures(series.observed, series.forecast)

    assert figures.hours_compared == 2
    assert figures.week_before_total_kwh == 30.0
    assert figures.change_vs_week_before == pytest.approx(42.0 / 30.0 - 1)
    assert figures.forecast_total_kwh == 1042.0


def test_change_is_none_when_nothing_was_observed_a_week_earlier() -> None:
    series = forecast_series(body_with({250: 5.0}, {268: 12.0}))

    figures = key_figures(series.observed, series.forecast)

    assert figures.change_vs_week_before is None
    assert figures.hours_compared == 0
    assert figures.forecast_total_kwh == 12.0


def test_key_figures_without_forecast_are_empty() -> None:
    series = forecast_series(body_with({250: 5.0}, {}))

    figures = key_figures(series.observed, series.forecast)

    assert figures.forecast_total_kwh is None
    assert figures.peak_hour is None
    assert format_kwh(figures.forecast_total_kwh) == "—"
    assert format_change(figures.change_vs_week_before) == "—"


def test_formats() -> None:
    assert format_kwh(1234567.4) == "1,234,567 kWh"
    assert format_change(0.0321) == "+3.2 %"
    assert format_change(-0.004) == "-0.4 %"


def test_figure_has_an_observed_and_a_dashed_forecast_trace_with_all_points(golden_1_111: dict) -> None:
    series = forecast_series(golden_1_111)

    figure = forecast_figure(series.observed, series.forecast, title="DK1 · 111")

    observed, forecast = figure.data
    assert (observed.name, forecast.name) == ("Observed", "Forecast (next 24 h)")
    assert (len(observed.x), len(forecast.x)) == (168, 24)
    assert forecast.line.dash == "dash"
    assert (observed.line.color, forecast.line.color) == (theme.OBSERVED, theme.FORECAST)
    assert "kWh" in observed.hovertemplate and "kWh" in forecast.hovertemplate
    assert "kWh" in figure.layout.yaxis.title.text
    assert "UTC" in figure.layout.xaxis.title.text


def test_figure_marks_the_boundary_half_an_hour_before_the_first_forecast_hour(golden_1_111: dict) -> None:
    series = forecast_series(golden_1_111)

    figure = forecast_figure(series.observed, series.forecast, title="")

    boundary = pd.Timestamp("2023-06-14T23:30")
    vertical_lines = [shape for shape in figure.layout.shapes if shape.type == "line"]
    assert [pd.Timestamp(shape.x0) for shape in vertical_lines] == [boundary]
    shaded = [shape for shape in figure.layout.shapes if shape.type == "rect"]
    assert [pd.Timestamp(shaded[0].x0), pd.Timestamp(shaded[0].x1)] == [boundary, pd.Timestamp("2023-06-15T23:30")]


def test_figure_axis_is_wall_clock_utc(golden_1_111: dict) -> None:
    series = forecast_series(golden_1_111)

    figure = forecast_figure(series.observed, series.forecast, title="")

    assert pd.Timestamp(figure.data[1].x[0]) == pd.Timestamp("2023-06-15T00:00")
    assert pd.Timestamp(figure.data[1].x[0]).tzinfo is None


def test_missing_hours_stay_gaps_in_the_figure() -> None:
    series = forecast_series(body_with({10: 1.0, 11: 2.0, 14: 5.0}, {15: 6.0}))

    figure = forecast_figure(series.observed, series.forecast, title="")

    observed_y = list(figure.data[0].y)
    assert len(observed_y) == 5
    assert math.isnan(observed_y[2]) and math.isnan(observed_y[3])
    assert figure.data[0].connectgaps is False


def test_figure_without_forecast_has_no_boundary_marker() -> None:
    series = forecast_series(body_with({10: 1.0}, {}))

    figure = forecast_figure(series.observed, series.forecast, title="")

    assert len(figure.data) == 2
    assert not figure.layout.shapes


def test_table_and_csv_hold_one_row_per_hour_of_the_chart(golden_1_111: dict) -> None:
    series = forecast_series(golden_1_111)

    table = chart_table(series)
    csv_lines = chart_csv(series).splitlines()

    assert list(table.columns) == ["hour_utc", "observed_kwh", "forecast_kwh"]
    assert len(table) == 192
    assert table["observed_kwh"].notna().sum() == 168
    assert table["forecast_kwh"].notna().sum() == 24
    assert csv_lines[0] == "hour_utc,observed_kwh,forecast_kwh"
    assert csv_lines[1] == "2023-06-08T00:00Z,58353.848,"
    assert csv_lines[-1] == "2023-06-15T23:00Z,,65699.517"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, (1, False)),
        ("2", (2, False)),
        ("0", (0, False)),
        ("7", (1, True)),
        ("DK1", (1, True)),
        ("", (1, True)),
    ],
)
def test_choice_from_query(raw: str | None, expected: tuple[int, bool]) -> None:
    assert choice_from_query(raw, [1, 0, 2]) == expected
