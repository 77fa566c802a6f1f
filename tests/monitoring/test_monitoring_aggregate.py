"""MAPE in percent, threshold breaches and key figures of the aggregated error chart."""

import math

import pandas as pd
import pytest
from monitoring.aggregate import above_threshold, daily_rolling_mean, key_figures, mape_percent
from monitoring_canned import golden

UTC = "UTC"


def test_mape_is_converted_from_fraction_to_percent():
    mape = mape_percent({"datetime_utc": [468216, 468217], "mape": [0.05, 0.125]})
    assert mape.tolist() == pytest.approx([5.0, 12.5])
    assert mape.index[0] == pd.Timestamp("2023-06-01 00:00", tz=UTC)


def test_missing_hours_become_gaps_not_interpolated_values():
    mape = mape_percent({"datetime_utc": [10, 13], "mape": [0.01, 0.02]})
    assert len(mape) == 4
    assert mape.isna().tolist() == [False, True, True, False]


def test_golden_metrics_cover_fourteen_days_of_hours():
    mape = mape_percent(golden("monitoring_metrics"))
    assert len(mape) == 14 * 24
    assert mape.min() == pytest.approx(2.80988379937734)
    assert mape.max() == pytest.approx(4.943793682112784)


def test_only_hours_strictly_above_threshold_are_highlighted():
    mape = mape_percent({"datetime_utc": [0, 1, 2, 4], "mape": [0.09, 0.10, 0.11, 0.30]})
    above = above_threshold(mape, 10.0)
    assert list(above.index.hour) == [2, 4]


def test_key_figures_name_latest_mean_worst_and_share_above():
    mape = mape_percent({"datetime_utc": [0, 1, 2, 3], "mape": [0.02, 0.20, 0.12, 0.06]})
    figures = key_figures(mape, threshold=10.0)
    assert figures is not None
    assert figures.latest_mape == pytest.approx(6.0)
    assert figures.latest_hour == pd.Timestamp("1970-01-01 03:00", tz=UTC)
    assert figures.mean_mape == pytest.approx(10.0)
    assert figures.worst_mape == pytest.approx(20.0)
    assert figures.worst_hour == pd.Timestamp("1970-01-01 01:00", tz=UTC)
    assert figures.hours_above_threshold == 2
    assert figures.share_above_threshold == pytest.approx(0.5)


def test_key_figures_ignore_gaps_and_use_the_last_measured_hour_as_latest():
    mape = mape_percent({"datetime_utc": [0, 5], "mape": [0.04, 0.08]})
    figures = key_figures(mape, threshold=10.0)
    assert figures is not None
    assert figures.hours_measured == 2
    assert figures.latest_hour.hour == 5
    assert figures.mean_mape == pytest.approx(6.0)


def test_key_figures_of_an_empty_window_are_none():
    assert key_figures(mape_percent({"datetime_utc": [], "mape": []}), threshold=10.0) is None


def test_daily_rolling_mean_averages_the_trailing_24_hours():
    hours = list(range(48))
    mape = mape_percent({"datetime_utc": hours, "mape": [0.01 * (hour % 2) for hour in hours]})
    rolling = daily_rolling_mean(mape)
    assert math.isnan(rolling.iloc[10])
    assert rolling.iloc[11] == pytest.approx(0.5)
    assert rolling.iloc[47] == pytest.approx(0.5)
    assert rolling.index.equals(mape.index)
