"""Reading the six bucket files into one normalised shape, whoever wrote them.

Every series file becomes a frame with int64 `area`, `consumer_type`, `datetime_utc` (hours since
1970-01-01T00:00Z) and one float64 value column, sorted, duplicates dropped (the last row wins) and
non-finite values removed. pandas 1.5 stores hours as a `pandas.period` extension with freq "H",
which pandas 3 refuses to read, so tables are read with pyarrow and time columns turned into their
int64 storage before any pandas object exists.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

NANOSECONDS_PER_HOUR = 3_600_000_000_000


class DataFileError(ValueError):
    """A bucket file that exists but cannot be used as it is."""


@dataclass(frozen=True)
class FileSpec:
    name: str
    keys: tuple[str, ...]
    value_column: str | None
    required: bool
    forecast: bool = False  # its hours run ahead of the observations by the forecast horizon

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the API reads from this file: the keys, then the value column if it has one."""
        return (*self.keys, *([self.value_column] if self.value_column else []))


FILE_SPECS = {
    spec.name: spec
    for spec in (
        FileSpec("X.parquet", ("area", "consumer_type", "datetime_utc"), None, True),
        FileSpec("y.parquet", ("area", "consumer_type", "datetime_utc"), "energy_consumption", True),
        FileSpec(
            "predictions.parquet",
            ("area", "consumer_type", "datetime_utc"),
            "energy_consumption",
            True,
            forecast=True,
        ),
        FileSpec(
            "predictions_monitoring.parquet",
            ("area", "consumer_type", "datetime_utc"),
            "energy_consumption",
            False,
            forecast=True,
        ),
        FileSpec(
            "y_monitoring.parquet",
            ("area", "consumer_type", "datetime_utc"),
            "energy_consumption",
            False,
        ),
        FileSpec("metrics_monitoring.parquet", ("datetime_utc",), "MAPE", False),
    )
}


def _plain(column: pa.ChunkedArray) -> pa.Array:
    """The column as a plain array; an empty frame's untyped (null) column counts as empty integers."""
    array = column.combine_chunks()
    if isinstance(array, pa.ExtensionArray):
        array = array.storage
    if pa.types.is_null(array.type) and len(array) == 0:
        return pa.array([], pa.int64())
    return array


PER_HOUR = {"s": 3600, "ms": 3_600_000, "us": 3_600_000_000, "ns": NANOSECONDS_PER_HOUR}


def hours_from_arrow(array: pa.Array) -> np.ndarray:
    """Hours since the epoch from a period's int64 storage, an int count of hours, or a timestamp.

    Timestamps are divided in their own unit (their stored value is UTC whatever the zone), never
    cast to nanoseconds first: a time far outside 1677-2262 then comes out as a huge hour for the
    gates to reject, not as an overflow.
    """
    if pa.types.is_timestamp(array.type):
        stored = array.cast(pa.int64()).to_numpy(zero_copy_only=False)
        return np.floor_divide(stored, PER_HOUR[array.type.unit])
    if pa.types.is_date32(array.type):
        return array.cast(pa.int32()).to_numpy(zero_copy_only=False).astype(np.int64) * 24
    if pa.types.is_date64(array.type):
        return np.floor_divide(array.cast(pa.int64()).to_numpy(zero_copy_only=False), PER_HOUR["ms"])
    if pa.types.is_integer(array.type):
        return array.cast(pa.int64()).to_numpy(zero_copy_only=False)
    raise DataFileError(f"datetime_utc has unsupported type {array.type}")


def read_table(data: bytes, spec: FileSpec) -> pa.Table:
    """The whole file as an Arrow table; `DataFileError` when it is not parquet at all."""
    try:
        return pq.read_table(pa.BufferReader(data))
    except (pa.ArrowException, OSError) as error:
        raise DataFileError(f"{spec.name} is not a readable parquet file: {error}") from error


def table_columns(table: pa.Table, spec: FileSpec) -> dict[str, np.ndarray]:
    """The keys as int64 (`datetime_utc` in hours) and the value column as float64 ("value")."""
    missing = [name for name in spec.columns if name not in table.column_names]
    if missing:
        raise DataFileError(f"{spec.name} has columns {table.column_names}, missing {missing}")
    columns: dict[str, np.ndarray] = {}
    try:
        for key in spec.keys:
            array = _plain(table.column(key))
            if key == "datetime_utc":
                try:
                    columns[key] = hours_from_arrow(array)
                except DataFileError as error:
                    raise DataFileError(f"{spec.name}: {error}") from error
            elif pa.types.is_integer(array.type):
                columns[key] = array.cast(pa.int64()).to_numpy(zero_copy_only=False)
            else:
                raise DataFileError(f"{spec.name}: {key} has type {array.type}, expected integers")
        if spec.value_column:
            values = _plain(table.column(spec.value_column))
            if not (pa.types.is_floating(values.type) or pa.types.is_integer(values.type)):
                raise DataFileError(f"{spec.name}: {spec.value_column} has type {values.type}, expected numbers")
            columns["value"] = values.cast(pa.float64()).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid as error:  # nulls in key columns, overflowing casts
        raise DataFileError(f"{spec.name}: {error}") from error
    return columns


def normalised_frame(columns: dict[str, np.ndarray], spec: FileSpec) -> pd.DataFrame:
    """One row per key (the last row wins), finite values only, sorted by the keys."""
    frame = pd.DataFrame(columns)
    keys = list(spec.keys)
    frame = frame.drop_duplicates(subset=keys, keep="last")
    if spec.value_column:
        frame = frame[np.isfinite(frame["value"].to_numpy())]
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


def read_parquet(data: bytes, spec: FileSpec) -> pd.DataFrame:
    """Parse and normalise one file; raises `DataFileError` with a one-line reason."""
    return normalised_frame(table_columns(read_table(data, spec), spec), spec)


def distinct_series(table: pa.Table, spec: FileSpec) -> pd.DataFrame:
    """The distinct (area, consumer_type) pairs of a table holding both as integer columns."""
    for name in ("area", "consumer_type"):
        if not pa.types.is_integer(_plain(table.column(name)).type):
            raise DataFileError(f"{spec.name}: {name} is not an integer column")
    pairs = table.select(["area", "consumer_type"]).group_by(["area", "consumer_type"]).aggregate([])
    frame = pd.DataFrame(
        {
            name: _plain(pairs.column(name)).cast(pa.int64()).to_numpy(zero_copy_only=False)
            for name in ("area", "consumer_type")
        }
    )
    return frame.sort_values(["area", "consumer_type"]).reset_index(drop=True)


def read_series_keys(data: bytes, spec: FileSpec) -> pd.DataFrame:
    """The distinct (area, consumer_type) pairs of X, without holding its hours in memory."""
    try:
        table = pq.read_table(pa.BufferReader(data), columns=["area", "consumer_type"])
    except (pa.ArrowException, OSError, KeyError) as error:
        raise DataFileError(
            f"{spec.name} is not a readable parquet file with area and consumer_type: {error}"
        ) from error
    return distinct_series(table, spec)


def parse_file(data: bytes, name: str) -> pd.DataFrame:
    """One file as its normalised frame, without the data gates (`api.gates` adds them)."""
    spec = FILE_SPECS[name]
    if name == "X.parquet":
        return read_series_keys(data, spec)
    return read_parquet(data, spec)
