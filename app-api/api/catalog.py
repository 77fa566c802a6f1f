"""The engine: what every version reads, built once per snapshot from the normalised frames.

Each frame is split by series once. `series` holds what `/api/v2` addresses: every observed series and
every total, with its forecast ranges and past errors; `observed`, `forecast` and `past` hold every
series of each file as loaded (v1 serves those too). A request only looks a series up, slices it and
formats it. Observed series hold views into the loaded frames (no copy); totals hold their own arrays,
one value per hour of the total.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from api.intervals import (
    METHOD_NONE,
    Backtest,
    IntervalModel,
    PastErrors,
    PooledResiduals,
    SumRange,
    fit_interval_model,
    fit_sum_range,
    past_errors,
    sum_residuals,
)
from api.quality import Quality, build_quality, compared_hours_frame, weekly_naive_scale
from api.totals import ALL, EMPTY, WHOLE_COUNTRY_AREA, HourlyValues, SeriesKey, sum_where_all_present, total_members

NO_MONITORING_METHOD = "none: monitoring data (past predictions and observations) is not loaded"
LATEST_WEEK_HOURS = 168
MONITORING_FILES = ("y_monitoring.parquet", "predictions_monitoring.parquet", "metrics_monitoring.parquet")


def latest_week(hours: np.ndarray) -> slice:
    """The slice of ascending `hours` within a week (168 h) of the last one: what both versions show by default."""
    if hours.size == 0:
        return slice(0, 0)
    return slice(int(np.searchsorted(hours, hours[-1] - LATEST_WEEK_HOURS, side="right")), None)


def split_by_series(frame: pd.DataFrame) -> dict[tuple[int, int], HourlyValues]:
    """A frame sorted by (area, consumer_type, datetime_utc) as per-series (hours, values) array views."""
    if frame.empty:
        return {}
    areas = frame["area"].to_numpy()
    types = frame["consumer_type"].to_numpy()
    hours = frame["datetime_utc"].to_numpy()
    values = frame["value"].to_numpy()
    starts = np.flatnonzero(np.r_[True, (areas[1:] != areas[:-1]) | (types[1:] != types[:-1])])
    ends = np.r_[starts[1:], len(frame)]
    return {
        (int(areas[start]), int(types[start])): (hours[start:end], values[start:end])
        for start, end in zip(starts, ends, strict=True)
    }


@dataclass(frozen=True)
class Forecast:
    hours: np.ndarray
    kwh: np.ndarray
    lower_80: np.ndarray
    upper_80: np.ndarray
    lower_95: np.ndarray
    upper_95: np.ndarray


@dataclass(frozen=True)
class MonitoredHours:
    """One series over the monitoring window: every hour with a past prediction or an observation."""

    hours: np.ndarray
    observed: np.ndarray  # NaN where not observed (yet)
    predicted: np.ndarray  # NaN where nothing was predicted
    error: np.ndarray  # predicted - observed: NaN unless both exist
    ape: np.ndarray  # |error| / |observed|: NaN unless both exist and the observation is not 0
    awaiting_observation: np.ndarray  # predicted hours after the series' last observation
    lower_80: np.ndarray  # the backtested ranges (NaN where the hour was not backtested)
    upper_80: np.ndarray
    lower_95: np.ndarray
    upper_95: np.ndarray

    def counts(self) -> dict[str, int]:
        """Hours compared, awaited, and missing: inside the window (first to last hour with a prediction or
        an observation, hours neither file lists included), neither observed nor awaited."""
        observed = int(np.count_nonzero(~np.isnan(self.observed)))
        awaiting = int(np.count_nonzero(self.awaiting_observation))
        span = int(self.hours[-1] - self.hours[0] + 1) if self.hours.size else 0
        return {
            "hours_compared": int(np.count_nonzero(~np.isnan(self.error))),
            "hours_awaiting_observation": awaiting,
            "hours_missing": span - observed - awaiting,
        }


@dataclass(frozen=True)
class SeriesData:
    key: SeriesKey
    observed: HourlyValues  # the whole loaded window of y
    forecast: Forecast
    interval: IntervalModel
    monitored: MonitoredHours | None
    forecast_sum_range: SumRange  # the range of the whole forecast's total


@dataclass(frozen=True)
class Aligned:
    """One series' past predictions and observations on the union of their hours: computed once per key,
    read by both versions (v2's `MonitoredHours` holds the same arrays)."""

    hours: np.ndarray
    observed: np.ndarray  # NaN where not observed (yet)
    predicted: np.ndarray  # NaN where nothing was predicted
    error: np.ndarray  # predicted - observed: NaN unless both exist
    ape: np.ndarray  # |error| / |observed|: NaN unless both exist and the observation is not 0


@dataclass(frozen=True)
class PastFiles:
    """The three monitoring files as loaded, split by series (every key of either file)."""

    observed: dict[tuple[int, int], HourlyValues]  # y_monitoring
    predicted: dict[tuple[int, int], HourlyValues]  # predictions_monitoring
    pipeline_mape: HourlyValues  # metrics_monitoring: the pipeline's own MAPE per hour
    last_observed_hour: int | None  # the last hour of y_monitoring as a whole
    window_from: int | None  # the span of all three files
    window_to: int | None
    aligned: dict[tuple[int, int], Aligned]  # every key of either file, in key order


@dataclass(frozen=True)
class Catalog:
    series: dict[SeriesKey, SeriesData]  # observed series by (int, int), totals with ALL in the key
    observed_keys: list[tuple[int, int]]
    quality: Quality | None
    listed: frozenset[tuple[int, int]]  # the (area, consumer_type) pairs of X
    observed: dict[tuple[int, int], HourlyValues]  # every series of y.parquet, in X or not
    forecast: dict[tuple[int, int], HourlyValues]  # every series of predictions.parquet
    past: PastFiles | None  # None exactly when a monitoring file is not loaded

    def counts(self) -> dict[str, int]:
        """Series served per kind: with observations, with both monitoring files, with either."""
        counts = {"predictions": len(self.observed)}
        if self.past is not None:
            counts["monitoring_values"] = len(self.past.observed.keys() & self.past.predicted.keys())
            counts["monitoring_errors"] = len(self.past.observed.keys() | self.past.predicted.keys())
        return counts


def _past_files(frames: dict[str, pd.DataFrame]) -> PastFiles | None:
    if not all(name in frames for name in MONITORING_FILES):
        return None
    y_monitoring, predictions_monitoring, metrics = (frames[name] for name in MONITORING_FILES)
    hours = [frame["datetime_utc"] for frame in (y_monitoring, predictions_monitoring, metrics) if not frame.empty]
    observed, predicted = split_by_series(y_monitoring), split_by_series(predictions_monitoring)
    return PastFiles(
        observed=observed,
        predicted=predicted,
        pipeline_mape=(metrics["datetime_utc"].to_numpy(), metrics["value"].to_numpy()),
        last_observed_hour=int(y_monitoring["datetime_utc"].max()) if not y_monitoring.empty else None,
        window_from=int(min(h.min() for h in hours)) if hours else None,
        window_to=int(max(h.max() for h in hours)) if hours else None,
        aligned={
            key: align(predicted.get(key, EMPTY), observed.get(key, EMPTY))
            for key in sorted(observed.keys() | predicted.keys())
        },
    )


def aligned(hours: np.ndarray, series: HourlyValues) -> np.ndarray:
    """The series' values on `hours` (a superset of its hours), NaN elsewhere."""
    aligned = np.full(hours.size, np.nan)
    aligned[np.searchsorted(hours, series[0])] = series[1]
    return aligned


def align(predicted: HourlyValues, observed: HourlyValues) -> Aligned:
    hours = np.union1d(predicted[0], observed[0])
    prediction = aligned(hours, predicted)
    observation = aligned(hours, observed)
    error = prediction - observation
    with np.errstate(divide="ignore", invalid="ignore"):
        ape = np.abs(error) / np.abs(observation)
    ape[~np.isfinite(ape)] = np.nan
    return Aligned(hours, observation, prediction, error, ape)


def _monitored_hours(
    past: Aligned, last_observed_hour: int | None, errors: PastErrors, test: Backtest
) -> MonitoredHours:
    """v2's view of one series' past: awaited after the series' own last observation, with backtested ranges."""
    hours = past.hours
    awaiting = np.isnan(past.observed) & ~np.isnan(past.predicted)
    if last_observed_hour is not None:
        awaiting &= hours > last_observed_hour
    at = np.searchsorted(hours, errors.hours)
    bounds = []
    for values in (test.lower_80, test.upper_80, test.lower_95, test.upper_95):
        full = np.full(hours.size, np.nan)
        full[at] = values
        bounds.append(full)
    return MonitoredHours(hours, past.observed, past.predicted, past.error, past.ape, awaiting, *bounds)


def _no_model(method: str) -> IntervalModel:
    empty = np.empty(0)
    return IntervalModel(method, 0, None, None, None, Backtest(empty, empty, empty, empty))


def _compared_frame(key: tuple[int, int], errors: PastErrors, model: IntervalModel) -> pd.DataFrame:
    """One observed series' compared hours, with whether each fell inside its backtested ranges."""
    inside_80, inside_95 = model.backtest.inside(errors.observed)
    return compared_hours_frame(*key, errors.hours, errors.predicted, errors.observed, inside_80, inside_95)


def build_catalog(frames: dict[str, pd.DataFrame], series_keys: pd.DataFrame) -> Catalog:
    """Series, totals, ranges and figures from the normalised frames (monitoring frames optional)."""
    in_x = set(zip(series_keys["area"].tolist(), series_keys["consumer_type"].tolist(), strict=True))
    observed_all = split_by_series(frames["y.parquet"])
    observed = {key: values for key, values in observed_all.items() if key in in_x}
    observed_keys = sorted(observed)
    predicted = split_by_series(frames["predictions.parquet"])
    totals = total_members(observed_keys)

    past = _past_files(frames)
    has_monitoring = past is not None
    past_observed = past.observed if past is not None else {}
    past_predicted = past.predicted if past is not None else {}

    def totalled(by_series: dict[tuple[int, int], HourlyValues], key: SeriesKey) -> HourlyValues:
        if key in totals:
            return sum_where_all_present([by_series.get(member, EMPTY) for member in totals[key]])
        return by_series.get(key, EMPTY)  # type: ignore[arg-type]

    keys: list[SeriesKey] = [*observed_keys, *totals]
    errors = {key: past_errors(totalled(past_predicted, key), totalled(past_observed, key)) for key in keys}
    pooled = PooledResiduals([errors[key] for key in observed_keys])
    pooled_sums: dict[int, np.ndarray] = {}  # forecast length -> all observed series' past sum residuals

    def sum_range(key: SeriesKey, length: int) -> SumRange:
        if not has_monitoring:
            return SumRange(NO_MONITORING_METHOD, 0, None)
        if length not in pooled_sums:
            parts = [sum_residuals(errors[member], length) for member in observed_keys]
            pooled_sums[length] = np.concatenate(parts) if parts else np.empty(0)
        return fit_sum_range(errors[key], length, pooled_sums[length])

    catalog: dict[SeriesKey, SeriesData] = {}
    compared_frames = []
    for key in keys:
        observed_values = totalled(observed, key)
        forecast_values = totalled(predicted, key)
        if has_monitoring:
            model = fit_interval_model(errors[key], pooled)
            observed_past = totalled(past_observed, key)
            ends = [int(hours[-1]) for hours, _ in (observed_values, observed_past) if hours.size]
            past_aligned = past.aligned.get(key) if past is not None else None  # observed series: v1's arrays
            if past_aligned is None:
                past_aligned = align(totalled(past_predicted, key), observed_past)
            monitored = _monitored_hours(past_aligned, max(ends) if ends else None, errors[key], model.backtest)
        else:
            model, monitored = _no_model(NO_MONITORING_METHOD), None
        ranges = model.ranges(forecast_values[1])
        catalog[key] = SeriesData(
            key,
            observed_values,
            Forecast(*forecast_values, *ranges),
            model,
            monitored,
            sum_range(key, forecast_values[0].size) if forecast_values[0].size else SumRange(METHOD_NONE, 0, None),
        )
        if has_monitoring and key in observed and errors[key].hours.size:
            compared_frames.append(_compared_frame(key, errors[key], model))  # type: ignore[arg-type]

    quality = None
    if past is not None:
        pipeline_mape = pd.Series(past.pipeline_mape[1], index=past.pipeline_mape[0])
        compared = pd.concat(compared_frames, ignore_index=True) if compared_frames else pd.DataFrame()
        scales = {key: weekly_naive_scale(*observed[key]) for key in observed_keys}
        price_areas = {key[0] for key in totals.get((ALL, ALL), [])}
        quality = build_quality(compared, scales, pipeline_mape, price_areas or {WHOLE_COUNTRY_AREA})
    return Catalog(catalog, observed_keys, quality, frozenset(in_x), observed_all, predicted, past)
