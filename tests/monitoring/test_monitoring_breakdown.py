"""The per-series breakdown table and heatmap, from the real API's `/api/v2/monitoring/summary`."""

import io

import pandas as pd
import pytest
from buckets import ALL_ZERO, NORMAL, SHORT
from monitoring.breakdown import (
    AREA_LABEL,
    BEYOND_THRESHOLD,
    breakdown_csv,
    breakdown_table,
    flag_beyond_threshold,
    heatmap_matrix,
    rank,
    row_of_series,
    series_of_row,
)
from monitoring.measures import ALL_MEASURES, BIAS, COVERAGE_80, MASE, WAPE

SUMMARY = "/api/v2/monitoring/summary"


@pytest.fixture(scope="module")
def summary(fixture_api) -> dict:
    return fixture_api.answer(SUMMARY)[1]


@pytest.fixture(scope="module")
def edge_summary(edge_api) -> dict:
    return edge_api.answer(SUMMARY)[1]


def test_table_has_one_row_per_series_of_the_summary_with_every_figure_in_display_units(summary):
    table = breakdown_table(summary)
    assert len(table) == len(summary["series"])
    entry = summary["series"][0]
    row = table.iloc[row_of_series(table, (entry["area"], entry["consumer_type"]))]
    for measure in ALL_MEASURES:
        assert row[measure.unit_label] == pytest.approx(measure.display(entry[measure.field]))


@pytest.mark.parametrize("measure", ALL_MEASURES, ids=lambda measure: measure.label)
def test_ranking_puts_the_worst_series_first_for_each_figure(summary, measure):
    table = rank(breakdown_table(summary), measure)
    values = table[measure.unit_label].dropna()
    if measure.signed:
        assert values.abs().is_monotonic_decreasing
    elif measure.target is not None:
        assert values.is_monotonic_increasing
    else:
        assert values.is_monotonic_decreasing


def test_a_figure_the_api_could_not_compute_ranks_last_and_is_never_flagged(edge_summary):
    table = rank(breakdown_table(edge_summary), WAPE)
    assert series_of_row(table, len(table) - 1) == ALL_ZERO
    assert pd.isna(table[WAPE.unit_label].iloc[-1])
    flagged = flag_beyond_threshold(table, WAPE, threshold=0.0)
    assert not flagged[BEYOND_THRESHOLD].iloc[-1]
    assert flagged[BEYOND_THRESHOLD].iloc[:-1].all()


def test_mase_is_null_for_a_series_without_pairs_a_week_apart(edge_summary):
    table = breakdown_table(edge_summary)
    assert pd.isna(table[MASE.unit_label].iloc[row_of_series(table, SHORT)])
    assert table[MASE.unit_label].iloc[row_of_series(table, NORMAL)] > 0


def test_flags_follow_the_figure_bias_either_way_mase_above_one_coverage_below_the_alert_floor(summary):
    table = breakdown_table(summary)
    bias = flag_beyond_threshold(table, BIAS, threshold=3.0)
    assert bias[BEYOND_THRESHOLD].tolist() == (table[BIAS.unit_label].abs() > 3.0).tolist()
    assert flag_beyond_threshold(table, MASE, 10.0)[BEYOND_THRESHOLD].tolist() == (table[MASE.unit_label] > 1).tolist()
    coverage = flag_beyond_threshold(table, COVERAGE_80, 10.0)[BEYOND_THRESHOLD]
    assert coverage.tolist() == (table[COVERAGE_80.unit_label] < 65).tolist()


def test_area_labels_and_the_row_of_a_series(summary):
    table = rank(breakdown_table(summary), WAPE)
    series = series_of_row(table, 3)
    assert row_of_series(table, series) == 3
    assert table[AREA_LABEL].iloc[3].startswith("DK")
    assert row_of_series(table, (9, 999)) is None


def test_heatmap_has_consumer_types_as_rows_areas_as_columns_and_blanks_for_missing(summary, edge_summary):
    table = breakdown_table(summary)
    matrix = heatmap_matrix(table, WAPE)
    assert list(matrix.columns) == sorted({entry["area"] for entry in summary["series"]})
    entry = summary["series"][5]
    assert matrix.loc[entry["consumer_type"], entry["area"]] == pytest.approx(entry["wape"] * 100)
    edge = heatmap_matrix(breakdown_table(edge_summary), WAPE)
    assert pd.isna(edge.loc[ALL_ZERO[1], ALL_ZERO[0]])


def test_empty_summary_gives_an_empty_table_with_all_columns():
    table = breakdown_table({"series": []})
    assert table.empty
    assert WAPE.unit_label in table.columns


def test_csv_keeps_the_raw_codes_for_each_row(summary):
    table = rank(breakdown_table(summary), WAPE)
    exported = pd.read_csv(io.BytesIO(breakdown_csv(table)))
    assert (exported["area"].iloc[0], exported["consumer_type"].iloc[0]) == series_of_row(table, 0)
    assert len(exported) == len(summary["series"])
