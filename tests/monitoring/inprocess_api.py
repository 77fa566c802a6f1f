"""The real API, in-process, behind the dashboard's HTTP client: what the page is tested against.

In `AppTest` runs the page's real client runs; only `requests.Session.get` in the shared client's
module is replaced by `InProcessApi.get`, which hands the request to the real FastAPI app (lifespan
running, over a real bucket folder) through Starlette's test client. So every answer is what the
API really answers for that bucket, and cannot drift from it. Tests inject only what the API
itself cannot produce on demand: a network failure (an exception) or an answer from another moment
(a status and body the test took from the real app, e.g. its 404 for a series it does not know).
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests
from api.application import create_app
from api.config import Settings
from fastapi.testclient import TestClient
from yarl import URL

API_URL = "http://api.test"  # what the page is configured with: the API's root; it calls /api/v2 under it

Injected = tuple[int, dict] | Exception


@dataclass
class InProcessApi:
    """Answers the dashboard's GETs with the real app; `injected` overrides chosen paths.

    `injected` is keyed by absolute path without the query (`/api/v2/monitoring/series/1/111`);
    `requested` logs each path with its query.
    """

    client: TestClient
    injected: dict[str, Injected] = field(default_factory=dict)
    requested: list[str] = field(default_factory=list)

    def get(self, url: str, timeout: float | None = None) -> requests.Response:
        assert timeout is not None, "every API call must have a timeout"
        target = URL(url)
        assert str(target).startswith(str(URL(API_URL).origin())), f"the page asked another host: {url}"
        self.requested.append(target.path_qs)
        response = requests.Response()
        response.url = url
        answer = self.injected.get(target.path)
        if isinstance(answer, Exception):
            raise answer
        if answer is not None:
            status, body = answer
            response.status_code = status
            response._content = json.dumps(body).encode()
            response.headers["Content-Type"] = "application/json"
            return response
        real = self.client.get(target.path_qs)
        response.status_code = real.status_code
        response._content = real.content
        response.headers.update(real.headers)
        return response

    def answer(self, path: str) -> tuple[int, dict]:
        """What the real app answers for `path` (e.g. `/api/v2/monitoring/summary`), to inject elsewhere."""
        real = self.client.get(path)
        return real.status_code, real.json()


@contextmanager
def inprocess_api(bucket: Path) -> Iterator[InProcessApi]:
    """The real app serving `bucket`, first load done, until the block ends."""
    app = create_app(Settings(GCP_BUCKET=str(bucket), _env_file=None))
    with TestClient(app, base_url=str(URL(API_URL).origin())) as client:
        yield InProcessApi(client)
