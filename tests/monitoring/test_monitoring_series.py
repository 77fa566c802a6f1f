"""One series over the monitoring window, from the real API's `/api/v2/monitoring/series` answers.

The page takes `awaiting_observation` from the API: only predicted hours after the series' last
observation await one; a gap inside the window is a missing observation.
"""

import io

import pandas as pd
import pytest
from buckets import GAP_HOURS, NORMAL, WITH_GAP
from monitoring.series import (
    APE,
    AWAITING,
    ERROR,
    OBSERVATION,
    awaiting_spans,
    compared_errors,
    series_csv,
    series_frame,
)


def monitored(api, series: tuple[int, int]) -> dict:
    status, body = api.answer(f"/api/v2/monitoring/series/{series[0]}/{series[1]}")
    assert status == 200
    return body


def hour(number: int) -> pd.Timestamp:
    return pd.Timestamp(number * 3600, unit="s", tz="UTC")


def test_awaiting_hours_are_exactly_the_ones_the_api_marks(edge_api):
    body = monitored(edge_api, WITH_GAP)
    frame = series_frame(body)
    marked = {pd.Timestamp(row["time"]) for row in body["hours"] if row["awaiting_observation"]}
    assert set(frame.index[frame[AWAITING]]) == marked
    assert body["hours_awaiting_observation"] == int(frame[AWAITING].sum()) == 24


def test_a_gap_inside_the_window_is_missing_not_awaiting(edge_api):
    body = monitored(edge_api, WITH_GAP)
    frame = series_frame(body)
    gap = [hour(number) for number in GAP_HOURS]
    assert frame.loc[gap, OBSERVATION].isna().all()
    assert not frame.loc[gap, AWAITING].any()
    assert body["hours_missing"] == int((frame[OBSERVATION].isna() & ~frame[AWAITING]).sum()) == len(GAP_HOURS)
    assert len(awaiting_spans(frame)) == 1


def test_compared_hours_and_errors_match_the_summary(edge_api):
    summary = edge_api.answer("/api/v2/monitoring/summary")[1]
    entry = next(e for e in summary["series"] if (e["area"], e["consumer_type"]) == WITH_GAP)
    body = monitored(edge_api, WITH_GAP)
    frame = series_frame(body)
    assert body["hours_compared"] == entry["hours_compared"]
    errors = compared_errors(frame)
    assert len(errors) == entry["hours_compared"]
    observed = frame.loc[errors.index, OBSERVATION]
    assert (errors.abs().sum() / observed.abs().sum()) == pytest.approx(entry["wape"])


def test_percentage_error_is_the_apis_in_percent_and_awaiting_hours_have_no_error(fixture_api):
    body = monitored(fixture_api, (1, 111))
    frame = series_frame(body)
    first = frame.iloc[0]
    assert first[APE] == pytest.approx(body["hours"][0]["absolute_percentage_error"] * 100)
    assert first[APE] == pytest.approx(abs(first[ERROR]) / first[OBSERVATION] * 100)
    assert frame.loc[frame[AWAITING], ERROR].isna().all()


def test_backtested_ranges_come_with_the_hours(fixture_api):
    frame = series_frame(monitored(fixture_api, (1, 111)))
    known = frame["upper_95"].notna()
    assert known.any()
    assert (frame.loc[known, "lower_95"] <= frame.loc[known, "lower_80"]).all()
    assert (frame.loc[known, "upper_80"] <= frame.loc[known, "upper_95"]).all()


def test_empty_series_gives_an_empty_frame():
    frame = series_frame({"hours": []})
    assert frame.empty
    assert awaiting_spans(frame) == []


def test_csv_has_iso_utc_hours_and_units_and_leaves_awaiting_observations_empty(edge_api):
    exported = pd.read_csv(io.BytesIO(series_csv(series_frame(monitored(edge_api, NORMAL)))))
    assert exported["time"].iloc[0] == "2023-06-01T00:00:00Z"
    assert {"predicted_kwh", "observed_kwh", "error_kwh", "lower_80", "upper_95"} <= set(exported.columns)
    assert pd.isna(exported["observed_kwh"].iloc[-1])
    assert bool(exported["awaiting_observation"].iloc[-1]) is True
