"""`api.v2.answers` with literal figures: what its metrics count, the bytes it holds, `Retry-After`'s
arithmetic, where the least recently used answer goes, the one-eighth rule at its edge, `close()`.

The fast tests the mutation run of `api.v2.answers` uses (no app). Builds that must stay "busy" wait on
an event the test opens; the test waits on the store's own state (its builds in flight), never on a
fixed sleep. `test_answers.py` proves the same rules again and through the served API.
"""

import asyncio
import threading
from types import SimpleNamespace

import api.v2.answers
import pytest
from answer_builds import Builds
from api.http_caching import prepare_body
from api.v2.answers import Answers, Busy
from devtools.prometheus import sample_value
from prometheus_client import CollectorRegistry, generate_latest

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def store_with(registry: CollectorRegistry | None = None, **overrides) -> Answers:
    settings = {"max_bytes": 1000, "max_builds": 1, "max_queue": 0, "max_wait_seconds": 5.0} | overrides
    return Answers(**settings, registry=registry)


async def until(condition, what: str) -> None:
    """Let the loop run until `condition()` holds (bounded: a few thousand turns and 5 s)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 5
    while not condition():
        assert loop.time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.001)


def metrics(registry: CollectorRegistry) -> dict[str, float]:
    """Each outcome's count (0 for an outcome never counted: its labelled sample is absent) and the bytes."""
    text = generate_latest(registry).decode()
    counted = {}
    for outcome in ("kept", "joined", "built", "refused"):
        try:
            counted[outcome] = sample_value(text, "api_built_answers_requests_total", outcome=outcome)
        except KeyError:
            counted[outcome] = 0.0
    return {**counted, "stored": sample_value(text, "api_built_answers_stored_bytes")}


def test_busy_says_when_to_retry():
    busy = Busy(7)
    assert (busy.retry_after_seconds, str(busy)) == (7, "busy building other answers; retry after 7 s")


def test_a_new_store_holds_its_settings_and_nothing_else():
    store = Answers(100, 2, 3, 4.5)
    assert (store.max_bytes, store.max_builds, store.max_queue, store.max_wait_seconds) == (100, 2, 3, 4.5)
    assert (store._kept_bytes, store._snapshot_id, store._admitted, len(store._kept)) == (0, 0, 0, 0)
    assert store._recent_seconds.maxlen == 32


async def test_the_metrics_count_each_outcome_and_the_stored_bytes():
    registry = CollectorRegistry()
    store, builds = store_with(registry, max_builds=1, max_queue=0), Builds(gated=True)
    first = asyncio.ensure_future(store.get(1, ("a",), builds.of("a")))
    await until(lambda: builds.calls == ["a"], "the first build to start")
    joined = asyncio.ensure_future(store.get(1, ("a",), builds.of("a")))
    with pytest.raises(Busy):
        await store.get(1, ("b",), builds.of("b"))
    builds.gate.set()
    await asyncio.gather(first, joined)
    await store.get(1, ("a",), builds.of("a"))
    assert metrics(registry) == {"kept": 1.0, "joined": 1.0, "built": 1.0, "refused": 1.0, "stored": 10.0}


async def test_a_kept_answer_moves_to_the_back_and_the_oldest_goes_first():
    store, builds = store_with(max_bytes=800), Builds()
    for name in "abcdefgh":  # 100 bytes each: the store is full
        await store.get(1, (name,), builds.of(name, size=100))
    await store.get(1, ("a",), builds.of("a", size=100))  # a is used again: b is the oldest now
    await store.get(1, ("i",), builds.of("i", size=100))
    assert list(store._kept) == [(1, name) for name in "cdefghai"]
    assert store._kept_bytes == 800


async def test_an_answer_of_exactly_an_eighth_of_the_store_is_kept_and_one_byte_more_is_not():
    registry = CollectorRegistry()
    store, builds = store_with(registry, max_bytes=800), Builds()
    await store.get(1, ("a",), builds.of("a", size=100))
    await store.get(1, ("b",), builds.of("b", size=101))
    assert list(store._kept) == [(1, "a")]
    assert metrics(registry)["stored"] == 100.0


