"""Answers built per request (another zone, a range, a table form): kept, built once, built few at a time.

Cheap requests (every v1 answer, v2's default forms) are served from bodies rendered before their
snapshot was served, and never wait here. Building an answer takes a worker thread from tens to hundreds of milliseconds
(three years of one series as CSV), so without limits a few clients asking for long ranges in changing
zones would keep every core busy and make every other request wait. Four rules prevent that:

- an answer built once is kept, in a store bounded by bytes (least recently used out first), keyed by
  the snapshot and the normalised request: spellings that select the same rows share one answer, and
  a new snapshot drops the old answers;
- concurrent requests for an answer being built wait for that one build (single flight);
- at most `APP_API_MAX_BUILDS` answers are built at once, each in a thread of this module's own pool;
- a build that finds them busy waits in a queue of at most `APP_API_MAX_BUILD_QUEUE`, for at most
  `APP_API_MAX_BUILD_WAIT_SECONDS`; past either it is refused with 429 and a `Retry-After` estimated
  from recent build times, so a client is never left hanging and never sees a 5xx for a busy server.
"""

import asyncio
import logging
import math
import statistics
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor

from prometheus_client import CollectorRegistry, Counter, Gauge

from api.http_caching import RenderedBody

logger = logging.getLogger(__name__)

Key = tuple[Hashable, ...]
MAX_SHARE_OF_STORE = 8  # an answer larger than 1/8 of the store is served but not kept
RETRY_AFTER_BOUNDS = (1, 60)


class Busy(Exception):
    """Every build slot is taken and the queue is full (or the wait ran out): answer 429 + `Retry-After`."""

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"busy building other answers; retry after {retry_after_seconds} s")
        self.retry_after_seconds = retry_after_seconds


class Answers:
    """The store, the single-flight table and the build limit of one process (each worker has its own)."""

    def __init__(
        self,
        max_bytes: int,
        max_builds: int,
        max_queue: int,
        max_wait_seconds: float,
        registry: CollectorRegistry | None = None,
    ) -> None:
        self.max_bytes = max_bytes
        self.max_builds = max_builds
        self.max_queue = max_queue
        self.max_wait_seconds = max_wait_seconds
        self._kept: OrderedDict[Key, RenderedBody] = OrderedDict()
        self._kept_bytes = 0
        self._snapshot_id = 0
        self._building: dict[Key, asyncio.Task[RenderedBody]] = {}
        self._slots: asyncio.Semaphore | None = None  # made on first use, inside the serving loop
        self._executor: ThreadPoolExecutor | None = None  # likewise; both go with `close()`
        self._admitted = 0  # builds running or waiting for a slot
        self._recent_seconds: deque[float] = deque(maxlen=32)
        self._requests = Counter(
            "api_built_answers_requests",
            "Requests for an answer built per request, by how it was served: kept (from the store), "
            "joined (waited for the same build), built, refused (429).",
            ["outcome"],
            registry=registry,
        )
        self._stored = Gauge(
            "api_built_answers_stored_bytes", "Bytes held by the store of built answers.", registry=registry
        )

    async def get(self, snapshot_id: int, key: Key, build: Callable[[], RenderedBody]) -> RenderedBody:
        """The answer for `key` from snapshot `snapshot_id`: kept, joined, or built by `build` in a worker thread.

        Snapshot ids only grow in a process; a request that began on an older snapshot than the store
        holds gets its answer built (or joined) but not kept.
        """
        if snapshot_id > self._snapshot_id:
            self._forget_all(snapshot_id)
        full_key = (snapshot_id, *key)
        body = self._kept.get(full_key)
        if body is not None:
            self._kept.move_to_end(full_key)
            self._requests.labels("kept").inc()
            return body
        task = self._building.get(full_key)
        if task is not None:
            self._requests.labels("joined").inc()
            return await asyncio.shield(task)
        if self._admitted >= self.max_builds + self.max_queue:  # counted here, before any await: no races
            self._requests.labels("refused").inc()
            raise Busy(self.retry_after())
        self._admitted += 1
        if self._slots is None or self._executor is None:
            self._slots = asyncio.Semaphore(self.max_builds)
            self._executor = ThreadPoolExecutor(self.max_builds, thread_name_prefix="answer-build")
        task = asyncio.ensure_future(self._build(full_key, build, self._slots, self._executor))
        self._building[full_key] = task
        task.add_done_callback(lambda done: self._finished(full_key, done))
        return await asyncio.shield(task)  # a caller that goes away does not cancel what others wait for

    def _finished(self, full_key: Key, task: asyncio.Task[RenderedBody]) -> None:
        # A build that ends after close() was already let go (its count reset): counting it again would
        # leave the store one admission short of zero, admitting a build more than its limit.
        if self._building.get(full_key) is task:
            del self._building[full_key]
            self._admitted -= 1

    async def _build(
        self, full_key: Key, build: Callable[[], RenderedBody], slots: asyncio.Semaphore, executor: ThreadPoolExecutor
    ) -> RenderedBody:
        try:
            await asyncio.wait_for(slots.acquire(), timeout=self.max_wait_seconds)
        except TimeoutError:
            self._requests.labels("refused").inc()
            raise Busy(self.retry_after()) from None
        try:
            started = time.perf_counter()
            body = await asyncio.get_running_loop().run_in_executor(executor, build)
            self._recent_seconds.append(time.perf_counter() - started)
        finally:
            slots.release()
        self._requests.labels("built").inc()
        self._keep(full_key, body)
        return body

    def retry_after(self) -> int:
        """Seconds until the queue ahead has likely drained: recent build time x builds ahead per slot."""
        typical = statistics.median(self._recent_seconds) if self._recent_seconds else 1.0
        ahead = max(self._admitted, self.max_builds) / self.max_builds
        return min(max(math.ceil(typical * ahead), RETRY_AFTER_BOUNDS[0]), RETRY_AFTER_BOUNDS[1])

    def _keep(self, full_key: Key, body: RenderedBody) -> None:
        size = body.size
        if full_key[0] != self._snapshot_id or size * MAX_SHARE_OF_STORE > self.max_bytes:
            return
        self._kept[full_key] = body
        self._kept_bytes += size
        while self._kept_bytes > self.max_bytes:
            _, dropped = self._kept.popitem(last=False)
            self._kept_bytes -= dropped.size
        self._stored.set(self._kept_bytes)

    def _forget_all(self, snapshot_id: int) -> None:
        """A new snapshot: every kept answer is of older data (a build in flight is not kept when it ends)."""
        self._snapshot_id = snapshot_id
        self._kept.clear()
        self._kept_bytes = 0
        self._stored.set(0)

    def close(self) -> None:
        """At the end of the app's lifespan: the next lifespan has a new store, whose snapshot ids start again."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = self._slots = None
        self._building.clear()
        self._admitted = 0
        self._forget_all(0)
