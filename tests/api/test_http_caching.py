"""HTTP caching of data responses: ETag from the body, 304 on a match, gzip for large bodies, Cache-Control."""

import asyncio
import gzip
import shutil

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from api.http_caching import accepts_gzip, etag_matches
from support import BUCKET_PANDAS15

pytestmark = pytest.mark.anyio

DATA_PATHS = [
    "area_values",
    "consumer_type_values",
    "predictions/1/111",
    "monitoring/metrics",
    "monitoring/values/1/111",
    "monitoring/summary",
    "monitoring/errors/1/111",
]
LARGE_DATA_PATHS = [path for path in DATA_PATHS if path not in ("area_values", "consumer_type_values")]


@pytest.mark.parametrize("path", DATA_PATHS)
async def test_data_responses_carry_a_weak_etag_the_snapshot_id_and_a_short_public_max_age(serve_bucket, path):
    async with serve_bucket(BUCKET_PANDAS15, CACHE_MAX_AGE_SECONDS=7, REFRESH_SECONDS=30) as (_, client):
        response = await client.get(path)
    assert response.status_code == 200
    assert response.headers["etag"].startswith('W/"') and response.headers["etag"].endswith('"')
    assert response.headers["x-snapshot-id"] == "1"
    assert response.headers["cache-control"] == (
        "public, max-age=7, s-maxage=7, stale-while-revalidate=30, stale-if-error=90"
    )


@pytest.mark.parametrize("path", DATA_PATHS)
async def test_a_matching_if_none_match_gets_304_with_no_body(serve_bucket, path):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        etag = (await client.get(path)).headers["etag"]
        response = await client.get(path, headers={"If-None-Match": etag})
    assert response.status_code == 304 and response.content == b""
    assert response.headers["etag"] == etag and response.headers["x-snapshot-id"] == "1"
    assert response.headers["cache-control"].startswith("public, max-age=")


@pytest.mark.parametrize(
    "if_none_match",
    ['"{opaque}"', 'W/"{opaque}"', '"other", W/"{opaque}"', "*"],
    ids=["strong-form", "weak-form", "in-a-list", "star"],
)
async def test_if_none_match_uses_weak_comparison(serve_bucket, if_none_match):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        opaque = (await client.get("predictions/1/111")).headers["etag"].removeprefix('W/"').removesuffix('"')
        response = await client.get("predictions/1/111", headers={"If-None-Match": if_none_match.format(opaque=opaque)})
    assert response.status_code == 304


async def test_a_stale_or_foreign_etag_gets_the_full_body(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        response = await client.get("predictions/1/111", headers={"If-None-Match": 'W/"not-this-one"'})
        other_series_etag = (await client.get("predictions/2/462")).headers["etag"]
        crossed = await client.get("predictions/1/111", headers={"If-None-Match": other_series_etag})
    assert response.status_code == 200 and response.json()["preds_datetime_utc"]
    assert crossed.status_code == 200


@pytest.mark.parametrize("path", LARGE_DATA_PATHS)
async def test_large_bodies_are_gzipped_for_clients_that_accept_gzip(serve_bucket, path):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        zipped = await client.get(path, headers={"Accept-Encoding": "gzip"})
        plain = await client.get(path, headers={"Accept-Encoding": "identity"})
    assert zipped.headers["content-encoding"] == "gzip" and "content-encoding" not in plain.headers
    assert int(zipped.headers["content-length"]) < int(plain.headers["content-length"]) == len(plain.content)
    assert zipped.json() == plain.json()
    assert "Accept-Encoding" in zipped.headers["vary"] and "Accept-Encoding" in plain.headers["vary"]
    assert zipped.headers["etag"] == plain.headers["etag"]


async def test_the_gzip_encoding_is_a_valid_gzip_stream_of_the_plain_body(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        async with client.stream("GET", "monitoring/summary", headers={"Accept-Encoding": "gzip"}) as zipped:
            raw = b"".join([chunk async for chunk in zipped.aiter_raw()])
        plain = await client.get("monitoring/summary", headers={"Accept-Encoding": "identity"})
    assert gzip.decompress(raw) == plain.content


async def test_small_bodies_are_sent_as_they_are(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        response = await client.get("area_values", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in response.headers and response.json() == {"values": [1, 2]}


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("health", 200),
        ("ready", 200),
        ("freshness", 200),
        ("predictions/2/999", 404),
        ("predictions/x/111", 422),
        ("no/such/path", 404),
        ("http://test/metrics", 200),
    ],
)
async def test_health_readiness_freshness_metrics_and_errors_are_never_stored(serve_bucket, path, status):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        response = await client.get(path)
    assert response.status_code == status
    assert response.headers["cache-control"] == "no-store"
    assert "etag" not in response.headers


async def test_new_data_changes_the_etag_of_what_changed_only(serve_bucket, tmp_path):
    bucket = shutil.copytree(BUCKET_PANDAS15, tmp_path / "bucket")
    async with serve_bucket(bucket) as (app, client):
        before = {
            path: (await client.get(path)).headers["etag"] for path in ("predictions/1/111", "monitoring/metrics")
        }
        table = pq.read_table(bucket / "predictions.parquet")
        doubled = pc.multiply(table["energy_consumption"], 2.0)
        table = table.set_column(table.schema.get_field_index("energy_consumption"), "energy_consumption", doubled)
        pq.write_table(table, bucket / "predictions.parquet")
        assert await asyncio.to_thread(app.state.store.refresh)
        forecast = await client.get("predictions/1/111", headers={"If-None-Match": before["predictions/1/111"]})
        metrics = await client.get("monitoring/metrics", headers={"If-None-Match": before["monitoring/metrics"]})
    assert forecast.status_code == 200 and forecast.headers["x-snapshot-id"] == "2"
    assert forecast.headers["etag"] != before["predictions/1/111"]
    assert metrics.status_code == 304 and metrics.headers["x-snapshot-id"] == "2"


@pytest.mark.parametrize(
    ("accept_encoding", "expected"),
    [
        (b"gzip", True),
        (b"gzip, deflate, br, zstd", True),
        (b"deflate, GZIP;q=0.5", True),
        (b"*", True),
        (b"gzip;q=0", False),
        (b"gzip; q=0.0", False),
        (b"gzip;q=oops", False),
        (b"identity", False),
        (b"br, deflate", False),
        (b"", False),
    ],
)
def test_accept_encoding_allows_gzip_unless_refused(accept_encoding, expected):
    assert accepts_gzip(accept_encoding) is expected


@pytest.mark.parametrize(
    ("if_none_match", "expected"),
    [
        (b'W/"abc"', True),
        (b'"abc"', True),
        (b'"x", "abc"', True),
        (b" * ", True),
        (b'"abcd"', False),
        (b'W/"ab"', False),
        (b"", False),
    ],
)
def test_if_none_match_comparison(if_none_match, expected):
    assert etag_matches(if_none_match, b'W/"abc"') is expected
