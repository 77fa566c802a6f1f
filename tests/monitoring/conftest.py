"""Fixtures of the monitoring dashboard's tests: a fake HTTP layer for `AppTest`, the real dashboard.

In `AppTest` runs the page's real `ApiClient` runs; only `requests.Session.get` in
`dashboard_common.client`'s module is replaced, so status handling, retries and exceptions are the
client's own.
"""

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
import streamlit as st
from monitoring_fakes import API_URL, FakeApi, healthy_answers
from streamlit.testing.v1 import AppTest
from support import running_streamlit

MAIN = Path(__file__).resolve().parents[2] / "app-monitoring" / "monitoring" / "main.py"


@pytest.fixture
def fake_api(monkeypatch: pytest.MonkeyPatch) -> FakeApi:
    fake = FakeApi(answers=healthy_answers())

    def session_get(session: requests.Session, url: str, timeout: float | None = None) -> requests.Response:
        return fake.get(url, timeout)

    monkeypatch.setattr("dashboard_common.client.requests.Session.get", session_get)
    monkeypatch.setenv("APP_MONITORING_API_URL", API_URL)
    return fake


@pytest.fixture
def app(fake_api: FakeApi) -> Iterator[Callable[..., AppTest]]:
    """Builds the page with the given query parameters; caches are emptied around each test."""
    st.cache_data.clear()
    st.cache_resource.clear()

    def build(**query: str) -> AppTest:
        app_test = AppTest.from_file(str(MAIN), default_timeout=30)
        app_test.query_params.update(query)
        return app_test

    yield build
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="module")
def dashboard(api_on_fixture_bucket: str) -> Iterator[str]:
    """The monitoring dashboard as a process against the real API on bucket-pandas15; its URL."""
    with running_streamlit(
        "app-monitoring", "monitoring/main.py", {"APP_MONITORING_API_URL": api_on_fixture_bucket}
    ) as url:
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
