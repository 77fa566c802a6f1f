"""The forecast's ranges: calibrated on buckets whose next 24 hours are known, and never learnt from the future."""

from datetime import UTC, datetime

import numpy as np
import pytest
from api.intervals import METHOD_OWN, METHOD_POOLED, PastErrors, PooledResiduals, fit_interval_model
from devtools.forecast_coverage import forecast_coverage

GENERATED_BUCKETS = [
    (1, datetime(2026, 3, 29, 5, tzinfo=UTC)),  # a daylight-saving Sunday in Denmark
    (2, datetime(2026, 7, 14, 13, tzinfo=UTC)),
    (3, datetime(2026, 10, 25, 22, tzinfo=UTC)),
    (4, datetime(2026, 12, 1, 0, tzinfo=UTC)),
]


@pytest.mark.parametrize(("seed", "now"), GENERATED_BUCKETS)
def test_ranges_contain_what_then_happens_as_often_as_they_claim(tmp_path, seed, now):
    coverage = forecast_coverage(tmp_path, seed, now)
    assert coverage.hours == 76 * 24
    assert 0.70 <= coverage.hourly_80 <= 0.90
    assert 0.88 <= coverage.hourly_95 <= 0.995


def test_the_24_hour_totals_ranges_are_calibrated_too(tmp_path):
    """76 totals a bucket are few, so the check pools the four buckets (304 totals)."""
    results = [forecast_coverage(tmp_path / str(seed), seed, now) for seed, now in GENERATED_BUCKETS]
    series = sum(result.series for result in results)
    assert 0.70 <= sum(r.total_80 * r.series for r in results) / series <= 0.90
    assert 0.88 <= sum(r.total_95 * r.series for r in results) / series <= 0.995


def past(hours: np.ndarray, predicted: np.ndarray, observed: np.ndarray) -> PastErrors:
    return PastErrors(hours, predicted, observed)


def test_a_backtested_day_uses_only_errors_from_before_it():
    rng = np.random.default_rng(0)
    hours = np.arange(240, 240 + 10 * 24)
    predicted = np.full(hours.size, 100.0)
    observed = predicted * (1 + 0.05 * rng.standard_normal(hours.size))
    base = fit_interval_model(past(hours, predicted, observed), PooledResiduals([]))
    wild = observed.copy()
    wild[-24:] *= 3  # the last day goes badly wrong
    changed = fit_interval_model(past(hours, predicted, wild), PooledResiduals([]))
    np.testing.assert_array_equal(base.backtest.upper_95[:-24], changed.backtest.upper_95[:-24])
    assert changed.bounds.upper_95 > base.bounds.upper_95  # the live range does learn from it
    assert np.isnan(base.backtest.lower_80[:48]).all() and not np.isnan(base.backtest.lower_80[48:]).any()


def test_a_short_history_borrows_the_pooled_residuals_and_reports_no_coverage():
    rng = np.random.default_rng(1)
    long_hours = np.arange(0, 14 * 24)
    longer = past(long_hours, np.full(long_hours.size, 50.0), 50.0 * (1 + 0.1 * rng.standard_normal(long_hours.size)))
    short = past(np.arange(300, 320), np.full(20, 10.0), np.full(20, 11.0))
    pooled = PooledResiduals([longer, short])
    model = fit_interval_model(short, pooled)
    assert model.method == METHOD_POOLED and model.coverage_80 is None and model.coverage_95 is None
    assert model.calibration_hours == long_hours.size + 20
    own = fit_interval_model(longer, pooled)
    assert own.method == METHOD_OWN and 0.6 < own.coverage_80 < 0.95
