"""Fixtures of the forecast-page tests: the real API as a process, on the fixture bucket and on demo
buckets written around a daylight-saving change, for AppTest and for the browser.

No fake of the API: AppTest runs the page in-process against a real API process on loopback,
with the client's HTTP session wrapped only to count the requests it makes.
"""

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

import dashboard_common.client
import pytest
import requests
import streamlit as st
from devtools.processes import running_dashboard
from support import free_port, running_api
from yarl import URL

MAIN_SCRIPT = Path(__file__).resolve().parents[2] / "app-frontend" / "frontend" / "main.py"
# 29 March 2026: Danish clocks jump from 02:00 to 03:00. The observed week (25 Mar 12:00 UTC to
# 1 Apr 11:00 UTC) holds that 23-hour day, and the forecast (1 Apr 12:00 UTC onward) reaches Maundy
# Thursday (2 Apr), a public holiday.
SPRING_FORWARD_NOW = datetime(2026, 4, 1, 12, tzinfo=UTC)
# 25 October 2026: 03:00 CEST falls back to 02:00 CET, so 02:00 happens twice in the observed week.
FALL_BACK_NOW = datetime(2026, 10, 27, 12, tzinfo=UTC)


def write_demo_bucket(folder: Path, now: datetime) -> Path:
    """The API's own demo generator, ending at `now` (the API serves it as a normal bucket folder)."""
    from api.demo import write_demo_bucket as write

    write(str(folder), now=now)
    return folder


def write_biased_bucket(folder: Path, now: datetime, area: int = 1, factor: float = 0.95) -> Path:
    """The demo bucket with the model running low in one price area: its forecasts (the next 24 hours
    and the monitored past) are `factor` of what the demo model predicted, as in issue 25's DK1 example
    (the API learns the ranges from the past errors, so the range sits above the forecast)."""
    import pandas as pd

    write_demo_bucket(folder, now)
    for name in ("predictions", "predictions_monitoring"):
        path = folder / f"{name}.parquet"
        frame = pd.read_parquet(path)
        frame.loc[frame.index.get_level_values("area") == area, "energy_consumption"] *= factor
        frame.to_parquet(path)
    return folder


@pytest.fixture(scope="session")
def api_on_biased_bucket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """DK1's model running 5 % low (spring-forward demo week); DK2 as the demo has it."""
    bucket = write_biased_bucket(tmp_path_factory.mktemp("biased"), SPRING_FORWARD_NOW)
    with running_api(bucket) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def api_on_spring_forward_bucket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    bucket = write_demo_bucket(tmp_path_factory.mktemp("spring-forward"), SPRING_FORWARD_NOW)
    with running_api(bucket) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def api_on_fall_back_bucket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    bucket = write_demo_bucket(tmp_path_factory.mktemp("fall-back"), FALL_BACK_NOW)
    with running_api(bucket) as base_url:
        yield base_url


class RecordingSession(requests.Session):
    """A real `requests.Session` that also notes the path and query of every request it sends."""

    sent: ClassVar[list[str]] = []

    def request(self, method: str, url: str, *args, **kwargs) -> requests.Response:
        parsed = URL(url)
        params = kwargs.get("params") or {}
        query = {**parsed.query, **{key: str(value) for key, value in dict(params).items() if value is not None}}
        RecordingSession.sent.append(
            parsed.path + ("?" + "&".join(f"{k}={v}" for k, v in sorted(query.items())) if query else "")
        )
        return super().request(method, url, *args, **kwargs)


@pytest.fixture
def sent_requests(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Paths the page's client sends; Streamlit's caches are emptied around each test."""
    RecordingSession.sent = []
    monkeypatch.setattr(dashboard_common.client.requests, "Session", RecordingSession)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield RecordingSession.sent
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def page_on(monkeypatch: pytest.MonkeyPatch, sent_requests: list[str]) -> Callable[[str], None]:
    """Points the page at an API address (the `/api/v1` form deployments were configured with; the
    browser tests start the page with the API's root)."""

    def point(api_url: str) -> None:
        monkeypatch.setenv("APP_FRONTEND_API_URL", api_url)

    return point


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A desktop-sized page, tall enough that screenshots hold chart, legend and notes."""
    context = browser.new_context(viewport={"width": 1400, "height": 1700})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def closed_port_url() -> str:
    """An API URL where nothing listens: connections are refused, as when the API is down."""
    return f"http://127.0.0.1:{free_port()}/api/v1"


@pytest.fixture
def silent_api_url() -> Iterator[str]:
    """An API URL on loopback that accepts connections and never answers: a hung or very slow API."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/api/v1"
    finally:
        stop.set()
        thread.join(timeout=5)
        for connection in accepted:
            connection.close()
        listener.close()


@pytest.fixture(scope="session")
def start_dashboard() -> Callable[[str], AbstractContextManager[str]]:
    """Runs the forecast dashboard as `python -m frontend` (with its warm-up) against an API, configured
    with the API's root as deployments are; yields its URL."""

    def start(api_url: str) -> AbstractContextManager[str]:
        return running_dashboard("frontend", {"APP_FRONTEND_API_URL": api_url.removesuffix("/api/v1")})

    return start


@pytest.fixture(scope="module")
def dashboard_on_fixture_bucket(
    api_on_fixture_bucket: str, start_dashboard: Callable[[str], AbstractContextManager[str]]
) -> Iterator[str]:
    with start_dashboard(api_on_fixture_bucket) as url:
        yield url


@pytest.fixture(scope="module")
def dashboard_on_spring_forward_bucket(
    api_on_spring_forward_bucket: str, start_dashboard: Callable[[str], AbstractContextManager[str]]
) -> Iterator[str]:
    with start_dashboard(api_on_spring_forward_bucket) as url:
        yield url


@pytest.fixture(scope="module")
def dashboard_on_fall_back_bucket(
    api_on_fall_back_bucket: str, start_dashboard: Callable[[str], AbstractContextManager[str]]
) -> Iterator[str]:
    with start_dashboard(api_on_fall_back_bucket) as url:
        yield url
