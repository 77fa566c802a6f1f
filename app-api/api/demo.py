"""Writes a synthetic demo bucket: the six files shaped exactly like the pipeline's, ending now.

Consumption follows a daily and a weekly cycle at a per-consumer-type scale; forecasts carry a
per-series bias and hourly noise, so monitoring shows plausible, uneven errors. Five days ago,
business consumer types used a fifth less for ten hours (a holiday the model did not know about),
so the monitoring window has an incident: hours above a 10 % MAPE threshold and the series that
caused them. A `DEMO_BUCKET.json` marker lets the API (and so the dashboards) say plainly that the
data is synthetic.

    python -m api.demo ./demo-bucket          # a local folder
    python -m api.demo gs://my-bucket/demo    # any fsspec URL (uses default credentials)
"""

import argparse
import fcntl
import json
import logging
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import fsspec
import fsspec.implementations.local
import numpy as np
import pandas as pd

from api.config import Settings
from api.storage import LocalStorage, ObjectVersion
from api.store import DEMO_MARKER

logger = logging.getLogger(__name__)

AREAS = (1, 2)
CONSUMER_TYPES = (
    111, 112, 119, 121, 122, 123, 130, 211, 212, 215, 220, 310, 320, 330, 340, 350, 360, 370, 381,
    382, 390, 410, 421, 422, 431, 432, 433, 441, 442, 443, 444, 445, 446, 447, 450, 461, 462, 999,
)  # fmt: skip
OBSERVED_DAYS = 30
MONITORING_DAYS = 14
FORECAST_HOURS = 24
INCIDENT_DAYS_AGO = 5
INCIDENT_HOURS = range(7, 17)  # UTC hours of that day
INCIDENT_FACTOR = 0.8  # observed consumption of business consumer types, against what the model expected


def _is_business(consumer_type: int) -> bool:
    return consumer_type < 300 or consumer_type >= 400


