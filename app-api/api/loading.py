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
        ),
        FileSpec(
            "predictions_monitoring.parquet",
            ("area", "consumer_type", "datetime_utc"),
            "energy_consumption",
            False,
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


def hours_from_arrow(array: pa.Array) -> np.ndarray:
    """Hours since the epoch from a period's int64 storage, an int count of hours, or a timestamp."""
    if pa.types.is_timestamp(array.type) or pa.types.is_date(array.type):
        nanoseconds = array.cast(pa.timestamp("ns", tz=getattr(array.type, "tz", None))).cast(pa.int64())
        return np.floor_divide(nanoseconds.to_numpy(zero_copy_only=False), NANOSECONDS_PER_HOUR)
    if pa.types.is_integer(array.type):
        return array.cast(pa.int64()).to_numpy(zero_copy_only=False)
    raise DataFileError(f"datetime_utc has unsupported type {array.type}")


def read_parquet(data: bytes, spec: FileSpec) -> pd.DataFrame:
    """Parse and normalise one file; raises `DataFileError` with a one-line reason."""
    try:
        table = pq.read_table(pa.BufferReader(data))
    except (pa.ArrowException, OSError) as error:
        raise DataFileError(f"{spec.name} is not a readable parquet file: {error}") from error

    wanted = [*spec.keys, *([spec.value_column] if spec.value_column else [])]
    missing = [name for name in wanted if name not in table.column_names]
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

    frame = pd.DataFrame(columns)
    keys = list(spec.keys)
    frame = frame.drop_duplicates(subset=keys, keep="last")
    if spec.value_column:
        frame = frame[np.isfinite(frame["value"].to_numpy())]
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


def read_series_keys(data: bytes, spec: FileSpec) -> pd.DataFrame:
    """The distinct (area, consumer_type) pairs of X, without holding its hours in memory."""
    try:
        table = pq.read_table(pa.BufferReader(data), columns=["area", "consumer_type"])
    except (pa.ArrowException, OSError, KeyError) as error:
        raise DataFileError(
            f"{spec.name} is not a readable parquet file with area and consumer_type: {error}"
        ) from error
    for name in ("area", "consumer_type"):
        if not pa.types.is_integer(_plain(table.column(name)).type):
            raise DataFileError(f"{spec.name}: {name} is not an integer column")
    pairs = table.group_by(["area", "consumer_type"]).aggregate([])
    frame = pd.DataFrame(
        {
            name: _plain(pairs.column(name)).cast(pa.int64()).to_numpy(zero_copy_only=False)
            for name in ("area", "consumer_type")
        }
    )
    return frame.sort_values(["area", "consumer_type"]).reset_index(drop=True)


def parse_file(data: bytes, name: str) -> pd.DataFrame:
    spec = FILE_SPECS[name]
    if name == "X.parquet":
        return read_series_keys(data, spec)
    return read_parquet(data, spec)
