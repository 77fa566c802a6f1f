"""A corpus of bad uploads: files a broken or careless pipeline could write, each breaking one rule of the
data gates (contract section 4), built from the fixture bucket's own data (`bucket-pandas3`) the way
the pipeline writes it (`DataFrame.to_parquet`), or with pyarrow where pandas would not write it so.

Three kinds are about size and need the API's limits lowered to the fixture's scale (`SMALL_LIMITS`),
so that an oversized file here is a few hundred kilobytes, not hundreds of megabytes; the default
limits are checked on their own in `tests/api/test_data_gates.py`.

`good_upload(name, variant)` is a new good generation of an object, different for every `variant`
(values scaled, or X's rows in another order), to show that a good upload clears a rejection.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from devtools.paths import BUCKET_PANDAS3

KEYS = ["area", "consumer_type", "datetime_utc"]
SMALL_LIMITS = {
    "MAX_OBJECT_BYTES": 1024 * 1024,  # the fixture's largest file, y.parquet, is 0.53 MB
    "MAX_ROWS": 60_000,  # X and y hold 51,840 rows
    "MAX_UNCOMPRESSED_BYTES": 2 * 1024 * 1024,  # y.parquet: 0.59 MB uncompressed
}


@dataclass(frozen=True)
class BadUpload:
    kind: str
    object: str
    rule: str
    column: str | None  # the column the reason must name (None: no single column is to blame)
    row: int | None  # the first offending row the reason must name (None: not about one row)
    build: Callable[[], bytes]


@cache
def _fixture(name: str) -> pd.DataFrame:
    return pd.read_parquet(BUCKET_PANDAS3 / name)


def fixture_frame(name: str) -> pd.DataFrame:
    """A fresh copy of one fixture file as pandas reads it (index levels, period hours)."""
    return _fixture(name).copy()


def to_parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer)
    return buffer.getvalue()


def table_bytes(table: pa.Table, **options: object) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer, **options)
    return buffer.getvalue()


def flat(name: str) -> pd.DataFrame:
    """The file with its index levels as plain columns, hours as int64 hours since 1970."""
    frame = fixture_frame(name).reset_index()
    frame["datetime_utc"] = frame["datetime_utc"].map(lambda period: period.ordinal).astype("int64")
    return frame


def indexed(frame: pd.DataFrame) -> pd.DataFrame:
    keys = [key for key in KEYS if key in frame.columns]
    return frame.set_index(keys)


def shifted(name: str, hours: int) -> pd.DataFrame:
    frame = flat(name)
    frame["datetime_utc"] += hours
    return frame


def good_upload(name: str, variant: int) -> bytes:
    """A new good generation of `name`: values scaled by 1 + variant/1000 (X: its rows rotated)."""
    frame = fixture_frame(name)
    if frame.columns.empty:
        frame = frame.iloc[np.roll(np.arange(len(frame)), variant + 1)]
    else:
        frame = frame * (1 + variant / 1000)
    return to_parquet(frame)


def _truncated() -> bytes:
    data = (BUCKET_PANDAS3 / "y.parquet").read_bytes()
    return data[: len(data) // 2]


def _oversized_object() -> bytes:
    frame = flat("y.parquet")
    noise = np.random.default_rng(1)
    frame["noise_a"], frame["noise_b"] = noise.random(len(frame)), noise.random(len(frame))  # incompressible
    return to_parquet(indexed(frame))


def _too_many_rows() -> bytes:
    week_before = shifted("y.parquet", -168)
    return to_parquet(indexed(pd.concat([week_before, flat("y.parquet")])))


def _decompresses_big() -> bytes:
    """A small file whose footer says it unpacks to megabytes: 100 zero bytes per row, compressed."""
    table = pa.Table.from_pandas(flat("y.parquet"), preserve_index=False)
    padding = pa.array([b"\0" * 100] * table.num_rows, pa.binary())
    return table_bytes(table.append_column("padding", padding), compression="zstd", use_dictionary=False)


def _renamed_column() -> bytes:
    return to_parquet(fixture_frame("y.parquet").rename(columns={"energy_consumption": "energy"}))


def _missing_level() -> bytes:
    return to_parquet(fixture_frame("predictions.parquet").reset_index("consumer_type", drop=True))


def _text_values() -> bytes:
    frame = fixture_frame("y_monitoring.parquet")
    frame["energy_consumption"] = frame["energy_consumption"].map(lambda kwh: f"{kwh:.1f} kWh")
    return to_parquet(frame)


def _words_for_codes() -> bytes:
    frame = flat("X.parquet")
    frame["area"] = frame["area"].map({1: "DK1", 2: "DK2"})
    return to_parquet(indexed(frame))


def _float_codes() -> bytes:
    frame = flat("predictions_monitoring.parquet")
    frame["consumer_type"] = frame["consumer_type"].astype("float64")
    return to_parquet(indexed(frame))


def _null_area() -> bytes:
    """The issue's case: one price area left empty, and every value doubled."""
    frame = flat("y.parquet")
    frame["area"] = frame["area"].astype("Int64")
    frame.loc[3, "area"] = pd.NA
    frame["energy_consumption"] *= 2
    return to_parquet(indexed(frame))


