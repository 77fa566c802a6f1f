"""The API's pure helpers with literal expected values: totals, times and zones, answer forms and
tables, HTTP caching. Fast and in-process (the mutation runs use them: see TESTING.md)."""

import gzip
import io
import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from api.http_caching import (
    GZIP_MIN_BYTES,
    NO_STORE,
    PrerenderedResponse,
    accepts_gzip,
    add_default_no_store,
    data_cache_control,
    etag_matches,
    prepare_body,
)
from api.tables import chosen_form, json_body, negotiated_form, optional_floats, table_body
from api.timefmt import BadTimeParameter, hour_boundary, iso_hours, iso_hours_or_none, iso_moment, zone
from api.totals import ALL, sum_where_all_present, total_members
from fastapi import HTTPException

pytestmark = pytest.mark.anyio

# 2023-06-01T00:00Z and 2023-01-15T12:00Z as hours since the epoch.
JUNE_1 = 468_216
JANUARY_15_NOON = 464_940


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


# --- totals ---------------------------------------------------------------------------------------


def series(hours: list[int], values: list[float]) -> tuple[np.ndarray, np.ndarray]:
    return np.array(hours, dtype=np.int64), np.array(values, dtype=float)


def test_a_total_has_only_the_hours_every_member_has():
    hours, values = sum_where_all_present([series([1, 2, 3, 5], [1, 2, 3, 5]), series([2, 3, 4, 5], [10, 20, 30, 50])])
    assert hours.tolist() == [2, 3, 5] and hours.dtype == np.int64
    assert values.tolist() == [12.0, 23.0, 55.0]


def test_a_total_of_one_member_is_that_member_and_of_an_empty_member_is_empty():
    only = series([7, 8], [1.5, 2.5])
    assert sum_where_all_present([only]) is only
    empty_hours, empty_values = sum_where_all_present([only, series([], [])])
    assert empty_hours.size == 0 and empty_values.size == 0
    assert sum_where_all_present([])[0].size == 0


def test_members_of_each_total_whole_country_area_not_added_twice():
    groups = total_members([(2, 111), (1, 112), (0, 111), (1, 111)])
    assert groups == {
        (0, ALL): [(0, 111)],
        (1, ALL): [(1, 111), (1, 112)],
        (2, ALL): [(2, 111)],
        (ALL, 111): [(1, 111), (2, 111)],
        (ALL, 112): [(1, 112)],
        (ALL, ALL): [(1, 111), (1, 112), (2, 111)],
    }
    assert total_members([(0, 111), (0, 112)])[(ALL, ALL)] == [(0, 111), (0, 112)]  # only DK: it is the country


# --- times and zones ------------------------------------------------------------------------------


def test_hours_are_written_in_utc_by_default_and_in_any_zone_with_its_offset():
    assert iso_hours(np.array([JUNE_1])) == ["2023-06-01T00:00:00+00:00"]
    assert iso_hours(np.array([JUNE_1, JUNE_1 + 1]), "Europe/Copenhagen") == [
        "2023-06-01T02:00:00+02:00",
        "2023-06-01T03:00:00+02:00",
    ]
    assert iso_hours(np.array([JUNE_1]), "America/New_York") == ["2023-05-31T20:00:00-04:00"]
    assert iso_hours(np.array([JANUARY_15_NOON]), "Europe/London") == ["2023-01-15T12:00:00+00:00"]
    assert iso_hours(np.array([JUNE_1]), "Asia/Kathmandu") == ["2023-06-01T05:45:00+05:45"]
    assert iso_hours(np.array([], dtype=np.int64), "Europe/Copenhagen") == []


def test_missing_hours_are_none_and_a_single_moment_may_be_none():
    assert iso_hours_or_none(np.array([JUNE_1, np.nan])) == ["2023-06-01T00:00:00+00:00", None]
    assert iso_hours_or_none(np.array([np.nan, JUNE_1]), "Europe/Copenhagen") == [None, "2023-06-01T02:00:00+02:00"]
    assert iso_moment(JUNE_1) == "2023-06-01T00:00:00+00:00"
    assert iso_moment(JUNE_1, "Europe/Copenhagen") == "2023-06-01T02:00:00+02:00"
    assert iso_moment(None) is None


@pytest.mark.parametrize(
    ("text", "tz", "hour"),
    [
        ("2023-06-01T00:00:00Z", "UTC", JUNE_1),
        ("2023-06-01T00:00:01+00:00", "UTC", JUNE_1 + 1),  # the first whole hour at or after
        ("2023-06-01T02:00:00+02:00", "UTC", JUNE_1),
        ("2023-06-01T02:00:00 02:00", "UTC", JUNE_1),  # '+' read as a space from a hand-typed URL
        ("2023-06-01", "Europe/Copenhagen", JUNE_1 - 2),  # no offset: read in tz
        (" 2023-06-01T00:00 ", "UTC", JUNE_1),
    ],
)
def test_hour_boundary_is_the_first_whole_hour_at_or_after_the_instant(text, tz, hour):
    assert hour_boundary(text, tz, "start") == hour


