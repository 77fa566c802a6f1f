"""Uncertainty ranges for a 24-hour forecast, learnt from how far past predictions were from what happened.

Method: split-conformal prediction on relative residuals. For every hour of the monitoring window that
has both a prediction ŷ and an observation y, the residual r = (y − ŷ) / |ŷ| says how far off the
prediction was, as a share of the prediction. The 80 % range of a new forecast f is
[f + r_lo·|f|, f + r_hi·|f|], where r_lo and r_hi are the order statistics at ⌊(n+1)·0.10⌋ and
⌈(n+1)·0.90⌉ of the n past residuals (0.025 / 0.975 for 95 %): with exchangeable errors this
contains the observation with probability at least 80 % (95 %), and the asymmetric pair keeps a
model's systematic bias. Residuals scale with the forecast, so one set serves a series' low night
hours and its peaks.

A series with fewer than `MIN_HISTORY_HOURS` past errors borrows the residuals of all observed series
pooled. Coverage is measured by a backtest that never looks ahead: each past UTC day of the window
gets the ranges that residuals from before that day alone would have given, and coverage is the share
of its observations that fell inside.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

MIN_HISTORY_HOURS = 48
HOURS_PER_DAY = 24

METHOD_OWN = "split-conformal, relative residuals of this series' past predictions"
METHOD_POOLED = "split-conformal, relative residuals pooled over all series (too little history of its own)"
METHOD_NONE = "none: no past predictions to learn from"


@dataclass(frozen=True)
class ResidualBounds:
    """Relative residual order statistics: a forecast f has the range [f + lower·|f|, f + upper·|f|]."""

    lower_80: float
    upper_80: float
    lower_95: float
    upper_95: float

    def apply(self, forecast: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        scale = np.abs(forecast)
        return (
            forecast + self.lower_80 * scale,
            forecast + self.upper_80 * scale,
            forecast + self.lower_95 * scale,
            forecast + self.upper_95 * scale,
        )


def conformal_bounds(residuals: np.ndarray) -> ResidualBounds | None:
    """Finite-sample conformal order statistics; None when there are too few residuals for 95 %."""
    ordered = np.sort(residuals[np.isfinite(residuals)])  # a zero prediction has no relative residual
    count = ordered.size
    if count < MIN_HISTORY_HOURS:
        return None

    def order_statistics(level: float) -> tuple[float, float]:
        tail = (1.0 - level) / 2.0
        low = max(math.floor((count + 1) * tail), 1)
        high = min(math.ceil((count + 1) * (1.0 - tail)), count)
        return float(ordered[low - 1]), float(ordered[high - 1])

    lower_80, upper_80 = order_statistics(0.80)
    lower_95, upper_95 = order_statistics(0.95)
    return ResidualBounds(lower_80, upper_80, lower_95, upper_95)


@dataclass(frozen=True)
class PastErrors:
    """Hours of the monitoring window with both a prediction and an observation (finite), ascending."""

    hours: np.ndarray
    predicted: np.ndarray
    observed: np.ndarray

    @property
    def residuals(self) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return (self.observed - self.predicted) / np.abs(self.predicted)


def past_errors(predicted: tuple[np.ndarray, np.ndarray], observed: tuple[np.ndarray, np.ndarray]) -> PastErrors:
    """Pair a series' past predictions with its observations: the hours where both exist (and are finite)."""
    hours, at_predicted, at_observed = np.intersect1d(
        predicted[0], observed[0], assume_unique=True, return_indices=True
    )
    return PastErrors(hours, predicted[1][at_predicted], observed[1][at_observed])


class PooledResiduals:
    """All observed series' residuals by hour, for series with too little history of their own."""

    def __init__(self, errors: list[PastErrors]) -> None:
        hours = np.concatenate([e.hours for e in errors]) if errors else np.empty(0, dtype=np.int64)
        residuals = np.concatenate([e.residuals for e in errors]) if errors else np.empty(0)
        order = np.argsort(hours, kind="stable")
        self.hours = hours[order]
        self.residuals = residuals[order]
        self.all_bounds = conformal_bounds(self.residuals)
        self._before_day: dict[int, ResidualBounds | None] = {}

    def bounds_before(self, hour: int) -> ResidualBounds | None:
        if hour not in self._before_day:
            self._before_day[hour] = conformal_bounds(self.residuals[: np.searchsorted(self.hours, hour)])
        return self._before_day[hour]


