"""One series over the monitoring window: alignment, gaps and hours awaiting observation."""

import io
import math

import pandas as pd
import pytest
from monitoring.series import (
    APE,
    AWAITING,
    ERROR,
    OBSERVATION,
    awaiting_spans,
    hours_awaiting,
    hours_compared,
    series_csv,
    series_frame,
)
from monitoring_canned import all_errors, unobserved_errors

ERRORS = {
    "area": 1,
    "consumer_type": 111,
    "datetime_utc": [100, 101, 103, 104, 105],
    "prediction": [10.0, 12.0, 9.0, 8.0, 7.0],
    "observation": [8.0, 12.0, None, None, None],
    "error": [2.0, 0.0, None, None, None],
    "absolute_percentage_error": [0.25, 0.0, None, None, None],
}


def test_missing_hour_is_a_gap_and_not_awaiting():
    frame = series_frame(ERRORS)
    gap = pd.Timestamp(102 * 3600, unit="s", tz="UTC")
    assert len(frame) == 6
    assert frame.loc[gap].drop(AWAITING).isna().all()
    assert not frame.loc[gap, AWAITING]


def test_hours_with_a_prediction_and_no_observation_await_observation():
    frame = series_frame(ERRORS)
    assert frame[AWAITING].tolist() == [False, False, False, True, True, True]
    assert hours_awaiting(frame) == 3
    assert hours_compared(frame) == 2


def test_a_zero_error_stays_zero_and_awaiting_hours_have_no_error():
    frame = series_frame(ERRORS)
    assert frame[ERROR].iloc[1] == 0.0
    assert frame.loc[frame[AWAITING], ERROR].isna().all()


def test_percentage_error_is_in_percent():
    assert series_frame(ERRORS)[APE].iloc[0] == pytest.approx(25.0)


def test_awaiting_spans_are_runs_of_consecutive_awaiting_hours():
    errors = {
        **ERRORS,
        "observation": [None, 12.0, 5.0, None, None],
        "error": [None, 0.0, 4.0, None, None],
    }
    spans = awaiting_spans(series_frame(errors))
    assert [(first.value // 3_600_000_000_000, last.value // 3_600_000_000_000) for first, last in spans] == [
        (100, 100),
        (104, 105),
    ]


def test_series_without_any_observation_is_one_awaiting_span():
    frame = series_frame(unobserved_errors())
    assert hours_compared(frame) == 0
    assert hours_awaiting(frame) == 24
    assert len(awaiting_spans(frame)) == 1
    assert frame[OBSERVATION].isna().all()


def test_golden_series_compares_14_days_and_awaits_the_forecast_day():
    frame = series_frame(all_errors()[(1, 111)])
    assert hours_compared(frame) == 14 * 24
    assert hours_awaiting(frame) == 24
    assert frame.index[-1] == pd.Timestamp("2023-06-15 23:00", tz="UTC")


def test_empty_series_gives_an_empty_frame():
    frame = series_frame(
        {
            "area": 1,
            "consumer_type": 111,
            "datetime_utc": [],
            "prediction": [],
            "observation": [],
            "error": [],
            "absolute_percentage_error": [],
        }
    )
    assert frame.empty
    assert awaiting_spans(frame) == []


def test_csv_has_iso_utc_hours_and_units_and_leaves_awaiting_observations_empty():
    exported = pd.read_csv(io.BytesIO(series_csv(series_frame(ERRORS))))
    assert exported["datetime_utc"].iloc[0] == "1970-01-05T04:00:00Z"
    assert {"prediction_kwh", "observation_kwh", "error_kwh"} <= set(exported.columns)
    assert math.isnan(exported["observation_kwh"].iloc[-1])
    assert bool(exported["awaiting_observation"].iloc[-1]) is True
