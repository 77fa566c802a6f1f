"""Hostile paths and parameters get a clean JSON 4xx (or a valid JSON 200/404), never a 5xx or a traceback."""

import http.client
import json
from urllib.parse import unquote

import anyio
import httpx
import pytest
from support import BUCKET_PANDAS15

pytestmark = pytest.mark.anyio

HUGE = "9" * 40
PER_SERIES = ["predictions", "monitoring/values", "monitoring/errors"]

CASES = [
    # (path relative to /api/v1, accepted statuses)
    *[(f"{endpoint}/{HUGE}/111", {404, 422}) for endpoint in PER_SERIES],
    *[(f"{endpoint}/1/{HUGE}", {404, 422}) for endpoint in PER_SERIES],
    *[(f"{endpoint}/9223372036854775808/111", {404, 422}) for endpoint in PER_SERIES],
    *[(f"{endpoint}/-1/-111", {404}) for endpoint in PER_SERIES],
    *[(f"{endpoint}/-9223372036854775809/111", {404, 422}) for endpoint in PER_SERIES],
    ("predictions/0/0", {404}),
    ("predictions/1e3/111", {422}),
    ("predictions/0x1/111", {422}),
    ("predictions/1.0/111", {200}),  # pydantic's lax int: "1.0" is the integer 1, as in the existing service
    ("predictions/%20/111", {422}),
    ("predictions/%00/111", {422}),
    ("predictions/1/111%00", {422}),
    ("predictions/١/١١١", {404, 422}),  # Arabic-Indic digits
    ("predictions/１/１１１", {404, 422}),  # full-width digits
    ("predictions/DK1/forbrug", {422}),
    ("predictions/%F0%9F%94%A5/111", {422}),
    ("predictions/%FF%FE/111", {404, 422}),
    ("predictions/1", {404}),
    ("predictions/1/111/extra", {404}),
    ("predictions//111", {404, 422}),
    ("predictions/..%2F..%2Fetc%2Fpasswd/111", {404, 422}),
    ("predictions/1/..%2F..%2F..%2Fetc%2Fpasswd", {404, 422}),
    ("..%2F..%2F..%2Fetc%2Fpasswd", {404}),
    ("static-docs/..%2F..%2Fapi%2Fconfig.py", {404}),
    ("predictions/" + "1" * 10_000 + "/111", {404, 422}),
    ("predictions/1/111?" + "x=" + "y" * 10_000, {200}),
    ("predictions/1/111?area=2&consumer_type=999&unknown=1", {200}),
    ("area_values?values=%27%3B%20DROP%20TABLE", {200}),
    ("monitoring/summary?limit=-1&sort=../../etc", {200}),
    ("health?%00=%00", {200}),
    ("no/such/endpoint", {404}),
]


def is_json(response) -> bool:
    try:
        response.json()
    except ValueError:
        return False
    return response.headers["content-type"].startswith("application/json")


