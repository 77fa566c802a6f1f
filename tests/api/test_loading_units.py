"""`api.loading` function by function, on Arrow tables and parquet bytes built in memory.

The fast tests the mutation run of `api.loading` uses (no app, no bucket): every hour encoding to
hours since 1970 (including times outside pandas' nanosecond range), the columns as int64 / float64,
the normalised frame (last row wins, finite values, sorted), the distinct series of X, and each
refusal's one-line reason. `test_loading.py` proves the same on the fixture buckets of both pandas.
"""

import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from api.loading import (
    FILE_SPECS,
    DataFileError,
    FileSpec,
    _plain,
    distinct_series,
    hours_from_arrow,
    normalised_frame,
    parse_file,
    read_parquet,
    read_series_keys,
    read_table,
    table_columns,
)

Y = FILE_SPECS["y.parquet"]
X = FILE_SPECS["X.parquet"]
METRICS = FILE_SPECS["metrics_monitoring.parquet"]
HOUR = 473_352  # 2024-01-01T00:00Z


def to_bytes(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def y_table(**columns: pa.Array) -> pa.Table:
    base = {
        "area": pa.array([1, 1, 2], pa.int64()),
        "consumer_type": pa.array([111, 111, 111], pa.int64()),
        "datetime_utc": pa.array([HOUR + 1, HOUR, HOUR], pa.int64()),
        "energy_consumption": pa.array([1.5, 2.5, 3.5]),
    }
    return pa.table({**base, **columns})


class Months(pa.ExtensionType):
    def __init__(self) -> None:
        super().__init__(pa.int64(), "test.loading.hours")

    def __arrow_ext_serialize__(self) -> bytes:
        return b""

    @classmethod
    def __arrow_ext_deserialize__(cls, storage_type, serialized) -> "Months":
        return cls()


def test_the_columns_a_spec_reads_are_its_keys_then_its_value_column():
    assert Y.columns == ("area", "consumer_type", "datetime_utc", "energy_consumption")
    assert X.columns == ("area", "consumer_type", "datetime_utc")
    assert METRICS.columns == ("datetime_utc", "MAPE")


def test_a_plain_array_joins_chunks_unwraps_extensions_and_types_an_empty_null_column():
    joined = _plain(pa.chunked_array([[1, 2], [3]], pa.int32()))
    assert (joined.type, joined.to_pylist()) == (pa.int32(), [1, 2, 3])
    storage = pa.array([5, 6], pa.int64())
    unwrapped = _plain(pa.chunked_array([pa.ExtensionArray.from_storage(Months(), storage)]))
    assert (unwrapped.type, unwrapped.to_pylist()) == (pa.int64(), [5, 6])
    empty = _plain(pa.chunked_array([], pa.null()))
    assert (empty.type, len(empty)) == (pa.int64(), 0)
    nulls = _plain(pa.chunked_array([pa.nulls(2)]))
    assert (nulls.type, nulls.null_count) == (pa.null(), 2)


@pytest.mark.parametrize(
    ("array", "hours"),
    [
        (pa.array([HOUR, -1], pa.int64()), [HOUR, -1]),
        (pa.array([7], pa.uint16()), [7]),
        (pa.array([0, 3600, 3599, -1], pa.timestamp("s")), [0, 1, 0, -1]),
        (pa.array([7_200_000], pa.timestamp("ms", tz="Europe/Copenhagen")), [2]),
        (pa.array([3_600_000_000 * 5], pa.timestamp("us")), [5]),
        (pa.array([3_600_000_000_000 * 3 - 1], pa.timestamp("ns")), [2]),
        (pa.array([1], pa.date32()), [24]),
        (pa.array([-1], pa.date32()), [-24]),
        (pa.array([86_400_000 * 2 + 3_600_000 * 5], pa.date64()), [53]),
        (pa.array([-1], pa.date64()), [-1]),
        # the year 3000 in seconds: far outside pandas' nanosecond range, still an exact hour
        (pa.array([32_503_680_000], pa.timestamp("s")), [9_028_800]),
    ],
)
def test_every_time_encoding_becomes_hours_since_1970(array, hours):
    result = hours_from_arrow(array)
    assert result.tolist() == hours
    assert result.dtype == np.int64


def test_a_time_of_another_type_is_refused():
    with pytest.raises(DataFileError, match=r"^datetime_utc has unsupported type double$"):
        hours_from_arrow(pa.array([1.0]))


def test_read_table_reads_parquet_and_refuses_anything_else():
    assert read_table(to_bytes(y_table()), Y).num_rows == 3
    with pytest.raises(DataFileError, match=r"^y\.parquet is not a readable parquet file: ") as raised:
        read_table(b"not parquet", Y)
    assert raised.value.__cause__ is not None


def test_table_columns_are_int64_keys_in_hours_and_a_float64_value():
    table = y_table(
        area=pa.array([1, 1, 2], pa.int8()),
        datetime_utc=pa.array([3600 * 5, 3600 * 6, 0], pa.timestamp("s")),
        energy_consumption=pa.array([1, 2, 3], pa.int32()),
    )
    columns = table_columns(table, Y)
    assert {name: (array.dtype, array.tolist()) for name, array in columns.items()} == {
        "area": (np.int64, [1, 1, 2]),
        "consumer_type": (np.int64, [111, 111, 111]),
        "datetime_utc": (np.int64, [5, 6, 0]),
        "value": (np.float64, [1.0, 2.0, 3.0]),
    }


def test_table_columns_of_a_file_without_a_value_column_are_its_keys():
    assert list(table_columns(y_table(), X)) == ["area", "consumer_type", "datetime_utc"]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            pa.table({"area": [1], "kwh": [1.0]}),
            "y.parquet has columns ['area', 'kwh'], missing ['consumer_type', 'datetime_utc', 'energy_consumption']",
        ),
        (y_table(datetime_utc=pa.array([1.0, 2.0, 3.0])), "y.parquet: datetime_utc has unsupported type double"),
        (y_table(area=pa.array([1.0, 2.0, 3.0])), "y.parquet: area has type double, expected integers"),
        (
            y_table(energy_consumption=pa.array(["a", "b", "c"])),
            "y.parquet: energy_consumption has type string, expected numbers",
        ),
    ],
)
def test_table_columns_refuse_with_a_one_line_reason(table, message):
    with pytest.raises(DataFileError) as raised:
        table_columns(table, Y)
    assert str(raised.value) == message


