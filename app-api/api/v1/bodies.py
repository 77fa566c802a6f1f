"""v1's bodies, rendered once per snapshot from the engine's catalog: what its routes look up.

Every body is built before its snapshot is served (in the refresh thread, through the store's `prepare`),
kept beside the snapshot in a `PerSnapshot` cache and freed with it. v1 is frozen value for value, so
it keeps its own figures and rules where they differ from v2's (the answer pins hold its bytes):

- MAPE is `np.nanmean` over the whole union-hour APE array (v2 divides pooled sums: the last bit differs);
- MAE and RMSE exist in v1 only;
- an hour awaits its observation when it comes after the last hour of `y_monitoring.parquet` as a whole
  (`awaiting_after_file_end`), not after the series' own last observation as in v2;
- `/predictions` serves every series of `y.parquet`, and monitoring every key of either monitoring file.
"""

from dataclasses import dataclass

import numpy as np

from api.catalog import Aligned, Catalog, PastFiles, latest_week
from api.http_caching import RenderedBody
from api.rendering import json_body, optional_floats
from api.snapshot import Snapshot
from api.totals import EMPTY, HourlyValues

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


@dataclass(frozen=True)
class V1Bodies:
    """Every v1 data body of one snapshot (`monitoring` None exactly when its catalog has no monitoring data)."""

    area_values_body: bytes
    consumer_type_values_body: bytes
    predictions_bodies: dict[SeriesKey, bytes]
    monitoring: Monitoring | None


def build_v1_bodies(snapshot: Snapshot) -> V1Bodies:
    catalog = snapshot.catalog
    return V1Bodies(
        area_values_body=render({"values": sorted({area for area, _ in catalog.listed})}),
        consumer_type_values_body=render({"values": sorted({consumer_type for _, consumer_type in catalog.listed})}),
        predictions_bodies=predictions_bodies(catalog),
        monitoring=monitoring_bodies(catalog.past) if catalog.past is not None else None,
    )


def predictions_bodies(catalog: Catalog) -> dict[SeriesKey, bytes]:
    """Latest week of observations and the forecast for every series of y.parquet (in X or not)."""
    bodies = {}
    for key, (hours, values) in catalog.observed.items():
        week = latest_week(hours)
        forecast_hours, forecast_values = catalog.forecast.get(key, EMPTY)
        bodies[key] = render(
            {
                "datetime_utc": hours[week].tolist(),
                "energy_consumption": values[week].tolist(),
                "preds_datetime_utc": forecast_hours.tolist(),
                "preds_energy_consumption": forecast_values.tolist(),
            }
        )
    return bodies


def awaiting_after_file_end(past: Aligned, file_last_hour: int | None) -> np.ndarray:
    """v1's rule: a predicted, unobserved hour is awaited when it comes after the last hour of
    y_monitoring.parquet as a whole (one cut-off for every series), unlike /api/v2's per-series rule;
    v1 clients rely on it (a series that lags the others shows the difference)."""
    awaiting = np.isnan(past.observed) & ~np.isnan(past.predicted)
    if file_last_hour is not None:
        awaiting &= past.hours > file_last_hour
    return awaiting


def _values_body(observed: HourlyValues, predicted: HourlyValues) -> bytes:
    return render(
        {
            "y_monitoring_datetime_utc": observed[0].tolist(),
            "y_monitoring_energy_consumption": observed[1].tolist(),
            "predictions_monitoring_datetime_utc": predicted[0].tolist(),
            "predictions_monitoring_energy_consumptionc": predicted[1].tolist(),
            "predictions_monitoring_energy_consumption": predicted[1].tolist(),
        }
    )


def _series_figures(key: SeriesKey, error: np.ndarray, percentage: np.ndarray, awaiting: np.ndarray) -> dict:
    """v1's summary row: MAPE by `nanmean` over the full array (do not compact it first: the sum's order
    decides the last bit), MAE and RMSE over the compared hours."""
    compared = ~np.isnan(error)
    compared_errors = error[compared]
    return {
        "area": key[0],
        "consumer_type": key[1],
        "mape": float(np.nanmean(percentage)) if np.any(~np.isnan(percentage)) else None,
        "mae": float(np.mean(np.abs(compared_errors))) if compared_errors.size else None,
        "rmse": float(np.sqrt(np.mean(compared_errors**2))) if compared_errors.size else None,
        "hours_compared": int(compared.sum()),
        "hours_awaiting_observation": int(awaiting.sum()),
    }


def monitoring_bodies(past: PastFiles) -> Monitoring:
    values_bodies = {
        key: _values_body(observed, past.predicted[key])
        for key, observed in past.observed.items()
        if key in past.predicted
    }
    errors_bodies = {}
    summaries = []
    for key, aligned in past.aligned.items():  # every key of either file, in key order
        awaiting = awaiting_after_file_end(aligned, past.last_observed_hour)
        errors_bodies[key] = render(
            {
                "area": key[0],
                "consumer_type": key[1],
                "datetime_utc": aligned.hours.tolist(),
                "prediction": optional_floats(aligned.predicted),
                "observation": optional_floats(aligned.observed),
                "error": optional_floats(aligned.error),
                "absolute_percentage_error": optional_floats(aligned.ape),
                "awaiting_observation": awaiting.tolist(),
            }
        )
        summaries.append(_series_figures(key, aligned.error, aligned.ape, awaiting))
    summaries.sort(key=lambda row: (row["mape"] is None, -(row["mape"] or 0.0), row["area"], row["consumer_type"]))
    metrics_hours, metrics_values = past.pipeline_mape
    return Monitoring(
        metrics_body=render({"datetime_utc": metrics_hours.tolist(), "mape": metrics_values.tolist()}),
        values_bodies=values_bodies,
        summary_body=render({"window_from": past.window_from, "window_to": past.window_to, "series": summaries}),
        errors_bodies=errors_bodies,
    )
