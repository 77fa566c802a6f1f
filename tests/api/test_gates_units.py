"""`api.gates` function by function: small parquet files built in memory, literal expected values.

These are the fast tests the mutation run of `api.gates` uses (no app, no bucket): each rule at its
boundary (the last value that passes and the first that fails), the message in the words a person
reads on `/ready`, and the frame a passing file becomes. `test_data_gates.py` proves the same rules
through the served API and fake-gcs-server.
"""

import io
from datetime import UTC, datetime
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from api.gates import (
    GateFailure,
    GateLimits,
    Rule,
    _accepts,
    _check_codes,
    _first,
    _kind,
    _names,
    _unit_hint,
    check_footer,
    check_listing,
    checked_frame,
    forecast_mismatch,
    hour_text,
)
from api.loading import FILE_SPECS
from api.storage import ObjectVersion

NOW = datetime(2024, 1, 1, tzinfo=UTC)  # hour 473,352 since the epoch
NOW_HOUR = 473_352
Y = FILE_SPECS["y.parquet"]
X = FILE_SPECS["X.parquet"]
PREDICTIONS = FILE_SPECS["predictions.parquet"]
METRICS = FILE_SPECS["metrics_monitoring.parquet"]
LIMITS = GateLimits()


def parquet(columns: dict[str, pa.Array], row_group_size: int | None = None) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(pa.table(columns), buffer, row_group_size=row_group_size)
    return buffer.getvalue()


def y_file(
    area: list[int] | None = None,
    consumer_type: list[int] | None = None,
    hours: list[int] | None = None,
    values: list[float] | None = None,
) -> bytes:
    """A y.parquet of three rows (or the columns given), integer hours around NOW."""
    return parquet(
        {
            "area": pa.array(area or [1, 1, 2], pa.int64()),
            "consumer_type": pa.array(consumer_type or [111, 111, 111], pa.int64()),
            "datetime_utc": pa.array(hours or [NOW_HOUR - 2, NOW_HOUR - 1, NOW_HOUR - 2], pa.int64()),
            "energy_consumption": pa.array(values or [1.0, 2.0, 3.0], pa.float64()),
        }
    )


def failure(call, *arguments) -> GateFailure:
    with pytest.raises(GateFailure) as raised:
        call(*arguments)
    return raised.value


class Months(pa.ExtensionType):
    """An extension type over int64 storage, as pandas' period columns are."""

    def __init__(self) -> None:
        super().__init__(pa.int64(), "test.months")

    def __arrow_ext_serialize__(self) -> bytes:
        return b""

    @classmethod
    def __arrow_ext_deserialize__(cls, storage_type, serialized) -> "Months":
        return cls()


class Labels(pa.ExtensionType):
    def __init__(self) -> None:
        super().__init__(pa.string(), "test.labels")

    def __arrow_ext_serialize__(self) -> bytes:
        return b""

    @classmethod
    def __arrow_ext_deserialize__(cls, storage_type, serialized) -> "Labels":
        return cls()


# Settings, failures, texts ---------------------------------------------------------------------------


def test_limits_from_settings_take_every_setting_and_count_the_earliest_hour_from_1970():
    settings = SimpleNamespace(
        EARLIEST_HOUR=datetime(2000, 1, 1, 5, 59, tzinfo=UTC),
        MAX_OBJECT_BYTES=11,
        MAX_ROWS=12,
        MAX_UNCOMPRESSED_BYTES=13,
        MAX_HOURS_AHEAD=14,
        FORECAST_HORIZON_HOURS=15,
        FORECAST_SLACK_HOURS=16,
        MAX_ABS_VALUE=17.5,
    )
    assert GateLimits.from_settings(settings) == GateLimits(
        max_object_bytes=11,
        max_rows=12,
        max_uncompressed_bytes=13,
        earliest_hour=262_973,
        max_hours_ahead=14,
        forecast_horizon_hours=15,
        forecast_slack_hours=16,
        max_abs_value=17.5,
    )