@dataclass(frozen=True)
class Backtest:
    """Per past hour (the `PastErrors` hours): the range the method would have given, NaN where none."""

    lower_80: np.ndarray
    upper_80: np.ndarray
    lower_95: np.ndarray
    upper_95: np.ndarray

    def inside(self, observed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """1.0 / 0.0 per hour for the 80 % and 95 % ranges; NaN where the hour was not backtested."""
        evaluated = ~np.isnan(self.lower_80)
        inside_80 = np.where(evaluated, (observed >= self.lower_80) & (observed <= self.upper_80), np.nan)
        inside_95 = np.where(evaluated, (observed >= self.lower_95) & (observed <= self.upper_95), np.nan)
        return inside_80, inside_95


@dataclass(frozen=True)
class IntervalModel:
    """How one series' forecast gets its ranges, and how well that did on past days."""

    method: str
    calibration_hours: int
    bounds: ResidualBounds | None
    coverage_80: float | None
    coverage_95: float | None
    backtest: Backtest

    def ranges(self, forecast: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """lower_80, upper_80, lower_95, upper_95 of each forecast hour; NaN when there is no model."""
        if self.bounds is None:
            missing = np.full(forecast.size, np.nan)
            return missing, missing, missing, missing
        return self.bounds.apply(forecast)


def _backtest(errors: PastErrors, pooled_before: Callable[[int], ResidualBounds | None]) -> Backtest:
    bounds = [np.full(errors.hours.size, np.nan) for _ in range(4)]
    if errors.hours.size == 0:
        return Backtest(*bounds)
    residuals = errors.residuals
    days = errors.hours // HOURS_PER_DAY
    starts = np.flatnonzero(np.r_[True, days[1:] != days[:-1]])
    ends = np.r_[starts[1:], days.size]
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        day_start_hour = int(days[start]) * HOURS_PER_DAY
        learnt = conformal_bounds(residuals[:start]) or pooled_before(day_start_hour)
        if learnt is None:
            continue
        for target, values in zip(bounds, learnt.apply(errors.predicted[start:end]), strict=True):
            target[start:end] = values
    return Backtest(*bounds)


def fit_interval_model(errors: PastErrors, pooled: PooledResiduals) -> IntervalModel:
    backtest = _backtest(errors, pooled.bounds_before)
    own = conformal_bounds(errors.residuals)
    if own is not None:
        inside_80, inside_95 = backtest.inside(errors.observed)
        evaluated = ~np.isnan(inside_80)
        coverage_80 = float(np.mean(inside_80[evaluated])) if evaluated.any() else None
        coverage_95 = float(np.mean(inside_95[evaluated])) if evaluated.any() else None
        return IntervalModel(METHOD_OWN, int(errors.hours.size), own, coverage_80, coverage_95, backtest)
    if pooled.all_bounds is not None:
        return IntervalModel(METHOD_POOLED, int(pooled.residuals.size), pooled.all_bounds, None, None, backtest)
    return IntervalModel(METHOD_NONE, 0, None, None, None, backtest)


METHOD_TOTAL_OWN = (
    "split-conformal, relative residuals of this series' past predicted sums over the same number of hours"
)
METHOD_TOTAL_POOLED = "split-conformal on past predicted sums pooled over all series (too little history of its own)"


def window_sums(errors: PastErrors, length: int) -> tuple[np.ndarray, np.ndarray]:
    """Predicted and observed sums over every run of `length` consecutive past hours (runs overlap)."""
    hours = errors.hours
    if length < 1 or hours.size < length:
        return np.empty(0), np.empty(0)
    starts = np.arange(hours.size - length + 1)
    consecutive = hours[starts + length - 1] - hours[starts] == length - 1
    predicted = np.r_[0.0, np.cumsum(errors.predicted)]
    observed = np.r_[0.0, np.cumsum(errors.observed)]
    return (
        (predicted[starts + length] - predicted[starts])[consecutive],
        (observed[starts + length] - observed[starts])[consecutive],
    )


def sum_residuals(errors: PastErrors, length: int) -> np.ndarray:
    predicted, observed = window_sums(errors, length)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (observed - predicted) / np.abs(predicted)


@dataclass(frozen=True)
class SumRange:
    """The 80 % and 95 % ranges of a forecast's sum (e.g. the next 24 hours' total): not the sum of the
    hourly bounds, which would be far too wide when hourly errors partly cancel, but learnt the same way
    from how far past sums over as many consecutive hours were from what was observed."""

    method: str
    calibration_windows: int
    bounds: ResidualBounds | None

    def of(self, total: float) -> dict[str, float | None]:
        if self.bounds is None:
            return dict.fromkeys(("lower_80", "upper_80", "lower_95", "upper_95"))
        ranges = self.bounds.apply(np.array([total]))
        return dict(zip(("lower_80", "upper_80", "lower_95", "upper_95"), (float(r[0]) for r in ranges), strict=True))


def fit_sum_range(errors: PastErrors, length: int, pooled_residuals: np.ndarray) -> SumRange:
    own = sum_residuals(errors, length)
    bounds = conformal_bounds(own)
    if bounds is not None:
        return SumRange(METHOD_TOTAL_OWN, int(own.size), bounds)
    pooled = conformal_bounds(pooled_residuals)
    if pooled is not None:
        return SumRange(METHOD_TOTAL_POOLED, int(pooled_residuals.size), pooled)
    return SumRange(METHOD_NONE, 0, None)
