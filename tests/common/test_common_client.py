"""The shared API client against a real HTTP server on a loopback port, answering from a script:
retries, errors and timeouts, the API's root from any configured address, and only `/api/v2` asked."""

import contextlib
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from dashboard_common.addresses import DEFAULT_API_ROOT
from dashboard_common.client import (
    ApiClient,
    ApiError,
    ApiUnavailable,
    SeriesNotFound,
    api_root,
    configured_api_root,
)


class ScriptedApi:
    """An HTTP server whose answers per path are queued by the test; it records every request."""

    def __init__(self) -> None:
        self.answers: dict[str, list[tuple[int, object, float]]] = {}
        self.requests: list[str] = []
        scripted = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                scripted.requests.append(self.path)
                queue = scripted.answers.get(self.path, [])
                status, body, delay = queue.pop(0) if len(queue) > 1 else (queue or [(500, {}, 0)])[0]
                if delay:
                    threading.Event().wait(delay)
                payload = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.root = f"http://127.0.0.1:{self.server.server_port}"

    def answer(self, path: str, *answers: tuple[int, object] | tuple[int, object, float]) -> None:
        """Queue answers for `/api/v2/<path>` (with its query); the last one repeats."""
        self.answers[f"/api/v2/{path}"] = [(a[0], a[1], a[2] if len(a) > 2 else 0.0) for a in answers]


@pytest.fixture
def scripted_api() -> Iterator[ScriptedApi]:
    api = ScriptedApi()
    thread = threading.Thread(target=api.server.serve_forever, daemon=True)
    thread.start()
    yield api
    api.server.shutdown()
    api.server.server_close()


def test_a_series_is_asked_by_its_path_with_the_zone_and_its_body_returned(scripted_api: ScriptedApi) -> None:
    body = {"area": "0", "consumer_type": "111", "tz": "Europe/Copenhagen", "observations": [], "forecast": []}
    scripted_api.answer("series/0/111?tz=Europe/Copenhagen", (200, body))

    assert ApiClient(scripted_api.root).series(0, 111, tz="Europe/Copenhagen") == body
    assert scripted_api.requests == ["/api/v2/series/0/111?tz=Europe/Copenhagen"]


@pytest.mark.parametrize(
    ("method", "args", "path"),
    [
        ("status", (), "status?tz=UTC"),
        ("series_list", (), "series"),
        ("series", ("all", "all"), "series/all/all?tz=UTC"),
        ("monitoring_summary", (), "monitoring/summary?tz=UTC"),
        ("monitoring_hourly", (), "monitoring/hourly?tz=UTC"),
        ("monitoring_series", (1, 999), "monitoring/series/1/999?tz=UTC"),
        ("monitoring_hour_of_day", (), "monitoring/hour_of_day?tz=UTC"),
    ],
)
def test_each_method_calls_its_v2_endpoint(scripted_api: ScriptedApi, method: str, args: tuple, path: str) -> None:
    scripted_api.answer(path, (200, {"ok": path}))

    assert getattr(ApiClient(scripted_api.root), method)(*args) == {"ok": path}
    assert scripted_api.requests == [f"/api/v2/{path}"]


@pytest.mark.parametrize("configured", ["", "/", "/api/v1", "/api/v1/", "/api/v2", "/api"])
def test_any_configured_address_of_the_api_calls_v2_under_its_root(scripted_api: ScriptedApi, configured: str) -> None:
    scripted_api.answer("series", (200, {"series": []}))

    assert ApiClient(scripted_api.root + configured).series_list() == {"series": []}
    assert scripted_api.requests == ["/api/v2/series"]


def test_the_client_offers_only_what_the_pages_call() -> None:
    offered = {name for name in vars(ApiClient) if not name.startswith("_")}
    assert offered == {
        "for_version",
        "status",
        "series_list",
        "series",
        "monitoring_summary",
        "monitoring_hourly",
        "monitoring_hour_of_day",
        "monitoring_series",
    }


def test_404_raises_series_not_found_with_the_api_detail(scripted_api: ScriptedApi) -> None:
    scripted_api.answer(
        "series/2/999?tz=UTC",
        (404, {"detail": "No data found for area 2 and consumer type 999."}),
    )

    with pytest.raises(SeriesNotFound) as raised:
        ApiClient(scripted_api.root).series(2, 999)

    assert raised.value.message == "No data found for area 2 and consumer type 999."
    assert raised.value.url == scripted_api.root + "/api/v2/series/2/999?tz=UTC"
    assert len(scripted_api.requests) == 1


def test_one_transient_503_is_retried_and_the_second_answer_used(scripted_api: ScriptedApi) -> None:
    scripted_api.answer("status?tz=UTC", (503, {"detail": "loading"}), (200, {"snapshot_id": 1}))

    assert ApiClient(scripted_api.root).status() == {"snapshot_id": 1}
    assert len(scripted_api.requests) == 2


