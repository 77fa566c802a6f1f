"""`api.intervals` function by function, on small arrays with literal expected values.

The fast tests the mutation run of `api.intervals` uses (no app, no bucket): the conformal order
statistics at the sizes where they change, the pairing of past predictions with observations, the
pooled residuals before an hour, the day-by-day backtest that never looks ahead, and the sums over
consecutive hours. `test_v2_intervals.py` proves the same through the served API.
"""

import warnings

import numpy as np
import pytest
from api.intervals import (
    METHOD_NONE,
    METHOD_OWN,
    METHOD_POOLED,
    METHOD_TOTAL_OWN,
    METHOD_TOTAL_POOLED,
    Backtest,
    IntervalModel,
    PastErrors,
    PooledResiduals,
    ResidualBounds,
    SumRange,
    _backtest,
    conformal_bounds,
    fit_interval_model,
    fit_sum_range,
    past_errors,
    sum_residuals,
    window_sums,
)

NAN = float("nan")
WIDE = ResidualBounds(-0.5, 0.5, -1.0, 1.0)


def shuffled(values: list[float]) -> np.ndarray:
    """The values in a fixed scrambled order, so that sorting them is part of what is tested."""
    return np.array(values)[np.random.default_rng(7).permutation(len(values))]


def errors(hours: list[int], predicted: list[float], observed: list[float]) -> PastErrors:
    return PastErrors(np.array(hours, dtype=np.int64), np.array(predicted, float), np.array(observed, float))


def as_lists(arrays) -> list[list[float]]:
    return [np.asarray(array).tolist() for array in arrays]


