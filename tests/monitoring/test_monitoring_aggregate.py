"""The error over all series per hour, from the real API's `/api/v2/monitoring/hourly` answers."""

import math

import pandas as pd
import pytest
from buckets import FIRST_HOUR, MONITORED_HOURS
from monitoring.aggregate import (
    HourlyOverview,
    beyond_threshold,
    hour_of_day_frame,
    hourly_frame,
    hourly_overview,
    trailing_day,
)
from monitoring.measures import BIAS, WAPE

HOURLY = "/api/v2/monitoring/hourly"


@pytest.fixture(scope="module")
def hourly(fixture_api) -> dict:
    status, body = fixture_api.answer(HOURLY)
    assert status == 200
    return body


def test_every_hourly_figure_is_the_apis_fraction_in_percent(hourly):
    frame = hourly_frame(hourly)
    first = hourly["hours"][0]
    assert frame.index[0] == pd.Timestamp(first["time"])
    for field in ("mape", "wape", "bias"):
        assert frame[field].iloc[0] == pytest.approx(first[field] * 100)
    assert frame["series_compared"].iloc[0] == first["series_compared"]


def test_the_frame_has_one_row_per_hour_of_the_window(hourly):
    frame = hourly_frame(hourly)
    assert len(frame) == len({row["time"] for row in hourly["hours"]})
    assert (frame.index[1:] - frame.index[:-1] == pd.Timedelta(hours=1)).all()


def test_hours_the_api_does_not_list_become_gaps_not_interpolated_values(hourly):
    rows = hourly["hours"]
    frame = hourly_frame({"hours": [rows[0], rows[3]]})
    assert len(frame) == 4
    assert frame["wape"].isna().tolist() == [False, True, True, False]


HOURS = pd.date_range("2023-06-01", periods=5, freq="h", tz="UTC")


def test_overview_names_latest_worst_and_share_beyond_threshold():
    values = pd.Series([4.0, 12.0, float("nan"), 8.0, 11.0], index=HOURS)
    overview = hourly_overview(values, WAPE, 10.0)
    assert overview == HourlyOverview(
        latest_hour=HOURS[4],
        latest=11.0,
        worst_hour=HOURS[1],
        worst=12.0,
        hours_measured=4,
        hours_beyond_threshold=2,
    )
    assert overview.share_beyond_threshold == 0.5


def test_overview_of_the_real_apis_hours_counts_what_is_beyond_the_threshold(hourly):
    values = hourly_frame(hourly)["wape"]
    overview = hourly_overview(values, WAPE, float(values.median()))
    assert overview is not None and overview.hours_measured == values.notna().sum() > 0
    assert 0.4 < overview.share_beyond_threshold < 0.6  # the median splits the hours in two


def test_bias_counts_beyond_the_threshold_in_either_direction():
    values = pd.Series([-20.0, -3.0, 0.0, 4.0, 15.0], index=HOURS)
    assert beyond_threshold(values, BIAS, 10.0).tolist() == [True, False, False, False, True]
    assert beyond_threshold(values, WAPE, 10.0).tolist() == [False, False, False, False, True]
    assert beyond_threshold(values, BIAS, 15.0).tolist() == [True, False, False, False, False]  # strictly beyond
    overview = hourly_overview(values, BIAS, 10.0)
    assert (overview.worst_hour, overview.worst, overview.hours_beyond_threshold) == (HOURS[0], -20.0, 2)
    unsigned = hourly_overview(values, WAPE, 10.0)  # the largest value, not the largest size
    assert (unsigned.worst_hour, unsigned.worst, unsigned.hours_beyond_threshold) == (HOURS[4], 15.0, 1)
    assert overview.latest == 15.0


def test_overview_of_an_empty_window_is_none():
    assert hourly_overview(hourly_frame({"hours": []})["wape"], WAPE, 10.0) is None


