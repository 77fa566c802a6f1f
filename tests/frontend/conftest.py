"""Fixtures of the forecast-page tests: the scripted API for AppTest, and real processes for the browser."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import dashboard_common.client
import pytest
import streamlit as st
from frontend_fakes import FakeApi
from support import running_streamlit


@pytest.fixture
def fake_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeApi]:
    """The real client talking to `FakeApi`; Streamlit's caches are emptied around each test."""
    api = FakeApi()
    monkeypatch.setattr(dashboard_common.client.requests, "Session", api.session)
    monkeypatch.setenv("APP_FRONTEND_API_URL", "http://api.test:8001/api/v1")
    st.cache_data.clear()
    st.cache_resource.clear()
    yield api
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="session")
def start_dashboard() -> Callable[[str], AbstractContextManager[str]]:
    """Runs the forecast dashboard as a process against the given API URL; yields its URL."""

    def start(api_url: str) -> AbstractContextManager[str]:
        return running_streamlit(
            "app-frontend", "frontend/main.py", {"APP_FRONTEND_API_URL": api_url}, module="frontend"
        )

    return start


@pytest.fixture(scope="module")
def dashboard_on_fixture_bucket(
    api_on_fixture_bucket: str, start_dashboard: Callable[[str], AbstractContextManager[str]]
) -> Iterator[str]:
    with start_dashboard(api_on_fixture_bucket) as url:
        yield url
