"""Answers built per request: kept by bytes, built once for concurrent requests, few at a time, 429 when busy.

The `Answers` object is driven directly with builds that block on an event (so "busy" is a state the
test holds, not a race), then through the app: many different long answers at once on one build slot.
"""

import asyncio

import pytest
from answer_builds import Builds
from api.v2.answers import Answers, Busy
from support import BUCKET_PANDAS15

pytestmark = pytest.mark.anyio


def answers(**overrides) -> Answers:
    settings = {"max_bytes": 10_000, "max_builds": 1, "max_queue": 0, "max_wait_seconds": 5.0} | overrides
    return Answers(**settings)


async def test_concurrent_identical_misses_are_built_once_and_all_get_the_answer():
    store, builds = answers(max_queue=0), Builds(gated=True)
    waiting = [asyncio.ensure_future(store.get(1, ("a",), builds.of("a"))) for _ in range(8)]
    await asyncio.sleep(0.05)
    builds.gate.set()
    bodies = await asyncio.gather(*waiting)
    assert builds.calls == ["a"] and {bytes(body) for body in bodies} == {b"a" * 10}


async def test_an_answer_built_once_is_kept_and_served_without_building():
    store, builds = answers(), Builds()
    first = await store.get(1, ("a",), builds.of("a"))
    again = await store.get(1, ("a",), builds.of("a"))
    assert again is first and builds.calls == ["a"]


async def test_the_store_is_bounded_by_bytes_and_drops_the_least_recently_used_first():
    store, builds = answers(max_bytes=1000), Builds()
    for name in "abcd":  # 100 bytes each
        await store.get(1, (name,), builds.of(name, size=100))
    await store.get(1, ("a",), builds.of("a", size=100))  # a is used again: b is now the oldest
    for name in "efghijk":
        await store.get(1, (name,), builds.of(name, size=100))
    assert store._kept_bytes <= 1000
    builds.calls.clear()
    await store.get(1, ("b",), builds.of("b", size=100))
    await store.get(1, ("k",), builds.of("k", size=100))
    assert builds.calls == ["b"]  # b was dropped, k (recent) kept


async def test_an_answer_larger_than_an_eighth_of_the_store_is_served_but_not_kept():
    store, builds = answers(max_bytes=1000), Builds()
    body = await store.get(1, ("big",), builds.of("x", size=200))
    assert len(body) == 200
    await store.get(1, ("big",), builds.of("x", size=200))
    assert builds.calls == ["x", "x"] and store._kept_bytes == 0


async def test_a_new_snapshot_drops_every_answer_and_an_older_one_is_not_kept():
    store, builds = answers(), Builds()
    await store.get(1, ("a",), builds.of("a"))
    await store.get(2, ("a",), builds.of("a"))
    await store.get(1, ("a",), builds.of("a"))  # a request that began on the old snapshot
    await store.get(2, ("a",), builds.of("a"))
    assert builds.calls == ["a", "a", "a"]  # rebuilt for 2, built (not kept) for 1, then kept for 2


async def test_when_every_slot_and_queue_place_is_taken_a_new_build_is_refused_with_retry_after():
    store, builds = answers(max_builds=1, max_queue=1), Builds(gated=True)
    running = asyncio.ensure_future(store.get(1, ("a",), builds.of("a")))
    queued = asyncio.ensure_future(store.get(1, ("b",), builds.of("b")))
    await asyncio.sleep(0.05)
    with pytest.raises(Busy) as refused:
        await store.get(1, ("c",), builds.of("c"))
    joined = asyncio.ensure_future(store.get(1, ("b",), builds.of("b")))  # the same answer: joins, never refused
    assert refused.value.retry_after_seconds >= 1
    builds.gate.set()
    assert [bytes(body) for body in await asyncio.gather(running, queued, joined)] == [b"a" * 10, b"b" * 10, b"b" * 10]
    assert builds.calls == ["a", "b"]
    assert bytes(await store.get(1, ("c",), builds.of("c"))) == b"c" * 10  # free again