def test_a_gate_failure_keeps_rule_message_column_and_row():
    error = GateFailure(Rule.CODE, "y.parquet: bad", "area", 3)
    assert (error.rule, error.message, error.column, error.row, str(error)) == (
        Rule.CODE,
        "y.parquet: bad",
        "area",
        3,
        "y.parquet: bad",
    )
    bare = GateFailure(Rule.UNREADABLE, "broken")
    assert (bare.column, bare.row) == (None, None)


@pytest.mark.parametrize(
    ("hour", "text"),
    [
        (0, "1970-01-01 00:00 UTC"),
        (262_968, "2000-01-01 00:00 UTC"),
        (np.int64(473_375), "2024-01-01 23:00 UTC"),
        (1_000_000_000, "hour 1,000,000,000 (beyond the year 9999)"),
        (np.int64(87_658_200), "hour 87,658,200 (beyond the year 9999)"),
    ],
)
def test_hour_text(hour, text):
    assert hour_text(hour) == text


@pytest.mark.parametrize(
    ("hour", "hint"),
    [
        (300_000, ""),  # in range as hours: no other unit is suggested
        (12_000, " (it looks like days since 1970, not hours)"),  # 288,000 hours
        (262_968 * 3600, " (it looks like seconds since 1970, not hours)"),  # exactly the low end
        (500_000 * 3600, " (it looks like seconds since 1970, not hours)"),  # exactly the high end
        (500_000 * 3600 + 1, ""),  # just above the high end in seconds, far below it in milliseconds
        (262_968 * 3600 - 1, ""),
        (400_000 * 3_600_000, " (it looks like milliseconds since 1970, not hours)"),
        (400_000 * 3_600_000_000, " (it looks like microseconds since 1970, not hours)"),
        (400_000 * 3_600_000_000_000, " (it looks like nanoseconds since 1970, not hours)"),
    ],
)
def test_unit_hint_names_the_unit_that_brings_the_hour_into_range(hour, hint):
    assert _unit_hint(hour, 262_968, 500_000) == hint


@pytest.mark.parametrize(
    ("names", "text"),
    [
        ([], "none"),
        (["area", "x y", "a" * 40, "b" * 41], "area, …, " + "a" * 40 + ", …"),
        ([f"c{i}" for i in range(8)], "c0, c1, c2, c3, c4, c5, c6, c7"),
        ([f"c{i}" for i in range(9)], "c0, c1, c2, c3, c4, c5, c6, c7, …"),
    ],
)
def test_column_names_in_a_message_are_few_and_plain(names, text):
    assert _names(names) == text


@pytest.mark.parametrize(
    ("data_type", "words"),
    [
        (pa.int8(), "integers"),
        (pa.float32(), "decimal numbers"),
        (pa.string(), "text"),
        (pa.large_string(), "text"),
        (pa.binary(), "bytes"),
        (pa.large_binary(), "bytes"),
        (pa.bool_(), "true/false values"),
        (pa.timestamp("s"), "timestamps"),
        (pa.date32(), "dates"),
        (pa.decimal128(5, 2), "fixed-point decimals"),
        (pa.dictionary(pa.int8(), pa.string()), "categories"),
        (pa.null(), "nothing (every value is empty)"),
        (pa.list_(pa.int64()), "values of another type"),
        (Months(), "integers"),
        (Labels(), "text"),
    ],
)
def test_a_column_type_in_words(data_type, words):
    assert _kind(data_type) == words


@pytest.mark.parametrize(
    ("column", "data_type", "accepted"),
    [
        ("energy_consumption", pa.int32(), True),
        ("energy_consumption", pa.float32(), True),
        ("energy_consumption", pa.string(), False),
        ("energy_consumption", pa.timestamp("s"), False),
        ("energy_consumption", pa.null(), True),
        ("datetime_utc", pa.int64(), True),
        ("datetime_utc", pa.timestamp("ms", tz="UTC"), True),
        ("datetime_utc", pa.date32(), True),
        ("datetime_utc", pa.float64(), False),
        ("datetime_utc", Months(), True),
        ("datetime_utc", Labels(), False),
        ("area", pa.int16(), True),
        ("area", pa.float64(), False),
        ("area", pa.timestamp("s"), False),
        ("area", pa.null(), True),
        ("consumer_type", pa.uint32(), True),
        ("consumer_type", pa.string(), False),
    ],
)
def test_which_column_types_can_hold_the_contracts_values(column, data_type, accepted):
    assert _accepts(column, data_type, Y) is accepted