def test_the_trailing_day_line_is_the_apis_pooled_24_hours_in_percent(hourly):
    frame = hourly_frame(hourly)
    rows = [row for row in hourly["hours"] if row["wape_24h"] is not None]
    assert rows and len(rows) < len(hourly["hours"])  # the API starts it once 12 hours are compared
    line = trailing_day(frame, WAPE)
    for row in rows[:: max(1, len(rows) // 10)]:
        assert line.loc[pd.Timestamp(row["time"])] == pytest.approx(row["wape_24h"] * 100)
    first = pd.Timestamp(hourly["hours"][0]["time"])
    assert math.isnan(line.loc[first]) and trailing_day(frame, BIAS).name == "bias_24h"


def test_the_hour_of_day_profile_is_the_apis_in_danish_time_in_percent(fixture_api):
    status, body = fixture_api.answer("/api/v2/monitoring/hour_of_day?tz=Europe/Copenhagen")
    assert status == 200 and body["tz"] == "Europe/Copenhagen"
    profile = hour_of_day_frame(body)
    assert list(profile.index) == list(range(24)) and profile.index.name == "hour_of_day"
    for row in body["hours"]:
        assert profile.loc[row["hour"], "wape"] == pytest.approx(row["wape"] * 100)
        assert profile.loc[row["hour"], "bias"] == pytest.approx(row["bias"] * 100)
        assert profile.loc[row["hour"], "hours_compared"] == row["hours_compared"]


def test_edge_bucket_window_is_its_fourteen_monitored_days(edge_api):
    frame = hourly_frame(edge_api.answer(HOURLY)[1])
    assert frame.index[0] == pd.Timestamp(FIRST_HOUR * 3600, unit="s", tz="UTC")
    assert len(frame) == MONITORED_HOURS


def test_hourly_frame_of_a_literal_answer_is_in_percent_and_sorted():
    rows = [
        {"time": "2023-06-01T03:00:00+02:00", "mape": 0.1, "wape": 0.2, "bias": -0.05, "series_compared": 3},
        {"time": "2023-06-01T00:00:00+00:00", "mape": 0.01, "wape": None, "bias": 0.02, "series_compared": 2},
    ]
    frame = hourly_frame({"hours": rows})
    assert list(frame.index) == [pd.Timestamp("2023-06-01T00:00Z"), pd.Timestamp("2023-06-01T01:00Z")]
    shown = frame.loc["2023-06-01T01:00Z", ["wape", "mape", "bias", "series_compared"]]
    assert shown.tolist() == pytest.approx([20.0, 10.0, -5.0, 3.0])
    assert frame[["wape_24h", "mape_24h", "bias_24h"]].isna().all().all()  # not in these rows: gaps
    assert frame["mape"].iloc[0] == pytest.approx(1.0) and math.isnan(frame["wape"].iloc[0])


def test_an_hour_of_the_day_with_nothing_compared_is_a_gap():
    figures = {"mape": 0.1, "wape": 0.2, "bias": -0.05, "coverage_80": 0.8, "coverage_95": 0.9}
    rows = [{"hour": hour, "hours_compared": 2, **figures} for hour in range(24)]
    rows[3] = {"hour": 3, "hours_compared": 0, **dict.fromkeys(figures)}
    profile = hour_of_day_frame({"tz": "Europe/Copenhagen", "hours": rows[::-1]})  # any order
    assert profile["wape"].tolist() == pytest.approx([20.0] * 3 + [float("nan")] + [20.0] * 20, nan_ok=True)
    assert profile.loc[3, "hours_compared"] == 0 and profile.loc[4, "bias"] == pytest.approx(-5.0)


def test_a_repeated_hour_keeps_the_last_answer_and_the_frame_is_float_with_a_time_index():
    rows = [
        {"time": "2023-06-01T00:00:00+00:00", "mape": 0.1, "wape": 0.1, "bias": 0.1, "series_compared": 1},
        {"time": "2023-06-01T02:00:00+00:00", "mape": 0.3, "wape": 0.3, "bias": 0.3, "series_compared": None},
        {"time": "2023-06-01T00:00:00+00:00", "mape": 0.2, "wape": 0.2, "bias": 0.2, "series_compared": 2},
    ]
    frame = hourly_frame({"hours": rows})
    assert frame.index.name == "time" and len(frame) == 3
    assert frame["wape"].tolist()[0] == pytest.approx(20.0) and frame["series_compared"].iloc[0] == 2.0
    assert (frame.dtypes == "float64").all() and math.isnan(frame["series_compared"].iloc[2])


def test_a_value_at_the_threshold_is_not_beyond_it():
    values = pd.Series([-10.0, 10.0, 10.5])
    assert beyond_threshold(values, WAPE, 10.0).tolist() == [False, False, True]
    assert beyond_threshold(values, BIAS, 10.0).tolist() == [False, False, True]


def test_a_figure_the_api_never_computed_is_a_float_column_of_gaps():
    rows = [{"time": f"2023-06-01T0{hour}:00:00+00:00", "wape": None, "series_compared": 0} for hour in range(2)]
    frame = hourly_frame({"hours": rows})
    assert frame["wape"].dtype == "float64" and frame["wape"].isna().all()
    assert frame["wape"].rolling(2).mean().isna().all()  # numeric: pandas arithmetic works on it


def test_an_hour_the_answer_leaves_out_is_a_gap_with_nothing_compared_and_every_column_is_float():
    rows = [{"hour": hour, "hours_compared": 1, "wape": None, "mape": None, "bias": None} for hour in range(23)]
    profile = hour_of_day_frame({"tz": "UTC", "hours": rows})  # hour 23 missing, every figure null
    assert profile.loc[23, "hours_compared"] == 0 and profile.loc[22, "hours_compared"] == 1
    assert profile["wape"].isna().all()
    assert (profile.dtypes == "float64").all()
