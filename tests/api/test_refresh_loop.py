"""The background refresh loop survives whatever a turn raises, and `/ready` reads one consistent view."""

import asyncio
import logging
import threading

import api.demo
import api.lifecycle
import pytest
from devtools.prometheus import sample_value
from devtools.waiting import await_until
from support import BUCKET_PANDAS15

pytestmark = pytest.mark.anyio


async def scrape(client) -> str:
    return (await client.get("http://test/metrics")).text


async def eventually(check, timeout: float = 30.0):
    return await await_until(check, timeout, what=check.__name__)


async def test_a_failing_demo_rewrite_is_the_refresh_error_and_the_last_snapshot_is_still_served(
    serve_bucket, tmp_path, monkeypatch, caplog
):
    attempts = []

    def broken_writer(destination: str) -> None:
        attempts.append(destination)
        raise OSError("disk full")

    caplog.set_level(logging.ERROR, logger="api.store")
    # GCP_BUCKET empty = the demo bucket, written by the real writer at the first listing.
    async with serve_bucket("", DEMO_DIR=str(tmp_path / "demo"), REFRESH_SECONDS=1) as (_, client):
        ready = await client.get("ready")
        assert ready.status_code == 200 and ready.json()["last_refresh_error"] is None
        served = ready.json()["snapshot_id"]
        monkeypatch.setattr(api.demo, "demo_is_outdated", lambda folder: True)
        monkeypatch.setattr(api.demo, "write_demo_bucket", broken_writer)

        async def failed_twice():
            exposition = await scrape(client)
            return sample_value(exposition, "api_refresh_failures_total") >= 2 and exposition

        exposition = await eventually(failed_twice)
        assert len(attempts) >= 2  # a second turn came after the first failure
        assert sample_value(exposition, "api_refresh_error") == 1
        assert sample_value(exposition, "api_refresh_loop_errors_total") == 0  # a refresh error, not a loop crash
        ready = await client.get("ready")
        assert ready.status_code == 200 and ready.json()["snapshot_id"] == served  # the last snapshot, still served
        assert ready.json()["last_refresh_error"]
        assert (await client.get("predictions/1/111")).status_code == 200

        # Once the rewrite works again, the refreshes succeed again.
        monkeypatch.setattr(api.demo, "write_demo_bucket", lambda destination: None)

        async def recovered():
            return (await client.get("ready")).json()["last_refresh_error"] is None

        await eventually(recovered)

    failures = [record for record in caplog.records if record.name == "api.store"]
    assert len(failures) == 1  # logged once while it lasts, not at every turn
    assert "OSError: disk full" in failures[0].getMessage()


async def test_an_exception_from_the_refresh_itself_is_counted_and_the_loop_goes_on(serve_bucket, monkeypatch):
    turns = []

    def failing_refresh(store) -> bool:
        turns.append(store)
        raise RuntimeError("injected")

    async with serve_bucket(BUCKET_PANDAS15, REFRESH_SECONDS=1) as (_, client):
        monkeypatch.setattr(api.lifecycle, "refresh_and_settle", failing_refresh)

        async def three_failures():
            return sample_value(await scrape(client), "api_refresh_loop_errors_total") >= 3

        await eventually(three_failures)
        assert len(turns) >= 3
        assert (await client.get("predictions/1/111")).status_code == 200  # the last snapshot is still served


async def test_no_loop_error_is_counted_when_nothing_fails(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15, REFRESH_SECONDS=1) as (_, client):
        first = sample_value(await scrape(client), "api_refresh_successes_total")

        async def two_turns_later():  # the loop itself refreshed twice after the first load
            exposition = await scrape(client)
            return sample_value(exposition, "api_refresh_successes_total") >= first + 2 and exposition

        exposition = await eventually(two_turns_later)
        assert sample_value(exposition, "api_refresh_loop_errors_total") == 0
        assert (await client.get("ready")).json()["last_refresh_error"] is None


async def test_ready_answers_from_the_last_published_view_while_a_refresh_holds_the_lock(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15) as (app, client):
        store = app.state.store
        before = store.status()
        release = threading.Event()
        held = threading.Event()

        def slow_refresh() -> None:
            with store._lock:  # what a refresh reading a slow bucket does
                held.set()
                release.wait(10)

        holder = threading.Thread(target=slow_refresh)
        holder.start()
        try:
            assert held.wait(5)
            ready = await asyncio.wait_for(client.get("ready"), timeout=5)
        finally:
            release.set()
            holder.join()
    body = ready.json()
    assert ready.status_code == 200 and body["snapshot_id"] == before.snapshot.id
    assert [file["name"] for file in body["files"]] == [file.name for file in before.files]
    assert [file["rows"] for file in body["files"]] == [file.rows for file in before.files]


async def test_the_status_view_is_immutable_and_replaced_whole_by_a_refresh(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15) as (app, _):
        store = app.state.store
        first = store.status()
        with pytest.raises(AttributeError):
            first.last_refresh_error = "changed"  # type: ignore[misc]
        await asyncio.to_thread(store.refresh)
        second = store.status()
    assert second is not first
    assert second.refresh_successes == first.refresh_successes + 1
    assert second.last_refresh_at > first.last_refresh_at
    assert first.snapshot is second.snapshot  # nothing changed in the bucket: same snapshot