def test_metrics_value_column_is_judged_as_numbers():
    assert _accepts("MAPE", pa.float64(), METRICS) is True
    assert _accepts("MAPE", pa.string(), METRICS) is False


@pytest.mark.parametrize(("mask", "row"), [([False, False], None), ([False, True, True], 1), ([True], 0), ([], None)])
def test_first_offending_row(mask, row):
    assert _first(np.array(mask, dtype=bool)) == row


# The listing and the footer -----------------------------------------------------------------------


def test_the_listing_size_limit_is_inclusive():
    limits = GateLimits(max_object_bytes=1000)
    check_listing(ObjectVersion("y.parquet", "7", None, 1000), limits)
    error = failure(check_listing, ObjectVersion("y.parquet", "7", None, 1001), limits)
    assert (error.rule, error.message, error.column, error.row) == (
        Rule.OBJECT_SIZE,
        "y.parquet is 1,001 bytes, over the limit of 1,000 (APP_API_MAX_OBJECT_BYTES); it was not downloaded",
        None,
        None,
    )


def test_the_downloaded_size_limit_is_inclusive():
    data = y_file()
    assert isinstance(check_footer(data, Y, GateLimits(max_object_bytes=len(data))), pq.ParquetFile)
    error = failure(check_footer, data, Y, GateLimits(max_object_bytes=len(data) - 1))
    assert error.rule == Rule.OBJECT_SIZE
    assert error.message == (
        f"y.parquet is {len(data):,} bytes, over the limit of {len(data) - 1:,} (APP_API_MAX_OBJECT_BYTES)"
    )


def test_bytes_that_are_not_parquet_are_unreadable_with_the_librarys_error_kept_as_cause():
    error = failure(check_footer, b"PAR1 not really", Y, LIMITS)
    assert (error.rule, error.message) == (
        Rule.UNREADABLE,
        "y.parquet is not a readable parquet file (truncated or damaged: no valid footer)",
    )
    assert error.__cause__ is not None


def test_the_row_limit_is_inclusive_and_read_from_the_footer():
    data = y_file()  # three rows
    check_footer(data, Y, GateLimits(max_rows=3))
    error = failure(check_footer, data, Y, GateLimits(max_rows=2))
    assert (error.rule, error.message) == (
        Rule.ROW_COUNT,
        "y.parquet holds 3 rows, over the limit of 2 (APP_API_MAX_ROWS)",
    )


def test_the_uncompressed_size_counts_every_column_of_every_row_group():
    data = parquet(
        {
            "area": pa.array([1, 1, 2], pa.int64()),
            "consumer_type": pa.array([111, 111, 111], pa.int64()),
            "datetime_utc": pa.array([NOW_HOUR - 2, NOW_HOUR - 1, NOW_HOUR - 2], pa.int64()),
            "energy_consumption": pa.array([1.0, 2.0, 3.0], pa.float64()),
        },
        row_group_size=2,
    )
    metadata = pq.ParquetFile(pa.BufferReader(data)).metadata
    assert metadata.num_row_groups == 2
    sizes = [metadata.row_group(g).column(c).total_uncompressed_size for g in range(2) for c in range(4)]
    assert all(size > 0 for size in sizes)
    total = sum(sizes)
    check_footer(data, Y, GateLimits(max_uncompressed_bytes=total))
    error = failure(check_footer, data, Y, GateLimits(max_uncompressed_bytes=total - 1))
    assert (error.rule, error.message) == (
        Rule.UNCOMPRESSED_SIZE,
        f"y.parquet decompresses to {total:,} bytes ({len(data):,} stored), over the limit of "
        f"{total - 1:,} (APP_API_MAX_UNCOMPRESSED_BYTES)",
    )


def test_missing_columns_are_all_named_and_the_first_is_the_failures_column():
    data = parquet({"area": pa.array([1], pa.int64()), "kwh": pa.array([1.0])})
    error = failure(check_footer, data, Y, LIMITS)
    assert (error.rule, error.column, error.row, error.message) == (
        Rule.MISSING_COLUMN,
        "consumer_type",
        None,
        "y.parquet lacks a required column or index level: missing "
        "['consumer_type', 'datetime_utc', 'energy_consumption'] (it has: area, kwh)",
    )


