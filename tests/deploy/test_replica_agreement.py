"""API replicas over one bucket agree, whatever order they loaded its objects in.

Three real API processes (as behind a Kubernetes Service or Cloud Run) read one fake-gcs-server
bucket. The first starts before the objects change twice, the second between the changes, the third
after both: each has loaded a different sequence of snapshots. Once all have refreshed, every
`/api/v1` data endpoint answers every replica with the same status, body, ETag and X-Data-Version,
and `/freshness` names the same `data_version` (derived from the objects' generations, not from a
per-process counter).
"""

import io
import time
from contextlib import ExitStack
from itertools import product

import httpx
import pandas as pd
import pytest
from devtools.emulator import FakeGcs
from support import BUCKET_PANDAS3, running_api

pytestmark = [pytest.mark.emulator, pytest.mark.e2e]

BUCKET = "hourly-batch-predictions"
PREFIX = "daily/"
REFRESH_TIMEOUT_S = 60
# Fields of /freshness that describe the process, not the data.
PER_PROCESS = {"snapshot_id", "loaded_at", "age_seconds", "last_successful_refresh_at"}
# Endpoints about the process (its snapshot's age, its health), compared field by field instead.
PER_PROCESS_PATHS = {"health", "ready", "freshness", "status", "openapi.json", "docs", "redoc"}


def changed_parquet(name: str, scale: float) -> bytes:
    """A fixture object with every value scaled: new content, and so a new generation."""
    data = pd.read_parquet(BUCKET_PANDAS3 / name)
    numeric = data.select_dtypes("number").columns
    data[numeric] = data[numeric] * scale
    buffer = io.BytesIO()
    data.to_parquet(buffer)
    return buffer.getvalue()


def freshness(base_url: str) -> dict:
    return httpx.get(f"{base_url}/freshness", timeout=5).json()


def all_refreshed_past(replicas: list[str], old_version: str | None) -> str:
    """Wait until every replica serves one data_version other than `old_version`; return it."""
    deadline = time.monotonic() + REFRESH_TIMEOUT_S
    versions: set[str] = set()
    while time.monotonic() < deadline:
        versions = {freshness(url)["data_version"] for url in replicas}
        if len(versions) == 1 and old_version not in versions:
            return versions.pop()
        time.sleep(0.3)
    raise AssertionError(f"replicas did not converge within {REFRESH_TIMEOUT_S} s: {versions}")


def data_paths(base_url: str) -> list[str]:
    """Every GET path in the API's own OpenAPI documents (v1, and v2 where it exists) except the
    per-process ones, with path parameters filled for every (area, consumer type) pair, including
    pairs without data (404). Paths are relative to the server's root."""
    root = base_url.removesuffix("/api/v1")
    with httpx.Client(timeout=10) as client:
        specs = [client.get(f"{base_url}/openapi.json").json()]
        v2 = client.get(f"{root}/api/v2/openapi.json")
        if v2.status_code == 200:
            specs.append(v2.json())
        areas = client.get(f"{base_url}/area_values").json()["values"]
        types = client.get(f"{base_url}/consumer_type_values").json()["values"]
    paths: list[str] = []
    for spec in specs:
        for template, operations in spec["paths"].items():
            if "get" not in operations or template.rsplit("/", 1)[-1] in PER_PROCESS_PATHS:
                continue
            if "{area}" in template:
                paths += [template.format(area=a, consumer_type=c) for a, c in product(areas, types)]
            else:
                paths.append(template)
    return sorted(set(paths))


def assert_replicas_agree(replicas: list[str]) -> int:
    """Same answers from every replica on every data path; returns how many paths were compared."""
    paths = data_paths(replicas[0])
    assert any(path.startswith("/api/v1/predictions/") for path in paths)
    assert any(path.startswith("/api/v1/monitoring/") for path in paths)
    clients = [httpx.Client(base_url=url.removesuffix("/api/v1"), timeout=10) for url in replicas]
    try:
        for path in paths:
            answers = [client.get(path) for client in clients]
            first = answers[0]
            for other in answers[1:]:
                assert other.status_code == first.status_code, path
                assert other.content == first.content, path
                assert other.headers.get("etag") == first.headers.get("etag"), path
                assert other.headers.get("x-data-version") == first.headers.get("x-data-version"), path
            if first.status_code == 200:
                assert first.headers["etag"] and first.headers["x-data-version"], path
        bodies = [freshness(url) for url in replicas]
        for body in bodies:
            body.pop("source")  # the same bucket; compared below without it anyway
        comparable = [{k: v for k, v in body.items() if k not in PER_PROCESS} for body in bodies]
        assert all(body == comparable[0] for body in comparable), comparable
    finally:
        for client in clients:
            client.close()
    return len(paths)


@pytest.fixture
def gcs():
    with FakeGcs() as server:
        server.create_bucket(BUCKET)
        server.upload_folder(BUCKET, BUCKET_PANDAS3, prefix=PREFIX)
        yield server


def test_replicas_that_loaded_objects_in_different_orders_answer_alike(gcs):
    env = {"STORAGE_EMULATOR_HOST": gcs.url, "APP_API_REFRESH_SECONDS": "1", "APP_API_CACHE_MAX_AGE_SECONDS": "0"}
    bucket = f"gs://{BUCKET}/{PREFIX.rstrip('/')}"
    with ExitStack() as stack:
        first = stack.enter_context(running_api(bucket, env))
        version_0 = freshness(first)["data_version"]

        gcs.upload(BUCKET, f"{PREFIX}y.parquet", changed_parquet("y.parquet", 1.5))
        version_1 = all_refreshed_past([first], version_0)
        second = stack.enter_context(running_api(bucket, env))
        assert all_refreshed_past([first, second], version_0) == version_1
        assert assert_replicas_agree([first, second]) > 10

        gcs.upload(BUCKET, f"{PREFIX}predictions.parquet", changed_parquet("predictions.parquet", 0.5))
        gcs.upload(BUCKET, f"{PREFIX}y_monitoring.parquet", changed_parquet("y_monitoring.parquet", 2.0))
        third = stack.enter_context(running_api(bucket, env))
        replicas = [first, second, third]
        version_2 = all_refreshed_past(replicas, version_1)
        assert len({version_0, version_1, version_2}) == 3
        assert assert_replicas_agree(replicas) > 10
        # The first replica went through three snapshots, the third through one: the counter differs,
        # the data's name does not.
        assert freshness(first)["snapshot_id"] > freshness(third)["snapshot_id"]
