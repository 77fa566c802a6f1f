"""HTTP caching of the pre-rendered bodies: ETag, 304 Not Modified, gzip, Cache-Control, Vary.

Everything that depends only on a body (its validator and its gzip encoding) is computed once, when
the body is built (by a version before its snapshot is served, or in a worker thread for a body built
per request); a request only compares two short strings and picks one of two byte strings, so no
compression runs on the event loop.

The headers make a standards-following shared cache (a CDN, an ingress cache) correct: `Vary` names
every request header the body depends on, the same for every answer of a route, and `Cache-Control`
tells shared caches how long they may keep and reuse an answer (see `data_cache_control`).
"""

import gzip
import hashlib
import math
from functools import lru_cache

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

GZIP_MIN_BYTES = 1000
NO_STORE = b"no-store"
# A route's answers vary by these request headers, whatever the body: a shared cache keys on them.
# (CORS adds `Origin` to the same header.) v1 answers only in JSON; v2's form follows `Accept`.
VARY_ENCODING = b"Accept-Encoding"
VARY_FORM_AND_ENCODING = b"Accept, Accept-Encoding"


class RenderedBody(bytes):
    """A JSON body plus its weak ETag (a hash of its bytes) and, when it is large, its gzip encoding.

    The ETag depends on the content only, so a series whose data did not change keeps its validator
    across snapshots and clients keep their cached copy; the snapshot itself is named by `X-Snapshot-Id`.
    """

    etag: bytes
    gzipped: bytes | None

    @property
    def size(self) -> int:
        """Bytes held for this body: the plain form and its gzip encoding."""
        return len(self) + len(self.gzipped or b"")


def prepare_body(raw: bytes, compressible: bool = True, level: int = 6) -> RenderedBody:
    """The body with its ETag and, when it is large and `compressible`, its gzip encoding.

    Parquet is not compressible here: its pages are compressed already, and gzip would only cost CPU.
    A body built per request uses `level=1` (about three times faster than 6, a few % larger).
    """
    body = RenderedBody(raw)
    body.etag = b'W/"' + hashlib.blake2b(raw, digest_size=12).hexdigest().encode() + b'"'
    large = len(raw) >= GZIP_MIN_BYTES
    body.gzipped = gzip.compress(raw, compresslevel=level, mtime=0) if large and compressible else None
    return body


def data_cache_control(max_age_seconds: int, refresh_seconds: float) -> bytes:
    """`Cache-Control` of data answers, from `APP_API_CACHE_MAX_AGE_SECONDS` (M) and the refresh interval (R).

    - `max-age=M`: browsers and other private caches reuse an answer for M seconds.
    - `s-maxage=min(M, R)`: a shared cache never keeps an answer fresh for longer than one refresh, so
      what it hands out is at most one refresh behind what the API serves, whatever M is.
    - `stale-while-revalidate=R`: while one request revalidates an expired answer (a cheap 304 when
      the data did not change), others may get the expired one: no older than what a replica that
      has not refreshed yet would serve.
    - `stale-if-error=3R`: while the API cannot be reached or fails, the last answer may be served
      for as long as the API itself would still call that data fresh (`stale` turns true in
      `/freshness` after three refresh intervals without a successful refresh).

    `M=0` means "always ask the API": `no-cache` (stored, but revalidated before every use).
    """
    if max_age_seconds <= 0:
        return b"no-cache"
    refresh = max(1, math.ceil(refresh_seconds))
    shared = min(max_age_seconds, refresh)
    return (
        f"public, max-age={max_age_seconds}, s-maxage={shared}, "
        f"stale-while-revalidate={refresh}, stale-if-error={3 * refresh}"
    ).encode()


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
    """200 with a body already rendered, or 304 when the client has it, gzip-encoded when it may be.

    Headers: `ETag`, one `Cache-Control` (`cache_control`, else the app's `data_cache_control`),
    `Vary` (the route's, the same for every answer of it, so a shared cache keys every answer of a
    URL alike), `X-Snapshot-Id` (this process's counter) and `X-Data-Version` (the data's
    content-derived name, equal on every replica).
    """

    media_type = "application/json"

    def __init__(
        self,
        body: bytes,
        snapshot_id: int,
        data_version: str = "",
        media_type: bytes = b"application/json",
        vary: bytes | None = VARY_ENCODING,
        cache_control: bytes | None = None,
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
        self.cache_control = cache_control
        if self.etag is not None:
            self.raw_headers.append((b"etag", self.etag))
        if vary:
            self.raw_headers.append((b"vary", vary))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if_none_match = accept_encoding = None
        for name, value in scope["headers"]:
            if name == b"if-none-match":
                if_none_match = value
            elif name == b"accept-encoding":
                accept_encoding = value
        cache_control = self.cache_control
        if cache_control is None:
            cache_control = getattr(getattr(scope.get("app"), "state", None), "data_cache_control", NO_STORE)
        headers = [*self.raw_headers, (b"cache-control", cache_control)]
        if if_none_match is not None and self.etag is not None and etag_matches(if_none_match, self.etag):
            await send({"type": "http.response.start", "status": 304, "headers": headers[1:]})
            await send({"type": "http.response.body", "body": b""})
            return
        body = self.body
        if self.gzipped is not None and accept_encoding is not None and accepts_gzip(accept_encoding):
            body = self.gzipped
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