@pytest.mark.parametrize(
    ("column", "data_type", "message"),
    [
        ("area", pa.float64(), "y.parquet: column area holds decimal numbers, expected integers"),
        ("consumer_type", pa.string(), "y.parquet: column consumer_type holds text, expected integers"),
        (
            "datetime_utc",
            pa.float64(),
            "y.parquet: column datetime_utc holds decimal numbers, expected integer hours, periods or timestamps",
        ),
        ("energy_consumption", pa.string(), "y.parquet: column energy_consumption holds text, expected numbers (kWh)"),
    ],
)
def test_a_column_of_the_wrong_type_is_named_with_what_it_holds(column, data_type, message):
    columns = {
        "area": pa.array([1], pa.int64()),
        "consumer_type": pa.array([111], pa.int64()),
        "datetime_utc": pa.array([NOW_HOUR], pa.int64()),
        "energy_consumption": pa.array([1.0]),
    }
    columns[column] = pa.array(["1"] if pa.types.is_string(data_type) else [1.0], data_type)
    error = failure(check_footer, parquet(columns), Y, LIMITS)
    assert (error.rule, error.column, error.row, error.message) == (Rule.COLUMN_TYPE, column, None, message)


# The values -------------------------------------------------------------------------------------


def test_a_file_that_passes_becomes_its_normalised_frame():
    frame = checked_frame(y_file(), Y, LIMITS, NOW)
    assert frame.to_dict("list") == {
        "area": [1, 1, 2],
        "consumer_type": [111, 111, 111],
        "datetime_utc": [NOW_HOUR - 2, NOW_HOUR - 1, NOW_HOUR - 2],
        "value": [1.0, 2.0, 3.0],
    }


def test_x_becomes_its_distinct_series():
    data = parquet(
        {
            "area": pa.array([2, 1, 2], pa.int64()),
            "consumer_type": pa.array([111, 222, 111], pa.int64()),
            "datetime_utc": pa.array([NOW_HOUR, NOW_HOUR, NOW_HOUR + 1], pa.int64()),
            "feature": pa.array([0.5, 0.5, 0.5]),
        }
    )
    frame = checked_frame(data, X, LIMITS, NOW)
    assert frame.to_dict("list") == {"area": [1, 2], "consumer_type": [222, 111]}


def test_a_null_key_names_its_first_row():
    data = parquet(
        {
            "area": pa.array([1, 1, 1], pa.int64()),
            "consumer_type": pa.array([111, None, None], pa.int64()),
            "datetime_utc": pa.array([NOW_HOUR, NOW_HOUR, NOW_HOUR], pa.int64()),
            "energy_consumption": pa.array([1.0, 2.0, 3.0]),
        }
    )
    error = failure(checked_frame, data, Y, LIMITS, NOW)
    assert (error.rule, error.column, error.row, error.message) == (
        Rule.NULL_KEY,
        "consumer_type",
        1,
        "y.parquet: consumer_type is empty (null) in row 1",
    )


AREA = "is not a price-area code (0 = DK, 1 = DK1, 2 = DK2)"
DE35 = "is not a DE35 consumer type code (three digits)"


@pytest.mark.parametrize(
    ("area", "consumer_type", "column", "row", "message"),
    [
        ([0, 99, 100], [111, 111, 111], "area", 2, f"area 100 in row 2 {AREA}"),
        ([1, -1, 1], [111, 111, 111], "area", 1, f"area -1 in row 1 {AREA}"),
        ([1, 1, 1], [100, 999, 99], "consumer_type", 2, f"consumer_type 99 in row 2 {DE35}"),
        ([1, 1, 1], [1000, 999, 100], "consumer_type", 0, f"consumer_type 1000 in row 0 {DE35}"),
    ],
)  # fmt: skip
def test_codes_out_of_their_range_name_the_first_row(area, consumer_type, column, row, message):
    error = failure(checked_frame, y_file(area=area, consumer_type=consumer_type), Y, LIMITS, NOW)
    assert (error.rule, error.column, error.row, error.message) == (Rule.CODE, column, row, f"y.parquet: {message}")


