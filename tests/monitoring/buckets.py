"""Small buckets written on the fly for the monitoring page's edge cases, shaped like the pipeline's.

`write_edge_bucket` holds one series of each kind the page must cope with, over 14 days of
monitoring (hours counted from `FIRST_HOUR`):
- `NORMAL` (1, 111): observed every hour, predictions a few percent off;
- `ALL_ZERO` (1, 112): observed, but every observation is 0 kWh, so MAPE, WAPE and bias are null;
- `WITH_GAP` (2, 111): observed except for `GAP_HOURS` inside the window: missing, not awaited;
- `SHORT` (2, 112): observed only in the last `SHORT_DAYS` days: no pair of hours a week apart,
  so MASE is null.
Every series has 24 predicted hours after its last observation (awaiting observation).
"""

from pathlib import Path

import numpy as np
import pandas as pd

FIRST_HOUR = 468216  # 2023-06-01 00:00 UTC
MONITORED_HOURS = 14 * 24
FORECAST_HOURS = 24
NORMAL = (1, 111)
ALL_ZERO = (1, 112)
WITH_GAP = (2, 111)
SHORT = (2, 112)
SHORT_DAYS = 5
GAP_HOURS = range(FIRST_HOUR + 100, FIRST_HOUR + 105)
EDGE_SERIES = (NORMAL, ALL_ZERO, WITH_GAP, SHORT)


def _frame(rows: list[tuple], value: str | None = "energy_consumption") -> pd.DataFrame:
    columns = ["area", "consumer_type", "datetime_utc"] + ([value] if value else [])
    data = pd.DataFrame(rows, columns=columns)
    data["datetime_utc"] = pd.PeriodIndex.from_ordinals(data["datetime_utc"].to_numpy(), freq="h")
    return data.set_index(["area", "consumer_type", "datetime_utc"])


def _observed_hours(series: tuple[int, int]) -> list[int]:
    last = FIRST_HOUR + MONITORED_HOURS
    if series == SHORT:
        return list(range(last - SHORT_DAYS * 24, last))
    hours = range(FIRST_HOUR - 16 * 24, last)  # y.parquet reaches back 30 days, as the pipeline's
    return [hour for hour in hours if not (series == WITH_GAP and hour in GAP_HOURS)]


def _truth(series: tuple[int, int], hour: int) -> float:
    if series == ALL_ZERO:
        return 0.0
    # A daily and a weekly cycle and a slow rise, so "same hour last week" is close but not exact.
    return 1000.0 * series[0] + 10.0 * (hour % 24) + 50.0 * ((hour // 24) % 7) + 0.02 * (hour - FIRST_HOUR)


def write_edge_bucket(folder: Path) -> Path:
    """The six files for `EDGE_SERIES` in `folder` (created); returns the folder."""
    rng = np.random.default_rng(14)
    observed, predicted_past, forecast = [], [], []
    last = FIRST_HOUR + MONITORED_HOURS
    for series in EDGE_SERIES:
        for hour in _observed_hours(series):
            observed.append((*series, hour, _truth(series, hour)))
        for hour in range(FIRST_HOUR, last + FORECAST_HOURS):
            noise = 1.0 + 0.05 * rng.standard_normal()
            predicted_past.append((*series, hour, _truth(series, hour) * noise + (5.0 if series == ALL_ZERO else 0.0)))
        for hour in range(last, last + FORECAST_HOURS):
            forecast.append((*series, hour, _truth(series, hour)))
    y = _frame(observed)
    monitoring_hours = y.index.get_level_values("datetime_utc").asi8 >= FIRST_HOUR
    metrics = pd.DataFrame({"datetime_utc": list(range(FIRST_HOUR, last)), "MAPE": 0.05})
    metrics["datetime_utc"] = pd.PeriodIndex.from_ordinals(metrics["datetime_utc"].to_numpy(), freq="h")
    frames = {
        "X": y.iloc[:, :0],
        "y": y,
        "predictions": _frame(forecast),
        "predictions_monitoring": _frame(predicted_past),
        "y_monitoring": y[monitoring_hours],
        "metrics_monitoring": metrics.set_index("datetime_utc"),
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in frames.items():
        with (folder / f"{name}.parquet").open("wb") as handle:
            data.to_parquet(handle)
    return folder


def write_bucket_without_monitoring(source: Path, folder: Path) -> Path:
    """A copy of `source` without the monitoring files: before the pipeline's first monitoring run."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("X", "y", "predictions"):
        (folder / f"{name}.parquet").write_bytes((source / f"{name}.parquet").read_bytes())
    return folder
