"""The per-series breakdown table and heatmap data."""

import io

import pandas as pd
import pytest
from monitoring.breakdown import (
    ABOVE_THRESHOLD,
    AREA_LABEL,
    MAPE,
    breakdown_csv,
    breakdown_table,
    flag_above_threshold,
    mape_heatmap,
    row_of_series,
    series_of_row,
)


def entry(area: int, consumer_type: int, mape: float | None, compared: int = 10) -> dict:
    measured = mape is not None
    return {
        "area": area,
        "consumer_type": consumer_type,
        "mape": mape,
        "mae": 100.0 if measured else None,
        "rmse": 120.0 if measured else None,
        "hours_compared": compared if measured else 0,
        "hours_awaiting_observation": 24,
    }


SUMMARY = {
    "window_from": 0,
    "window_to": 10,
    "series": [
        entry(1, 111, 0.04),
        entry(0, 999, None),
        entry(2, 111, 0.21),
        entry(2, 462, 0.08),
    ],
}


def test_table_lists_worst_mape_first_and_unmeasured_series_last():
    table = breakdown_table(SUMMARY)
    assert [series_of_row(table, row) for row in range(len(table))] == [
        (2, 111),
        (2, 462),
        (1, 111),
        (0, 999),
    ]
    assert table[MAPE].iloc[0] == pytest.approx(21.0)
    assert pd.isna(table[MAPE].iloc[-1])


def test_table_marks_series_above_threshold_and_never_an_unmeasured_one():
    table = flag_above_threshold(breakdown_table(SUMMARY), threshold=5.0)
    assert table[ABOVE_THRESHOLD].tolist() == [True, True, False, False]
    assert not breakdown_table(SUMMARY)[ABOVE_THRESHOLD].any()


def test_area_zero_is_labelled_and_found_like_any_other_area():
    table = breakdown_table(SUMMARY)
    row = row_of_series(table, (0, 999))
    assert row == 3
    assert table[AREA_LABEL].iloc[row] == "DK (all Denmark)"
    assert series_of_row(table, row) == (0, 999)


def test_a_series_the_table_does_not_list_has_no_row():
    assert row_of_series(breakdown_table(SUMMARY), (1, 462)) is None


def test_heatmap_has_consumer_types_as_rows_areas_as_columns_and_blanks_for_missing_pairs():
    matrix = mape_heatmap(breakdown_table(SUMMARY))
    assert list(matrix.index) == [111, 462, 999]
    assert list(matrix.columns) == [0, 1, 2]
    assert matrix.loc[111, 2] == pytest.approx(21.0)
    assert matrix.loc[111, 1] == pytest.approx(4.0)
    assert pd.isna(matrix.loc[462, 1])
    assert pd.isna(matrix.loc[999, 0])


def test_empty_summary_gives_an_empty_table_with_all_columns():
    table = breakdown_table({"window_from": None, "window_to": None, "series": []})
    assert table.empty
    assert MAPE in table.columns


def test_csv_keeps_the_raw_codes_for_each_row():
    table = breakdown_table(SUMMARY)
    exported = pd.read_csv(io.BytesIO(breakdown_csv(table)))
    assert (exported["area"].iloc[0], exported["consumer_type"].iloc[0]) == (2, 111)
    assert len(exported) == 4