async def test_the_store_drops_until_its_bytes_fit_and_sets_the_gauge():
    registry = CollectorRegistry()
    store, builds = store_with(registry, max_bytes=1000), Builds()
    for name in "abcdefghij":
        await store.get(1, (name,), builds.of(name, size=100))
    assert store._kept_bytes == 1000 and len(store._kept) == 10
    await store.get(1, ("k",), builds.of("k", size=125))
    assert list(store._kept)[:2] == [(1, "c"), (1, "d")]  # a and b went to make room for 125 bytes
    assert store._kept_bytes == 925 and metrics(registry)["stored"] == 925.0


async def test_a_new_snapshot_empties_the_store_and_the_gauge():
    registry = CollectorRegistry()
    store, builds = store_with(registry), Builds()
    await store.get(1, ("a",), builds.of("a"))
    assert metrics(registry)["stored"] == 10.0
    store._forget_all(2)
    assert (store._snapshot_id, store._kept_bytes, len(store._kept), metrics(registry)["stored"]) == (2, 0, 0, 0.0)


async def test_an_answer_for_an_older_snapshot_is_built_but_not_kept():
    store, builds = store_with(), Builds()
    await store.get(2, ("a",), builds.of("a"))
    body = await store.get(1, ("a",), builds.of("old"))
    assert bytes(body) == b"old" * 10
    assert list(store._kept) == [(2, "a")] and store._snapshot_id == 2


async def test_the_queue_admits_builds_up_to_slots_plus_queue_places():
    store, builds = store_with(max_builds=2, max_queue=1), Builds(gated=True)
    running = [asyncio.ensure_future(store.get(1, (name,), builds.of(name))) for name in "abc"]
    await until(lambda: len(builds.calls) == 2 and store._admitted == 3, "two builds running, one queued")
    with pytest.raises(Busy):
        await store.get(1, ("d",), builds.of("d"))
    builds.gate.set()
    await asyncio.gather(*running)
    assert store._admitted == 0 and store._building == {}
    assert sorted(builds.calls) == ["a", "b", "c"]


async def test_a_build_refused_after_its_wait_counts_as_refused_and_frees_its_place():
    registry = CollectorRegistry()
    store, builds = store_with(registry, max_builds=1, max_queue=1, max_wait_seconds=0.05), Builds(gated=True)
    running = asyncio.ensure_future(store.get(1, ("a",), builds.of("a")))
    await until(lambda: builds.calls == ["a"], "the first build to start")
    with pytest.raises(Busy) as refused:
        await store.get(1, ("b",), builds.of("b"))
    assert refused.value.retry_after_seconds == 2  # no build finished yet: 1 s each, 2 builds ahead of one slot
    assert store._admitted == 1 and metrics(registry)["refused"] == 1.0
    builds.gate.set()
    await running
    assert builds.calls == ["a"] and store._admitted == 0


@pytest.mark.parametrize(
    ("recent", "admitted", "max_builds", "seconds"),
    [
        ([], 0, 1, 1),  # nothing measured: 1 s a build, at least one build ahead
        ([], 5, 1, 5),
        ([0.2, 3.0, 0.4], 0, 2, 1),  # median 0.4 s, at least a full round of slots ahead
        ([2.5], 4, 2, 5),  # 2.5 s x 2 builds ahead per slot
        ([2.4], 3, 2, 4),  # 2.4 x 1.5 = 3.6, rounded up
        ([0.01], 1, 1, 1),  # never below 1 s
        ([30.0], 10, 2, 60),  # never above 60 s
    ],
)
def test_retry_after_is_the_median_build_time_times_the_builds_ahead_per_slot(recent, admitted, max_builds, seconds):
    store = store_with(max_builds=max_builds)
    store._recent_seconds.extend(recent)
    store._admitted = admitted
    assert store.retry_after() == seconds


