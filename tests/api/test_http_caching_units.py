"""`api.http_caching` beyond `test_api_units.py`: the exact ASGI messages a pre-rendered answer sends,
where its `Cache-Control` comes from, the gzip encoding's level and fixed timestamp, and the edges
of `Cache-Control`'s arithmetic. Fast and in-process (no app): the mutation run of the module uses them.
"""

import gzip
import json
from types import SimpleNamespace

import pytest
from api.http_caching import PrerenderedResponse, data_cache_control, prepare_body

pytestmark = pytest.mark.anyio

# A body that gzip encodes differently at levels 6 and 7 (checked below), over GZIP_MIN_BYTES.
RAW = json.dumps([{"hour": hour, "kwh": round((hour * 7919) % 1000 / 7, 3)} for hour in range(400)]).encode()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def messages(response: PrerenderedResponse, headers: list[tuple[bytes, bytes]], app: object = None) -> list:
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "headers": headers}
    if app is not None:
        scope["app"] = app
    await response(scope, None, send)  # type: ignore[arg-type]
    return sent


def test_the_gzip_form_is_level_6_by_default_with_no_timestamp():
    assert gzip.compress(RAW, compresslevel=6, mtime=0) != gzip.compress(RAW, compresslevel=7, mtime=0)
    body = prepare_body(RAW)
    assert body.gzipped == gzip.compress(RAW, compresslevel=6, mtime=0)
    assert body.gzipped[4:8] == b"\x00\x00\x00\x00"  # the header's MTIME: equal bytes for equal content
    fast = prepare_body(RAW, level=1)
    assert fast.gzipped == gzip.compress(RAW, compresslevel=1, mtime=0)
    assert fast.gzipped[8] == 4  # the header's XFL: "fastest algorithm"
    assert body.size == len(RAW) + len(body.gzipped)


@pytest.mark.parametrize(
    ("max_age", "refresh", "header"),
    [
        (1, 60, b"public, max-age=1, s-maxage=1, stale-while-revalidate=60, stale-if-error=180"),
        (30, 0.5, b"public, max-age=30, s-maxage=1, stale-while-revalidate=1, stale-if-error=3"),
        (30, 0, b"public, max-age=30, s-maxage=1, stale-while-revalidate=1, stale-if-error=3"),
        (30, 10.2, b"public, max-age=30, s-maxage=11, stale-while-revalidate=11, stale-if-error=33"),
        (0, 60, b"no-cache"),
        (-5, 60, b"no-cache"),
    ],
)
def test_cache_control_edges(max_age, refresh, header):
    assert data_cache_control(max_age, refresh) == header


def test_a_response_built_with_the_defaults_is_a_200_in_json_with_an_empty_data_version():
    response = PrerenderedResponse(prepare_body(b"{}"), snapshot_id=3)
    assert response.status_code == 200
    assert response.raw_headers == [
        (b"content-type", b"application/json"),
        (b"x-snapshot-id", b"3"),
        (b"x-data-version", b""),
        (b"etag", prepare_body(b"{}").etag),
        (b"vary", b"Accept-Encoding"),
    ]


def test_a_plain_bytes_body_has_no_etag_and_no_gzip_form():
    response = PrerenderedResponse(b"{}", snapshot_id=1, vary=None)
    assert (response.etag, response.gzipped) == (None, None)
    assert response.raw_headers == [
        (b"content-type", b"application/json"),
        (b"x-snapshot-id", b"1"),
        (b"x-data-version", b""),
    ]


async def test_a_200_sends_exactly_its_start_and_its_body():
    body = prepare_body(b'{"a":1}')
    response = PrerenderedResponse(body, 5, "v9", media_type=b"text/csv", vary=b"Accept, Accept-Encoding")
    assert await messages(response, [(b"accept-encoding", b"gzip")]) == [
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"text/csv"),
                (b"x-snapshot-id", b"5"),
                (b"x-data-version", b"v9"),
                (b"etag", body.etag),
                (b"vary", b"Accept, Accept-Encoding"),
                (b"cache-control", b"no-store"),
                (b"content-length", b"7"),
            ],
        },
        {"type": "http.response.body", "body": b'{"a":1}'},
    ]


async def test_a_304_sends_every_header_but_the_content_type_and_an_empty_body():
    body = prepare_body(RAW)
    response = PrerenderedResponse(body, 5, "v9", cache_control=b"public, max-age=9")
    assert await messages(response, [(b"if-none-match", body.etag), (b"accept-encoding", b"gzip")]) == [
        {
            "type": "http.response.start",
            "status": 304,
            "headers": [
                (b"x-snapshot-id", b"5"),
                (b"x-data-version", b"v9"),
                (b"etag", body.etag),
                (b"vary", b"Accept-Encoding"),
                (b"cache-control", b"public, max-age=9"),
            ],
        },
        {"type": "http.response.body", "body": b""},
    ]


async def test_the_cache_control_is_the_responses_own_else_the_apps_else_no_store():
    app = SimpleNamespace(state=SimpleNamespace(data_cache_control=b"public, max-age=30"))
    bare_app = SimpleNamespace(state=SimpleNamespace())

    async def cache_control(response: PrerenderedResponse, app: object) -> bytes:
        start = (await messages(response, [], app))[0]
        return dict(start["headers"])[b"cache-control"]

    assert await cache_control(PrerenderedResponse(b"{}", 1), app) == b"public, max-age=30"
    assert await cache_control(PrerenderedResponse(b"{}", 1, cache_control=b"no-cache"), app) == b"no-cache"
    assert await cache_control(PrerenderedResponse(b"{}", 1), bare_app) == b"no-store"
    assert await cache_control(PrerenderedResponse(b"{}", 1), None) == b"no-store"


async def test_a_gzip_answer_sends_the_gzip_form_with_its_own_length():
    body = prepare_body(RAW)
    start, sent = await messages(PrerenderedResponse(body, 1), [(b"accept-encoding", b"br, gzip")])
    assert (start["type"], start["status"], sent["type"]) == ("http.response.start", 200, "http.response.body")
    assert sent["body"] == body.gzipped
    assert start["headers"][-2:] == [
        (b"content-encoding", b"gzip"),
        (b"content-length", str(len(body.gzipped)).encode()),
    ]
