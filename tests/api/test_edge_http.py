"""What a shared cache relies on, route by route: HEAD as GET without the body, one `Cache-Control`, a
`Vary` naming every request header the body depends on (once, in one header), no gzip for parquet.

`test_shared_cache.py` shows the same headers making a real shared cache (nginx) correct.
"""

import gzip

import pytest
from api.http_caching import data_cache_control
from support import BUCKET_PANDAS15

pytestmark = pytest.mark.anyio

PATH_VALUES = {"area": "1", "consumer_type": "111"}
# Bodies that carry the time of the request (ages), so two requests may differ in length.
# Bodies that give ages in seconds: two requests a moment apart differ in length and validator.
TIMED_BODIES = {"/api/v1/ready", "/api/v1/freshness", "/api/v2/status", "/metrics"}
HEADER_SETS = [
    {},
    {"Accept": "text/csv"},
    {"Accept-Encoding": "gzip"},
    {"Accept": "text/csv", "Accept-Encoding": "gzip"},
    {"Accept": "application/vnd.apache.parquet", "Accept-Encoding": "gzip", "Origin": "http://localhost:8501"},
]


@pytest.fixture
async def client(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        yield client


async def get_paths(client) -> list[str]:
    """Every GET route of both versions (from their OpenAPI documents, path parameters filled), and /metrics."""
    paths = ["/metrics"]
    for version in ("v1", "v2"):
        document = (await client.get(f"http://test/api/{version}/openapi.json")).json()
        for template, operations in document["paths"].items():
            if "get" in operations:
                paths.append(template.format(**PATH_VALUES))
    return paths


def single(response, name: str) -> str:
    values = response.headers.get_list(name)
    assert len(values) == 1, f"{name}: {values}"
    return values[0]


def vary_tokens(response) -> list[str]:
    return [token.strip() for token in single(response, "vary").split(",")]


async def test_every_get_route_answers_head_as_get_without_the_body(client):
    paths = await get_paths(client)
    assert len(paths) >= 18 and "/api/v2/series/1/111" in paths and "/api/v1/predictions/1/111" in paths
    for path in paths:
        for headers in HEADER_SETS:
            got = await client.get(f"http://test{path}", headers=headers)
            head = await client.head(f"http://test{path}", headers=headers)
            where = f"HEAD {path} {headers}"
            assert head.status_code == got.status_code, where
            assert head.content == b"", where
            compared = {"content-type", "cache-control", "vary", "content-encoding", "x-data-version"}
            if path not in TIMED_BODIES:
                compared |= {"content-length", "etag"}
            assert {name: head.headers.get_list(name) for name in compared} == {
                name: got.headers.get_list(name) for name in compared
            }, where
            assert head.headers["content-length"], where


async def test_head_with_accept_csv_says_csv(client):
    headers = {"Accept": "text/csv", "Accept-Encoding": "identity"}
    head = await client.head("http://test/api/v2/series/1/111", headers=headers)
    got = await client.get("http://test/api/v2/series/1/111", headers=headers)
    assert head.status_code == 200 and head.headers["content-type"] == "text/csv; charset=utf-8"
    assert int(head.headers["content-length"]) == len(got.content) > 1000


async def test_head_is_logged_and_counted_as_head_on_its_route(client):
    await client.head("predictions/1/111")
    metrics = (await client.get("http://test/metrics")).text
    assert (
        'http_requests_total{method="HEAD",route="/api/v1/predictions/{area}/{consumer_type}",status="200"}' in metrics
    )


async def test_other_methods_are_still_refused(client):
    for method in ("POST", "PUT", "DELETE"):
        response = await client.request(method, "http://test/api/v2/series/1/111")
        assert response.status_code == 405 and response.json()["detail"]


async def test_every_answer_has_exactly_one_cache_control_and_one_vary_without_repeats(client):
    paths = [*await get_paths(client), "/api/v2/series/1/999", "/api/v2/series/x/1", "/api/v1/predictions/x/1"]
    for path in paths:
        for headers in HEADER_SETS:
            response = await client.get(f"http://test{path}", headers=headers)
            single(response, "cache-control")
            tokens = [token.lower() for token in vary_tokens(response)]
            assert len(tokens) == len(set(tokens)), f"{path} {headers}: {tokens}"


V2_DATA = [
    "series",
    "series/1/111",
    "series/all/all?tz=Europe/Copenhagen",
    "forecasts",
    "monitoring/summary",
    "monitoring/hourly",
    "monitoring/series/1/111",
]
V1_DATA = ["area_values", "predictions/1/111", "monitoring/metrics", "monitoring/values/1/111"]


@pytest.mark.parametrize("path", V2_DATA)
async def test_v2_data_answers_vary_by_accept_and_encoding_in_every_form_json_included(client, path):
    for headers in ({}, {"Accept": "application/json"}, {"Accept": "text/csv"}, {"Accept-Encoding": "gzip"}):
        response = await client.get(f"http://test/api/v2/{path}", headers=headers)
        assert response.status_code == 200
        assert vary_tokens(response) == ["Accept", "Accept-Encoding", "Origin"], headers
        assert single(response, "cache-control").startswith("public, max-age=")


@pytest.mark.parametrize("path", V1_DATA)
async def test_v1_data_answers_vary_by_encoding_whatever_their_size(client, path):
    response = await client.get(path, headers={"Accept": "text/csv"})  # v1 ignores Accept: always JSON
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert vary_tokens(response) == ["Accept-Encoding", "Origin"]


async def test_a_304_carries_the_same_vary_and_cache_control_as_the_200(client):
    url = "http://test/api/v2/series/1/111?tz=Europe/Copenhagen"
    first = await client.get(url, headers={"Accept": "text/csv"})
    again = await client.get(url, headers={"Accept": "text/csv", "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    for name in ("vary", "cache-control", "etag", "x-data-version"):
        assert again.headers.get_list(name) == first.headers.get_list(name)


async def test_v2_status_has_one_cache_control_no_store(client):
    response = await client.get("http://test/api/v2/status")
    assert response.headers.get_list("cache-control") == ["no-store"]


@pytest.mark.parametrize("path", ["forecasts", "series/all/all", "monitoring/hourly"])
async def test_parquet_is_never_gzipped_but_csv_and_json_are(client, path):
    url = f"http://test/api/v2/{path}"
    parquet = await client.get(url, params={"format": "parquet"}, headers={"Accept-Encoding": "gzip"})
    csv = await client.get(url, params={"format": "csv"}, headers={"Accept-Encoding": "gzip"})
    json = await client.get(url, params={"tz": "Asia/Tokyo"}, headers={"Accept-Encoding": "gzip"})
    assert int(parquet.headers["content-length"]) > 1000 and "content-encoding" not in parquet.headers
    assert parquet.content.startswith(b"PAR1")
    assert csv.headers["content-encoding"] == "gzip" and json.headers["content-encoding"] == "gzip"


async def test_gzip_of_a_built_answer_is_computed_with_it_and_decodes_to_the_plain_body(client):
    url = "http://test/api/v2/series/all/all?tz=America/New_York&format=csv"
    async with client.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as zipped:
        raw = b"".join([chunk async for chunk in zipped.aiter_raw()])
    plain = await client.get(url, headers={"Accept-Encoding": "identity"})
    assert gzip.decompress(raw) == plain.content and plain.text.startswith("time,kind,kwh,")


@pytest.mark.parametrize(
    ("max_age", "refresh", "expected"),
    [
        (5, 60, "public, max-age=5, s-maxage=5, stale-while-revalidate=60, stale-if-error=180"),
        (300, 60, "public, max-age=300, s-maxage=60, stale-while-revalidate=60, stale-if-error=180"),
        (5, 1.5, "public, max-age=5, s-maxage=2, stale-while-revalidate=2, stale-if-error=6"),
        (0, 60, "no-cache"),
    ],
    ids=["default", "shared-caches-capped-at-one-refresh", "fractional-refresh", "zero-means-revalidate"],
)
def test_cache_control_is_derived_from_max_age_and_the_refresh_interval(max_age, refresh, expected):
    assert data_cache_control(max_age, refresh).decode() == expected


async def test_max_age_zero_answers_no_cache(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15, CACHE_MAX_AGE_SECONDS=0) as (_, client):
        response = await client.get("predictions/1/111")
    assert response.headers.get_list("cache-control") == ["no-cache"]
