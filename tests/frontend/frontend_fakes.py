"""A scripted stand-in for the API transport: golden bodies from `tests/fixtures`, or refused connections.

The page and the shared `ApiClient` run for real; only `requests.Session`, as the client module
sees it, is replaced (see the `fake_api` fixture in conftest.py).
"""

import json
from pathlib import Path

import requests
from support import freshness_body
from yarl import URL

RESPONSES = Path(__file__).resolve().parents[1] / "fixtures" / "responses"
MAIN_SCRIPT = Path(__file__).resolve().parents[2] / "app-frontend" / "frontend" / "main.py"

FRESHNESS_PANDAS15 = freshness_body(
    source="/fixtures/bucket-pandas15",
    loaded_at="2026-01-01T00:00:00+00:00",
    age_seconds=90.0,
    last_successful_refresh_at="2026-01-01T00:00:00+00:00",
)


def golden(name: str) -> object:
    return json.loads((RESPONSES / name).read_text())


class FakeApi:
    """Answers by path below `/api/v1/`; unknown pairs get the API's 404; `down` refuses connections."""

    def __init__(self) -> None:
        self.down = False
        self.requests: list[str] = []
        self.bodies: dict[str, tuple[int, object]] = {
            "freshness": (200, FRESHNESS_PANDAS15),
            "area_values": (200, golden("area_values.json")),
            "consumer_type_values": (200, golden("consumer_type_values.json")),
            "predictions/1/111": (200, golden("predictions_1_111.json")),
            "predictions/2/462": (200, golden("predictions_2_462.json")),
        }

    def session(self) -> "FakeSession":
        return FakeSession(self)

    def count(self, path: str) -> int:
        return self.requests.count(path)


class FakeSession:
    def __init__(self, api: FakeApi) -> None:
        self.api = api

    def mount(self, prefix: str, adapter: object) -> None:
        """The client mounts its retry adapter; this fake answers without one (tests/common covers retries)."""

    def get(self, url: str, timeout: float) -> requests.Response:
        assert timeout > 0, "every call needs a timeout"
        path = URL(url).path.removeprefix("/api/v1/")
        self.api.requests.append(path)
        if self.api.down:
            raise requests.ConnectionError(f"connection refused: {url}")
        status, body = self.api.bodies.get(path, (404, {"detail": f"No data found for {path}"}))
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(body).encode()
        response.encoding = "utf-8"
        response.url = url
        return response