def test_codes_at_the_ends_of_their_ranges_pass():
    frame = checked_frame(y_file(area=[0, 99, 0], consumer_type=[100, 999, 999]), Y, LIMITS, NOW)
    assert frame[["area", "consumer_type"]].to_numpy().tolist() == [[0, 100], [0, 999], [99, 999]]


def test_a_file_without_code_columns_skips_the_code_check():
    data = parquet({"datetime_utc": pa.array([NOW_HOUR - 1], pa.int64()), "MAPE": pa.array([0.05])})
    assert checked_frame(data, METRICS, LIMITS, NOW).to_dict("list") == {
        "datetime_utc": [NOW_HOUR - 1],
        "value": [0.05],
    }


def test_hours_at_the_ends_of_the_plausible_window_pass():
    limits = GateLimits(earliest_hour=400_000, max_hours_ahead=5, forecast_horizon_hours=24)
    frame = checked_frame(y_file(hours=[400_000, NOW_HOUR + 5, NOW_HOUR]), Y, limits, NOW)
    assert sorted(frame["datetime_utc"]) == [400_000, NOW_HOUR, NOW_HOUR + 5]
    forecast = checked_frame(y_file(hours=[400_000, NOW_HOUR + 29, NOW_HOUR]), PREDICTIONS, limits, NOW)
    assert sorted(forecast["datetime_utc"]) == [400_000, NOW_HOUR, NOW_HOUR + 29]


def test_an_hour_before_the_earliest_names_the_row_and_the_unit_it_looks_like():
    limits = GateLimits(earliest_hour=400_000, max_hours_ahead=5)
    error = failure(checked_frame, y_file(hours=[400_000, 399_999, 20_000]), Y, limits, NOW)
    assert (error.rule, error.column, error.row, error.message) == (
        Rule.HOUR_TOO_EARLY,
        "datetime_utc",
        1,
        "y.parquet: datetime_utc in row 1 is 2015-08-19 15:00 UTC, before 2015-08-19 16:00 UTC (APP_API_EARLIEST_HOUR)",
    )
    days = failure(checked_frame, y_file(hours=[19_000, NOW_HOUR, NOW_HOUR]), Y, limits, NOW)
    assert days.message == (
        "y.parquet: datetime_utc in row 0 is 1972-03-02 16:00 UTC, before 2015-08-19 16:00 UTC "
        "(APP_API_EARLIEST_HOUR) (it looks like days since 1970, not hours)"
    )


def test_an_hour_too_far_ahead_names_the_row_the_allowance_and_the_unit_it_looks_like():
    limits = GateLimits(earliest_hour=400_000, max_hours_ahead=5, forecast_horizon_hours=24)
    error = failure(checked_frame, y_file(hours=[NOW_HOUR, NOW_HOUR + 6, NOW_HOUR + 7]), Y, limits, NOW)
    assert (error.rule, error.column, error.row, error.message) == (
        Rule.HOUR_TOO_LATE,
        "datetime_utc",
        1,
        "y.parquet: datetime_utc in row 1 is 2024-01-01 06:00 UTC, more than 5 h after the API's clock "
        "(APP_API_MAX_HOURS_AHEAD)",
    )
    forecast = failure(checked_frame, y_file(hours=[NOW_HOUR, NOW_HOUR + 30, NOW_HOUR]), PREDICTIONS, limits, NOW)
    assert (forecast.rule, forecast.row, forecast.message) == (
        Rule.HOUR_TOO_LATE,
        1,
        "predictions.parquet: datetime_utc in row 1 is 2024-01-02 06:00 UTC, more than 5 h + the 24-hour horizon "
        "after the API's clock (APP_API_MAX_HOURS_AHEAD)",
    )
    seconds = failure(checked_frame, y_file(hours=[NOW_HOUR, NOW_HOUR * 3600, NOW_HOUR]), Y, limits, NOW)
    assert seconds.message == (
        "y.parquet: datetime_utc in row 1 is hour 1,704,067,200 (beyond the year 9999), more than 5 h after the "
        "API's clock (APP_API_MAX_HOURS_AHEAD) (it looks like seconds since 1970, not hours)"
    )


