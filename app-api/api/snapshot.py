"""The in-memory data that routes read: every response body rendered once, when data changes.

A `Snapshot` is immutable. It is built completely from normalised frames, then swapped in by the
store, so a request sees either the old data or the new, never a mix.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd

from api.catalog import Catalog, aligned, build_catalog, split_by_series
from api.http_caching import RenderedBody
from api.quality import Quality
from api.tables import json_body, optional_floats
from api.totals import EMPTY, HourlyValues
from api.totals import SeriesKey as AnySeriesKey
from api.v2.bodies import series_body

OBSERVATION_WINDOW_HOURS = 168

SeriesKey = tuple[int, int]


def render(body: object) -> RenderedBody:
    """A body rendered once per snapshot: compact JSON with its ETag and gzip encoding (inputs never hold NaN)."""
    return json_body(body, level=6)


@dataclass(frozen=True)
class Monitoring:
    metrics_body: bytes
    values_bodies: dict[SeriesKey, bytes]
    summary_body: bytes
    errors_bodies: dict[SeriesKey, bytes]
    window_from: int | None
    window_to: int | None


@dataclass(frozen=True)
class Snapshot:
    id: int
    loaded_at: datetime
    source: str
    is_demo: bool
    area_values_body: bytes
    consumer_type_values_body: bytes
    predictions_bodies: dict[SeriesKey, bytes]
    observed_from: int | None
    observed_to: int | None
    forecast_from: int | None
    forecast_to: int | None
    series_count: int
    monitoring: Monitoring | None
    monitoring_missing_reason: str | None = None
    data_version: str = ""
    catalog: Catalog | None = None
    v2_series_bodies: dict[AnySeriesKey, RenderedBody] = field(default_factory=dict)  # UTC, latest week, JSON

    @property
    def quality(self) -> Quality | None:
        """Error figures of past forecasts (None without monitoring data)."""
        return self.catalog.quality if self.catalog is not None else None


def data_version_of(file_generations: dict[str, str], is_demo: bool) -> str:
    """A name for the data itself, from the objects' generations: two replicas that loaded the same
    objects, in whatever order and at whatever time, give the same version (a per-process counter
    would not)."""
    text = "\n".join(f"{name}={generation}" for name, generation in sorted(file_generations.items()))
    return hashlib.blake2b(f"{text}\ndemo={is_demo}".encode(), digest_size=8).hexdigest()


def build_predictions(y: pd.DataFrame, predictions: pd.DataFrame) -> dict[SeriesKey, bytes]:
    """Latest week of observations and the forecast for every series that has observations."""
    forecasts = split_by_series(predictions)
    empty = (np.empty(0, dtype=np.int64), np.empty(0))
    bodies = {}
    for key, (hours, values) in split_by_series(y).items():
        first = np.searchsorted(hours, hours[-1] - OBSERVATION_WINDOW_HOURS, side="right")
        preds_hours, preds_values = forecasts.get(key, empty)
        bodies[key] = render(
            {
                "datetime_utc": hours[first:].tolist(),
                "energy_consumption": values[first:].tolist(),
                "preds_datetime_utc": preds_hours.tolist(),
                "preds_energy_consumption": preds_values.tolist(),
            }
        )
    return bodies


def _series_errors(predicted: HourlyValues | None, observed: HourlyValues | None, last_observed_hour: int | None):
    hours = np.unique(np.concatenate([series[0] for series in (predicted, observed) if series is not None]))
    prediction = aligned(hours, predicted if predicted is not None else EMPTY)
    observation = aligned(hours, observed if observed is not None else EMPTY)
    error = prediction - observation
    with np.errstate(divide="ignore", invalid="ignore"):
        percentage = np.abs(error) / np.abs(observation)
    percentage[~np.isfinite(percentage)] = np.nan
    awaiting = np.isnan(observation) & ~np.isnan(prediction)
    if last_observed_hour is not None:
        awaiting &= hours > last_observed_hour
    return hours, prediction, observation, error, percentage, awaiting


def build_monitoring(
    metrics: pd.DataFrame, y_monitoring: pd.DataFrame, predictions_monitoring: pd.DataFrame
) -> Monitoring:
    observed_by_series = split_by_series(y_monitoring)
    predicted_by_series = split_by_series(predictions_monitoring)
    last_observed_hour = int(y_monitoring["datetime_utc"].max()) if not y_monitoring.empty else None

    values_bodies = {}
    for key, (observed_hours, observed_values) in observed_by_series.items():
        if key not in predicted_by_series:
            continue
        predicted_hours, predicted_values = predicted_by_series[key]
        values_bodies[key] = render(
            {
                "y_monitoring_datetime_utc": observed_hours.tolist(),
                "y_monitoring_energy_consumption": observed_values.tolist(),
                "predictions_monitoring_datetime_utc": predicted_hours.tolist(),
                "predictions_monitoring_energy_consumptionc": predicted_values.tolist(),
                "predictions_monitoring_energy_consumption": predicted_values.tolist(),
            }
        )

    errors_bodies = {}
    summaries = []
    for key in sorted(observed_by_series.keys() | predicted_by_series.keys()):
        hours, prediction, observation, error, percentage, awaiting = _series_errors(
            predicted_by_series.get(key), observed_by_series.get(key), last_observed_hour
        )
        errors_bodies[key] = render(
            {
                "area": key[0],
                "consumer_type": key[1],
                "datetime_utc": hours.tolist(),
                "prediction": optional_floats(prediction),
                "observation": optional_floats(observation),
                "error": optional_floats(error),
                "absolute_percentage_error": optional_floats(percentage),
                "awaiting_observation": awaiting.tolist(),
            }
        )
        compared = ~np.isnan(error)
        compared_errors = error[compared]
        summaries.append(
            {
                "area": key[0],
                "consumer_type": key[1],
                "mape": float(np.nanmean(percentage)) if np.any(~np.isnan(percentage)) else None,
                "mae": float(np.mean(np.abs(compared_errors))) if compared_errors.size else None,
                "rmse": float(np.sqrt(np.mean(compared_errors**2))) if compared_errors.size else None,
                "hours_compared": int(compared.sum()),
                "hours_awaiting_observation": int(awaiting.sum()),
            }
        )
    summaries.sort(
        key=lambda row: (
            row["mape"] is None,
            -(row["mape"] or 0.0),
            row["area"],
            row["consumer_type"],
        )
    )

    hours = [frame["datetime_utc"] for frame in (y_monitoring, predictions_monitoring, metrics) if not frame.empty]
    window_from = int(min(h.min() for h in hours)) if hours else None
    window_to = int(max(h.max() for h in hours)) if hours else None
    return Monitoring(
        metrics_body=render({"datetime_utc": metrics["datetime_utc"].tolist(), "mape": metrics["value"].tolist()}),
        values_bodies=values_bodies,
        summary_body=render({"window_from": window_from, "window_to": window_to, "series": summaries}),
        errors_bodies=errors_bodies,
        window_from=window_from,
        window_to=window_to,
    )


def _bounds(frame: pd.DataFrame) -> tuple[int | None, int | None]:
    if frame.empty:
        return None, None
    return int(frame["datetime_utc"].min()), int(frame["datetime_utc"].max())


def build_snapshot(
    snapshot_id: int,
    loaded_at: datetime,
    source: str,
    is_demo: bool,
    frames: dict[str, pd.DataFrame],
    file_generations: dict[str, str],
) -> Snapshot:
    """Everything every route can answer, from the six normalised frames (monitoring ones optional)."""
    series_keys, y, predictions = (
        frames["X.parquet"],
        frames["y.parquet"],
        frames["predictions.parquet"],
    )
    monitoring_names = (
        "metrics_monitoring.parquet",
        "y_monitoring.parquet",
        "predictions_monitoring.parquet",
    )
    missing = [name for name in monitoring_names if name not in frames]
    monitoring = None
    if not missing:
        monitoring = build_monitoring(*(frames[name] for name in monitoring_names))
    catalog = build_catalog(frames, series_keys)
    observed_from, observed_to = _bounds(y)
    forecast_from, forecast_to = _bounds(predictions)
    return Snapshot(
        id=snapshot_id,
        loaded_at=loaded_at,
        source=source,
        is_demo=is_demo,
        area_values_body=render({"values": sorted(set(series_keys["area"].tolist()))}),
        consumer_type_values_body=render({"values": sorted(set(series_keys["consumer_type"].tolist()))}),
        predictions_bodies=build_predictions(y, predictions),
        observed_from=observed_from,
        observed_to=observed_to,
        forecast_from=forecast_from,
        forecast_to=forecast_to,
        series_count=int(y[["area", "consumer_type"]].drop_duplicates().shape[0]),
        monitoring=monitoring,
        monitoring_missing_reason=(
            f"Monitoring data is not available yet: {', '.join(missing)} not loaded" if missing else None
        ),
        data_version=data_version_of(file_generations, is_demo),
        catalog=catalog,
        v2_series_bodies={key: render(series_body(data, "UTC")) for key, data in catalog.series.items()},
    )