@pytest.fixture
async def client(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        yield client


@pytest.mark.parametrize(("path", "accepted"), CASES, ids=[path[:60] for path, _ in CASES])
async def test_hostile_paths_get_a_clean_json_answer(client, path, accepted):
    response = await client.get(path)
    assert response.status_code in accepted, response.text[:300]
    assert is_json(response)
    assert "Traceback" not in response.text and 'File "' not in response.text


# Dot segments, sent as they are: httpx (like a browser) resolves them before sending, so through it
# `predictions/../../../etc/passwd` would go out as `/etc/passwd` and never reach the routes or the
# static-docs mount. A hostile client sends them raw, and uvicorn passes them on unresolved.
# (path under /api/v1, status, text the answer must not hold: the file's content were it served)
DOT_SEGMENT_CASES = [
    ("predictions/../../../etc/passwd", 404, "root:"),
    ("predictions/../111", 422, "root:"),  # reaches the route: `..` is not an area
    ("monitoring/summary/..", 404, "root:"),
    ("static-docs/../../api/config.py", 404, "BaseSettings"),  # where the package sits in a non-editable install
    ("static-docs/../core.py", 404, "StaticFiles"),  # fastapi_offline's own source, beside the docs folder
    ("static-docs/../../../../../../../../../../etc/passwd", 404, "root:"),
    ("static-docs/%2e%2e/core.py", 404, "StaticFiles"),
]


async def raw_get(app, path: str) -> httpx.Response:
    """GET `path` through the app with the path exactly as a server passes it on: `raw_path` as sent,
    `path` percent-decoded, no dot segment resolved (what uvicorn puts in the ASGI scope)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": unquote(path),
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"test")],
        "client": ("127.0.0.1", 50000),
        "server": ("test", 80),
    }
    sent: list[dict] = []
    requested, finished = [], anyio.Event()

    async def receive() -> dict:
        if not requested:  # the request once, then (as a server does) a disconnect once the answer is sent
            requested.append(True)
            return {"type": "http.request", "body": b"", "more_body": False}
        await finished.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            finished.set()

    await app(scope, receive, send)
    start = next(message for message in sent if message["type"] == "http.response.start")
    body = b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body")
    return httpx.Response(start["status"], headers=start["headers"], content=body)


@pytest.fixture
async def app_and_client(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15) as served:
        yield served


def assert_refused(status: int, body: str, expected: int, content: str) -> None:
    assert status == expected, body[:300]
    answer = json.loads(body)
    if expected == 404:
        assert answer == {"detail": "Not Found"}
    assert content not in body and "Traceback" not in body


@pytest.mark.parametrize(("path", "status", "content"), DOT_SEGMENT_CASES, ids=[case[0] for case in DOT_SEGMENT_CASES])
async def test_dot_segments_sent_raw_get_a_json_4xx_and_no_file(app_and_client, path, status, content):
    app, _ = app_and_client
    response = await raw_get(app, f"/api/v1/{path}")
    assert response.headers["content-type"].startswith("application/json")
    assert_refused(response.status_code, response.text, status, content)


@pytest.mark.e2e
@pytest.mark.parametrize(("path", "status", "content"), DOT_SEGMENT_CASES, ids=[case[0] for case in DOT_SEGMENT_CASES])
def test_dot_segments_on_a_raw_socket_to_the_real_server_get_a_json_4xx(api_on_fixture_bucket, path, status, content):
    """The same through uvicorn: http.client sends the request line as written (no resolving)."""
    server = httpx.URL(api_on_fixture_bucket)
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        connection.request("GET", f"/api/v1/{path}")
        response = connection.getresponse()
        body = response.read().decode()
    finally:
        connection.close()
    assert_refused(response.status, body, status, content)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
async def test_methods_other_than_get_are_refused_with_json_405(client, method):
    response = await client.request(method, "predictions/1/111", content=b'{"area": 1}')
    assert response.status_code == 405 and is_json(response)


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Request-ID": "x" * 10_000},
        {"X-Request-ID": "line\tbreak"},
        {"If-None-Match": "W/" + '"' * 5000},
        {"Accept-Encoding": "gzip;q=NaN, " * 500},
        {"Origin": "http://evil.example"},
    ],
    ids=["long-request-id", "control-chars-request-id", "garbage-if-none-match", "garbage-accept-encoding", "origin"],
)
async def test_hostile_headers_do_not_break_a_data_response(client, headers):
    response = await client.get("predictions/1/111", headers=headers)
    assert response.status_code == 200 and response.json()["preds_datetime_utc"]
    assert len(response.headers["x-request-id"]) <= 128
    assert "access-control-allow-origin" not in response.headers


V2_CASES = [
    # (path relative to /api/v2, accepted statuses)
    (f"series/{HUGE}/111", {422}),
    ("series/1/" + "1" * 10_000, {422}),
    ("series/ALL/all", {422}),
    ("series/all/all%00", {422}),
    ("series/%F0%9F%94%A5/all", {422}),
    ("series/１/１１１", {422}),
    ("series/1/111?tz=" + "A" * 10_000, {422}),
    ("series/1/111?tz=%00", {422}),
    ("series/1/111?tz=Europe/../../etc/passwd", {422}),
    ("series/1/111?tz=/etc/localtime", {422}),
    ("series/1/111?start=" + "9" * 10_000, {422}),
    ("series/1/111?start=9999-12-31T23:59:59%2B14:00", {200}),
    ("series/1/111?start=0001-01-01T00:00:00-12:00&end=9999-12-31", {200}),
    ("series/1/111?start=2023-06-10&end=2023-06-10", {200}),
    ("series/1/111?start=NaN&end=inf", {422}),
    ("series/1/111?format=PARQUET", {422}),
    ("series/1/111?format=json&format=csv", {200}),
    ("forecasts?tz=Asia/Kathmandu", {200}),
    ("monitoring/series/-1/-1", {404}),
    ("monitoring/hourly?tz=Etc/GMT%2B12", {200}),
    ("series/..%2F..%2Fetc%2Fpasswd/111", {404, 422}),
]


@pytest.mark.parametrize(("path", "accepted"), V2_CASES, ids=[path[:60] for path, _ in V2_CASES])
async def test_hostile_v2_input_gets_a_clean_answer(client, path, accepted):
    response = await client.get(f"http://test/api/v2/{path}")
    assert response.status_code in accepted, response.text[:300]
    assert "Traceback" not in response.text and 'File "' not in response.text
    if response.headers["content-type"].startswith("application/json"):
        response.json()


@pytest.mark.parametrize(
    "accept", ["*/*;q=abc", "text/csv;q=0, application/json;q=0", "application/json;;;q=", ",,,", "a" * 5000]
)
async def test_hostile_accept_headers_get_json_csv_or_a_406(client, accept):
    response = await client.get("http://test/api/v2/series/1/111", headers={"Accept": accept})
    assert (response.status_code in {200, 406} and is_json(response)) or response.text.startswith("time,")