def _null_hour() -> bytes:
    frame = flat("predictions.parquet")
    frame["datetime_utc"] = frame["datetime_utc"].astype("Int64")
    frame.loc[5, "datetime_utc"] = pd.NA
    return to_parquet(indexed(frame))


def _in_unit(name: str, per_hour: int) -> bytes:
    """Hours written as another unit since 1970 (milliseconds, nanoseconds, ...) in an integer column."""
    frame = flat(name)
    frame["datetime_utc"] = frame["datetime_utc"] * per_hour
    return to_parquet(indexed(frame))


def _days_as_hours() -> bytes:
    frame = flat("metrics_monitoring.parquet")
    frame["datetime_utc"] = frame["datetime_utc"] // 24
    return to_parquet(indexed(frame))


def _future_observations() -> bytes:
    """y ending thirty days after the reader's clock: observations of hours that have not happened."""
    last = int(flat("y.parquet")["datetime_utc"].max())
    now_hour = int(datetime.now(UTC).timestamp() // 3600)
    return to_parquet(indexed(shifted("y.parquet", now_hour + 30 * 24 - last)))


def _forecast_a_year_off() -> bytes:
    return to_parquet(indexed(shifted("predictions.parquet", -365 * 24)))


def _with_value(name: str, row: int, value: float) -> bytes:
    frame = flat(name)
    frame.loc[row, "energy_consumption"] = value
    return to_parquet(indexed(frame))


def _swapped_codes() -> bytes:
    frame = flat("y.parquet").rename(columns={"area": "consumer_type", "consumer_type": "area"})
    return to_parquet(indexed(frame))


CORPUS = [
    BadUpload("truncated", "y.parquet", "unreadable", None, None, _truncated),
    BadUpload(
        "not_parquet",
        "predictions.parquet",
        "unreadable",
        None,
        None,
        lambda: b"<html><body>503 Service Unavailable</body></html>",
    ),
    BadUpload("oversized_object", "y.parquet", "object_size", None, None, _oversized_object),
    BadUpload("too_many_rows", "y.parquet", "row_count", None, None, _too_many_rows),
    BadUpload("decompresses_big", "y.parquet", "uncompressed_size", None, None, _decompresses_big),
    BadUpload("renamed_column", "y.parquet", "missing_column", "energy_consumption", None, _renamed_column),
    BadUpload("missing_index_level", "predictions.parquet", "missing_column", "consumer_type", None, _missing_level),
    BadUpload("text_kwh", "y_monitoring.parquet", "column_type", "energy_consumption", None, _text_values),
    BadUpload("words_for_codes", "X.parquet", "column_type", "area", None, _words_for_codes),
    BadUpload("float_codes", "predictions_monitoring.parquet", "column_type", "consumer_type", None, _float_codes),
    BadUpload("null_area", "y.parquet", "null_key", "area", 3, _null_area),
    BadUpload("null_hour", "predictions.parquet", "null_key", "datetime_utc", 5, _null_hour),
    BadUpload(
        "milliseconds_as_hours",
        "predictions.parquet",
        "hour_too_late",
        "datetime_utc",
        0,
        lambda: _in_unit("predictions.parquet", 3_600_000),
    ),
    BadUpload(
        "nanoseconds_as_hours",
        "y_monitoring.parquet",
        "hour_too_late",
        "datetime_utc",
        0,
        lambda: _in_unit("y_monitoring.parquet", 3_600_000_000_000),
    ),
    BadUpload("days_as_hours", "metrics_monitoring.parquet", "hour_too_early", "datetime_utc", 0, _days_as_hours),
    BadUpload("future_observations", "y.parquet", "hour_too_late", "datetime_utc", None, _future_observations),
    BadUpload(
        "forecast_a_year_off", "predictions.parquet", "forecast_horizon", "datetime_utc", None, _forecast_a_year_off
    ),
    BadUpload(
        "infinite_value",
        "predictions_monitoring.parquet",
        "not_finite",
        "energy_consumption",
        7,
        lambda: _with_value("predictions_monitoring.parquet", 7, float("inf")),
    ),
    BadUpload(
        "huge_value",
        "y.parquet",
        "value_too_large",
        "energy_consumption",
        11,
        lambda: _with_value("y.parquet", 11, 1e300),
    ),
    BadUpload("swapped_codes", "y.parquet", "code", "area", 0, _swapped_codes),
]
