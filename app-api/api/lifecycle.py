"""The app's life: open the bucket, load the first snapshot within the start-up timeout, refresh forever.

Nothing here serves a request; `api.application` wires this lifespan into the app.
"""

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.config import Settings
from api.gates import GateLimits
from api.observability import Metrics
from api.storage import Storage, open_storage
from api.store import DataStore

logger = logging.getLogger(__name__)


def make_storage(settings: Settings) -> Storage:
    """The bucket `APP_API_GCP_BUCKET` names, or the built-in demo bucket when it is empty."""
    if settings.is_demo:
        from api.demo import DemoStorage, demo_folder  # pandas-heavy: only when the demo is served

        return DemoStorage(demo_folder(settings).resolve())
    return open_storage(settings.GCP_BUCKET, settings.GCP_PROJECT, settings.GCP_SERVICE_ACCOUNT_JSON_PATH)


def refresh_and_settle(store: DataStore) -> bool:
    """One refresh; after a swap, collect the old snapshot and move the heap out of the GC's way.

    Under load the cyclic GC ran full collections every few seconds that held the event loop and found
    nothing (BENCHMARKS.md, "Operations"). Frozen objects are not scanned, and unfreezing before the next
    collection lets a replaced snapshot's cycles go.
    """
    swapped = store.refresh()
    if swapped:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
    return swapped


async def refresh_forever(store: DataStore, settings: Settings, first_load: asyncio.Task, metrics: Metrics) -> None:
    """One refresh at a time, every `APP_API_REFRESH_SECONDS`, after the first load has finished.

    Nothing a turn raises may end the loop: the API would serve an ageing snapshot forever with no
    sign of it. Each failure is logged with its traceback and counted in `api_refresh_loop_errors_total`;
    the next turn comes at the usual interval.
    """
    try:
        await first_load
    except Exception:
        metrics.refresh_loop_failed()
    while True:
        await asyncio.sleep(settings.REFRESH_SECONDS)
        try:
            await asyncio.to_thread(refresh_and_settle, store)
        except Exception:
            metrics.refresh_loop_failed()


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    logger.info("starting with settings %s", settings.public_summary())
    store = DataStore(
        make_storage(settings), settings.REFRESH_SECONDS, GateLimits.from_settings(settings), prepare=app.state.prepare
    )
    app.state.store = store

    first_load = asyncio.create_task(asyncio.to_thread(refresh_and_settle, store))
    await asyncio.wait({first_load}, timeout=settings.STARTUP_LOAD_TIMEOUT_SECONDS)
    if store.current is None:
        logger.warning("not ready after start-up: %s; retrying in the background", store.unavailable_reason)
    refresher = asyncio.create_task(refresh_forever(store, settings, first_load, app.state.metrics))
    try:
        yield
    finally:
        refresher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await refresher
        app.state.answers.close()