def test_an_unreadable_time_or_zone_says_what_is_accepted():
    with pytest.raises(BadTimeParameter) as raised:
        hour_boundary("yesterday", "UTC", "end")
    assert str(raised.value) == (
        "end='yesterday' is not an ISO 8601 time: use e.g. '2024-03-31T00:00:00+01:00', "
        "'2024-03-30T23:00:00Z' or '2024-03-31' (read in the zone given by tz)"
    )
    with pytest.raises(BadTimeParameter, match=r"^unknown time zone 'Mars/Olympus': use an IANA zone name"):
        zone("Mars/Olympus")


# --- answer forms and tables ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("format", "accept", "form"),
    [
        (None, None, "json"),
        (None, "", "json"),
        ("parquet", "text/csv", "parquet"),
        (None, "text/csv", "csv"),
        (None, "TEXT/CSV; charset=utf-8", "csv"),
        (None, "application/x-parquet", "parquet"),
        (None, "text/csv;q=0.5, application/vnd.apache.parquet;q=0.9", "parquet"),
        (None, "text/csv, application/json", "csv"),  # equal q: the header's order
        (None, "application/json;q=0.5, text/csv;q=0.5", "json"),
        (None, "image/png, */*;q=0.1", "json"),
        (None, "text/*", "csv"),
        (None, "text/csv;q=abc, application/json;q=0.2", "json"),  # an unreadable q counts as 0
        (None, "application/json;q=0.3, text/csv;q=0.2", "json"),
        (None, "text/csv;q=1.5, application/json", "csv"),  # no q is q=1
        (None, "text/csv;q=0=1, application/json;q=0.5", "json"),  # a malformed q counts as 0
    ],
)
def test_the_form_is_the_format_parameter_else_the_best_the_accept_header_allows(format, accept, form):
    assert chosen_form(format, accept) == form


@pytest.mark.parametrize("accept", ["image/png", "text/csv;q=0", "application/json; q=0.0"])
def test_an_accept_header_that_allows_no_form_is_a_406_naming_the_forms(accept):
    with pytest.raises(HTTPException) as raised:
        chosen_form(None, accept)
    assert raised.value.status_code == 406
    assert raised.value.detail == (
        f"cannot answer in any form the Accept header allows ({accept!r}); "
        "use application/json, text/csv or application/vnd.apache.parquet"
    )


async def test_the_route_dependency_reads_the_parameter_then_the_header():
    assert await negotiated_form(None, "text/csv") == "csv"
    assert await negotiated_form("parquet", "text/csv") == "parquet"


def test_json_is_compact_and_refuses_nan():
    assert bytes(json_body({"a": [1, None]})) == b'{"a":[1,null]}'
    with pytest.raises(ValueError):
        json_body({"a": float("nan")})
    assert optional_floats(np.array([1.5, np.nan])) == [1.5, None]
    large = json_body({"a": "x" * GZIP_MIN_BYTES})  # gzipped where it is built, never on the event loop
    assert gzip.decompress(large.gzipped) == bytes(large)
    assert json_body({"a": "x" * (GZIP_MIN_BYTES - 9)}).gzipped is None  # 1,000 bytes less the 9 of {"a":""}


def test_csv_tables_write_times_in_the_zone_and_missing_ones_empty():
    body = table_body(
        {"time": [JUNE_1, JUNE_1 + 1], "kwh": [1.5, 2.0], "made": [JUNE_1, np.nan]},
        "csv",
        "Europe/Copenhagen",
        ["time", "made"],
    )
    assert bytes(body).decode().splitlines() == [
        "time,kwh,made",
        "2023-06-01T02:00:00+02:00,1.5,2023-06-01T02:00:00+02:00",
        "2023-06-01T03:00:00+02:00,2,",
    ]
    assert body.gzipped is None  # too small to be worth it
    long = table_body({"time": list(range(JUNE_1, JUNE_1 + 100))}, "csv", "UTC", ["time"])
    assert len(long) > GZIP_MIN_BYTES and gzip.decompress(long.gzipped) == bytes(long)


@pytest.mark.parametrize(("tz", "shown"), [("Europe/Copenhagen", "Europe/Copenhagen"), ("UTC", "UTC"), ("Z", "UTC")])
def test_parquet_tables_hold_zone_aware_timestamps(tz, shown):
    body = table_body({"time": [JUNE_1], "kwh": [1.5]}, "parquet", tz, ["time"])
    assert pq.read_schema(io.BytesIO(body)).names == ["time", "kwh"]  # no index column
    assert body.gzipped is None  # parquet is compressed already: never gzipped again
    large = table_body({"time": list(range(JUNE_1, JUNE_1 + 1000))}, "parquet", tz, ["time"])
    assert len(large) > GZIP_MIN_BYTES and large.gzipped is None
    table = pd.read_parquet(io.BytesIO(body))
    assert str(table["time"].dt.tz) == shown
    assert table["time"].iloc[0] == pd.Timestamp("2023-06-01T00:00Z") and table["kwh"].tolist() == [1.5]


