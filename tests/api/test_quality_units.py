"""`api.quality` function by function, on a handful of compared hours with figures worked out by hand.

The fast tests the mutation run of `api.quality` uses (no app, no bucket). Four series are compared
(area 0 is the whole country, left out of `all`), one more is observed but never compared; the last
compared hour is 1000, so the periods are: last 24 h = 977-1000, the week before = 809-832, last 7 days
= 833-1000, the previous 7 days = 665-832, the window = 800-1000. `test_v2_monitoring.py` proves the
same figures through the served API.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from api.quality import (
    ErrorFigures,
    _ratio,
    _safe_divide,
    build_quality,
    compared_hours_frame,
    figures_from_sums,
    weekly_naive_scale,
)

NAN = float("nan")
NONE = {
    "hours_compared": 0,
    "mape": None,
    "wape": None,
    "bias": None,
    "mase": None,
    "coverage_80": None,
    "coverage_95": None,
}


def figures(compared, mape, wape, bias, mase, coverage_80, coverage_95) -> dict:
    return {
        "hours_compared": compared,
        "mape": mape,
        "wape": wape,
        "bias": bias,
        "mase": mase,
        "coverage_80": coverage_80,
        "coverage_95": coverage_95,
    }


@pytest.fixture
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# Ratios and sums ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "ratio"),
    [
        (3, 4, 0.75),
        (np.int64(-3), np.float64(4.0), -0.75),
        (0, 5, 0.0),
        (3, 0, None),
        (0, 0, None),
        (np.inf, 4, None),
        (NAN, 4, None),
        (3, np.inf, None),
        (3, NAN, None),
        (1e308, 1e-308, None),  # the quotient overflows to infinity
    ],
)
def test_a_ratio_is_a_finite_float_or_none(numerator, denominator, ratio):
    result = _ratio(numerator, denominator)
    assert result == ratio
    assert type(result) is (float if ratio is not None else type(None))


SUMS = {
    "compared": 4,
    "abs_error": 8.0,
    "error": -2.0,
    "abs_observed": 40.0,
    "ape_sum": 0.9,
    "ape_count": 3,
    "in_80": 3.0,
    "in_95": 4.0,
    "tested": 4,
}


def test_figures_from_sums():
    result = figures_from_sums(SUMS, 12.0, 3)  # mean |error| 2, naive scale 4
    assert result == ErrorFigures(4, pytest.approx(0.3), 0.2, -0.05, 0.5, 0.75, 1.0)
    assert type(result.hours_compared) is int


def test_mase_needs_both_a_mean_error_and_a_naive_scale():
    assert figures_from_sums(SUMS, 0.0, 0).mase is None
    assert figures_from_sums({**SUMS, "compared": 0}, 12.0, 3).mase is None
    assert figures_from_sums({**SUMS, "abs_error": 0.0}, 12.0, 3).mase == 0.0


def test_figures_as_a_dict():
    assert ErrorFigures(5, 0.1, 0.2, -0.3, 0.4, 0.5, 0.6).as_dict() == figures(5, 0.1, 0.2, -0.3, 0.4, 0.5, 0.6)


def test_the_weekly_naive_scale_pairs_hours_exactly_a_week_apart():
    hours = np.array([0, 1, 168, 170, 336, 600])
    values = np.array([10.0, 20.0, 13.0, 7.0, 9.0, 1.0])
    assert weekly_naive_scale(hours, values) == (7.0, 2)  # |13 - 10| + |9 - 13|
    total, pairs = weekly_naive_scale(hours, values)
    assert (type(total), type(pairs)) == (float, int)
    assert weekly_naive_scale(np.array([5, 173]), np.array([1.0, -2.0])) == (3.0, 1)
    assert weekly_naive_scale(np.array([5, 100]), np.array([1.0, 2.0])) == (0.0, 0)
    assert weekly_naive_scale(np.empty(0, dtype=np.int64), np.empty(0)) == (0.0, 0)


def test_a_compared_hours_frame_holds_what_the_sums_need(no_warnings):
    frame = compared_hours_frame(
        1,
        111,
        np.array([10, 11, 12]),
        np.array([110.0, 90.0, 5.0]),
        np.array([100.0, 100.0, 0.0]),
        np.array([1.0, 0.0, NAN]),
        np.array([1.0, 1.0, NAN]),
    )
    assert frame.to_dict("list") == {
        "area": [1, 1, 1],
        "consumer_type": [111, 111, 111],
        "hour": [10, 11, 12],
        "compared": [1, 1, 1],
        "abs_error": [10.0, 10.0, 5.0],
        "error": [10.0, -10.0, 5.0],
        "abs_observed": [100.0, 100.0, 0.0],
        "ape_sum": [0.1, 0.1, 0.0],
        "ape_count": [1, 1, 0],
        "in_80": [1.0, 0.0, 0.0],
        "in_95": [1.0, 1.0, 0.0],
        "tested": [1, 1, 0],
    }
    assert frame["ape_count"].dtype == np.int64 and frame["tested"].dtype == np.int64


def test_safe_divide_gives_nan_for_a_zero_or_non_finite_quotient(no_warnings):
    result = _safe_divide(pd.Series([1.0, 2.0, np.inf, 0.0, NAN]), pd.Series([0, 4, 1, 0, 1]))
    assert result[1] == 0.5
    assert np.isnan(result[[0, 2, 3, 4]]).all()


# The figures of a snapshot -------------------------------------------------------------------------


def compared_frame() -> pd.DataFrame:
    a = compared_hours_frame(
        1, 111, np.array([800, 830, 990, 1000]), np.full(4, 110.0), np.full(4, 100.0),
        np.array([1.0, 1.0, 0.0, NAN]), np.array([1.0, 1.0, 1.0, NAN]),
    )  # fmt: skip
    b = compared_hours_frame(1, 222, np.array([832]), np.array([50.0]), np.array([100.0]), np.zeros(1), np.ones(1))
    c = compared_hours_frame(
        2, 111, np.array([999]), np.array([200.0]), np.array([100.0]), np.full(1, NAN), np.full(1, NAN)
    )
    e = compared_hours_frame(0, 111, np.array([1000]), np.array([50.0]), np.array([50.0]), np.ones(1), np.ones(1))
    return pd.concat([a, b, c, e], ignore_index=True)


SCALES = {(1, 111): (40.0, 4), (2, 111): (10.0, 2), (0, 111): (0.0, 0), (3, 111): (5.0, 1)}


def quality(pipeline_mape: pd.Series | None = None):
    mape = pd.Series(dtype=float) if pipeline_mape is None else pipeline_mape
    return build_quality(compared_frame(), SCALES, mape, {1, 2})


def test_figures_per_series_and_a_series_never_compared_listed_with_none():
    result = quality()
    assert list(result.series) == [(0, 111), (1, 111), (1, 222), (2, 111), (3, 111)]
    assert {key: value.as_dict() for key, value in result.series.items()} == {
        (0, 111): figures(1, 0.0, 0.0, 0.0, None, 1.0, 1.0),
        (1, 111): figures(4, pytest.approx(0.1), 0.1, 0.1, 1.0, pytest.approx(2 / 3), 1.0),
        (1, 222): figures(1, 0.5, 0.5, -0.5, None, 0.0, 1.0),
        (2, 111): figures(1, 1.0, 1.0, 1.0, 20.0, None, None),
        (3, 111): NONE,
    }


def test_overall_figures_pool_every_compared_hour():
    assert quality().overall.as_dict() == pytest.approx(
        figures(7, 1.9 / 7, 190 / 650, 90 / 650, (190 / 7) / (50 / 6), 3 / 5, 5 / 5)
    )


def test_the_periods_end_at_the_last_compared_hour():
    result = quality()
    assert result.window == (800, 1000)
    assert result.periods == {
        "last_24h": (977, 1000),
        "week_before": (809, 832),
        "last_7d": (833, 1000),
        "previous_7d": (665, 832),
    }


def test_hours_compared_per_area_and_period():
    counts = {
        label: {period: figure.hours_compared for period, figure in periods.items()}
        for label, periods in quality().by_area.items()
    }
    assert counts == {
        "0": {"window": 1, "last_24h": 1, "week_before": 0, "last_7d": 1, "previous_7d": 0},
        "1": {"window": 5, "last_24h": 2, "week_before": 2, "last_7d": 2, "previous_7d": 3},
        "2": {"window": 1, "last_24h": 1, "week_before": 0, "last_7d": 1, "previous_7d": 0},
        "all": {"window": 6, "last_24h": 3, "week_before": 2, "last_7d": 3, "previous_7d": 3},
    }


def test_figures_of_an_area_over_its_periods_with_its_members_naive_scale():
    area = quality().by_area["1"]
    assert area["window"].as_dict() == pytest.approx(figures(5, 0.18, 0.18, -0.02, 1.8, 0.5, 1.0))
    assert area["last_24h"].as_dict() == pytest.approx(figures(2, 0.1, 0.1, 0.1, 1.0, 0.0, 1.0))
    assert area["week_before"].as_dict() == pytest.approx(figures(2, 0.3, 0.3, -0.2, 3.0, 0.5, 1.0))
    assert area["previous_7d"].as_dict() == pytest.approx(figures(3, 0.7 / 3, 70 / 300, -0.1, 7 / 3, 2 / 3, 1.0))
    assert quality().by_area["0"]["week_before"].as_dict() == NONE


def test_all_areas_leave_out_the_whole_country_and_pool_the_members_scales():
    result = quality()
    assert result.by_area["all"]["window"].as_dict() == pytest.approx(
        figures(6, 1.9 / 6, 190 / 600, 90 / 600, (190 / 6) / (50 / 6), 2 / 4, 4 / 4)
    )
    assert result.areas == {label: periods["window"] for label, periods in result.by_area.items()}
    assert list(result.areas) == ["0", "1", "2", "all"]


HOURLY = {
    "hour": [800, 830, 832, 990, 999, 1000],
    "mape": [0.1, 0.1, 0.5, 0.1, 1.0, 0.05],
    "wape": [0.1, 0.1, 0.5, 0.1, 1.0, 10 / 150],
    "bias": [0.1, 0.1, -0.5, 0.1, 1.0, 10 / 150],
    "series_compared": [1, 1, 1, 1, 1, 2],
    "coverage_80": [1.0, 1.0, 0.0, 0.0, NAN, 1.0],
    "coverage_95": [1.0, 1.0, 1.0, 1.0, NAN, 1.0],
    # Pooled over the 24 hours ending at each hour: null while fewer than 12 of them had a compared
    # series (here at most 3: hours 990, 999 and 1000).
    "mape_24h": [NAN] * 6,
    "wape_24h": [NAN] * 6,
    "bias_24h": [NAN] * 6,
}


def assert_frame(frame: pd.DataFrame, expected: dict) -> None:
    assert list(frame.columns) == list(expected)
    for column, values in expected.items():
        assert frame[column].tolist() == pytest.approx(values, nan_ok=True), column


def test_hourly_figures_pool_the_series_compared_at_each_hour():
    hourly = quality().hourly
    assert_frame(hourly, HOURLY)
    assert hourly["hour"].dtype == np.int64 and hourly["series_compared"].dtype == np.int64


def test_the_pipelines_own_mape_wins_where_it_has_one_and_adds_its_other_hours():
    hourly = quality(pd.Series([0.9, NAN, 0.7, 0.6], index=[830, 990, 1100, 700])).hourly
    assert_frame(
        hourly,
        {
            "hour": [700, *HOURLY["hour"], 1100],
            "mape": [0.6, 0.1, 0.9, 0.5, 0.1, 1.0, 0.05, 0.7],
            "wape": [NAN, *HOURLY["wape"], NAN],
            "bias": [NAN, *HOURLY["bias"], NAN],
            "series_compared": [0, *HOURLY["series_compared"], 0],
            "coverage_80": [NAN, *HOURLY["coverage_80"], NAN],
            "coverage_95": [NAN, *HOURLY["coverage_95"], NAN],
            "mape_24h": [NAN] * 8,
            "wape_24h": [NAN] * 8,
            "bias_24h": [NAN] * 8,
        },
    )
    assert list(hourly.index) == list(range(8))


def test_a_pipeline_mape_only_at_compared_hours_adds_no_row():
    hourly = quality(pd.Series([0.9], index=[1000])).hourly
    assert hourly["hour"].tolist() == HOURLY["hour"]
    assert hourly["mape"].tolist() == pytest.approx([0.1, 0.1, 0.5, 0.1, 1.0, 0.9])


def test_nothing_compared_lists_the_observed_series_with_none_and_no_periods():
    result = build_quality(compared_frame().iloc[0:0], {(2, 1): (1.0, 1), (1, 5): (2.0, 2)}, pd.Series(), {1, 2})
    assert (result.window, result.areas, result.periods, result.by_area) == ((None, None), {}, {}, {})
    assert {key: value.as_dict() for key, value in result.series.items()} == {(1, 5): NONE, (2, 1): NONE}
    assert list(result.series) == [(1, 5), (2, 1)]
    assert result.overall.as_dict() == NONE
    assert list(result.hourly.columns) == list(HOURLY) and result.hourly.empty


# Found by the mutation run (survivors of its first pass) ------------------------------------------


def test_an_hour_predicted_and_observed_as_zero_has_no_percentage_error_and_is_quiet(no_warnings):
    frame = compared_hours_frame(1, 111, np.array([10]), np.zeros(1), np.zeros(1), np.ones(1), np.ones(1))
    assert (frame["ape_sum"].tolist(), frame["ape_count"].tolist(), frame["abs_error"].tolist()) == ([0.0], [0], [0.0])