def test_the_clock_is_counted_in_whole_hours():
    limits = GateLimits(max_hours_ahead=0)
    a_second_before_one = datetime(2024, 1, 1, 0, 59, 59, tzinfo=UTC)
    assert len(checked_frame(y_file(hours=[NOW_HOUR, NOW_HOUR, NOW_HOUR]), Y, limits, a_second_before_one)) == 2
    too_late = failure(checked_frame, y_file(hours=[NOW_HOUR + 1] * 3), Y, limits, a_second_before_one)
    assert too_late.rule == Rule.HOUR_TOO_LATE


@pytest.mark.parametrize("infinity", [np.inf, -np.inf])
def test_an_infinite_value_is_refused(infinity):
    error = failure(checked_frame, y_file(values=[1.0, np.nan, infinity]), Y, LIMITS, NOW)
    assert (error.rule, error.column, error.row, error.message) == (
        Rule.NOT_FINITE,
        "energy_consumption",
        2,
        "y.parquet: energy_consumption is infinite in row 2",
    )


def test_the_value_bound_is_inclusive_on_both_signs_and_nan_is_mess_that_passes():
    limits = GateLimits(max_abs_value=1000.0)
    frame = checked_frame(y_file(values=[1000.0, -1000.0, np.nan]), Y, limits, NOW)
    assert frame["value"].tolist() == [1000.0, -1000.0]
    error = failure(checked_frame, y_file(values=[1000.0, -1000.5, 1e6]), Y, limits, NOW)
    assert (error.rule, error.column, error.row, error.message) == (
        Rule.VALUE_TOO_LARGE,
        "energy_consumption",
        1,
        "y.parquet: energy_consumption is -1000 in row 1, beyond ±1e+03 (APP_API_MAX_ABS_VALUE)",
    )
    big = failure(checked_frame, y_file(values=[1.0, 2.0, 123456789.0]), Y, limits, NOW)
    assert big.message == "y.parquet: energy_consumption is 1.235e+08 in row 2, beyond ±1e+03 (APP_API_MAX_ABS_VALUE)"


def test_data_pages_that_cannot_be_decoded_are_unreadable():
    data = bytearray(y_file(values=[float(i) for i in range(3)]))
    footer_start = len(data) - 8 - int.from_bytes(data[-8:-4], "little")
    for position in range(4, footer_start):  # every byte of the data pages, the footer left intact
        data[position] = 0xFF
    error = failure(checked_frame, bytes(data), Y, LIMITS, NOW)
    assert (error.rule, error.message) == (
        Rule.UNREADABLE,
        "y.parquet is not a readable parquet file (its data pages cannot be decoded)",
    )
    assert error.__cause__ is not None


def test_a_key_too_large_for_int64_is_a_column_type_failure():
    data = parquet(
        {
            "area": pa.array([1, 2**64 - 1], pa.uint64()),
            "consumer_type": pa.array([111, 111], pa.int64()),
            "datetime_utc": pa.array([NOW_HOUR, NOW_HOUR], pa.int64()),
            "energy_consumption": pa.array([1.0, 2.0]),
        }
    )
    error = failure(checked_frame, data, Y, LIMITS, NOW)
    assert (error.rule, error.message) == (Rule.COLUMN_TYPE, "y.parquet: a column has a type the API cannot read")
    assert error.__cause__ is not None


# Forecast against observations ------------------------------------------------------------------


def hours_frame(hours: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"datetime_utc": pd.array(hours, dtype="int64")})


@pytest.mark.parametrize(
    ("observed", "forecast"),
    [
        ([NOW_HOUR - 5, NOW_HOUR], [NOW_HOUR - 72, NOW_HOUR + 24 + 72]),  # both ends of the slack
        ([NOW_HOUR], [NOW_HOUR + 1, NOW_HOUR + 24]),
        ([], [1]),
        ([NOW_HOUR], []),
    ],
)
def test_a_forecast_within_the_slack_of_the_horizon_matches(observed, forecast):
    assert forecast_mismatch(hours_frame(observed), hours_frame(forecast), LIMITS) is None


