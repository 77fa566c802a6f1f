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
    coverage_floors,
    flag_beyond_threshold,
    heatmap_matrix,
    rank,
    row_of_series,
    series_of_row,
    series_of_rows,
)
from monitoring.measures import ALL_MEASURES, BIAS, COVERAGE_80, COVERAGE_95, MAPE, MASE, WAPE

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
        factor = 1 if measure is MASE else 100  # MASE is a ratio; the rest are fractions shown in percent
        assert row[measure.unit_label] == pytest.approx(entry[measure.field] * factor)


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
    flagged = flag_beyond_threshold(table, WAPE, 0.0, coverage_floors(edge_summary))
    assert not flagged[BEYOND_THRESHOLD].iloc[-1]
    assert flagged[BEYOND_THRESHOLD].iloc[:-1].all()


def test_mase_is_null_for_a_series_without_pairs_a_week_apart(edge_summary):
    table = breakdown_table(edge_summary)
    assert pd.isna(table[MASE.unit_label].iloc[row_of_series(table, SHORT)])
    assert table[MASE.unit_label].iloc[row_of_series(table, NORMAL)] > 0


LITERAL_SUMMARY = {
    "series": [
        {"area": 1, "consumer_type": 111, "hours_compared": 24, "mape": 0.02, "wape": 0.12, "bias": -0.04,
         "mase": 1.2, "coverage_80": 0.60, "coverage_95": 0.90},
        {"area": 1, "consumer_type": 112, "hours_compared": 24, "mape": 0.15, "wape": 0.03, "bias": 0.02,
         "mase": 0.8, "coverage_80": 0.70, "coverage_95": 0.80},
        {"area": 2, "consumer_type": 111, "hours_compared": 0, "mape": None, "wape": None, "bias": None,
         "mase": None, "coverage_80": None, "coverage_95": None},
    ],
    "coverage_floors": {"coverage_80": 0.65, "coverage_95": 0.85},
}  # fmt: skip


@pytest.mark.parametrize(
    ("measure", "threshold", "flags"),
    [
        (WAPE, 10.0, [True, False, False]),
        (MAPE, 10.0, [False, True, False]),
        (BIAS, 3.0, [True, False, False]),  # -4 % is beyond 3 % as much as +4 % would be
        (BIAS, 1.0, [True, True, False]),
        (MASE, 10.0, [True, False, False]),  # above 1, whatever the threshold
        (COVERAGE_80, 10.0, [True, False, False]),  # below 65 %
        (COVERAGE_95, 10.0, [False, True, False]),  # below 85 %
    ],
)
def test_flags_follow_the_figure_bias_either_way_mase_above_one_coverage_below_the_alert_floor(
    measure, threshold, flags
):
    floors = coverage_floors(LITERAL_SUMMARY)
    flagged = flag_beyond_threshold(breakdown_table(LITERAL_SUMMARY), measure, threshold, floors)
    assert flagged[BEYOND_THRESHOLD].tolist() == flags


def test_the_coverage_floors_are_the_apis_in_percent(summary):
    assert summary["coverage_floors"] == {"coverage_80": 0.65, "coverage_95": 0.85}
    assert coverage_floors(summary) == {"coverage_80": pytest.approx(65.0), "coverage_95": pytest.approx(85.0)}
    lower = {"series": LITERAL_SUMMARY["series"], "coverage_floors": {"coverage_80": 0.55, "coverage_95": 0.85}}
    flagged = flag_beyond_threshold(breakdown_table(lower), COVERAGE_80, 10.0, coverage_floors(lower))
    assert flagged[BEYOND_THRESHOLD].tolist() == [False, False, False]  # 60 % is above the API's 55 %
    assert coverage_floors({"series": []}) == {}  # a floor the API does not send flags nothing


def test_the_real_apis_series_are_flagged_some_and_not_others(summary):
    table = breakdown_table(summary)
    flags = flag_beyond_threshold(table, WAPE, float(table[WAPE.unit_label].median()), {})[BEYOND_THRESHOLD]
    assert flags.any() and not flags.all()


def test_area_labels_and_the_row_of_a_series(summary):
    table = rank(breakdown_table(summary), WAPE)
    series = series_of_row(table, 3)
    assert row_of_series(table, series) == 3
    assert table[AREA_LABEL].iloc[3].startswith("DK")
    assert row_of_series(table, (9, 999)) is None


def test_the_series_of_all_rows_at_once_are_those_of_each_row(summary, edge_summary):
    for source in (summary, edge_summary):
        table = rank(breakdown_table(source), WAPE)
        every = series_of_rows(table)
        assert every == [series_of_row(table, row) for row in range(len(table))]
        assert len(every) == len(table) > 1 and all(type(a) is int and type(c) is int for a, c in every)


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
