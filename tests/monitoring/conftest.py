"""Fixtures of the monitoring dashboard's tests: a fake HTTP layer for `AppTest` runs.

The page's real `ApiClient` runs; only `requests.Session.get` in `dashboard_common.client`'s module
is replaced, so status handling, retries and exceptions are the client's own.
"""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import monitoring_canned as canned
import pytest
import requests
import streamlit as st
from streamlit.testing.v1 import AppTest

MAIN = Path(__file__).resolve().parents[2] / "app-monitoring" / "monitoring" / "main.py"
API_URL = "http://api.test/api/v1"

Answer = tuple[int, dict] | Exception


@dataclass
class FakeApi:
    """Answers by path below `/api/v1`; anything else is a 404 like the real service."""

    answers: dict[str, Answer] = field(default_factory=dict)
    requested: list[str] = field(default_factory=list)

    def get(self, url: str, timeout: float | None = None) -> requests.Response:
        assert timeout is not None, "every API call must have a timeout"
        path = url.removeprefix(API_URL + "/")
        self.requested.append(path)
        answer = self.answers.get(path, (404, {"detail": f"Not Found: {path}"}))
        if isinstance(answer, Exception):
            raise answer
        status, body = answer
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(body).encode()
        response.headers["Content-Type"] = "application/json"
        response.url = url
        return response


def healthy_answers() -> dict[str, Answer]:
    """What the API answers for the golden bucket, plus one series with no observation yet."""
    answers: dict[str, Answer] = {
        "freshness": (200, canned.freshness()),
        "monitoring/metrics": (200, canned.golden("monitoring_metrics")),
        "monitoring/summary": (200, canned.summary()),
    }
    for (area, consumer_type), errors in canned.all_errors().items():
        answers[f"monitoring/errors/{area}/{consumer_type}"] = (200, errors)
    return answers


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
