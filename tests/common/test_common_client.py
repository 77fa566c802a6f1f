"""The shared API client against a real HTTP server on a loopback port, answering from a script."""

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from dashboard_common.client import (
    DEFAULT_API_URL,
    ApiClient,
    ApiError,
    ApiUnavailable,
    SeriesNotFound,
    api_base_url,
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
        self.base_url = f"http://127.0.0.1:{self.server.server_port}/api/v1"

    def answer(self, path: str, *answers: tuple[int, object] | tuple[int, object, float]) -> None:
        """Queue answers for `path`; the last one repeats."""
        self.answers[f"/api/v1/{path}"] = [(a[0], a[1], a[2] if len(a) > 2 else 0.0) for a in answers]


@pytest.fixture
def scripted_api() -> Iterator[ScriptedApi]:
    api = ScriptedApi()
    thread = threading.Thread(target=api.server.serve_forever, daemon=True)
    thread.start()
    yield api
    api.server.shutdown()
    api.server.server_close()


def test_predictions_returns_the_parsed_body_from_the_area_and_type_path(
    scripted_api: ScriptedApi,
) -> None:
    body = {
        "datetime_utc": [1],
        "energy_consumption": [2.0],
        "preds_datetime_utc": [2],
        "preds_energy_consumption": [3.0],
    }
    scripted_api.answer("predictions/0/111", (200, body))

    assert ApiClient(scripted_api.base_url).predictions(0, 111) == body
    assert scripted_api.requests == ["/api/v1/predictions/0/111"]


@pytest.mark.parametrize(
    ("method", "args", "path"),
    [
        ("freshness", (), "freshness"),
        ("monitoring_metrics", (), "monitoring/metrics"),
        ("monitoring_summary", (), "monitoring/summary"),
        ("monitoring_errors", (1, 999), "monitoring/errors/1/999"),
    ],
)
def test_each_method_calls_its_endpoint(scripted_api: ScriptedApi, method: str, args: tuple, path: str) -> None:
    scripted_api.answer(path, (200, {"ok": path}))

    assert getattr(ApiClient(scripted_api.base_url), method)(*args) == {"ok": path}


def test_value_lists_come_back_as_ints(scripted_api: ScriptedApi) -> None:
    scripted_api.answer("area_values", (200, {"values": [1, 2]}))
    scripted_api.answer("consumer_type_values", (200, {"values": [111, 999]}))
    client = ApiClient(scripted_api.base_url + "/")

    assert client.area_values() == [1, 2]
    assert client.consumer_type_values() == [111, 999]
    assert scripted_api.requests == ["/api/v1/area_values", "/api/v1/consumer_type_values"]


def test_404_raises_series_not_found_with_the_api_detail(scripted_api: ScriptedApi) -> None:
    scripted_api.answer(
        "predictions/2/999",
        (404, {"detail": "No data found for the given area and consumer type: 2, 999"}),
    )

    with pytest.raises(SeriesNotFound) as raised:
        ApiClient(scripted_api.base_url).predictions(2, 999)

    assert raised.value.message == "No data found for the given area and consumer type: 2, 999"
    assert raised.value.url == scripted_api.base_url + "/predictions/2/999"
    assert len(scripted_api.requests) == 1


def test_one_transient_503_is_retried_and_the_second_answer_used(scripted_api: ScriptedApi) -> None:
    scripted_api.answer("freshness", (503, {"detail": "loading"}), (200, {"snapshot_id": 1}))

    assert ApiClient(scripted_api.base_url).freshness() == {"snapshot_id": 1}
    assert len(scripted_api.requests) == 2


@pytest.mark.parametrize("status", [502, 504])
def test_a_gateway_error_is_retried_once_like_a_503(scripted_api: ScriptedApi, status: int) -> None:
    scripted_api.answer("monitoring/summary", (status, {"detail": "gateway"}), (200, {"series": []}))

    assert ApiClient(scripted_api.base_url).monitoring_summary() == {"series": []}
    assert len(scripted_api.requests) == 2


def test_a_500_is_not_retried(scripted_api: ScriptedApi) -> None:
    scripted_api.answer("freshness", (500, {"detail": "bug"}))

    with pytest.raises(ApiUnavailable, match="HTTP 500"):
        ApiClient(scripted_api.base_url).freshness()
    assert len(scripted_api.requests) == 1


def test_503_twice_raises_api_unavailable_with_the_detail(scripted_api: ScriptedApi) -> None:
    scripted_api.answer("area_values", (503, {"detail": "data not loaded yet"}))

    with pytest.raises(ApiUnavailable, match="data not loaded yet"):
        ApiClient(scripted_api.base_url).area_values()
    assert len(scripted_api.requests) == 2


def test_422_is_an_api_error_but_not_unavailable_and_not_retried(scripted_api: ScriptedApi) -> None:
    scripted_api.answer("predictions/1/111", (422, {"detail": [{"msg": "bad"}]}))

    with pytest.raises(ApiError) as raised:
        ApiClient(scripted_api.base_url).predictions(1, 111)

    assert not isinstance(raised.value, ApiUnavailable | SeriesNotFound)
    assert "HTTP 422" in raised.value.message
    assert len(scripted_api.requests) == 1


def test_a_body_that_is_not_json_is_an_api_error(scripted_api: ScriptedApi) -> None:
    scripted_api.answer("freshness", (200, "<html>proxy</html>"))

    with pytest.raises(ApiError, match="not JSON"):
        ApiClient(scripted_api.base_url).freshness()


def test_a_slow_answer_times_out_is_retried_once_and_raises_unavailable(
    scripted_api: ScriptedApi,
) -> None:
    scripted_api.answer("freshness", (200, {}, 1.0))

    with pytest.raises(ApiUnavailable, match="Timeout"):
        ApiClient(scripted_api.base_url, timeout=0.2).freshness()
    assert len(scripted_api.requests) == 2


def test_nothing_listening_raises_api_unavailable_naming_the_url() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/api/v1"
    with pytest.raises(ApiUnavailable) as raised:
        ApiClient(url, timeout=1.0).freshness()

    assert raised.value.url == url + "/freshness"
    assert "cannot reach the API" in raised.value.message


def test_api_base_url_reads_the_variable_and_drops_a_trailing_slash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("APP_TEST_API_URL", "http://api:8001/api/v1/")

    assert api_base_url("APP_TEST_API_URL") == "http://api:8001/api/v1"


@pytest.mark.parametrize("value", [None, ""])
def test_api_base_url_defaults_to_localhost_when_unset_or_empty(
    monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is None:
        monkeypatch.delenv("APP_TEST_API_URL", raising=False)
    else:
        monkeypatch.setenv("APP_TEST_API_URL", value)

    assert api_base_url("APP_TEST_API_URL") == DEFAULT_API_URL == "http://localhost:8001/api/v1"
