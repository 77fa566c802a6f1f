"""The app factory: settings, storage, the data store and its refresh loop, middleware, routes."""

import asyncio
import contextlib
import gc
import logging
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline

from api.config import Settings, get_settings
from api.demo import demo_is_outdated, write_demo_bucket
from api.docs import V2_PREFIX, split_docs
from api.gates import GateLimits
from api.http_caching import data_cache_control
from api.middleware import HeadAsGetMiddleware, MetricsPortMiddleware, RequestIdMiddleware, unhandled_error
from api.observability import AccessMiddleware, Metrics, route_templates
from api.rendering import PerSnapshot
from api.snapshot import Snapshot
from api.storage import LocalStorage, Storage, open_storage
from api.store import DataStore
from api.v1.bodies import build_v1_bodies
from api.v1.routes import router
from api.v2.answers import Answers
from api.v2.cache import default_series_cache
from api.v2.routes import router as v2_router

logger = logging.getLogger(__name__)

DESCRIPTION = """
Hourly electricity consumption in Denmark per price area and DE35 consumer type: observations, the
next-24-hour forecast and monitoring of past forecasts, as produced by the batch pipeline.

Data is read from the prediction bucket into memory and refreshed in the background; no request
reads the bucket. Times are integers: hours since 1970-01-01T00:00Z (UTC).

New clients: `/api/v2` (docs at `/api/v2/docs`) has readable times in any zone, ranges, totals,
uncertainty ranges, error figures beyond MAPE, and CSV/parquet tables.
"""


def demo_folder(settings: Settings) -> Path:
    """Where the built-in demo bucket lives: `APP_API_DEMO_DIR`, or a fresh temporary folder."""
    if settings.DEMO_DIR:
        return Path(settings.DEMO_DIR)
    return Path(tempfile.mkdtemp(prefix="energy-demo-bucket-"))


def make_storage(settings: Settings) -> Storage:
    if settings.is_demo:
        return LocalStorage(demo_folder(settings).resolve())
    return open_storage(settings.GCP_BUCKET, settings.GCP_PROJECT, settings.GCP_SERVICE_ACCOUNT_JSON_PATH)


def refresh_and_settle(store: DataStore) -> bool:
    """One refresh; after a swap, collect the old snapshot and move the heap out of the GC's way.

    Under load the cyclic GC runs full collections every few seconds; with pandas and the snapshot
    in memory each one held the event loop ~60-80 ms and found nothing. Frozen objects are not
    scanned, and unfreezing before the next collection lets a replaced snapshot's cycles go.
    """
    swapped = store.refresh()
    if swapped:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
    return swapped


async def refresh_once(store: DataStore, settings: Settings) -> None:
    """One turn of the loop: rewrite the demo bucket when its hour has passed, then refresh."""
    if settings.is_demo and isinstance(store.storage, LocalStorage) and demo_is_outdated(store.storage.folder):
        await asyncio.to_thread(write_demo_bucket, str(store.storage.folder))
    await asyncio.to_thread(refresh_and_settle, store)


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
            await refresh_once(store, settings)
        except Exception:
            metrics.refresh_loop_failed()


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    logger.info("starting with settings %s", settings.public_summary())
    storage = make_storage(settings)
    if settings.is_demo and isinstance(storage, LocalStorage) and demo_is_outdated(storage.folder):
        await asyncio.to_thread(write_demo_bucket, str(storage.folder))
    store = DataStore(storage, settings.REFRESH_SECONDS, GateLimits.from_settings(settings), prepare=app.state.prepare)
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


def _prepare_views(*caches: PerSnapshot) -> Callable[[Snapshot], None]:
    """What the store runs on a new snapshot before serving it: each version renders its bodies of it."""

    def prepare(snapshot: Snapshot) -> None:
        for cache in caches:
            cache.prepare(snapshot)

    return prepare


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    prefix = settings.api_prefix
    app = FastAPIOffline(
        title=settings.NAME,
        description=DESCRIPTION,
        version=settings.VERSION,
        openapi_url=f"{prefix}/openapi.json",
        docs_url=f"{prefix}/docs",
        redoc_url=f"{prefix}/redoc",
        static_url=f"{prefix}/static-docs",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.data_cache_control = data_cache_control(settings.CACHE_MAX_AGE_SECONDS, settings.REFRESH_SECONDS)
    metrics = Metrics(lambda: getattr(app.state, "store", None))
    app.state.metrics = metrics
    app.state.v1_bodies = PerSnapshot(build_v1_bodies)
    app.state.v2_default_series = default_series_cache()
    app.state.prepare = _prepare_views(app.state.v1_bodies, app.state.v2_default_series)
    app.state.answers = Answers(
        max_bytes=settings.ANSWER_STORE_MB * 2**20,
        max_builds=settings.MAX_BUILDS,
        max_queue=settings.MAX_BUILD_QUEUE,
        max_wait_seconds=settings.MAX_BUILD_WAIT_SECONDS,
        registry=metrics.registry,
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.CORS_ORIGINS,
        allow_credentials=False,
        allow_methods=["GET"],
        allow_headers=["*"],
    )
    app.add_middleware(HeadAsGetMiddleware)
    app.add_middleware(MetricsPortMiddleware, metrics_port=settings.METRICS_PORT)
    route_paths: dict[int, str] = {}  # filled below, once every route exists
    app.add_middleware(AccessMiddleware, metrics=metrics, route_paths=route_paths)
    app.add_middleware(RequestIdMiddleware)
    app.add_exception_handler(Exception, unhandled_error)
    app.include_router(router, prefix=prefix)
    app.include_router(v2_router, prefix=V2_PREFIX)
    split_docs(app, prefix, static_url=f"{prefix}/static-docs")
    app.add_route("/metrics", metrics.exposition, methods=["GET"], include_in_schema=False)
    route_paths.update(route_templates(app.routes, router.routes, prefix))
    route_paths.update(route_templates([], v2_router.routes, V2_PREFIX))
    return app
