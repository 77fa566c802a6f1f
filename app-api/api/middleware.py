"""Request ids, HEAD as GET without the body, the metrics port kept to /metrics, and the JSON error bodies for
failures nobody planned for."""

import logging
import os

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-Request-ID"
MAX_REQUEST_ID_LENGTH = 128


def _clean_request_id(raw: bytes | None) -> str:
    """Accept a caller's id if it is short printable ASCII; otherwise make one up."""
    if raw:
        text = raw.decode("latin-1")
        if len(text) <= MAX_REQUEST_ID_LENGTH and text.isascii() and text.isprintable():
            return text
    return new_request_id()


def new_request_id() -> str:
    """32 random hex digits, as `uuid4().hex` looks, without building a UUID object per request."""
    return os.urandom(16).hex()


class RequestIdMiddleware:
    """Pure ASGI (no per-request task or body buffering): stores the id in scope state, echoes it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((value for name, value in scope["headers"] if name == b"x-request-id"), None)
        request_id = _clean_request_id(given)
        scope.setdefault("state", {})["request_id"] = request_id
        header = (b"x-request-id", request_id.encode())

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), header]
            await send(message)

        await self.app(scope, receive, send_with_id)


class HeadAsGetMiddleware:
    """`HEAD` is answered as `GET` would be, without the body: same status, `Content-Type`,
    `Content-Length`, `ETag`, `Cache-Control` and `Vary`, whatever the route and negotiated form.

    FastAPI registers only `GET` for its routes (HEAD was a 405), and a cache or a client that checks
    a resource with `HEAD` must learn what `GET` would answer. The route sees a `GET`; the matched
    endpoint is copied back so the access log and metrics (outside) still name the route, and the
    method they record stays `HEAD`.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        as_get = {**scope, "method": "GET"}

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        try:
            await self.app(as_get, receive, send_without_body)
        finally:
            for key in ("endpoint", "route"):
                if key in as_get:
                    scope[key] = as_get[key]


class MetricsPortMiddleware:
    """With `APP_API_METRICS_PORT` set, `/metrics` is answered only on that port, and only `/metrics` there.

    The public port (behind the Service, the ingress, Cloud Run's URL) then has no `/metrics` at all
    (404, as for any unknown path), while Prometheus scrapes the metrics port, which no public route
    reaches. The port a request came in on is the listening socket's (`scope["server"]`).
    """

    def __init__(self, app: ASGIApp, metrics_port: int, metrics_path: str = "/metrics") -> None:
        self.app = app
        self.metrics_port = metrics_port
        self.metrics_path = metrics_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.metrics_port:
            server = scope.get("server") or (None, None)
            on_metrics_port = server[1] == self.metrics_port
            if on_metrics_port != (scope["path"] == self.metrics_path):
                response = JSONResponse({"detail": "Not Found"}, status_code=404)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def request_id_of(request: Request) -> str:
    return getattr(request.state, "request_id", None) or new_request_id()


async def unhandled_error(request: Request, error: Exception) -> JSONResponse:
    """500 as JSON with the request id; the traceback goes to the log only."""
    request_id = request_id_of(request)
    logger.error(
        "unhandled error in %s %s (request id %s)",
        request.method,
        request.url.path,
        request_id,
        exc_info=error,
    )
    return JSONResponse(
        {"detail": "Internal server error", "request_id": request_id},
        status_code=500,
        headers={REQUEST_ID_HEADER: request_id},
    )
