"""The forms `/api/v2` answers in: JSON, CSV or parquet, chosen by `format` or the `Accept` header.

Negotiation is one dependency used by every data route. Tables are long (one row per hour); times are
ISO 8601 strings in CSV and JSON, and zone-aware timestamps in parquet, so `pd.read_parquet(url)` gives
a column pandas can plot and resample at once.

Bodies built per request run in a worker thread beside the event loop, which needs the GIL to answer
anything. So no step here holds the GIL for long: pyarrow writes CSV and parquet without it (JSON is
encoded in slices by `api.rendering`; the figures are in BENCHMARKS.md, "What made the difference").
"""

import io
from collections.abc import Mapping, Sequence
from typing import Annotated, Literal

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from fastapi import Header, HTTPException, Query

from api.http_caching import prepare_body
from api.timefmt import SECONDS_PER_HOUR, UTC_NAMES, iso_hours_or_none

Form = Literal["json", "csv", "parquet"]
MEDIA_TYPES: dict[str, str] = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
}
_ACCEPTED: dict[str, Form] = {
    "application/json": "json",
    "text/csv": "csv",
    "application/vnd.apache.parquet": "parquet",
    "application/x-parquet": "parquet",
    "application/parquet": "parquet",
    "*/*": "json",
    "application/*": "json",
    "text/*": "csv",
}
ACCEPT_HELP = "application/json, text/csv or application/vnd.apache.parquet"


def _from_accept(accept: str) -> Form | None:
    """The best form an `Accept` header allows (highest q; ties in the header's order); None if none."""
    best: tuple[float, int, Form] | None = None
    for position, item in enumerate(accept.split(",")):
        media_type, *parameters = (part.strip() for part in item.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        form = _ACCEPTED.get(media_type.lower())
        if form is None or quality <= 0:
            continue
        if best is None or quality > best[0]:
            best = (quality, position, form)
    return best[2] if best else None


FormQuery = Annotated[
    Form | None,
    Query(
        description="Form of the answer: `json` (default), `csv` or `parquet`. Overrides the `Accept` header.",
        openapi_examples={"JSON": {"summary": "JSON", "value": "json"}, "CSV": {"summary": "CSV", "value": "csv"}},
    ),
]
AcceptHeader = Annotated[str | None, Header(include_in_schema=False)]


def chosen_form(format: Form | None, accept: str | None) -> Form:
    """`format` if given, else the best form the `Accept` header allows; 406 when it allows none."""
    if format is not None:
        return format
    if not accept:
        return "json"
    form = _from_accept(accept)
    if form is None:
        raise HTTPException(
            status_code=406,
            detail=f"cannot answer in any form the Accept header allows ({accept!r}); use {ACCEPT_HELP}",
        )
    return form


async def negotiated_form(format: FormQuery = None, accept: AcceptHeader = None) -> Form:
    return chosen_form(format, accept)


def table_body(columns: Mapping[str, Sequence | np.ndarray], form: Form, tz: str, time_columns: Sequence[str]) -> bytes:
    """A long table as CSV or parquet; `time_columns` hold hours since the epoch (UTC), NaN for none.

    CSV writes them as ISO 8601 in `tz` and missing values as empty fields; parquet as timestamps in
    `tz`, so pandas reads them zone-aware. Parquet is not gzipped again (it is compressed already).
    """
    arrays = {
        name: _arrow_column(name in time_columns, np.asarray(values), form, tz) for name, values in columns.items()
    }
    table = pa.table(arrays)
    if form == "csv":
        return prepare_body(_csv(table), level=1)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return prepare_body(sink.getvalue().to_pybytes(), compressible=False)


def _arrow_column(is_time: bool, values: np.ndarray, form: Form, tz: str) -> pa.Array:
    if is_time:
        hours = values.astype(float)
        if form == "csv":
            return pa.array(iso_hours_or_none(hours, tz), type=pa.string())
        missing = np.isnan(hours)
        nanoseconds = np.where(missing, 0, hours).astype(np.int64) * SECONDS_PER_HOUR * 1_000_000_000
        return pa.array(nanoseconds, type=pa.timestamp("ns", tz="UTC" if tz in UTC_NAMES else tz), mask=missing)
    if values.dtype.kind == "b" and form == "csv":
        return pa.array(np.where(values, "True", "False"), type=pa.string())  # as pandas writes them
    if values.dtype.kind == "O":
        return pa.array(values, type=pa.string())
    return pa.array(values, from_pandas=True)  # NaN as null: an empty CSV field, a parquet null


def _csv(table: pa.Table) -> bytes:
    """Plain CSV: no quotes (our strings are times, kinds and names), empty fields for missing values."""
    sink = io.BytesIO()
    try:
        pa_csv.write_csv(table, sink, pa_csv.WriteOptions(quoting_style="none", quoting_header="none"))
    except pa.ArrowInvalid:  # a value that needs quotes after all: quote every string
        sink = io.BytesIO()
        pa_csv.write_csv(table, sink, pa_csv.WriteOptions(quoting_style="needed", quoting_header="none"))
    return sink.getvalue()