@pytest.fixture
def no_warnings():
    """Division by a zero prediction is expected (an infinite residual, dropped later): it must stay quiet."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# Order statistics -------------------------------------------------------------------------------


def test_forty_seven_finite_residuals_are_too_few_and_nan_or_infinity_do_not_count():
    residuals = np.r_[np.arange(47) / 100, NAN, np.inf, -np.inf]
    assert conformal_bounds(residuals) is None


def test_forty_eight_residuals_give_the_order_statistics_at_4_45_1_and_48():
    residuals = np.r_[shuffled([k / 100 for k in range(48)]), NAN, np.inf]
    assert conformal_bounds(residuals) == ResidualBounds(0.03, 0.44, 0.0, 0.47)


def test_a_hundred_residuals_give_the_order_statistics_at_10_91_2_and_99():
    assert conformal_bounds(shuffled([k / 100 for k in range(100)])) == ResidualBounds(0.09, 0.9, 0.01, 0.98)


def test_seventy_two_residuals_give_the_order_statistics_at_7_66_1_and_72():
    assert conformal_bounds(shuffled([k / 100 for k in range(72)])) == ResidualBounds(0.06, 0.65, 0.0, 0.71)


def test_bounds_scale_with_the_size_of_the_forecast_whatever_its_sign():
    bounds = ResidualBounds(-0.1, 0.2, -0.3, 0.4)
    assert np.array(bounds.apply(np.array([100.0, -50.0]))) == pytest.approx(
        np.array([[90.0, -55.0], [120.0, -40.0], [70.0, -65.0], [140.0, -30.0]])
    )


# Past errors --------------------------------------------------------------------------------------


def test_past_errors_pair_the_hours_both_files_have(no_warnings):
    paired = past_errors(
        (np.array([1, 2, 3, 5]), np.array([10.0, 20.0, 30.0, 50.0])),
        (np.array([2, 3, 4, 5]), np.array([21.0, 33.0, 44.0, 0.0])),
    )
    assert (paired.hours.tolist(), paired.predicted.tolist(), paired.observed.tolist()) == (
        [2, 3, 5],
        [20.0, 30.0, 50.0],
        [21.0, 33.0, 0.0],
    )
    assert paired.residuals.tolist() == pytest.approx([0.05, 0.1, -1.0])


def test_a_residual_is_relative_to_the_size_of_the_prediction_and_a_zero_prediction_is_quiet(no_warnings):
    past = errors([0, 1, 2, 3], [100.0, -100.0, 0.0, 0.0], [110.0, 90.0, 5.0, 0.0])
    residuals = past.residuals
    assert residuals[:3].tolist() == pytest.approx([0.1, 1.9, np.inf])
    assert np.isnan(residuals[3])


def test_pooled_residuals_are_ordered_by_hour_and_cut_before_an_hour():
    first = errors([0, 2, 4], [100.0, 100.0, 100.0], [101.0, 103.0, 105.0])
    second = errors([1, 2, 3], [100.0, 100.0, 100.0], [102.0, 104.0, 106.0])
    pooled = PooledResiduals([first, second])
    assert pooled.hours.tolist() == [0, 1, 2, 2, 3, 4]
    assert pooled.residuals.tolist() == pytest.approx([0.01, 0.02, 0.03, 0.04, 0.06, 0.05])
    assert pooled.all_bounds is None


def test_pooled_bounds_before_an_hour_use_only_earlier_hours_and_are_kept():
    hours = list(range(60))
    pooled = PooledResiduals([errors(hours, [100.0] * 60, [100.0 + k for k in hours])])
    assert pooled.all_bounds == ResidualBounds(0.05, 0.54, 0.0, 0.59)  # 60 residuals: 6, 55, 1, 60
    assert pooled.bounds_before(47) is None
    assert pooled.bounds_before(48) == ResidualBounds(0.03, 0.44, 0.0, 0.47)
    assert pooled.bounds_before(48) is pooled.bounds_before(48)


def test_no_series_pools_nothing():
    pooled = PooledResiduals([])
    assert (pooled.hours.tolist(), pooled.residuals.tolist(), pooled.all_bounds) == ([], [], None)
    assert pooled.hours.dtype == np.int64
    assert pooled.bounds_before(10) is None


# Backtest and model -------------------------------------------------------------------------------


def test_inside_counts_the_ends_of_a_range_and_is_nan_where_not_backtested():
    backtest = Backtest(
        np.array([NAN, 10.0, 10.0, 10.0]),
        np.array([NAN, 20.0, 20.0, 20.0]),
        np.array([NAN, 5.0, 5.0, 5.0]),
        np.array([NAN, 25.0, 25.0, 25.0]),
    )
    inside_80, inside_95 = backtest.inside(np.array([15.0, 10.0, 20.0, 22.0]))
    assert np.isnan(inside_80[0]) and np.isnan(inside_95[0])
    assert (inside_80[1:].tolist(), inside_95[1:].tolist()) == ([1.0, 1.0, 0.0], [1.0, 1.0, 1.0])
    _, below = backtest.inside(np.array([15.0, 4.0, 5.0, 26.0]))
    assert below[1:].tolist() == [0.0, 1.0, 0.0]


def test_a_model_without_bounds_gives_nan_ranges_and_with_bounds_scales_the_forecast():
    empty = Backtest(*[np.empty(0)] * 4)
    none = IntervalModel(METHOD_NONE, 0, None, None, None, empty)
    ranges = none.ranges(np.array([1.0, 2.0]))
    assert [array.shape for array in ranges] == [(2,)] * 4 and all(np.isnan(array).all() for array in ranges)
    model = IntervalModel(METHOD_OWN, 48, ResidualBounds(-0.1, 0.1, -0.2, 0.2), None, None, empty)
    assert np.array(model.ranges(np.array([100.0]))) == pytest.approx(np.array([[90.0], [110.0], [80.0], [120.0]]))


def three_days_and_an_hour() -> PastErrors:
    """Hours 0-71 (days 0, 1, 2) with residuals 0.00 ... 0.71, and hour 75 (day 3) with residual 0.68."""
    hours = [*range(72), 75]
    return errors(hours, [100.0] * 73, [*(100.0 + k for k in range(72)), 168.0])


def test_the_backtest_gives_each_day_the_range_learnt_before_it_and_borrows_when_too_little():
    asked: list[int] = []

    def pooled_before(hour: int) -> ResidualBounds | None:
        asked.append(hour)
        return WIDE if hour == 0 else None

    backtest = _backtest(three_days_and_an_hour(), pooled_before)
    assert asked == [0, 24]  # day 0 and day 1 borrow; days 2 and 3 have 48 and 72 residuals of their own
    expected = (
        [50.0] * 24 + [NAN] * 24 + [103.0] * 24 + [106.0],
        [150.0] * 24 + [NAN] * 24 + [144.0] * 24 + [165.0],
        [0.0] * 24 + [NAN] * 24 + [100.0] * 24 + [100.0],
        [200.0] * 24 + [NAN] * 24 + [147.0] * 24 + [171.0],
    )
    for got, want in zip(
        (backtest.lower_80, backtest.upper_80, backtest.lower_95, backtest.upper_95), expected, strict=True
    ):
        assert got.tolist() == pytest.approx(want, nan_ok=True)


def test_the_backtest_of_no_past_hours_is_empty():
    backtest = _backtest(errors([], [], []), lambda hour: WIDE)
    assert as_lists((backtest.lower_80, backtest.upper_80, backtest.lower_95, backtest.upper_95)) == [[], [], [], []]


def test_a_series_with_its_own_history_is_scored_on_the_days_it_was_backtested():
    past = three_days_and_an_hour()
    pooled = PooledResiduals([errors([0], [100.0], [100.0])])  # one residual: no pooled bounds at all
    pooled.bounds_before = lambda hour: WIDE if hour == 0 else None  # type: ignore[method-assign]
    model = fit_interval_model(past, pooled)
    assert (model.method, model.calibration_hours) == (METHOD_OWN, 73)
    assert model.bounds == ResidualBounds(0.06, 0.66, 0.0, 0.71)  # 73 residuals: 7, 67, 1, 73
    # Evaluated: day 0 (24 hours inside both), day 2 (none inside), hour 75 (inside 95 % only).
    assert (model.coverage_80, model.coverage_95) == (pytest.approx(24 / 49), pytest.approx(25 / 49))
    assert model.backtest.lower_80[0] == 50.0


def test_own_history_never_backtested_has_no_coverage():
    past = errors(list(range(48)), [100.0] * 48, [100.0 + k for k in range(48)])
    model = fit_interval_model(past, PooledResiduals([]))
    assert (model.method, model.calibration_hours, model.coverage_80, model.coverage_95) == (METHOD_OWN, 48, None, None)


def test_a_series_with_little_history_borrows_the_pooled_bounds_without_a_coverage():
    pooled = PooledResiduals([errors(list(range(60)), [100.0] * 60, [100.0 + k for k in range(60)])])
    model = fit_interval_model(errors([70, 71], [100.0, 100.0], [90.0, 130.0]), pooled)
    assert (model.method, model.calibration_hours, model.bounds, model.coverage_80, model.coverage_95) == (
        METHOD_POOLED,
        60,
        ResidualBounds(0.05, 0.54, 0.0, 0.59),
        None,
        None,
    )
    assert model.backtest.lower_80.tolist() == pytest.approx([103.0, 103.0])  # learnt from hours 0-47


def test_without_any_history_there_is_no_model():
    model = fit_interval_model(errors([5], [100.0], [90.0]), PooledResiduals([]))
    assert (model.method, model.calibration_hours, model.bounds, model.coverage_80, model.coverage_95) == (
        METHOD_NONE,
        0,
        None,
        None,
        None,
    )


# Sums over consecutive hours ---------------------------------------------------------------------


GAPPY = errors([0, 1, 2, 4, 5, 6], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [2.0] * 6)


def test_window_sums_cover_only_runs_of_consecutive_hours():
    assert as_lists(window_sums(GAPPY, 2)) == [[3.0, 5.0, 9.0, 11.0], [4.0, 4.0, 4.0, 4.0]]
    assert as_lists(window_sums(GAPPY, 3)) == [[6.0, 15.0], [6.0, 6.0]]
    assert as_lists(window_sums(GAPPY, 1)) == [[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [2.0] * 6]


@pytest.mark.parametrize("length", [0, -1, 7])
def test_no_window_sums_for_a_length_below_one_or_beyond_the_history(length):
    assert as_lists(window_sums(GAPPY, length)) == [[], []]


def test_a_window_as_long_as_the_history():
    assert as_lists(window_sums(errors([3, 4], [1.0, 2.0], [1.0, 1.0]), 2)) == [[3.0], [2.0]]


def test_sum_residuals_are_relative_to_the_predicted_sum(no_warnings):
    assert sum_residuals(GAPPY, 2).tolist() == pytest.approx([1 / 3, -1 / 5, -5 / 9, -7 / 11])
    zero = errors([0, 1], [0.0, 0.0], [1.0, 1.0])
    assert sum_residuals(zero, 2).tolist() == [np.inf]


def test_a_sum_range_scales_the_total_or_is_none_without_bounds():
    assert SumRange(METHOD_NONE, 0, None).of(100.0) == {
        "lower_80": None,
        "upper_80": None,
        "lower_95": None,
        "upper_95": None,
    }
    ranged = SumRange(METHOD_TOTAL_OWN, 48, ResidualBounds(-0.1, 0.1, -0.2, 0.2)).of(-100.0)
    assert ranged == pytest.approx({"lower_80": -110.0, "upper_80": -90.0, "lower_95": -120.0, "upper_95": -80.0})
    assert all(type(value) is float for value in ranged.values())


def test_a_sum_range_learns_from_its_own_windows_then_the_pooled_ones_then_none():
    hours = list(range(49))  # 48 windows of two hours
    past = errors(hours, [50.0] * 49, [50.0 + k for k in hours])
    own = fit_sum_range(past, 2, np.empty(0))
    assert (own.method, own.calibration_windows) == (METHOD_TOTAL_OWN, 48)
    # Window k sums to 100 predicted and 101 + 2k observed: residuals 0.01, 0.03, ... 0.95.
    assert own.bounds == pytest.approx(ResidualBounds(0.07, 0.89, 0.01, 0.95))
    pooled_residuals = np.array([k / 100 for k in range(50)])
    pooled = fit_sum_range(past, 3 * 24, pooled_residuals)
    assert (pooled.method, pooled.calibration_windows, pooled.bounds) == (
        METHOD_TOTAL_POOLED,
        50,
        ResidualBounds(0.04, 0.45, 0.0, 0.49),
    )
    none = fit_sum_range(past, 3 * 24, pooled_residuals[:47])
    assert (none.method, none.calibration_windows, none.bounds) == (METHOD_NONE, 0, None)


# Found by the mutation run (survivors of its first pass) ------------------------------------------


def test_seventy_eight_residuals_give_the_95_percent_lower_bound_at_1_not_2():
    """(78 + 1) x 0.025 = 1.975: the first residual, where (78 + 2) x 0.025 would give the second."""
    assert conformal_bounds(shuffled([k / 100 for k in range(78)])) == ResidualBounds(0.06, 0.71, 0.0, 0.77)


def test_an_observation_on_the_upper_end_of_the_95_percent_range_is_inside():
    backtest = Backtest(np.array([10.0]), np.array([20.0]), np.array([5.0]), np.array([25.0]))
    assert [array.tolist() for array in backtest.inside(np.array([25.0]))] == [[0.0], [1.0]]


def test_without_any_history_the_backtest_is_still_reported_as_not_evaluated():
    model = fit_interval_model(errors([5, 6], [100.0, 100.0], [90.0, 95.0]), PooledResiduals([]))
    assert np.isnan(model.backtest.lower_80).tolist() == [True, True]
    assert np.isnan(model.backtest.upper_95).tolist() == [True, True]


def test_a_sum_of_zero_predicted_and_zero_observed_is_a_quiet_nan(no_warnings):
    assert np.isnan(sum_residuals(errors([0, 1], [0.0, 0.0], [0.0, 0.0]), 2)).tolist() == [True]