# --- HTTP caching ---------------------------------------------------------------------------------


def test_a_body_has_a_weak_etag_of_its_content_and_a_gzip_form_when_large():
    small = prepare_body(b"x" * (GZIP_MIN_BYTES - 1))
    large = prepare_body(b"y" * GZIP_MIN_BYTES)
    assert small.etag.startswith(b'W/"') and small.etag.endswith(b'"') and len(small.etag) == 3 + 24 + 1
    assert prepare_body(b"x" * (GZIP_MIN_BYTES - 1)).etag == small.etag != large.etag
    assert small.gzipped is None
    assert gzip.decompress(large.gzipped) == b"y" * GZIP_MIN_BYTES
    assert prepare_body(b"z" * GZIP_MIN_BYTES, compressible=False).gzipped is None
    assert (
        data_cache_control(30, 60) == b"public, max-age=30, s-maxage=30, stale-while-revalidate=60, stale-if-error=180"
    )
    assert (
        data_cache_control(30, 10) == b"public, max-age=30, s-maxage=10, stale-while-revalidate=10, stale-if-error=30"
    )
    assert data_cache_control(0, 60) == b"no-cache"


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        (b"gzip", True),
        (b"GZIP", True),
        (b"br, gzip;q=0.5", True),
        (b"*", True),
        (b"gzip;q=0", False),
        (b"gzip; q=0.0", False),
        (b"gzip;q=abc", False),
        (b"br, deflate", False),
        (b"", False),
        (b"identity, *;q=1", True),
    ],
)
def test_gzip_is_accepted_for_gzip_or_any_unless_q_is_zero(header, accepted):
    assert accepts_gzip(header) is accepted


@pytest.mark.parametrize(
    ("if_none_match", "matches"),
    [
        (b'W/"abc"', True),
        (b'"abc"', True),
        (b' "other", W/"abc" ', True),
        (b'"other",W/"abc"', True),  # a list without spaces
        (b"*", True),
        (b" * ", True),
        (b'"abcd"', False),
        (b'W/"ab"', False),
        (b"", False),
    ],
)
def test_if_none_match_compares_weakly(if_none_match, matches):
    assert etag_matches(if_none_match, b'W/"abc"') is matches


async def answer(response: PrerenderedResponse, headers: list[tuple[bytes, bytes]]) -> tuple[int, dict, bytes]:
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    await response({"type": "http", "headers": headers}, None, send)  # type: ignore[arg-type]
    return sent[0]["status"], dict(sent[0]["headers"]), sent[1]["body"]


async def test_a_prerendered_answer_is_304_on_a_match_gzip_when_asked_and_never_stored_by_default():
    body = prepare_body(json.dumps({"v": "x" * 2000}).encode())
    response = PrerenderedResponse(body, snapshot_id=7, data_version="v1")
    status, headers, sent = await answer(response, [(b"accept-encoding", b"gzip")])
    assert status == 200 and headers[b"content-encoding"] == b"gzip" and gzip.decompress(sent) == body
    assert headers[b"etag"] == body.etag and headers[b"vary"] == b"Accept-Encoding"
    assert headers[b"x-snapshot-id"] == b"7" and headers[b"x-data-version"] == b"v1"
    assert headers[b"cache-control"] == NO_STORE and headers[b"content-length"] == str(len(sent)).encode()
    status, headers, sent = await answer(PrerenderedResponse(body, 7), [(b"if-none-match", body.etag)])
    assert (status, sent) == (304, b"") and b"content-type" not in headers and headers[b"etag"] == body.etag
    status, headers, sent = await answer(PrerenderedResponse(body, 7), [])
    assert status == 200 and sent == body and b"content-encoding" not in headers


async def test_the_gzip_form_is_sent_only_to_a_client_that_accepts_it():
    body = prepare_body(b"q" * GZIP_MIN_BYTES)
    _, headers, sent = await answer(PrerenderedResponse(body, 1), [(b"accept-encoding", b"gzip")])
    assert headers[b"content-encoding"] == b"gzip" and gzip.decompress(sent) == bytes(body)
    _, headers, sent = await answer(PrerenderedResponse(body, 1), [])
    assert sent == bytes(body) and b"content-encoding" not in headers
    _, headers, sent = await answer(PrerenderedResponse(prepare_body(b"small"), 1), [(b"accept-encoding", b"gzip")])
    assert sent == b"small" and b"content-encoding" not in headers
    assert headers[b"vary"] == b"Accept-Encoding"  # the route's Vary, whatever this answer's size


def test_answers_without_a_cache_control_get_no_store_and_others_keep_theirs():
    headers = [(b"content-type", b"application/json")]
    add_default_no_store(headers)
    assert headers[-1] == (b"cache-control", b"no-store")
    kept = [(b"Cache-Control", b"public, max-age=5")]
    add_default_no_store(kept)
    assert kept == [(b"Cache-Control", b"public, max-age=5")]
