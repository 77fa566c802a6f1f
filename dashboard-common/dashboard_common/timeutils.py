"""Turning wire hours (int hours since 1970-01-01T00:00Z) into a continuous hourly UTC axis."""

from collections.abc import Sequence

import numpy as np
import pandas as pd


def hours_to_timestamps(hours: Sequence[int]) -> pd.DatetimeIndex:
    """Wire hours as tz-aware UTC timestamps, in the order given."""
    return pd.DatetimeIndex(pd.to_datetime(np.asarray(hours, dtype="int64"), unit="h", utc=True))


def hourly_series(hours: Sequence[int], values: Sequence[float | None], name: str | None = None) -> pd.Series:
    """Values on every hour from the first to the last given, NaN where an hour is missing.

    Charts then break the line at gaps instead of drawing a straight segment across them.
    Duplicate hours keep their last value; input order does not matter.
    """
    if len(hours) != len(values):
        raise ValueError(f"{len(hours)} hours but {len(values)} values")
    series = pd.Series(np.asarray(values, dtype="float64"), index=hours_to_timestamps(hours), name=name)
    if series.empty:
        return series
    series = series[~series.index.duplicated(keep="last")].sort_index()
    every_hour = pd.date_range(series.index[0], series.index[-1], freq="h")
    return series.reindex(every_hour)
