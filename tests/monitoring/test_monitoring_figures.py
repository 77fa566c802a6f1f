"""Figures of the monitoring page, checked on what they would show (real API answers in, figures out)."""

import numpy as np
import pandas as pd
import pytest
from buckets import ALL_ZERO, WITH_GAP
from dashboard_common.hours import instants
from monitoring.aggregate import hour_of_day_frame, hourly_frame, trailing_day
from monitoring.breakdown import breakdown_table, heatmap_matrix
from monitoring.figures import (
    AWAITING_LABEL,
    heatmap_figure,
    hour_of_day_figure,
    hourly_figure,
    series_figure,
)
from monitoring.measures import BIAS, COVERAGE_80, MAPE, WAPE
from monitoring.series import compared_errors, series_frame


@pytest.fixture(scope="module")
def frame(fixture_api) -> pd.DataFrame:
    return hourly_frame(fixture_api.answer("/api/v2/monitoring/hourly")[1])


def monitored_frame(api, series) -> pd.DataFrame:
    return series_frame(api.answer(f"/api/v2/monitoring/series/{series[0]}/{series[1]}")[1])


def traces_by_name(figure):
    return {trace.name: trace for trace in figure.data}


def test_hourly_chart_marks_exactly_the_hours_beyond_the_threshold(frame):
    threshold = float(frame["mape"].quantile(0.8))
    figure = hourly_figure(frame["mape"], MAPE, threshold)
    marked = traces_by_name(figure)[f"beyond {threshold:g} %"]
    assert len(marked.y) == int((frame["mape"] > threshold).sum()) > 0
    assert min(marked.y) > threshold
    assert figure.layout.title.text == "MAPE over all series, per hour"
    assert [(line.y0, line.y1) for line in figure.layout.shapes] == [(threshold, threshold)]


def test_bias_chart_has_a_line_each_side_of_zero_and_a_symmetric_axis(frame):
    figure = hourly_figure(frame["bias"], BIAS, 1.0)
    assert sorted(line.y0 for line in figure.layout.shapes) == [-1.0, 1.0]
    low, high = figure.layout.yaxis.range
    assert low == -high and high >= frame["bias"].abs().max()

    hours = pd.date_range("2023-06-01", periods=4, freq="h", tz="UTC")
    literal = hourly_figure(pd.Series([-1.5, 0.5, 1.0, 2.0], index=hours), BIAS, 1.0)
    marked = traces_by_name(literal)["beyond ±1 %"]
    # Both signs; 1.0 is not beyond. Hours are drawn at their UTC instants (monitoring.clock).
    assert list(marked.y) == [-1.5, 2.0] and list(marked.x) == list(instants(hours[[0, 3]]))


def test_the_apis_24_hour_line_is_offered_hidden_in_the_legend(frame):
    rolling = hourly_figure(frame["wape"], WAPE, 10.0, trailing_day(frame, WAPE)).data[-1]
    assert rolling.name == "24 h pooled (click to show)"
    assert rolling.visible == "legendonly"
    assert np.array_equal(np.asarray(rolling.y, dtype=float), frame["wape_24h"].to_numpy(), equal_nan=True)


def test_hour_of_day_chart_has_24_danish_hours_of_each_hourly_figure(fixture_api):
    body = fixture_api.answer("/api/v2/monitoring/hour_of_day?tz=Europe/Copenhagen")[1]
    figure = hour_of_day_figure(hour_of_day_frame(body))
    assert sorted(trace.name for trace in figure.data) == ["Bias", "MAPE", "WAPE"]
    assert all(len(trace.x) == 24 for trace in figure.data)
    assert figure.layout.xaxis.title.text == "Hour of day (Danish time)"
    wape = traces_by_name(figure)["WAPE"]
    assert list(wape.y) == pytest.approx([row["wape"] * 100 for row in body["hours"]])


def test_heatmap_colours_the_chosen_figure_and_blanks_what_cannot_be_computed(edge_api):
    table = breakdown_table(edge_api.answer("/api/v2/monitoring/summary")[1])
    heatmap = heatmap_figure(heatmap_matrix(table, WAPE), WAPE, threshold=10.0).data[0]
    z = np.array(heatmap.z, dtype=float)
    assert list(heatmap.x) == ["DK1 (west of the Great Belt)", "DK2 (east)"]
    assert np.isnan(z[list(heatmap.y).index(str(ALL_ZERO[1])), 0])
    assert heatmap.zmin == 0 and heatmap.colorbar.title.text == "WAPE (%)"
    bias = heatmap_figure(heatmap_matrix(table, BIAS), BIAS, 10.0).data[0]
    assert bias.zmin == -bias.zmax
    coverage = heatmap_figure(heatmap_matrix(table, COVERAGE_80), COVERAGE_80, 10.0).data[0]
    assert coverage.zmax == 100.0


def test_series_chart_shades_the_apis_awaiting_hours_and_leaves_the_gap_unshaded(edge_api):
    detail = monitored_frame(edge_api, WITH_GAP)
    figure = series_figure(detail, WITH_GAP)
    rects = [shape for shape in figure.layout.shapes if shape.type == "rect"]
    assert {rect.yref for rect in rects} == {"y domain", "y2 domain"}
    assert len(rects) == 2  # one awaited span, drawn in both panels; the gap is not one
    first_awaited = detail.index[detail["awaiting_observation"]][0]
    assert pd.Timestamp(rects[0].x0) == instants(pd.DatetimeIndex([first_awaited]))[0] - pd.Timedelta(minutes=30)
    assert [a.text for a in figure.layout.annotations if a.text == AWAITING_LABEL] == [AWAITING_LABEL]
    assert "24 h awaiting observations" in figure.layout.title.text


def test_series_chart_draws_the_backtested_ranges_under_the_lines(fixture_api):
    figure = series_figure(monitored_frame(fixture_api, (1, 111)), (1, 111))
    names = [trace.name for trace in figure.data]
    assert names.index("95 % range") < names.index("observed")
    assert traces_by_name(figure)["80 % range"].fill == "tonexty"
    assert traces_by_name(figure)["error"].xaxis == "x2"


def test_the_error_distribution_counts_every_compared_hour_on_the_error_panels_axis(edge_api):
    detail = monitored_frame(edge_api, WITH_GAP)
    figure = series_figure(detail, WITH_GAP)
    histogram = traces_by_name(figure)["error distribution"]
    assert histogram.type == "histogram"
    assert len(histogram.y) == len(compared_errors(detail)) > 0  # not the gap, not the awaited hours
    assert (histogram.xaxis, histogram.yaxis) == ("x3", "y3")
    assert figure.layout.yaxis3.matches == "y2"
    assert figure.layout.xaxis2.domain[1] < figure.layout.xaxis3.domain[0]
