"""HTTP caching of the pre-rendered bodies: ETag, 304 Not Modified, gzip, Cache-Control.

Everything that depends only on a body (its validator and its gzip encoding) is computed once, when
the snapshot is built; a request only compares two short strings and picks one of two byte strings.
"""

import gzip
import hashlib
from functools import lru_cache

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

GZIP_MIN_BYTES = 1000
NO_STORE = b"no-store"


class RenderedBody(bytes):
    """A JSON body plus its weak ETag (a hash of its bytes) and, when it is large, its gzip encoding.

    The ETag depends on the content only, so a series whose data did not change keeps its validator
    across snapshots and clients keep their cached copy; the snapshot itself is named by `X-Snapshot-Id`.
    """

    etag: bytes
    gzipped: bytes | None
    gzip_on_request: bool


def prepare_body(raw: bytes, compress: bool = True) -> RenderedBody:
    """`compress=False` for a body built for one request: it is gzipped (quickly) only if the client asks."""
    body = RenderedBody(raw)
    body.etag = b'W/"' + hashlib.blake2b(raw, digest_size=12).hexdigest().encode() + b'"'
    large = len(raw) >= GZIP_MIN_BYTES
    body.gzipped = gzip.compress(raw, compresslevel=6, mtime=0) if large and compress else None
    body.gzip_on_request = large and not compress
    return body


def data_cache_control(max_age_seconds: int) -> bytes:
    """Data may change at every refresh, so shared caches keep it for a few seconds only."""
    return f"public, max-age={max_age_seconds}".encode()


@lru_cache(maxsize=256)
def accepts_gzip(accept_encoding: bytes) -> bool:
    """Whether an `Accept-Encoding` value allows gzip (`gzip` or `*`, unless given `q=0`)."""
    for item in accept_encoding.decode("latin-1").lower().split(","):
        coding, _, parameters = item.partition(";")
        if coding.strip() not in ("gzip", "*"):
            continue
        quality = parameters.strip().removeprefix("q=").strip()
        if not quality:
            return True
        try:
            return float(quality) > 0
        except ValueError:
            return False
    return False


def etag_matches(if_none_match: bytes, etag: bytes) -> bool:
    """Weak comparison, as RFC 9110 prescribes for `If-None-Match`; `*` matches any current body."""
    if if_none_match.strip() == b"*":
        return True
    opaque = etag.removeprefix(b"W/")
    return any(candidate.strip().removeprefix(b"W/") == opaque for candidate in if_none_match.split(b","))


class PrerenderedResponse(Response):
    """200 with a body from the snapshot, or 304 when the client has it, gzip-encoded when it may be.

    Headers: `ETag`, `Cache-Control: public, max-age=N` (`APP_API_CACHE_MAX_AGE_SECONDS`, read from the
    app's state), `Vary: Accept-Encoding` when a gzip encoding exists, `X-Snapshot-Id` (this process's
    counter) and `X-Data-Version` (the data's content-derived name, equal on every replica).
    """

    media_type = "application/json"

    def __init__(
        self, body: bytes, snapshot_id: int, data_version: str = "", media_type: bytes = b"application/json"
    ) -> None:
        self.status_code = 200
        self.background = None
        self.body = body
        self.raw_headers = [
            (b"content-type", media_type),
            (b"x-snapshot-id", str(snapshot_id).encode()),
            (b"x-data-version", data_version.encode()),
        ]
        self.etag: bytes | None = getattr(body, "etag", None)
        self.gzipped: bytes | None = getattr(body, "gzipped", None)
        self.gzip_on_request: bool = getattr(body, "gzip_on_request", False)
        if self.etag is not None:
            self.raw_headers.append((b"etag", self.etag))
        if self.gzipped is not None or self.gzip_on_request:
            self.raw_headers.append((b"vary", b"Accept-Encoding"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if_none_match = accept_encoding = None
        for name, value in scope["headers"]:
            if name == b"if-none-match":
                if_none_match = value
            elif name == b"accept-encoding":
                accept_encoding = value
        state = getattr(scope.get("app"), "state", None)
        headers = [*self.raw_headers, (b"cache-control", getattr(state, "data_cache_control", NO_STORE))]
        if if_none_match is not None and self.etag is not None and etag_matches(if_none_match, self.etag):
            await send({"type": "http.response.start", "status": 304, "headers": headers[1:]})
            await send({"type": "http.response.body", "body": b""})
            return
        body = self.body
        compressible = self.gzipped is not None or self.gzip_on_request
        if compressible and accept_encoding is not None and accepts_gzip(accept_encoding):
            body = self.gzipped or gzip.compress(self.body, compresslevel=1, mtime=0)
            headers.append((b"content-encoding", b"gzip"))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        if self.background is not None:
            await self.background()


def add_default_no_store(headers: list[tuple[bytes, bytes]]) -> None:
    """Responses that did not say how long they may be kept (health, readiness, errors) are not kept."""
    for name, _ in headers:
        if name.lower() == b"cache-control":
            return
    headers.append((b"cache-control", NO_STORE))
