"""How both versions render: compact JSON bodies (encoded a slice at a time), and caches kept per snapshot.

A body built per request runs in a worker thread beside the event loop, which needs the GIL to answer
anything; `json.dumps` holds it for a whole call, so long lists are encoded a slice at a time (the cost
of one call and of a slice are in BENCHMARKS.md, under "What made the difference").

`PerSnapshot` keeps what a version renders from one snapshot beside it, not in it: the snapshot holds
domain data only and never changes, and each version owns its bodies. Entries go with their snapshot.
"""

import json
import threading
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

import numpy as np

from api.http_caching import RenderedBody, prepare_body
from api.snapshot import Snapshot
from api.timefmt import CHUNK_HOURS

T = TypeVar("T")


class PerSnapshot(Generic[T]):
    """One value per live snapshot, built by `build(snapshot)`: before the swap (`prepare`, in the refresh
    thread, so no request renders it), or on first use for a snapshot nobody prepared (a store built
    without the app, as in tests). The value must not refer to its snapshot, or it would never be freed."""

    def __init__(self, build: Callable[[Snapshot], T]) -> None:
        self._build = build
        self._values: weakref.WeakKeyDictionary[Snapshot, T] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def prepare(self, snapshot: Snapshot) -> T:
        with self._lock:
            value = self._values.get(snapshot)
            if value is None:
                value = self._values[snapshot] = self._build(snapshot)
            return value

    def get(self, snapshot: Snapshot) -> T:
        value = self._values.get(snapshot)
        return value if value is not None else self.prepare(snapshot)

    def __len__(self) -> int:
        return len(self._values)


def json_body(body: object, level: int = 1) -> RenderedBody:
    """Compact JSON; NaN and infinity are refused (bodies carry None for missing values).

    The same bytes as one `json.dumps(body, separators=(",", ":"))`, encoded a slice of each long list
    at a time. `level` is gzip's: 1 for a body built per request, higher for one rendered before its snapshot is served.
    """
    return prepare_body("".join(_json_parts(body)).encode(), level=level)


def _json_parts(value: object):
    if isinstance(value, dict):
        yield "{"
        for position, (key, item) in enumerate(value.items()):
            yield ("," if position else "") + json.dumps(str(key)) + ":"
            yield from _json_parts(item)
        yield "}"
    elif isinstance(value, list) and len(value) > CHUNK_HOURS:
        yield "["
        for first in range(0, len(value), CHUNK_HOURS):
            yield ("," if first else "") + _dumps(value[first : first + CHUNK_HOURS])[1:-1]
        yield "]"
    else:
        yield _dumps(value)


def _dumps(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), allow_nan=False)


def optional_floats(values: np.ndarray) -> list[float | None]:
    """NaN (missing) as None, so JSON carries null, never NaN."""
    return [None if value != value else value for value in values.tolist()]  # NaN != NaN
