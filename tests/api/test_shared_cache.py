"""The API's headers make a real shared cache correct: Debian's nginx in front of a real API process on a
local-folder bucket, configured to follow the answers' own headers and nothing else (devtools.sharedcache).

- JSON and CSV clients of one URL each get their own form (`Vary: Accept`), gzip and plain clients each
  get what they can read (`Vary: Accept-Encoding`), HEAD says what GET would;
- an expired entry is revalidated with the API (a 304, counted in the API's metrics), and a client's own
  `If-None-Match` gets a 304 from the cache;
- a change of data shows through the cache within max-age plus one refresh;
- while the API is stopped, the cache serves the last answer (`stale-if-error`), and only that.

Settings: max-age 1 s, refresh 3 s, so `s-maxage=1, stale-while-revalidate=3, stale-if-error=9`.
"""

import os
import shutil
import sys
import time

import httpx
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from devtools.paths import ARTIFACTS, REPO_ROOT
from devtools.processes import free_port, start_process, stop_process
from devtools.prometheus import sample_value
from devtools.sharedcache import NGINX, nginx_found, running_nginx_cache
from devtools.waiting import wait_for_http
from support import BUCKET_PANDAS15, running_api

pytestmark = [pytest.mark.e2e, pytest.mark.cache]

MAX_AGE, REFRESH = 1, 3
# nginx keeps time in whole seconds and calls an entry expired once its last valid second has passed:
# an answer with s-maxage=1 can be served fresh for up to 2 s after it was stored.
EXPIRED_AFTER = MAX_AGE + 1.5
SERIES = "/api/v2/series/1/111"
SERIES_ROUTE = "/api/v2/series/{area}/{consumer_type}"
JSON, CSV = {"Accept": "application/json"}, {"Accept": "text/csv"}


@pytest.fixture(scope="module", autouse=True)
def nginx_present() -> None:
    if not nginx_found():
        message = f"nginx not found at {NGINX}: install Debian's `nginx` package to run the shared-cache test"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def bucket(tmp_path):
    return shutil.copytree(BUCKET_PANDAS15, tmp_path / "bucket")


@pytest.fixture
def edge(bucket):
    """(the API's origin, the cache's origin), the API refreshing every 3 s with max-age 1 s."""
    settings = {"APP_API_REFRESH_SECONDS": str(REFRESH), "APP_API_CACHE_MAX_AGE_SECONDS": str(MAX_AGE)}
    with (
        running_api(bucket, settings) as api_url,
        running_nginx_cache(int(api_url.split(":")[2].split("/")[0])) as cache,
    ):
        yield api_url.removesuffix("/api/v1"), cache


def api_count(origin: str, status: str) -> float:
    metrics = httpx.get(f"{origin}/metrics").text
    try:
        return sample_value(metrics, "http_requests_total", method="GET", route=SERIES_ROUTE, status=status)
    except KeyError:
        return 0.0


def test_json_and_csv_clients_each_get_their_own_form_through_the_cache(edge):
    _, cache = edge
    asked = [("json", JSON), ("csv", CSV), ("json", JSON), ("csv", CSV), ("json", {}), ("csv", CSV)]
    with httpx.Client(base_url=cache, timeout=30) as client:
        answers = [(wanted, client.get(SERIES, headers=headers)) for wanted, headers in asked]
        again = client.get(SERIES, headers=JSON)
        head = client.head(SERIES, headers=CSV)
        zipped = client.get(SERIES, headers={**CSV, "Accept-Encoding": "gzip"})
        plain = client.get(SERIES, headers={**CSV, "Accept-Encoding": "identity"})
    for wanted, response in answers:
        assert response.status_code == 200
        if wanted == "json":
            assert response.headers["content-type"] == "application/json" and response.json()["observations"]
        else:
            assert response.headers["content-type"].startswith("text/csv") and response.text.startswith("time,kind")
    assert answers[0][1].headers["x-cache-status"] == "MISS" and answers[1][1].headers["x-cache-status"] == "MISS"
    assert again.headers["x-cache-status"] == "HIT" and again.headers["content-type"] == "application/json"
    assert head.status_code == 200 and head.headers["content-type"].startswith("text/csv") and head.content == b""
    assert zipped.headers.get("content-encoding") == "gzip" and zipped.text.startswith("time,kind")
    assert "content-encoding" not in plain.headers and plain.text.startswith("time,kind")