def _truth(hours: np.ndarray, area: int, consumer_type: int, rng: np.random.Generator) -> np.ndarray:
    scale = np.exp(8.0 + 3.0 * ((consumer_type * 7919) % 97) / 97) * (1.3 if area == 1 else 1.0)
    hour_of_day = hours % 24
    day_of_week = (hours // 24 + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
    business = _is_business(consumer_type)
    daily = 1.0 + (0.35 if business else 0.2) * np.sin(2 * np.pi * (hour_of_day - 8) / 24)
    weekly = np.where(day_of_week >= 5, 0.75 if business else 1.05, 1.0)
    return scale * daily * weekly * (1.0 + 0.03 * rng.standard_normal(hours.size))


def _frame(rows: dict[str, list], value_column: str | None = "energy_consumption") -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["datetime_utc"] = pd.PeriodIndex.from_ordinals(frame["datetime_utc"].to_numpy(), freq="h")
    keys = ["area", "consumer_type", "datetime_utc"]
    return frame.set_index(keys) if value_column else frame.set_index(keys).iloc[:, :0]


def build_demo_frames(
    now: datetime | None = None,
    seed: int = 7,
    observed_days: int = OBSERVED_DAYS,
    incident_days_ago: int | None = INCIDENT_DAYS_AGO,
    with_future: bool = False,
) -> dict[str, pd.DataFrame]:
    """The six frames, indexed like the pipeline's, with the last observed hour just before `now`.

    `incident_days_ago=None` gives a bucket without the incident; 0 puts it on the current UTC day (its
    hours before `now` only). `with_future=True` adds "y_future": what will be observed in the forecast
    hours, which the generator knows, so the forecast's ranges can be checked against it.
    """
    now = now or datetime.now(UTC)
    current_hour = int(now.timestamp() // 3600)
    observed = np.arange(current_hour - observed_days * 24, current_hour)
    monitored = np.arange(current_hour - MONITORING_DAYS * 24, current_hour + FORECAST_HOURS)
    rng = np.random.default_rng(seed)
    incident = np.empty(0, dtype=np.int64)
    if incident_days_ago is not None:
        incident_day = (current_hour // 24 - incident_days_ago) * 24
        incident = np.array([incident_day + hour for hour in INCIDENT_HOURS if incident_day + hour < current_hour])

    series: dict[str, dict[str, list]] = {
        name: {"area": [], "consumer_type": [], "datetime_utc": [], "energy_consumption": []}
        for name in ("y", "predictions", "y_monitoring", "predictions_monitoring", "y_future")
    }

    def add(name: str, area: int, consumer_type: int, hours: np.ndarray, values: np.ndarray) -> None:
        rows = series[name]
        rows["area"] += [area] * hours.size
        rows["consumer_type"] += [consumer_type] * hours.size
        rows["datetime_utc"] += hours.tolist()
        rows["energy_consumption"] += values.tolist()

    for area in AREAS:
        for consumer_type in CONSUMER_TYPES:
            hours = np.arange(observed[0], monitored[-1] + 1)
            truth = _truth(hours, area, consumer_type, rng)
            bias = rng.normal(0.0, 0.04)
            noise = rng.uniform(0.02, 0.12)
            predicted = truth * (1.0 + bias + noise * rng.standard_normal(hours.size))
            if _is_business(consumer_type):
                truth = np.where(np.isin(hours, incident), truth * INCIDENT_FACTOR, truth)
            is_observed = hours < current_hour
            in_monitoring = hours >= monitored[0]
            is_forecast = hours >= current_hour
            add("y", area, consumer_type, hours[is_observed], truth[is_observed])
            add("predictions", area, consumer_type, hours[is_forecast], predicted[is_forecast])
            add("y_future", area, consumer_type, hours[is_forecast], truth[is_forecast])
            add(
                "y_monitoring",
                area,
                consumer_type,
                hours[in_monitoring & is_observed],
                truth[in_monitoring & is_observed],
            )
            add(
                "predictions_monitoring",
                area,
                consumer_type,
                hours[in_monitoring],
                predicted[in_monitoring],
            )

    future = series.pop("y_future")
    frames = {name: _frame(rows) for name, rows in series.items()}
    if with_future:
        frames["y_future"] = _frame(future)
    frames["X"] = frames["y"].iloc[:, :0]
    predicted = frames["predictions_monitoring"].rename(columns={"energy_consumption": "predicted"})
    compared = frames["y_monitoring"].join(predicted, how="inner")
    ape = (compared["predicted"] - compared["energy_consumption"]).abs() / compared["energy_consumption"]
    metrics = ape.groupby(level="datetime_utc").mean().rename("MAPE").to_frame()
    frames["metrics_monitoring"] = metrics
    return frames


def write_demo_bucket(destination: str, now: datetime | None = None, observed_days: int = OBSERVED_DAYS) -> None:
    """Write the six parquet files and the demo marker to a folder or any fsspec URL.

    Each object appears whole (a local file is written beside its name and renamed), as a
    reader that refreshes while the demo is rewritten must never see half a file.
    """
    now = now or datetime.now(UTC)
    filesystem, root = fsspec.core.url_to_fs(destination)
    filesystem.makedirs(root, exist_ok=True)
    local = isinstance(filesystem, fsspec.implementations.local.LocalFileSystem)
    frames = build_demo_frames(now, observed_days=observed_days)
    objects = {f"{name}.parquet": frame for name, frame in frames.items() if name != "y_future"}
    for name, frame in objects.items():
        target = f"{root}/{name}"
        with filesystem.open(f"{target}.partial" if local else target, "wb") as handle:
            frame.to_parquet(handle)
        if local:
            os.replace(f"{target}.partial", target)
    marker = {"demo": True, "generated_at": now.isoformat(), "generator": "python -m api.demo"}
    with filesystem.open(f"{root}/{DEMO_MARKER}", "w") as handle:
        json.dump(marker, handle)
    logger.info("wrote demo bucket to %s", destination)


def demo_is_outdated(folder: Path, now: datetime | None = None) -> bool:
    """True when a local demo folder is missing or was generated before the current hour began."""
    try:
        generated_at = datetime.fromisoformat(json.loads((folder / DEMO_MARKER).read_text())["generated_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return True
    now = now or datetime.now(UTC)
    return generated_at.replace(minute=0, second=0, microsecond=0) < now.replace(minute=0, second=0, microsecond=0)


def demo_folder(settings: Settings) -> Path:
    """Where the built-in demo bucket lives: `APP_API_DEMO_DIR`, or a fresh temporary folder."""
    if settings.DEMO_DIR:
        return Path(settings.DEMO_DIR)
    return Path(tempfile.mkdtemp(prefix="energy-demo-bucket-"))


class DemoStorage(LocalStorage):
    """The demo bucket: a local folder that rewrites itself, ending now, once its hour has passed.

    The rewrite happens when the store lists the bucket, under a lock on the folder, so workers (or
    replicas) sharing one folder write it once per hour between them. A failed rewrite is a failed
    listing: the store records it as the refresh's error (`/ready`, `api_refresh_error`, logged once)
    and keeps serving the last snapshot.
    """

    LOCK = ".demo.lock"

    def versions(self, names: list[str]) -> dict[str, ObjectVersion]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / self.LOCK).open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            if demo_is_outdated(self.folder):
                try:
                    write_demo_bucket(str(self.folder))
                except Exception as error:
                    raise OSError(f"the demo bucket could not be rewritten: {type(error).__name__}: {error}") from error
        return super().versions(names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("destination", help="folder or URL (gs://bucket/prefix) to write the six files to")
    parser.add_argument("--observed-days", type=int, default=OBSERVED_DAYS, help="length of X and y in days")
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    write_demo_bucket(arguments.destination, observed_days=arguments.observed_days)


if __name__ == "__main__":
    main()
