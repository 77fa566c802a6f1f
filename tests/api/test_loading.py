"""Reading bucket files whoever wrote them: every time encoding, every integer width, real-world mess."""

import io
import logging

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from api.loading import FILE_SPECS, DataFileError, parse_file
from api.storage import LocalStorage
from api.store import DataStore
from support import BUCKET_PANDAS3, BUCKET_PANDAS15

NAMES = list(FILE_SPECS)


def parquet_bytes(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


@pytest.mark.parametrize("name", NAMES)
def test_pandas15_and_pandas3_files_load_to_the_same_frame(name):
    old = parse_file((BUCKET_PANDAS15 / name).read_bytes(), name)
    new = parse_file((BUCKET_PANDAS3 / name).read_bytes(), name)
    pd.testing.assert_frame_equal(old, new)
    assert all(dtype == np.int64 for column, dtype in old.dtypes.items() if column != "value")


HOURS = [468552, 468553]


@pytest.mark.parametrize(
    "datetime_column",
    [
        pa.array(HOURS, pa.int64()),
        pa.array(HOURS, pa.int32()),
        pa.array([hour * 3600 * 10**9 for hour in HOURS], pa.timestamp("ns")),
        pa.array([hour * 3600 * 10**6 for hour in HOURS], pa.timestamp("us", tz="UTC")),
        pa.array([hour * 3600 for hour in HOURS], pa.timestamp("s", tz="Europe/Copenhagen")),
    ],
    ids=["int64-hours", "int32-hours", "naive-ns-timestamp", "utc-us-timestamp", "zoned-timestamp"],
)
def test_every_datetime_encoding_becomes_hours_since_epoch(datetime_column):
    table = pa.table(
        {
            "energy_consumption": [1.0, 2.0],
            "area": pa.array([1, 1], pa.int8()),
            "consumer_type": pa.array([111, 111], pa.int16()),
            "datetime_utc": datetime_column,
        }
    )
    frame = parse_file(parquet_bytes(table), "y.parquet")
    assert frame["datetime_utc"].tolist() == HOURS
    assert frame["area"].dtype == np.int64 and frame["consumer_type"].dtype == np.int64


def test_period_index_written_by_current_pandas_loads():
    frame = pd.DataFrame(
        {"energy_consumption": [5.0]},
        index=pd.MultiIndex.from_arrays(
            [[2], [999], pd.PeriodIndex.from_ordinals([468560], freq="h")],
            names=["area", "consumer_type", "datetime_utc"],
        ),
    )
    buffer = io.BytesIO()
    frame.to_parquet(buffer)
    loaded = parse_file(buffer.getvalue(), "predictions.parquet")
    assert loaded.to_dict("records") == [{"area": 2, "consumer_type": 999, "datetime_utc": 468560, "value": 5.0}]


def test_duplicates_keep_the_last_row_and_rows_come_out_sorted():
    table = pa.table(
        {
            "energy_consumption": [3.0, 1.0, 2.0, 9.0],
            "area": [2, 1, 1, 1],
            "consumer_type": [111, 111, 111, 111],
            "datetime_utc": [10, 11, 10, 11],
        }
    )
    frame = parse_file(parquet_bytes(table), "y.parquet")
    assert frame[["area", "datetime_utc", "value"]].values.tolist() == [[1, 10, 2.0], [1, 11, 9.0], [2, 10, 3.0]]


def test_nan_and_infinite_values_are_dropped():
    table = pa.table(
        {
            "energy_consumption": [np.nan, np.inf, -np.inf, 4.0],
            "area": [1, 1, 1, 1],
            "consumer_type": [111] * 4,
            "datetime_utc": [1, 2, 3, 4],
        }
    )
    assert parse_file(parquet_bytes(table), "y.parquet")["datetime_utc"].tolist() == [4]


@pytest.mark.parametrize(
    "table",
    [
        pa.table({"value": [1.0], "area": [1], "consumer_type": [111], "datetime_utc": [1]}),
        pa.table({"energy_consumption": [1.0], "region": [1], "consumer_type": [111], "datetime_utc": [1]}),
        pa.table({"energy_consumption": ["high"], "area": [1], "consumer_type": [111], "datetime_utc": [1]}),
        pa.table({"energy_consumption": [1.0], "area": ["DK1"], "consumer_type": [111], "datetime_utc": [1]}),
        pa.table({"energy_consumption": [1.0], "area": [1], "consumer_type": [111], "datetime_utc": ["2023-01-01"]}),
    ],
    ids=["wrong-value-column", "wrong-key-column", "text-values", "text-area", "text-times"],
)
def test_a_file_with_the_wrong_columns_is_rejected_with_a_reason(table):
    with pytest.raises(DataFileError, match=r"y\.parquet"):
        parse_file(parquet_bytes(table), "y.parquet")


def test_corrupt_bytes_are_rejected_with_a_reason():
    with pytest.raises(DataFileError, match="not a readable parquet file"):
        parse_file(b"PAR1 this is not parquet", "predictions.parquet")


def test_a_rejected_file_is_logged_once_in_one_line(tmp_path, caplog):
    for path in BUCKET_PANDAS15.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "y_monitoring.parquet").write_bytes(
        parquet_bytes(pa.table({"wrong": [1.0], "area": [1], "consumer_type": [1], "datetime_utc": [1]}))
    )
    store = DataStore(LocalStorage(tmp_path), refresh_seconds=60)
    with caplog.at_level(logging.ERROR, logger="api.store"):
        assert store.refresh() is True  # served without monitoring
        assert store.refresh() is False  # the same rejected file: nothing new, and no second log line
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 1 and "\n" not in lines[0]
    assert "y_monitoring.parquet" in lines[0] and "missing ['energy_consumption']" in lines[0]
    assert store.current is not None and not store.current.has_monitoring