def test_an_expired_entry_is_revalidated_with_a_304_and_a_clients_etag_gets_a_304(edge):
    origin, cache = edge
    with httpx.Client(base_url=cache, timeout=30) as client:
        first = client.get(SERIES, headers=CSV)
        time.sleep(EXPIRED_AFTER)  # past s-maxage: the entry must be checked with the API
        before = api_count(origin, "304")
        revalidated = client.get(SERIES, headers=CSV)
        conditional = client.get(SERIES, headers={**CSV, "If-None-Match": first.headers["etag"]})
    assert revalidated.headers["x-cache-status"] == "REVALIDATED" and revalidated.text == first.text
    assert api_count(origin, "304") == before + 1  # the API answered the revalidation with 304, no body
    assert conditional.status_code == 304 and conditional.content == b""


def test_a_data_change_shows_through_the_cache_within_max_age_plus_one_refresh(edge, bucket):
    _, cache = edge
    with httpx.Client(base_url=cache, timeout=30) as client:
        before = client.get(SERIES, headers=JSON).json()["forecast"][0]["kwh"]
        assert client.get(SERIES, headers=JSON).headers["x-cache-status"] == "HIT"
        table = pq.read_table(bucket / "predictions.parquet")
        column = table.schema.get_field_index("energy_consumption")
        pq.write_table(table.set_column(column, "energy_consumption", pc.multiply(table[column], 2.0)),
                       bucket / "predictions.parquet")  # fmt: skip
        changed_at = time.monotonic()
        bound = MAX_AGE + REFRESH
        while True:
            now = client.get(SERIES, headers=JSON).json()["forecast"][0]["kwh"]
            elapsed = time.monotonic() - changed_at
            if now != before or elapsed > bound + 5:
                break
            time.sleep(0.1)
    assert now == pytest.approx(2 * before)
    # The API sees the new object within one refresh (plus reading it and building the snapshot), the cache
    # within max-age after that (plus up to 1 s: nginx counts in whole seconds).
    assert elapsed <= bound + 2.5, f"new data showed after {elapsed:.1f} s, more than {bound} s + 2.5 s"


def test_while_the_api_is_stopped_the_cache_serves_its_last_answer_and_only_that(bucket):
    port = free_port()
    env = {**os.environ, "APP_API_GCP_BUCKET": str(bucket), "APP_API_HOST": "127.0.0.1", "APP_API_PORT": str(port),
           "APP_API_LOG_LEVEL": "warning", "APP_API_REFRESH_SECONDS": str(REFRESH),
           "APP_API_CACHE_MAX_AGE_SECONDS": str(MAX_AGE)}  # fmt: skip
    api = start_process([sys.executable, "-m", "api"], REPO_ROOT / "app-api", env, ARTIFACTS / f"api-{port}.log")
    try:
        wait_for_http(f"http://127.0.0.1:{port}/api/v1/ready", timeout=60, process=api)
        with running_nginx_cache(port) as cache, httpx.Client(base_url=cache, timeout=30) as client:
            cached = client.get(SERIES, headers=CSV)
            assert "stale-if-error=9" in cached.headers["cache-control"]
            stop_process(api)
            stopped_at = time.monotonic()
            time.sleep(EXPIRED_AFTER)  # expired: a fresh copy would have to come from the API
            served = client.get(SERIES, headers=CSV)
            never_cached = client.get("/api/v2/series/2/462", headers=CSV)
            within = time.monotonic() - stopped_at
    finally:
        stop_process(api)
    assert within < 3 * REFRESH  # still inside stale-if-error
    assert served.status_code == 200 and served.text == cached.text
    assert served.headers["x-cache-status"] == "STALE"
    assert never_cached.status_code == 502  # nothing stale to fall back on: the cache says it has no answer