def test_a_key_that_overflows_int64_is_a_data_file_error_naming_the_file():
    with pytest.raises(DataFileError, match=r"^y\.parquet: ") as raised:
        table_columns(y_table(area=pa.array([1, 2**63, 1], pa.uint64())), Y)
    assert isinstance(raised.value.__cause__, pa.ArrowInvalid)


def test_the_normalised_frame_keeps_the_last_of_duplicates_drops_non_finite_values_and_sorts():
    columns = {
        "area": np.array([2, 1, 1, 1, 1, 1]),
        "consumer_type": np.array([111, 111, 111, 111, 111, 222]),
        "datetime_utc": np.array([5, 7, 6, 7, 8, 1]),
        "value": np.array([1.0, 2.0, 3.0, 4.0, np.inf, np.nan]),
    }
    frame = normalised_frame(columns, Y)
    assert frame.to_dict("list") == {
        "area": [1, 1, 2],
        "consumer_type": [111, 111, 111],
        "datetime_utc": [6, 7, 5],
        "value": [3.0, 4.0, 1.0],
    }
    assert list(frame.index) == [0, 1, 2]


def test_duplicates_are_dropped_before_non_finite_values():
    """A later non-finite row replaces an earlier good one: the hour is missing, not its stale value."""
    columns = {
        "area": np.array([1, 1]),
        "consumer_type": np.array([111, 111]),
        "datetime_utc": np.array([5, 5]),
        "value": np.array([1.0, np.nan]),
    }
    assert normalised_frame(columns, Y).empty


def test_duplicates_are_judged_on_the_specs_keys_only():
    columns = {"area": np.array([2, 1, 1]), "consumer_type": np.array([1, 1, 1]), "datetime_utc": np.array([0, 3, 1])}
    spec = FileSpec("keys.parquet", ("area", "consumer_type"), None, False)
    frame = normalised_frame(columns, spec)
    assert frame.to_dict("list") == {"area": [1, 2], "consumer_type": [1, 1], "datetime_utc": [1, 0]}


def test_read_parquet_parses_and_normalises_one_file():
    frame = read_parquet(to_bytes(y_table()), Y)
    assert frame.to_dict("list") == {
        "area": [1, 1, 2],
        "consumer_type": [111, 111, 111],
        "datetime_utc": [HOUR, HOUR + 1, HOUR],
        "value": [2.5, 1.5, 3.5],
    }


