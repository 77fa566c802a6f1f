"""What `/api/v2` reads: every observed series and every total, with its forecast ranges and past errors.

Built once per snapshot from the normalised frames, so a request only looks a series up, slices it and
formats its times. Observed series hold views into the loaded `y` frame (no copy); totals hold their
own arrays, one value per hour of the total.
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
class Catalog:
    series: dict[SeriesKey, SeriesData]  # observed series by (int, int), totals with ALL in the key
    observed_keys: list[tuple[int, int]]
    quality: Quality | None


def aligned(hours: np.ndarray, series: HourlyValues) -> np.ndarray:
    """The series' values on `hours` (a superset of its hours), NaN elsewhere."""
    aligned = np.full(hours.size, np.nan)
    aligned[np.searchsorted(hours, series[0])] = series[1]
    return aligned


def _monitored_hours(
    predicted: HourlyValues, observed: HourlyValues, last_observed_hour: int | None, errors: PastErrors, test: Backtest
) -> MonitoredHours:
    hours = np.union1d(predicted[0], observed[0])
    prediction = aligned(hours, predicted)
    observation = aligned(hours, observed)
    error = prediction - observation
    with np.errstate(divide="ignore", invalid="ignore"):
        ape = np.abs(error) / np.abs(observation)
    ape[~np.isfinite(ape)] = np.nan
    awaiting = np.isnan(observation) & ~np.isnan(prediction)
    if last_observed_hour is not None:
        awaiting &= hours > last_observed_hour
    at = np.searchsorted(hours, errors.hours)
    bounds = []
    for values in (test.lower_80, test.upper_80, test.lower_95, test.upper_95):
        full = np.full(hours.size, np.nan)
        full[at] = values
        bounds.append(full)
    return MonitoredHours(hours, observation, prediction, error, ape, awaiting, *bounds)


def _no_model(method: str) -> IntervalModel:
    empty = np.empty(0)
    return IntervalModel(method, 0, None, None, None, Backtest(empty, empty, empty, empty))


def build_catalog(frames: dict[str, pd.DataFrame], series_keys: pd.DataFrame) -> Catalog:
    """Series, totals, ranges and figures from the normalised frames (monitoring frames optional)."""
    in_x = set(zip(series_keys["area"].tolist(), series_keys["consumer_type"].tolist(), strict=True))
    observed_all = split_by_series(frames["y.parquet"])
    observed = {key: values for key, values in observed_all.items() if key in in_x}
    observed_keys = sorted(observed)
    predicted = split_by_series(frames["predictions.parquet"])
    totals = total_members(observed_keys)

    has_monitoring = all(
        name in frames
        for name in ("y_monitoring.parquet", "predictions_monitoring.parquet", "metrics_monitoring.parquet")
    )
    past_observed = split_by_series(frames["y_monitoring.parquet"]) if has_monitoring else {}
    past_predicted = split_by_series(frames["predictions_monitoring.parquet"]) if has_monitoring else {}

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
            monitored = _monitored_hours(
                totalled(past_predicted, key), observed_past, max(ends) if ends else None, errors[key], model.backtest
            )
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
            inside_80, inside_95 = model.backtest.inside(errors[key].observed)
            area, consumer_type = key  # type: ignore[misc]
            compared_frames.append(
                compared_hours_frame(
                    area,
                    consumer_type,
                    errors[key].hours,
                    errors[key].predicted,
                    errors[key].observed,
                    inside_80,
                    inside_95,
                )
            )

    quality = None
    if has_monitoring:
        metrics = frames["metrics_monitoring.parquet"]
        pipeline_mape = pd.Series(metrics["value"].to_numpy(), index=metrics["datetime_utc"].to_numpy())
        compared = pd.concat(compared_frames, ignore_index=True) if compared_frames else pd.DataFrame()
        scales = {key: weekly_naive_scale(*observed[key]) for key in observed_keys}
        price_areas = {key[0] for key in totals.get((ALL, ALL), [])}
        quality = build_quality(compared, scales, pipeline_mape, price_areas or {WHOLE_COUNTRY_AREA})
    return Catalog(catalog, observed_keys, quality)
