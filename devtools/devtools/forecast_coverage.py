"""How often the API's forecast ranges contain what happened: checked on demo buckets whose future is known.

An evaluation, not part of the API: `tests/api/test_v2_intervals.py` asserts on it and
`scripts/bench_api_v2.py` prints it. The generator (`api.demo.build_demo_frames(with_future=True)`)
also returns the next 24 hours it will have "observed", so the served ranges can be scored.
"""

from datetime import datetime
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from api.demo import build_demo_frames
from api.storage import LocalStorage
from api.store import DataStore
from api.v2.bodies import forecast_total_body


class ForecastCoverage(NamedTuple):
    """How often the served ranges contained what the generator knows will happen."""

    hourly_80: float  # share of forecast hours (all series) inside their 80 % range
    hourly_95: float
    hours: int
    total_80: float  # share of series whose next-24-hour total fell inside its 80 % range
    total_95: float
    series: int


def forecast_coverage(folder: str | Path, seed: int, now: datetime) -> ForecastCoverage:
    """Write a demo bucket at `now`, serve it as the API would, and check its forecast ranges against the
    future the generator knows."""
    frames = build_demo_frames(now, seed=seed, with_future=True)
    future = frames.pop("y_future")["energy_consumption"]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        frame.to_parquet(folder / f"{name}.parquet")
    store = DataStore(LocalStorage(folder), refresh_seconds=60)
    if not store.refresh():
        raise RuntimeError(f"the demo bucket in {folder} did not load: {store.last_refresh_error}")
    catalog = store.current.catalog
    inside_80 = inside_95 = hours = totals_80 = totals_95 = 0
    for key in catalog.observed_keys:
        forecast = catalog.series[key].forecast
        truth = future.loc[key].reindex(pd.PeriodIndex.from_ordinals(forecast.hours, freq="h")).to_numpy()
        inside_80 += int(np.sum((truth >= forecast.lower_80) & (truth <= forecast.upper_80)))
        inside_95 += int(np.sum((truth >= forecast.lower_95) & (truth <= forecast.upper_95)))
        hours += truth.size
        total = forecast_total_body(catalog.series[key])
        totals_80 += int(total["lower_80"] <= truth.sum() <= total["upper_80"])
        totals_95 += int(total["lower_95"] <= truth.sum() <= total["upper_95"])
    count = len(catalog.observed_keys)
    return ForecastCoverage(inside_80 / hours, inside_95 / hours, hours, totals_80 / count, totals_95 / count, count)
