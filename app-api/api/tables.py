"""The forms `/api/v2` answers in: JSON, CSV or parquet, chosen by `format` or the `Accept` header.

Negotiation is one dependency used by every data route. Tables are long (one row per hour); times are
ISO 8601 strings in CSV and JSON, and zone-aware timestamps in parquet, so `pd.read_parquet(url)` gives
a column pandas can plot and resample at once.
"""

import json
from collections.abc import Mapping, Sequence
from typing import Annotated, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from fastapi import Header, HTTPException, Query

from api.http_caching import RenderedBody, prepare_body
from api.timefmt import SECONDS_PER_HOUR, UTC_NAMES, iso_hours_or_none, zone

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


def json_body(body: object, compress: bool = False) -> RenderedBody:
    """Compact JSON; NaN and infinity are refused (bodies carry None for missing values)."""
    return prepare_body(json.dumps(body, separators=(",", ":"), allow_nan=False).encode(), compress=compress)


def table_body(columns: Mapping[str, Sequence | np.ndarray], form: Form, tz: str, time_columns: Sequence[str]) -> bytes:
    """A long table as CSV or parquet; `time_columns` hold hours since the epoch (UTC).

    CSV writes them as ISO 8601 in `tz`; parquet as timestamps in `tz`, so pandas reads them zone-aware.
    """
    data = dict(columns)
    for name in time_columns:
        hours = np.asarray(data[name], dtype=float)  # NaN: no such time
        if form == "csv":
            data[name] = iso_hours_or_none(hours, tz)
        else:
            instants = pd.to_datetime(hours * SECONDS_PER_HOUR, unit="s", utc=True)
            data[name] = instants.tz_convert(zone(tz) if tz not in UTC_NAMES else "UTC")
    frame = pd.DataFrame(data)
    if form == "csv":
        return prepare_body(frame.to_csv(index=False).encode(), compress=False)
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), sink)
    return prepare_body(sink.getvalue().to_pybytes(), compress=False)


def optional_floats(values: np.ndarray) -> list[float | None]:
    """NaN (missing) as None, so JSON carries null, never NaN."""
    return [None if value != value else value for value in values.tolist()]  # NaN != NaN
