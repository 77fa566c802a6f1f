"""Figures of the monitoring page, checked on what they would show."""

import numpy as np
import pandas as pd
import pytest
from monitoring.aggregate import daily_rolling_mean, mape_percent
from monitoring.breakdown import breakdown_table, mape_heatmap
from monitoring.figures import AWAITING_LABEL, heatmap_figure, mape_figure, series_figure
from monitoring.series import series_frame
from monitoring_canned import all_errors, golden, summary, unobserved_errors


def traces_by_name(figure):
    return {trace.name: trace for trace in figure.data}


def test_mape_chart_marks_exactly_the_hours_above_threshold():
    mape = mape_percent(golden("monitoring_metrics"))
    figure = mape_figure(mape, threshold=4.0)
    marked = traces_by_name(figure)["above 4 %"]
    assert len(marked.y) == int((mape > 4.0).sum()) > 0
    assert min(marked.y) > 4.0


def test_mape_chart_draws_the_threshold_line_at_the_threshold():
    figure = mape_figure(mape_percent(golden("monitoring_metrics")), threshold=10.0)
    lines = [shape for shape in figure.layout.shapes if shape.type == "line"]
    assert [(line.y0, line.y1) for line in lines] == [(10.0, 10.0)]
    assert figure.layout.yaxis.title.text == "MAPE (%)"
    assert figure.layout.yaxis.range[1] > 10.0


def test_rolling_mean_is_offered_hidden_in_the_legend():
    mape = mape_percent(golden("monitoring_metrics"))
    assert len(mape_figure(mape, 10.0).data) == 2
    rolling = mape_figure(mape, 10.0, daily_rolling_mean(mape)).data[-1]
    assert rolling.name == "24 h rolling mean (click to show)"
    assert rolling.visible == "legendonly"
    assert rolling.showlegend is not False


def test_heatmap_cells_follow_the_matrix_and_blank_missing_pairs():
    figure = heatmap_figure(mape_heatmap(breakdown_table(summary())), threshold=10.0)
    heatmap = figure.data[0]
    assert list(heatmap.x) == ["DK (all Denmark)", "DK1 (west of the Great Belt)", "DK2 (east)"]
    z = np.array(heatmap.z, dtype=float)
    assert z.shape == (3, 3)
    assert np.isnan(z).sum() == 7
    assert heatmap.zmin == 0


def test_series_chart_shares_the_time_axis_between_values_and_error_panels():
    figure = series_figure(series_frame(all_errors()[(1, 111)]), (1, 111))
    names = traces_by_name(figure)
    assert names["observed"].xaxis == names["predicted"].xaxis == "x"
    assert names["error"].xaxis == "x2"
    assert figure.layout.xaxis.matches == "x2" or figure.layout.xaxis2.matches == "x"


def test_series_chart_shades_and_labels_awaiting_hours_in_both_panels():
    frame = series_frame(all_errors()[(1, 111)])
    figure = series_figure(frame, (1, 111))
    rects = [shape for shape in figure.layout.shapes if shape.type == "rect"]
    assert len(rects) == 2
    assert {rect.yref for rect in rects} == {"y domain", "y2 domain"}
    assert pd.Timestamp(rects[0].x0) == pd.Timestamp("2023-06-14 23:30", tz="UTC")
    assert [a.text for a in figure.layout.annotations if a.text == AWAITING_LABEL] == [AWAITING_LABEL]
    assert "24 h awaiting observations" in figure.layout.title.text


def test_awaiting_hours_have_no_error_bar_rather_than_a_zero():
    figure = series_figure(series_frame(unobserved_errors()), (0, 999))
    errors = np.array(traces_by_name(figure)["error"].y, dtype=float)
    assert np.isnan(errors).all()
    assert np.array(traces_by_name(figure)["predicted"].y, dtype=float) == pytest.approx(
        unobserved_errors()["prediction"]
    )
    assert figure.layout.title.text.startswith("DK (all Denmark)")


def test_series_chart_without_awaiting_hours_has_no_awaiting_marking():
    errors = all_errors()[(1, 111)]
    observed_only = {key: value[:336] if isinstance(value, list) else value for key, value in errors.items()}
    figure = series_figure(series_frame(observed_only), (1, 111))
    assert not [shape for shape in figure.layout.shapes if shape.type == "rect"]
    assert "awaiting" not in figure.layout.title.text
