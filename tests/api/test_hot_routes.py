"""The hot lanes (api.hot_routes) answer exactly what the full routes answer, and they do answer.

Each request goes to two apps on the same bucket, one with the lanes (the default) and one without
(`HOT_ROUTES=False`, FastAPI's routing for everything): status, headers and body must match, for the
plain URLs the lanes take and for near misses they must hand on (other spellings of a code, query
strings, `Accept` forms, HEAD, unknown series, trailing slashes). A counter on the functions only the
lanes call shows the plain URLs really took a lane, so the comparison is not of two full routes.
"""

import httpx
import pytest
from api.v1 import routes as v1
from api.v2 import routes as v2
from devtools.paths import BUCKET_PANDAS15

pytestmark = pytest.mark.anyio

PLAIN = ["/api/v1/predictions/1/111", "/api/v2/series/1/111", "/api/v2/series/all/all", "/api/v2/series/2/all"]
NEAR_MISSES = [
    "/api/v1/predictions/01/111",
    "/api/v1/predictions/+1/111",
    "/api/v1/predictions/1/111/",
    "/api/v1/predictions/-1/111",
    "/api/v1/predictions/1/999",
    "/api/v1/predictions/x/111",
    "/api/v1/predictions/1/111?area=2",
    "/api/v1/predictions/%31/111",
    "/api/v2/series/1/111?tz=Europe/Copenhagen",
    "/api/v2/series/1/111?format=csv",
    "/api/v2/series/1/999",
    "/api/v2/series/0001/111",
    "/api/v2/series/ALL/111",
    "/api/v2/series/1/1111111111",
]
HEADER_SETS = [
    {},
    {"Accept": "text/csv"},
    {"Accept": "application/vnd.apache.parquet"},
    {"Accept": "image/png"},
    {"Accept-Encoding": "gzip"},
    {"Origin": "http://localhost:8501"},
]
VOLATILE = {"x-request-id", "date"}


def comparable(response: httpx.Response) -> tuple[int, list[tuple[str, str]], bytes]:
    headers = sorted((name, value) for name, value in response.headers.multi_items() if name not in VOLATILE)
    return response.status_code, headers, response.content


async def test_the_lanes_answer_as_the_full_routes_do_and_take_the_plain_urls(serve_bucket, monkeypatch):
    taken: list[str] = []

    def counted(function, name):
        async def wrapper(*args, **kwargs):
            taken.append(name)
            return await function(*args, **kwargs)

        return wrapper

    # Only the lanes look these up on the modules; the routes hold the original functions.
    monkeypatch.setattr(v1, "served", counted(v1.served, "v1"))
    monkeypatch.setattr(v2, "series", counted(v2.series, "v2"))
    async with (
        serve_bucket(BUCKET_PANDAS15) as (_, hot_client),
        serve_bucket(BUCKET_PANDAS15, HOT_ROUTES=False) as (
            _,
            full,
        ),
    ):
        for path in PLAIN + NEAR_MISSES:
            for headers in HEADER_SETS:
                for method in ("GET", "HEAD"):
                    url = "http://test" + path
                    lane = await hot_client.request(method, url, headers=headers)
                    route = await full.request(method, url, headers=headers)
                    assert comparable(lane) == comparable(route), (method, path, headers)
        # A 304 for a validator the client holds, through the lane as through the route.
        etag = (await hot_client.get("http://test/api/v1/predictions/1/111")).headers["etag"]
        lane = await hot_client.get("http://test/api/v1/predictions/1/111", headers={"If-None-Match": etag})
        route = await full.get("http://test/api/v1/predictions/1/111", headers={"If-None-Match": etag})
        assert lane.status_code == 304 and comparable(lane) == comparable(route)

        taken.clear()
        for path in PLAIN:
            assert (await hot_client.get("http://test" + path)).status_code == 200
        assert taken == ["v1", "v2", "v2", "v2"]
        taken.clear()
        for path in ["/api/v1/predictions/01/111", "/api/v2/series/1/111?tz=UTC", "/api/v1/predictions/1/111/"]:
            await hot_client.get("http://test" + path)
        assert taken == []


async def test_a_lane_answer_is_logged_and_counted_under_its_route_template(serve_bucket, caplog):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        with caplog.at_level("INFO", logger="api.access"):
            await client.get("http://test/api/v2/series/1/111", headers={"X-Request-ID": "lane-1"})
        metrics = (await client.get("http://test/metrics")).text
    line = next(record for record in caplog.records if record.name == "api.access")
    assert line.route == "/api/v2/series/{area}/{consumer_type}" and line.request_id == "lane-1"
    assert line.status == 200
    assert 'http_requests_total{method="GET",route="/api/v2/series/{area}/{consumer_type}",status="200"} 1.0' in metrics