def test_distinct_series_are_sorted_int64_pairs():
    table = pa.table(
        {"area": pa.array([2, 1, 2, 1], pa.int16()), "consumer_type": pa.array([111, 333, 111, 222], pa.int32())}
    )
    frame = distinct_series(table, X)
    assert frame.to_dict("list") == {"area": [1, 1, 2], "consumer_type": [222, 333, 111]}
    assert list(frame.dtypes) == [np.int64, np.int64] and list(frame.index) == [0, 1, 2]


@pytest.mark.parametrize("column", ["area", "consumer_type"])
def test_distinct_series_refuse_a_column_that_is_not_integer(column):
    table = pa.table({"area": pa.array([1]), "consumer_type": pa.array([111]), column: pa.array(["x"])})
    with pytest.raises(DataFileError) as raised:
        distinct_series(table, X)
    assert str(raised.value) == f"X.parquet: {column} is not an integer column"


def test_series_keys_of_x_are_read_without_its_other_columns():
    table = pa.table(
        {
            "area": pa.array([1, 1, 2], pa.int64()),
            "consumer_type": pa.array([222, 111, 111], pa.int64()),
            "datetime_utc": pa.array(["not", "an", "hour"]),
        }
    )
    assert read_series_keys(to_bytes(table), X).to_dict("list") == {"area": [1, 1, 2], "consumer_type": [111, 222, 111]}


@pytest.mark.parametrize("data", [b"not parquet", to_bytes(pa.table({"area": [1]}))])
def test_series_keys_of_an_unreadable_x_are_a_data_file_error(data):
    with pytest.raises(
        DataFileError, match=r"^X\.parquet is not a readable parquet file with area and consumer_type: "
    ) as raised:
        read_series_keys(data, X)
    assert raised.value.__cause__ is not None


def test_parse_file_reads_x_as_its_series_and_other_files_as_frames():
    data = to_bytes(y_table())
    assert parse_file(data, "X.parquet").to_dict("list") == {"area": [1, 2], "consumer_type": [111, 111]}
    assert parse_file(data, "y.parquet")["value"].tolist() == [2.5, 1.5, 3.5]
    metrics = pa.table({"datetime_utc": pa.array([HOUR], pa.int64()), "MAPE": pa.array([0.25])})
    assert parse_file(to_bytes(metrics), "metrics_monitoring.parquet").to_dict("list") == {
        "datetime_utc": [HOUR],
        "value": [0.25],
    }


def test_a_pandas_period_index_loads_as_hours():
    frame = pd.DataFrame(
        {"area": [1], "consumer_type": [111], "datetime_utc": pd.PeriodIndex.from_ordinals([HOUR], freq="h")}
    )
    frame["energy_consumption"] = [4.0]
    buffer = io.BytesIO()
    frame.set_index(["area", "consumer_type", "datetime_utc"]).to_parquet(buffer)
    assert read_parquet(buffer.getvalue(), Y).to_dict("list") == {
        "area": [1],
        "consumer_type": [111],
        "datetime_utc": [HOUR],
        "value": [4.0],
    }


# Found by the mutation run (survivors of its first pass) ------------------------------------------


def test_null_values_from_a_writer_without_nan_are_missing_hours_not_a_refusal():
    """Writers other than pandas store a missing value as null, not NaN: the hour is left out."""
    table = y_table(energy_consumption=pa.array([1.5, None, 3.5], pa.float64()))
    assert read_parquet(to_bytes(table), Y).to_dict("list") == {
        "area": [1, 2],
        "consumer_type": [111, 111],
        "datetime_utc": [HOUR + 1, HOUR],
        "value": [1.5, 3.5],
    }
    integers = y_table(energy_consumption=pa.array([1, None, 3], pa.int64()))
    assert read_parquet(to_bytes(integers), Y)["value"].tolist() == [1.0, 3.0]


def test_each_reader_names_the_file_in_its_refusal():
    with pytest.raises(DataFileError, match=r"^y\.parquet is not a readable parquet file: "):
        read_parquet(b"junk", Y)
    with pytest.raises(DataFileError, match=r"^X\.parquet is not a readable parquet file with area and consumer_type"):
        parse_file(b"junk", "X.parquet")
    floats = pa.table({"area": pa.array([1.0]), "consumer_type": pa.array([111], pa.int64())})
    with pytest.raises(DataFileError, match=r"^X\.parquet: area is not an integer column$"):
        read_series_keys(to_bytes(floats), X)
