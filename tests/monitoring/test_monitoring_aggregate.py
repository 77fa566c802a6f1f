"""The error over all series per hour, from the real API's `/api/v2/monitoring/hourly` answers."""

import math

import pandas as pd
import pytest
from buckets import FIRST_HOUR, MONITORED_HOURS
from monitoring.aggregate import (
    beyond_threshold,
    daily_rolling_mean,
    hour_of_day_profile,
    hourly_frame,
    hourly_overview,
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


def test_overview_names_latest_mean_worst_and_share_beyond_threshold(hourly):
    values = hourly_frame(hourly)["wape"]
    threshold = float(values.median())
    overview = hourly_overview(values, WAPE, threshold)
    assert overview is not None
    assert overview.latest == pytest.approx(values.dropna().iloc[-1])
    assert overview.mean == pytest.approx(values.mean())
    assert overview.worst == pytest.approx(values.max())
    assert overview.worst_hour == values.idxmax()
    assert overview.hours_beyond_threshold == int((values > threshold).sum())
    assert 0.4 < overview.share_beyond_threshold < 0.6


def test_bias_counts_beyond_the_threshold_in_either_direction():
    values = pd.Series([-12.0, -3.0, 0.0, 4.0, 15.0])
    assert beyond_threshold(values, BIAS, 10.0).tolist() == [True, False, False, False, True]
    assert beyond_threshold(values, WAPE, 10.0).tolist() == [False, False, False, False, True]
    overview = hourly_overview(values.set_axis(pd.date_range("2023-06-01", periods=5, freq="h", tz="UTC")), BIAS, 10)
    assert overview is not None and overview.worst == 15.0


def test_overview_of_an_empty_window_is_none():
    assert hourly_overview(hourly_frame({"hours": []})["wape"], WAPE, 10.0) is None


def test_daily_rolling_mean_averages_the_trailing_24_hours():
    index = pd.date_range("2023-06-01", periods=48, freq="h", tz="UTC")
    values = pd.Series([float(hour % 2) for hour in range(48)], index=index)
    rolling = daily_rolling_mean(values)
    assert math.isnan(rolling.iloc[10])
    assert rolling.iloc[11] == pytest.approx(0.5)
    assert rolling.iloc[47] == pytest.approx(0.5)


def test_hour_of_day_profile_is_the_mean_of_each_hour_of_the_day(hourly):
    frame = hourly_frame(hourly)
    profile = hour_of_day_profile(frame)
    assert list(profile.index) == list(range(24))
    at_noon = frame[frame.index.hour == 12]["wape"].mean()
    assert profile.loc[12, "wape"] == pytest.approx(at_noon)


def test_edge_bucket_window_is_its_fourteen_monitored_days(edge_api):
    frame = hourly_frame(edge_api.answer(HOURLY)[1])
    assert frame.index[0] == pd.Timestamp(FIRST_HOUR * 3600, unit="s", tz="UTC")
    assert len(frame) == MONITORED_HOURS
