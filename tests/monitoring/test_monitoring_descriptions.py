"""Every chart's text alternative says what its chart shows: built from the same data, checked
against the chart's own traces (real API answers in, figures and sentences out), in both languages,
and placed under each chart on the page and in the report."""

import re

import numpy as np
import pandas as pd
import pytest
from buckets import WITH_GAP
from devtools.apptest import COMPONENT_NAME
from monitoring.aggregate import hour_of_day_frame, hourly_frame, hourly_overview
from monitoring.breakdown import breakdown_table, heatmap_matrix, rank
from monitoring.clock import DANISH_TIME, UTC, hour_text
from monitoring.descriptions import (
    heatmap_description,
    hour_of_day_description,
    hourly_description,
    series_description,
)
from monitoring.figures import heatmap_figure, hour_of_day_figure, hourly_figure, series_figure
from monitoring.links import BY_SERIES, ONE_SERIES
from monitoring.measures import BIAS, COVERAGE_80, WAPE
from monitoring.series import OBSERVATION, series_frame

COPENHAGEN = "tz=Europe/Copenhagen"


def danish(value: float, decimals: int = 2) -> str:
    """A number the Danish way (1.234,56), stated here rather than taken from the page's helpers."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


@pytest.fixture(scope="module")
def frame(fixture_api) -> pd.DataFrame:
    return hourly_frame(fixture_api.answer(f"/api/v2/monitoring/hourly?{COPENHAGEN}")[1], DANISH_TIME)


def trace_named(figure, name: str):
    (trace,) = [trace for trace in figure.data if trace.name == name]
    return trace


@pytest.mark.parametrize("measure", [WAPE, BIAS])
def test_hourly_description_names_the_charts_worst_hour_and_range(frame, measure):
    values = frame[measure.field]
    overview = hourly_overview(values, measure, 5.0)
    text = hourly_description(values, measure, 5.0, overview)
    drawn = np.asarray(trace_named(hourly_figure(values, measure, 5.0), f"{measure.label} per hour").y, dtype=float)
    worst = drawn[np.nanargmax(np.abs(drawn))]
    worst_hour = values.index[np.nanargmax(np.abs(drawn))]
    assert f"The worst hour is {hour_text(worst_hour, 'en')} at {worst:+.2f} %" in text or (
        f"The worst hour is {hour_text(worst_hour, 'en')} at {worst:.2f} %" in text
    )
    assert f"values range from {np.nanmin(drawn):{'+' if measure.signed else ''}.2f} %" in text
    beyond = len(trace_named(hourly_figure(values, measure, 5.0), f"beyond {'±' if measure.signed else ''}5 %").y)
    assert f"{beyond} of {int(np.isfinite(drawn).sum())} hours are beyond the threshold of " in text
    assert "CEST" in text  # the page's clock: Danish summer time in June


def test_hourly_description_in_danish(frame):
    values = frame[WAPE.field]
    overview = hourly_overview(values, WAPE, 5.0)
    text = hourly_description(values, WAPE, 5.0, overview, "da")
    assert text.startswith("Graf over WAPE for alle serier time for time fra ")
    assert f"med {danish(overview.worst)} %" in text
    assert "over grænsen på 5,0 %" in text


def test_hour_of_day_description_names_each_figures_worst_hour(fixture_api):
    profile = hour_of_day_frame(fixture_api.answer(f"/api/v2/monitoring/hour_of_day?{COPENHAGEN}")[1])
    figure = hour_of_day_figure(profile, DANISH_TIME)
    text = hour_of_day_description(profile, DANISH_TIME)
    wape = np.asarray(trace_named(figure, "WAPE").y, dtype=float)
    hour = int(np.nanargmax(wape))
    assert f"WAPE is worst at {hour:02d}:00 ({wape[hour]:.2f} %)" in text
    assert "(Danish time)" in text
    danish_text = hour_of_day_description(profile, UTC, "da")
    assert "(UTC)" in danish_text and "WAPE er værst kl." in danish_text


@pytest.mark.parametrize("measure", [WAPE, BIAS, COVERAGE_80])
def test_heatmap_description_names_the_worst_cell_of_the_heatmap(edge_api, measure):
    table = rank(breakdown_table(edge_api.answer("/api/v2/monitoring/summary")[1]), measure)
    matrix = heatmap_matrix(table, measure)
    cells = heatmap_figure(matrix, measure, 10.0).data[0]
    z = np.asarray(cells.z, dtype=float)
    badness = {WAPE: z, BIAS: np.abs(z), COVERAGE_80: 80.0 - z}[measure]
    row, column = np.unravel_index(np.nanargmax(badness), z.shape)
    text = heatmap_description(matrix, measure)
    assert f"The worst is {cells.x[column]}, consumer type {cells.y[row]}, at " in text
    assert measure.shown_text(float(z[row, column])) in text
    assert f"for {int(np.isfinite(z).sum())} series" in text
    blank = int(np.isnan(z).sum())
    assert (f"{blank} cells cannot be computed" in text) == (blank > 0)


def test_series_description_names_the_peak_and_largest_error_of_the_chart(edge_api):
    body = edge_api.answer(f"/api/v2/monitoring/series/{WITH_GAP[0]}/{WITH_GAP[1]}?{COPENHAGEN}")[1]
    detail = series_frame(body)
    figure = series_figure(detail, WITH_GAP)
    observed = np.asarray(trace_named(figure, "observed").y, dtype=float)
    peak_hour = detail.index[int(np.nanargmax(observed))]
    text = series_description(detail, WITH_GAP)
    assert f"to {np.nanmax(observed):,.0f} kWh, highest at {hour_text(peak_hour, 'en')}" in text
    error = np.asarray(trace_named(figure, "error").y, dtype=float)
    worst = int(np.nanargmax(np.abs(error)))
    assert f"the largest error is {error[worst]:+,.0f} kWh at {hour_text(detail.index[worst], 'en')}" in text
    assert f"{body['hours_awaiting_observation']} hours await observations" in text
    danish_text = series_description(detail, WITH_GAP, "da")
    assert f"til {danish(np.nanmax(observed), 0)} kWh" in danish_text
    assert danish_text.startswith("Graf over prognoser og observationer for ")


def test_a_series_without_observations_says_so(edge_api):
    body = edge_api.answer(f"/api/v2/monitoring/series/{WITH_GAP[0]}/{WITH_GAP[1]}")[1]
    detail = series_frame(body).assign(**{OBSERVATION: np.nan})
    assert "No hour has an observation to compare yet." in series_description(detail, WITH_GAP)


def is_chart(leaf) -> bool:
    return leaf.type == "bidi_component" and leaf.proto.component_name == COMPONENT_NAME


def _leaves(node):
    children = getattr(node, "children", None)
    if not children:
        yield node
        return
    for child in children.values():
        yield from _leaves(child)


@pytest.mark.parametrize(("view", "start"), [(None, "Chart of WAPE over all series"), (BY_SERIES, "Heatmap of WAPE"),
                                             (ONE_SERIES, "Chart of predictions and observations")])  # fmt: skip
def test_the_page_places_each_text_alternative_right_under_its_chart(app, view, start):
    page = app(**({"view": view} if view else {})).run()
    assert not page.exception
    leaves = list(_leaves(page.main))
    charts = [index for index, leaf in enumerate(leaves) if is_chart(leaf)]
    assert charts
    # Every chart is directly followed by its text alternative; the one this view is known for is there.
    following = [leaves[index + 1] for index in charts]
    assert all(leaf.type == "caption" for leaf in following)
    assert any(leaf.value.startswith(start) for leaf in following)


def test_the_report_carries_each_charts_text_alternative_as_its_caption(fixture_api):
    from monitoring.state import page_data, view_choice

    status = fixture_api.answer("/api/v2/status")[1]
    summary = fixture_api.answer(f"/api/v2/monitoring/summary?{COPENHAGEN}")[1]
    hourly = fixture_api.answer(f"/api/v2/monitoring/hourly?{COPENHAGEN}")[1]
    page = page_data("http://api", status, status["data_version"], summary, hourly, {}, "da", DANISH_TIME)
    choice = view_choice(page, 10.0, WAPE.label, WAPE.label)
    series = choice.series_by_row[0]
    detail = series_frame(fixture_api.answer(f"/api/v2/monitoring/series/{series[0]}/{series[1]}?{COPENHAGEN}")[1])
    profile = hour_of_day_frame(fixture_api.answer(f"/api/v2/monitoring/hour_of_day?{COPENHAGEN}")[1])
    from monitoring.report import page_report

    html = page_report(page, choice, series, detail, profile, pd.Timestamp("2026-12-04T12:00Z")).decode()
    captions = re.findall(r'<figcaption class="caption">([^<]*)</figcaption>', html)
    assert len(captions) == 4  # hourly, hour of day, heatmap, series
    assert captions[0].startswith("Graf over WAPE for alle serier time for time")
    assert captions[2].startswith("Varmekort over WAPE")
    assert '<html lang="da">' in html and "Overvågning af prognoser" in html
