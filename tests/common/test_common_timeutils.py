"""Wire hours to UTC timestamps, and hourly reindexing that keeps gaps as gaps."""

import math

import pandas as pd
import pytest
from dashboard_common.timeutils import hourly_series, hours_to_timestamps


def test_hour_zero_is_the_unix_epoch_in_utc() -> None:
    timestamps = hours_to_timestamps([0, 468552])

    assert str(timestamps.tz) == "UTC"
    assert list(timestamps) == [
        pd.Timestamp("1970-01-01T00:00Z"),
        pd.Timestamp("2023-06-15T00:00Z"),
    ]


def test_no_hours_give_an_empty_utc_index() -> None:
    timestamps = hours_to_timestamps([])

    assert len(timestamps) == 0
    assert str(timestamps.tz) == "UTC"


def test_missing_hours_become_nan_rows_not_interpolated_values() -> None:
    series = hourly_series([468550, 468551, 468554], [10.0, 11.0, 14.0])

    assert list(series.index) == list(hours_to_timestamps([468550, 468551, 468552, 468553, 468554]))
    assert series.iloc[[0, 1, 4]].tolist() == [10.0, 11.0, 14.0]
    assert series.iloc[[2, 3]].isna().all()


def test_unsorted_and_duplicated_hours_are_sorted_and_the_last_value_kept() -> None:
    series = hourly_series([3, 1, 2, 3], [30.0, 10.0, 20.0, 31.0], name="kwh")

    assert series.tolist() == [10.0, 20.0, 31.0]
    assert series.name == "kwh"
    assert series.index.freqstr == "h"


def test_null_values_from_the_wire_become_nan() -> None:
    series = hourly_series([1, 2], [None, 5.0])

    assert math.isnan(series.iloc[0])
    assert series.iloc[1] == 5.0


def test_empty_input_gives_an_empty_series() -> None:
    assert hourly_series([], []).empty


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="2 hours but 1 values"):
        hourly_series([1, 2], [1.0])
