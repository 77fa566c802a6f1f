"""`/api/v2`'s path and query parameters: their types (with their OpenAPI descriptions) and their checks.

A malformed value is a 422 that says what is accepted; checking happens before anything is looked up.
"""

from typing import Annotated

from fastapi import Depends, HTTPException, Path, Query

from api.timefmt import ZONE_NAMES, BadTimeParameter, hour_boundary, zone
from api.totals import ALL

CODE_PATTERN = r"^(all|-?[0-9]{1,9})$"
TIME_ZONES = sorted(ZONE_NAMES)


def code(text: str) -> int | str:
    return ALL if text == ALL else int(text)


AreaPath = Annotated[
    str,
    Path(
        pattern=CODE_PATTERN,
        description="Price area code (1 = DK1 west, 2 = DK2 east, 0 = DK), or `all` for the sum over the price areas.",
        openapi_examples={
            "DK1": {"summary": "DK1 (west of the Great Belt)", "value": "1"},
            "DK2": {"summary": "DK2 (east)", "value": "2"},
            "all": {"summary": "All of Denmark (DK1 + DK2)", "value": "all"},
        },
    ),
]
ConsumerTypePath = Annotated[
    str,
    Path(
        pattern=CODE_PATTERN,
        description="DE35 consumer type code (e.g. 111), or `all` for the sum over all consumer types.",
        openapi_examples={
            "111": {"summary": "111", "value": "111"},
            "all": {"summary": "All consumer types", "value": "all"},
        },
    ),
]
TimeZoneQuery = Annotated[
    str,
    Query(
        description="IANA time zone for every time in the answer, e.g. `Europe/Copenhagen` (Danish local time, "
        "with its daylight-saving offsets) or `UTC`.",
        openapi_examples={
            "Danish time": {"summary": "Danish local time", "value": "Europe/Copenhagen"},
            "UTC": {"summary": "UTC", "value": "UTC"},
        },
        max_length=64,
        json_schema_extra={"enum": TIME_ZONES},
    ),
]
StartQuery = Annotated[
    str | None,
    Query(
        description="First hour to include (ISO 8601; without an offset it is read in `tz`). "
        "Without `start` and `end`: the latest week of observations and the whole forecast. "
        "For example `2024-03-30T00:00:00+01:00`, `2024-03-29T23:00:00Z` or `2024-03-30`.",
        max_length=64,
    ),
]
EndQuery = Annotated[
    str | None,
    Query(
        description="End of the range, exclusive (ISO 8601; without an offset it is read in `tz`), "
        "for example `2024-04-02T00:00:00+02:00`.",
        max_length=64,
    ),
]


def checked_zone(tz: str) -> str:
    try:
        zone(tz)
    except BadTimeParameter as error:
        raise HTTPException(status_code=422, detail=str(error)) from error
    return tz


def checked_range(tz: str, start: str | None, end: str | None) -> tuple[int | None, int | None]:
    """`start`/`end` as hour boundaries; 422 when unparseable or inverted."""
    try:
        first = None if start is None else hour_boundary(start, tz, "start")
        last = None if end is None else hour_boundary(end, tz, "end")
    except BadTimeParameter as error:
        raise HTTPException(status_code=422, detail=str(error)) from error
    if first is not None and last is not None and last < first:
        raise HTTPException(status_code=422, detail=f"end ({end}) is before start ({start}): the range is [start, end)")
    return first, last


async def valid_zone(tz: TimeZoneQuery = "UTC") -> str:
    return checked_zone(tz)


ZoneDep = Annotated[str, Depends(valid_zone)]