async def test_a_build_that_waits_too_long_for_a_slot_is_refused_not_left_hanging():
    store, builds = answers(max_builds=1, max_queue=4, max_wait_seconds=0.2), Builds(gated=True)
    running = asyncio.ensure_future(store.get(1, ("a",), builds.of("a")))
    await asyncio.sleep(0.05)
    with pytest.raises(Busy):
        await asyncio.wait_for(store.get(1, ("b",), builds.of("b")), timeout=5)
    builds.gate.set()
    await running


async def test_a_caller_that_goes_away_does_not_cancel_the_build_others_wait_for():
    store, builds = answers(), Builds(gated=True)
    leaving = asyncio.ensure_future(store.get(1, ("a",), builds.of("a")))
    staying = asyncio.ensure_future(store.get(1, ("a",), builds.of("a")))
    await asyncio.sleep(0.05)
    leaving.cancel()
    builds.gate.set()
    assert bytes(await staying) == b"a" * 10 and builds.calls == ["a"]


async def test_the_busy_api_answers_429_with_retry_after_and_a_reason_never_a_5xx(serve_bucket):
    zones = ["Asia/Tokyo", "America/New_York", "Europe/Paris", "Asia/Kathmandu", "Pacific/Chatham", "Africa/Cairo"]
    async with serve_bucket(BUCKET_PANDAS15, MAX_BUILDS=1, MAX_BUILD_QUEUE=0) as (_, client):
        responses = await asyncio.gather(
            *(
                client.get(f"http://test/api/v2/series/{series}", params={"tz": tz, "format": "csv"})
                for tz in zones
                for series in ("1/111", "2/all", "all/all")
            )
        )
        metrics = (await client.get("http://test/metrics")).text
    statuses = [response.status_code for response in responses]
    assert set(statuses) == {200, 429}, statuses
    for response in responses:
        if response.status_code == 429:
            assert int(response.headers["retry-after"]) >= 1
            assert "ask again in" in response.json()["detail"]
            assert response.headers["cache-control"] == "no-store"
        else:
            assert response.text.startswith("time,kind,kwh,")
    assert f'api_built_answers_requests_total{{outcome="refused"}} {statuses.count(429)}.0' in metrics


async def test_an_answer_longer_than_the_limit_is_a_422_that_says_how_to_ask_for_less(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15, MAX_ANSWER_HOURS=100) as (_, client):
        whole = await client.get("http://test/api/v2/series/1/111", params={"start": "2000-01-01", "format": "csv"})
        week = await client.get("http://test/api/v2/series/1/111", params={"tz": "Europe/Copenhagen"})
        short = await client.get(
            "http://test/api/v2/series/1/111", params={"start": "2023-06-10T00:00Z", "end": "2023-06-12T00:00Z"}
        )
        monitored = await client.get("http://test/api/v2/monitoring/series/1/111", params={"format": "csv"})
    assert whole.status_code == 422 and "ask for less with start and end" in whole.json()["detail"]
    assert "more than the 100 one answer may hold" in whole.json()["detail"]
    assert week.status_code == 422  # the default week (168 h) plus the forecast is over 100 too
    assert short.status_code == 200 and len(short.json()["observations"]) == 48
    assert monitored.status_code == 422


async def test_spellings_of_one_request_share_one_built_answer(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        for start in ("2000-01-01", "1999-01-01T00:00:00Z", "2023-05-16T00:00:00+00:00"):
            response = await client.get(
                "http://test/api/v2/series/1/111", params={"start": start, "format": "csv", "tz": "Asia/Tokyo"}
            )
            assert response.status_code == 200
        metrics = (await client.get("http://test/metrics")).text
    assert 'api_built_answers_requests_total{outcome="built"} 1.0' in metrics
    assert 'api_built_answers_requests_total{outcome="kept"} 2.0' in metrics
