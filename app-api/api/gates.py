"""The data gates: what an upload must satisfy before it may enter a snapshot (contract, section 4).

A new generation of an object passes, in this order: its size in the bucket listing (before it is
downloaded); its parquet footer, row count and uncompressed size (before anything is
decompressed); its schema (the columns the API reads, with types that can hold their values); then
its values: no null key, codes of the right kind, plausible hours, finite values within bounds.
Only then is it normalised (`api.loading`). Between files, the forecast must sit near the 24 hours
after the last observed hour (`forecast_mismatch`, run by the store on the pair it would serve).

A failure raises `GateFailure`: the rule, and one line in our own words naming the object, the
column, the first offending row (0-based, in file order) and the value where it is a number. The
library's own exception, if there was one, is kept as `__cause__` for the log and never shown.

Mess the contract says to serve (NaN values, duplicated or unsorted rows, gaps, unknown consumer
codes, every writer's hour encoding and integer width) passes untouched. The footer limits bound
the work before decompression; the types bound what decoding makes of it (the API reads only
fixed-width numeric columns, at most `max_rows` of them), so a small file cannot become gigabytes.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from api.loading import DataFileError, FileSpec, distinct_series, normalised_frame, table_columns
from api.storage import ObjectVersion

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SECONDS_PER_HOUR = 3600
AREA_CODES = range(0, 100)  # 0 = DK, 1 = DK1, 2 = DK2; others are data, but not three-digit DE35 codes
CONSUMER_TYPE_CODES = range(100, 1000)  # DE35 industry codes have three digits; unknown ones are data
MAX_NAMES_SHOWN = 8
SAFE_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")
# What hours written in another unit look like when read as hours: the factor that brings them back.
OTHER_UNITS = (
    ("days", 1 / 24),
    ("seconds", 3600),
    ("milliseconds", 3_600_000),
    ("microseconds", 3_600_000_000),
    ("nanoseconds", 3_600_000_000_000),
)


class Rule(StrEnum):
    """Why an upload was rejected (the `rule` field of `/ready`, `/status` and `/freshness`)."""

    OBJECT_SIZE = "object_size"
    UNREADABLE = "unreadable"
    ROW_COUNT = "row_count"
    UNCOMPRESSED_SIZE = "uncompressed_size"
    MISSING_COLUMN = "missing_column"
    COLUMN_TYPE = "column_type"
    NULL_KEY = "null_key"
    CODE = "code"
    HOUR_TOO_EARLY = "hour_too_early"
    HOUR_TOO_LATE = "hour_too_late"
    FORECAST_HORIZON = "forecast_horizon"
    NOT_FINITE = "not_finite"
    VALUE_TOO_LARGE = "value_too_large"
    SNAPSHOT_BUILD = "snapshot_build"


@dataclass(frozen=True)
class GateLimits:
    """The gates' settings (`APP_API_*`, see `api.config`); the defaults are the documented ones."""

    max_object_bytes: int = 128 * 1024**2
    max_rows: int = 3_000_000
    max_uncompressed_bytes: int = 128 * 1024**2
    earliest_hour: int = 262_968  # 2000-01-01T00:00Z
    max_hours_ahead: int = 72
    forecast_horizon_hours: int = 24
    forecast_slack_hours: int = 72
    max_abs_value: float = 1e12

    @classmethod
    def from_settings(cls, settings: object) -> "GateLimits":
        earliest: datetime = settings.EARLIEST_HOUR  # type: ignore[attr-defined]
        return cls(
            max_object_bytes=settings.MAX_OBJECT_BYTES,  # type: ignore[attr-defined]
            max_rows=settings.MAX_ROWS,  # type: ignore[attr-defined]
            max_uncompressed_bytes=settings.MAX_UNCOMPRESSED_BYTES,  # type: ignore[attr-defined]
            earliest_hour=int((earliest - EPOCH).total_seconds() // SECONDS_PER_HOUR),
            max_hours_ahead=settings.MAX_HOURS_AHEAD,  # type: ignore[attr-defined]
            forecast_horizon_hours=settings.FORECAST_HORIZON_HOURS,  # type: ignore[attr-defined]
            forecast_slack_hours=settings.FORECAST_SLACK_HOURS,  # type: ignore[attr-defined]
            max_abs_value=settings.MAX_ABS_VALUE,  # type: ignore[attr-defined]
        )


class GateFailure(Exception):
    """An upload that must not be served: the rule it breaks and a one-line message in our words."""

    def __init__(self, rule: Rule, message: str, column: str | None = None, row: int | None = None) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.column = column
        self.row = row


@dataclass(frozen=True)
class Rejection:
    """A rejected generation of one object, as `/ready`, `/status`, `/freshness` and the log report it."""

    object: str
    generation: str
    first_seen: datetime
    uploaded_at: datetime | None
    rule: Rule
    column: str | None
    row: int | None
    message: str


def hour_text(hour: int) -> str:
    """'2023-06-14 23:00 UTC' for an hour since the epoch; years beyond 9999 by number."""
    try:
        return f"{EPOCH + timedelta(hours=int(hour)):%Y-%m-%d %H:00} UTC"
    except OverflowError:
        return f"hour {int(hour):,} (beyond the year 9999)"


def _unit_hint(hour: int, low: int, high: int) -> str:
    """A guess at the unit mistake that makes `hour` implausible, if one brings it into [low, high]."""
    for unit, factor in OTHER_UNITS:
        if low <= hour / factor <= high:
            return f" (it looks like {unit} since 1970, not hours)"
    return ""


def _names(names: list[str]) -> str:
    """Column names from the file, for a message: only short plain identifiers, at most a few."""
    shown = [name if SAFE_NAME.match(name) else "…" for name in names[:MAX_NAMES_SHOWN]]
    return ", ".join(shown) + (", …" if len(names) > MAX_NAMES_SHOWN else "") if shown else "none"


def _kind(data_type: pa.DataType) -> str:
    """A column's type in words (our words, never the library's rendering of a hostile schema)."""
    if isinstance(data_type, pa.ExtensionType):
        data_type = data_type.storage_type
    for test, words in (
        (pa.types.is_integer, "integers"),
        (pa.types.is_floating, "decimal numbers"),
        (pa.types.is_string, "text"),
        (pa.types.is_large_string, "text"),
        (pa.types.is_binary, "bytes"),
        (pa.types.is_large_binary, "bytes"),
        (pa.types.is_boolean, "true/false values"),
        (pa.types.is_timestamp, "timestamps"),
        (pa.types.is_date, "dates"),
        (pa.types.is_decimal, "fixed-point decimals"),
        (pa.types.is_dictionary, "categories"),
        (pa.types.is_null, "nothing (every value is empty)"),
    ):
        if test(data_type):
            return words
    return "values of another type"


def _accepts(column: str, data_type: pa.DataType, spec: FileSpec) -> bool:
    """Whether a column of this type can hold the contract's values (an all-empty column is left to
    the null-key check, or is an all-missing value column, which is mess)."""
    if isinstance(data_type, pa.ExtensionType):
        data_type = data_type.storage_type
    if pa.types.is_null(data_type):
        return True
    if column == spec.value_column:
        return pa.types.is_integer(data_type) or pa.types.is_floating(data_type)
    if column == "datetime_utc":
        return pa.types.is_integer(data_type) or pa.types.is_timestamp(data_type) or pa.types.is_date(data_type)
    return pa.types.is_integer(data_type)


EXPECTED = {"datetime_utc": "integer hours, periods or timestamps", "area": "integers", "consumer_type": "integers"}


def check_listing(version: ObjectVersion, limits: GateLimits) -> None:
    """The object's size from the bucket listing: an oversized object is never downloaded."""
    if version.size > limits.max_object_bytes:
        raise GateFailure(
            Rule.OBJECT_SIZE,
            f"{version.name} is {version.size:,} bytes, over the limit of {limits.max_object_bytes:,} "
            "(APP_API_MAX_OBJECT_BYTES); it was not downloaded",
        )


def check_footer(data: bytes, spec: FileSpec, limits: GateLimits) -> pq.ParquetFile:
    """Open the file by its footer alone and check rows, uncompressed size and schema; nothing is
    decompressed here."""
    if len(data) > limits.max_object_bytes:  # replaced by a larger object since the listing
        raise GateFailure(
            Rule.OBJECT_SIZE,
            f"{spec.name} is {len(data):,} bytes, over the limit of {limits.max_object_bytes:,} "
            "(APP_API_MAX_OBJECT_BYTES)",
        )
    try:
        parquet = pq.ParquetFile(pa.BufferReader(data))
        metadata = parquet.metadata
        schema = parquet.schema_arrow
    except Exception as error:
        raise GateFailure(
            Rule.UNREADABLE, f"{spec.name} is not a readable parquet file (truncated or damaged: no valid footer)"
        ) from error
    if metadata.num_rows > limits.max_rows:
        raise GateFailure(
            Rule.ROW_COUNT,
            f"{spec.name} holds {metadata.num_rows:,} rows, over the limit of {limits.max_rows:,} (APP_API_MAX_ROWS)",
        )
    uncompressed = sum(
        metadata.row_group(group).column(column).total_uncompressed_size
        for group in range(metadata.num_row_groups)
        for column in range(metadata.num_columns)
    )
    if uncompressed > limits.max_uncompressed_bytes:
        raise GateFailure(
            Rule.UNCOMPRESSED_SIZE,
            f"{spec.name} decompresses to {uncompressed:,} bytes ({len(data):,} stored), over the limit of "
            f"{limits.max_uncompressed_bytes:,} (APP_API_MAX_UNCOMPRESSED_BYTES)",
        )
    missing = [name for name in spec.columns if name not in schema.names]
    if missing:
        raise GateFailure(
            Rule.MISSING_COLUMN,
            f"{spec.name} lacks a required column or index level: missing {missing} (it has: {_names(schema.names)})",
            column=missing[0],
        )
    for name in spec.columns:
        data_type = schema.field(name).type
        if not _accepts(name, data_type, spec):
            expected = "numbers (kWh)" if name == spec.value_column else EXPECTED[name]
            raise GateFailure(
                Rule.COLUMN_TYPE,
                f"{spec.name}: column {name} holds {_kind(data_type)}, expected {expected}",
                column=name,
            )
    return parquet


def _first(mask: np.ndarray) -> int | None:
    return int(mask.argmax()) if mask.any() else None


def _check_keys(table: pa.Table, spec: FileSpec) -> None:
    for key in spec.keys:
        column = table.column(key)
        if column.null_count:
            row = pc.index(pc.is_null(column), True).as_py()
            raise GateFailure(Rule.NULL_KEY, f"{spec.name}: {key} is empty (null) in row {row:,}", key, row)


def _check_codes(columns: dict[str, np.ndarray], spec: FileSpec) -> None:
    for key, codes, what in (
        ("area", AREA_CODES, "price-area code (0 = DK, 1 = DK1, 2 = DK2)"),
        ("consumer_type", CONSUMER_TYPE_CODES, "DE35 consumer type code (three digits)"),
    ):
        if key not in columns:
            continue
        values = columns[key]
        row = _first((values < codes.start) | (values >= codes.stop))
        if row is not None:
            raise GateFailure(
                Rule.CODE, f"{spec.name}: {key} {int(values[row])} in row {row:,} is not a {what}", key, row
            )


def _check_hours(hours: np.ndarray, spec: FileSpec, limits: GateLimits, now: datetime) -> None:
    earliest = limits.earliest_hour
    latest = int(now.timestamp() // SECONDS_PER_HOUR) + limits.max_hours_ahead
    if spec.forecast:
        latest += limits.forecast_horizon_hours
    row = _first(hours < earliest)
    if row is not None:
        hour = int(hours[row])
        raise GateFailure(
            Rule.HOUR_TOO_EARLY,
            f"{spec.name}: datetime_utc in row {row:,} is {hour_text(hour)}, before {hour_text(earliest)} "
            f"(APP_API_EARLIEST_HOUR){_unit_hint(hour, earliest, latest)}",
            "datetime_utc",
            row,
        )
    row = _first(hours > latest)
    if row is not None:
        hour = int(hours[row])
        allowed = f"{limits.max_hours_ahead} h" + (
            f" + the {limits.forecast_horizon_hours}-hour horizon" if spec.forecast else ""
        )
        raise GateFailure(
            Rule.HOUR_TOO_LATE,
            f"{spec.name}: datetime_utc in row {row:,} is {hour_text(hour)}, more than {allowed} after the "
            f"API's clock (APP_API_MAX_HOURS_AHEAD){_unit_hint(hour, earliest, latest)}",
            "datetime_utc",
            row,
        )


def _check_values(values: np.ndarray, spec: FileSpec, limits: GateLimits) -> None:
    column = spec.value_column
    row = _first(np.isinf(values))
    if row is not None:
        raise GateFailure(Rule.NOT_FINITE, f"{spec.name}: {column} is infinite in row {row:,}", column, row)
    row = _first(np.abs(values) > limits.max_abs_value)  # NaN compares false: missing values are mess
    if row is not None:
        raise GateFailure(
            Rule.VALUE_TOO_LARGE,
            f"{spec.name}: {column} is {values[row]:.4g} in row {row:,}, beyond ±{limits.max_abs_value:.0e} "
            "(APP_API_MAX_ABS_VALUE)",
            column,
            row,
        )


def checked_frame(data: bytes, spec: FileSpec, limits: GateLimits, now: datetime) -> pd.DataFrame:
    """The file's normalised frame if it passes every per-file gate; `GateFailure` otherwise."""
    parquet = check_footer(data, spec, limits)
    try:
        table = parquet.read(columns=list(spec.columns))
    except Exception as error:
        raise GateFailure(
            Rule.UNREADABLE, f"{spec.name} is not a readable parquet file (its data pages cannot be decoded)"
        ) from error
    _check_keys(table, spec)
    try:
        columns = table_columns(table, spec)
    except DataFileError as error:  # a type the footer's schema did not show (an unusual extension, say)
        raise GateFailure(Rule.COLUMN_TYPE, f"{spec.name}: a column has a type the API cannot read") from error
    _check_codes(columns, spec)
    _check_hours(columns["datetime_utc"], spec, limits, now)
    if spec.value_column:
        _check_values(columns["value"], spec, limits)
    if spec.value_column is None:
        return distinct_series(table, spec)
    return normalised_frame(columns, spec)


@dataclass(frozen=True)
class ForecastMismatch:
    """The forecast does not follow the observations; one message for each file, to blame either."""

    observations_message: str
    forecast_message: str


def forecast_mismatch(observed: pd.DataFrame, forecast: pd.DataFrame, limits: GateLimits) -> ForecastMismatch | None:
    """None when the forecast's hours lie within the slack of the horizon after the last observed hour.

    The pipeline rewrites its files one after another, so a reader sees old observations with a new
    forecast (or the reverse) for a moment: a day apart, well inside the default slack of 72 h. Hours
    in another unit, or a forecast of another year, are far outside it.
    """
    if observed.empty or forecast.empty:
        return None
    last = int(observed["datetime_utc"].max())
    first, final = int(forecast["datetime_utc"].min()), int(forecast["datetime_utc"].max())
    slack, horizon = limits.forecast_slack_hours, limits.forecast_horizon_hours
    if first >= last - slack and final <= last + horizon + slack:
        return None
    window = f"{hour_text(first)} – {hour_text(final)}"
    rule = f"more than {slack} h (APP_API_FORECAST_SLACK_HOURS) outside the {horizon} hours after"
    return ForecastMismatch(
        observations_message=f"y.parquet: its last observed hour (datetime_utc {hour_text(last)}) leaves the "
        f"forecast in predictions.parquet ({window}) {rule} it",
        forecast_message=f"predictions.parquet: its datetime_utc runs {window}, {rule} the last observed hour in "
        f"y.parquet ({hour_text(last)})",
    )