@pytest.mark.parametrize("status", [502, 504])
def test_a_gateway_error_is_retried_once_like_a_503(scripted_api: ScriptedApi, status: int) -> None:
    scripted_api.answer("monitoring/summary?tz=UTC", (status, {"detail": "gateway"}), (200, {"series": []}))

    assert ApiClient(scripted_api.root).monitoring_summary() == {"series": []}
    assert len(scripted_api.requests) == 2


def test_a_500_is_not_retried(scripted_api: ScriptedApi) -> None:
    scripted_api.answer("status?tz=UTC", (500, {"detail": "bug"}))

    with pytest.raises(ApiUnavailable, match="HTTP 500"):
        ApiClient(scripted_api.root).status()
    assert len(scripted_api.requests) == 1


def test_503_twice_raises_api_unavailable_with_the_detail(scripted_api: ScriptedApi) -> None:
    scripted_api.answer("series", (503, {"detail": "data not loaded yet"}))

    with pytest.raises(ApiUnavailable, match="data not loaded yet"):
        ApiClient(scripted_api.root).series_list()
    assert len(scripted_api.requests) == 2


def test_422_is_an_api_error_but_not_unavailable_and_not_retried(scripted_api: ScriptedApi) -> None:
    scripted_api.answer("series/1/111?tz=Mars", (422, {"detail": [{"msg": "bad"}]}))

    with pytest.raises(ApiError) as raised:
        ApiClient(scripted_api.root).series(1, 111, tz="Mars")

    assert not isinstance(raised.value, ApiUnavailable | SeriesNotFound)
    assert "HTTP 422" in raised.value.message
    assert len(scripted_api.requests) == 1


def test_a_body_that_is_not_json_is_an_api_error(scripted_api: ScriptedApi) -> None:
    scripted_api.answer("status?tz=UTC", (200, "<html>proxy</html>"))

    with pytest.raises(ApiError, match="not JSON"):
        ApiClient(scripted_api.root).status()


def test_a_slow_answer_times_out_is_retried_once_and_raises_unavailable(
    scripted_api: ScriptedApi,
) -> None:
    scripted_api.answer("status?tz=UTC", (200, {}, 1.0))

    with pytest.raises(ApiUnavailable, match="Timeout"):
        ApiClient(scripted_api.root, timeout=0.2).status()
    assert len(scripted_api.requests) == 2


def test_nothing_listening_raises_api_unavailable_naming_the_url() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    with pytest.raises(ApiUnavailable) as raised:
        ApiClient(url, timeout=1.0).status()

    assert raised.value.url == url + "/api/v2/status?tz=UTC"
    assert "cannot reach the API" in raised.value.message


def test_a_connection_dropped_without_an_answer_is_retried_once_then_unavailable() -> None:
    accepted = []
    done = threading.Event()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.1)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"

        def drop_connections() -> None:
            while not done.is_set():
                with contextlib.suppress(TimeoutError):
                    connection, _ = listener.accept()
                    accepted.append(connection)
                    connection.close()  # no answer at all: the client sees the connection end

        dropper = threading.Thread(target=drop_connections, daemon=True)
        dropper.start()
        with pytest.raises(ApiUnavailable, match="cannot reach the API"):
            ApiClient(url, timeout=5).status()
        done.set()
        dropper.join(timeout=5)
    assert len(accepted) == 2


@pytest.mark.parametrize(
    ("configured", "root"),
    [
        ("http://api:8001", "http://api:8001"),
        ("http://api:8001/", "http://api:8001"),
        ("http://api:8001/api/v1", "http://api:8001"),
        ("http://api:8001/api/v1/", "http://api:8001"),
        ("http://api:8001/api/v2", "http://api:8001"),
        ("http://api:8001/api", "http://api:8001"),
        ("https://example.org/forecast/api/v1", "https://example.org/forecast"),
        ("https://example.org/forecast", "https://example.org/forecast"),
        (" http://api:8001/api/v1 ", "http://api:8001"),
    ],
)
def test_the_apis_root_from_any_configured_address(configured: str, root: str) -> None:
    assert api_root(configured) == root


def test_the_configured_address_comes_from_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_TEST_API_URL", "http://api:8001/api/v1/")

    assert configured_api_root("APP_TEST_API_URL") == "http://api:8001"


@pytest.mark.parametrize("value", [None, ""])
def test_the_address_defaults_to_localhost_when_unset_or_empty(monkeypatch: pytest.MonkeyPatch, value: str | None):
    if value is None:
        monkeypatch.delenv("APP_TEST_API_URL", raising=False)
    else:
        monkeypatch.setenv("APP_TEST_API_URL", value)

    assert configured_api_root("APP_TEST_API_URL") == DEFAULT_API_ROOT == "http://localhost:8001"
