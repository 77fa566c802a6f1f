"""Fixtures of the monitoring dashboard's tests: the real API in-process for `AppTest`, the real dashboard.

In `AppTest` runs the page's real API client runs; only `requests.Session.get` in
`dashboard_common.client`'s module is replaced, by the real app answering in-process (see
`inprocess_api`). So status handling, retries and exceptions are the client's own, and every
answer is the API's own for a real bucket.
"""

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
import streamlit as st
from buckets import write_bucket_without_monitoring, write_edge_bucket
from devtools.paths import BUCKET_PANDAS15
from devtools.processes import running_dashboard
from inprocess_api import API_URL, InProcessApi, inprocess_api
from streamlit.testing.v1 import AppTest

MAIN = Path(__file__).resolve().parents[2] / "app-monitoring" / "monitoring" / "main.py"


@pytest.fixture(scope="session")
def fixture_api() -> Iterator[InProcessApi]:
    """The real API over bucket-pandas15 (the pipeline's own files), in-process."""
    with inprocess_api(BUCKET_PANDAS15) as api:
        yield api


@pytest.fixture(scope="session")
def edge_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcessApi]:
    """The real API over the edge-case bucket (`buckets.write_edge_bucket`), in-process."""
    with inprocess_api(write_edge_bucket(tmp_path_factory.mktemp("edge-bucket"))) as api:
        yield api


@pytest.fixture(scope="session")
def no_monitoring_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcessApi]:
    """The real API over bucket-pandas15 without its monitoring files, in-process."""
    bucket = write_bucket_without_monitoring(BUCKET_PANDAS15, tmp_path_factory.mktemp("no-monitoring"))
    with inprocess_api(bucket) as api:
        yield api


@pytest.fixture
def serve_page(monkeypatch: pytest.MonkeyPatch) -> Callable[[InProcessApi], InProcessApi]:
    """Routes the dashboard's HTTP calls to the given in-process API (fresh injections and log)."""

    def route(api: InProcessApi) -> InProcessApi:
        api.injected.clear()
        api.requested.clear()

        def session_get(session: requests.Session, url: str, timeout: float | None = None) -> requests.Response:
            return api.get(url, timeout)

        monkeypatch.setattr("dashboard_common.client.requests.Session.get", session_get)
        monkeypatch.setenv("APP_MONITORING_API_URL", API_URL)
        return api

    return route


@pytest.fixture
def page_api(serve_page, fixture_api: InProcessApi) -> InProcessApi:
    """The page's API for a test: bucket-pandas15 unless the test routes to another."""
    return serve_page(fixture_api)


@pytest.fixture
def app(page_api: InProcessApi) -> Iterator[Callable[..., AppTest]]:
    """Builds the page with the given query parameters; caches are emptied around each test."""
    st.cache_data.clear()
    st.cache_resource.clear()

    def build(**query: str) -> AppTest:
        app_test = AppTest.from_file(str(MAIN), default_timeout=60)
        app_test.query_params.update(query)
        return app_test

    yield build
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="module")
def dashboard(api_on_fixture_bucket: str) -> Iterator[str]:
    """The monitoring dashboard as deployed (`python -m monitoring`, with its warm-up, configured with the
    API's root) against the real API on bucket-pandas15, as a process on a free port; its URL."""
    root = api_on_fixture_bucket.removesuffix("/api/v1")
    with running_dashboard("monitoring", {"APP_MONITORING_API_URL": root}) as url:
        yield url


def prometheus_tool(name: str) -> str:
    """Path of a binary of Debian's `prometheus` package; missing skips locally and fails under CI=true."""
    found = shutil.which(name)
    if found:
        return found
    message = f"`{name}` not found: install Debian's `prometheus` package to run the alert rule tests"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def promtool() -> str:
    return prometheus_tool("promtool")


@pytest.fixture(scope="session")
def prometheus_server() -> str:
    return prometheus_tool("prometheus")