async def test_each_finished_build_records_its_time(monkeypatch):
    readings = iter([100.0, 102.5, 200.0, 200.25])  # a scripted clock: builds of 2.5 s and 0.25 s
    monkeypatch.setattr(api.v2.answers, "time", SimpleNamespace(perf_counter=lambda: next(readings)))
    store, builds = store_with(), Builds()
    await store.get(1, ("a",), builds.of("a"))
    await store.get(1, ("b",), builds.of("b"))
    assert list(store._recent_seconds) == [2.5, 0.25]


async def test_a_failing_build_frees_its_slot_and_place_and_is_not_kept():
    store = store_with(max_builds=1, max_queue=0)

    def broken():
        raise RuntimeError("the build failed")

    with pytest.raises(RuntimeError, match="the build failed"):
        await store.get(1, ("a",), broken)
    assert (store._admitted, store._building, len(store._kept)) == (0, {}, 0)
    assert bytes(await store.get(1, ("a",), Builds().of("a"))) == b"a" * 10  # the slot is free again


async def test_close_forgets_everything_and_the_next_lifespan_starts_again_from_snapshot_one():
    registry = CollectorRegistry()
    store, builds = store_with(registry), Builds()
    await store.get(5, ("a",), builds.of("a"))
    executor = store._executor
    store.close()
    assert (store._executor, store._slots, store._building, store._admitted) == (None, None, {}, 0)
    assert (store._snapshot_id, store._kept_bytes, len(store._kept), metrics(registry)["stored"]) == (0, 0, 0, 0.0)
    assert executor._shutdown
    await store.get(1, ("a",), builds.of("a"))  # snapshot 1 of the next lifespan is newer than "none"
    assert list(store._kept) == [(1, "a")] and builds.calls == ["a", "a"]
    store.close()


def test_close_of_a_store_that_never_built_is_harmless():
    store = store_with()
    store.close()
    assert (store._executor, store._slots) == (None, None)


# Found by the mutation run (survivors of its first pass) ------------------------------------------


def test_the_metrics_say_what_they_count():
    registry = CollectorRegistry()
    store_with(registry)
    assert generate_latest(registry).decode().splitlines()[::2] == [
        "# HELP api_built_answers_requests_total Requests for an answer built per request, by how it was served: "
        "kept (from the store), joined (waited for the same build), built, refused (429).",
        "# HELP api_built_answers_stored_bytes Bytes held by the store of built answers.",
        "api_built_answers_stored_bytes 0.0",
    ]


async def test_a_build_refused_at_the_door_says_when_to_retry():
    store, builds = store_with(max_builds=1, max_queue=1), Builds(gated=True)
    running = [asyncio.ensure_future(store.get(1, (name,), builds.of(name))) for name in "ab"]
    await until(lambda: builds.calls == ["a"] and store._admitted == 2, "one build running, one queued")
    with pytest.raises(Busy) as refused:
        await store.get(1, ("c",), builds.of("c"))
    assert refused.value.retry_after_seconds == 2  # 1 s a build (none measured yet), 2 ahead of one slot
    builds.gate.set()
    await asyncio.gather(*running)


async def test_builds_run_in_the_stores_own_pool_of_max_builds_threads():
    store, names = store_with(max_builds=3), []

    def build():
        names.append(threading.current_thread().name)
        return prepare_body(b"x", compressible=False)

    await store.get(1, ("a",), build)
    assert names[0].startswith("answer-build_")
    assert store._executor._max_workers == 3
    store.close()


async def test_close_while_a_build_runs_lets_it_finish_without_waiting_or_errors():
    loop = asyncio.get_running_loop()
    errors: list[dict] = []
    loop.set_exception_handler(lambda _, context: errors.append(context))
    try:
        store, builds = store_with(), Builds(gated=True)
        running = asyncio.ensure_future(store.get(1, ("a",), builds.of("a")))
        await until(lambda: builds.calls == ["a"], "the build to start")
        store.close()  # returns at once: the build still waits for its gate
        assert not running.done()
        builds.gate.set()
        assert bytes(await running) == b"a" * 10
        await asyncio.sleep(0)  # the done callback runs
        assert errors == [] and len(store._kept) == 0  # built for the closed lifespan's snapshot: not kept
        assert store._admitted == 0  # the let-go build is not counted out a second time
    finally:
        loop.set_exception_handler(None)