@pytest.mark.parametrize(
    "forecast", [[NOW_HOUR - 73, NOW_HOUR + 24], [NOW_HOUR + 1, NOW_HOUR + 24 + 73], [NOW_HOUR - 73, NOW_HOUR + 97]]
)
def test_a_forecast_one_hour_beyond_the_slack_is_a_mismatch(forecast):
    assert forecast_mismatch(hours_frame([NOW_HOUR - 5, NOW_HOUR]), hours_frame(forecast), LIMITS) is not None


def test_a_mismatch_blames_each_file_in_its_own_message():
    limits = GateLimits(forecast_horizon_hours=24, forecast_slack_hours=10)
    mismatch = forecast_mismatch(
        hours_frame([NOW_HOUR - 1, NOW_HOUR]), hours_frame([NOW_HOUR + 50, NOW_HOUR + 35]), limits
    )
    assert mismatch is not None
    assert mismatch.observations_message == (
        "y.parquet: its last observed hour (datetime_utc 2024-01-01 00:00 UTC) leaves the forecast in "
        "predictions.parquet (2024-01-02 11:00 UTC – 2024-01-03 02:00 UTC) more than 10 h "
        "(APP_API_FORECAST_SLACK_HOURS) outside the 24 hours after it"
    )
    assert mismatch.forecast_message == (
        "predictions.parquet: its datetime_utc runs 2024-01-02 11:00 UTC – 2024-01-03 02:00 UTC, more than 10 h "
        "(APP_API_FORECAST_SLACK_HOURS) outside the 24 hours after the last observed hour in y.parquet "
        "(2024-01-01 00:00 UTC)"
    )


# Found by the mutation run (survivors of its first pass) ------------------------------------------


def test_an_earliest_hour_before_1970_is_floored_to_the_hour_before():
    settings = SimpleNamespace(
        EARLIEST_HOUR=datetime(1969, 12, 31, 23, 30, tzinfo=UTC),
        MAX_OBJECT_BYTES=1,
        MAX_ROWS=1,
        MAX_UNCOMPRESSED_BYTES=1,
        MAX_HOURS_AHEAD=1,
        FORECAST_HORIZON_HOURS=1,
        FORECAST_SLACK_HOURS=1,
        MAX_ABS_VALUE=1.0,
    )
    assert GateLimits.from_settings(settings).earliest_hour == -1


def test_a_clock_before_1970_is_floored_to_the_hour_before():
    limits = GateLimits(earliest_hour=-100, max_hours_ahead=0)
    clock = datetime(1969, 12, 31, 23, 30, tzinfo=UTC)  # hour -1 (23:00 on the last day of 1969)
    assert len(checked_frame(y_file(hours=[-1, -2, -1]), Y, limits, clock)) == 3
    assert failure(checked_frame, y_file(hours=[-1, 0, -1]), Y, limits, clock).row == 1


def test_the_consumer_type_codes_are_checked_even_without_an_area_column():
    columns = {"consumer_type": np.array([111, 5]), "datetime_utc": np.array([NOW_HOUR, NOW_HOUR])}
    with pytest.raises(GateFailure) as raised:
        _check_codes(columns, Y)
    assert (raised.value.column, raised.value.row) == ("consumer_type", 1)


def test_only_the_columns_the_api_reads_are_decoded():
    """An extra column whose pages are damaged is never decompressed, so it cannot fail the file."""
    columns = {
        "area": pa.array([1, 2], pa.int64()),
        "consumer_type": pa.array([111, 111], pa.int64()),
        "datetime_utc": pa.array([NOW_HOUR, NOW_HOUR], pa.int64()),
        "energy_consumption": pa.array([1.0, 2.0]),
        "notes": pa.array(["x" * 200, "y" * 200]),
    }
    data = bytearray(parquet(columns))
    chunk = pq.ParquetFile(pa.BufferReader(bytes(data))).metadata.row_group(0).column(4)
    start = chunk.dictionary_page_offset or chunk.data_page_offset
    data[start : start + chunk.total_compressed_size] = b"\xff" * chunk.total_compressed_size
    with pytest.raises(OSError):  # the damage is real: reading every column fails
        pq.read_table(pa.BufferReader(bytes(data)))
    assert checked_frame(bytes(data), Y, LIMITS, NOW)["value"].tolist() == [1.0, 2.0]
