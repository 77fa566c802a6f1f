"""The data every version reads: one immutable snapshot of the bucket, with the engine's catalog.

A `Snapshot` is built completely from normalised frames, then swapped in by the store, so a request
sees either the old data or the new, never a mix. It holds domain data only: the bodies each version
renders from it are the versions' own (`api.v1.bodies`, `api.v2.cache`), kept beside it in
`PerSnapshot` caches, which is why it is hashed by identity (`eq=False`).
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from api.catalog import Catalog, build_catalog

SeriesKey = tuple[int, int]
MONITORING_FILES = ("metrics_monitoring.parquet", "y_monitoring.parquet", "predictions_monitoring.parquet")


@dataclass(frozen=True, eq=False)
class Snapshot:
    id: int
    loaded_at: datetime
    source: str
    is_demo: bool
    observed_from: int | None  # hours of all of y.parquet (in X or not)
    observed_to: int | None
    forecast_from: int | None  # hours of all of predictions.parquet
    forecast_to: int | None
    series_count: int  # distinct (area, consumer_type) in y.parquet
    catalog: Catalog
    monitoring_missing_reason: str | None  # set exactly when `catalog.past` is None
    data_version: str

    @property
    def has_monitoring(self) -> bool:
        return self.catalog.past is not None


def data_version_of(file_generations: dict[str, str], is_demo: bool) -> str:
    """A name for the data itself, from the objects' generations: two replicas that loaded the same
    objects, in whatever order and at whatever time, give the same version (a per-process counter
    would not)."""
    text = "\n".join(f"{name}={generation}" for name, generation in sorted(file_generations.items()))
    return hashlib.blake2b(f"{text}\ndemo={is_demo}".encode(), digest_size=8).hexdigest()


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
    """The snapshot of the six normalised frames (monitoring ones optional)."""
    y, predictions = frames["y.parquet"], frames["predictions.parquet"]
    missing = [name for name in MONITORING_FILES if name not in frames]
    observed_from, observed_to = _bounds(y)
    forecast_from, forecast_to = _bounds(predictions)
    return Snapshot(
        id=snapshot_id,
        loaded_at=loaded_at,
        source=source,
        is_demo=is_demo,
        observed_from=observed_from,
        observed_to=observed_to,
        forecast_from=forecast_from,
        forecast_to=forecast_to,
        series_count=int(y[["area", "consumer_type"]].drop_duplicates().shape[0]),
        catalog=build_catalog(frames, frames["X.parquet"]),
        monitoring_missing_reason=(
            f"Monitoring data is not available yet: {', '.join(missing)} not loaded" if missing else None
        ),
        data_version=data_version_of(file_generations, is_demo),
    )
