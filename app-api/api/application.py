"""The app factory, wiring only: settings, the versions' caches, middleware, error handler, routes, docs, /metrics.

The store, its refresh loop and the bucket are opened by the lifespan (`api.lifecycle`).
"""

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.telemetry import TelemetryConfig
from fastapi_offline import FastAPIOffline

from api.config import Settings, get_settings
from api.docs import V2_PREFIX, split_docs
from api.hot_routes import HotRoutes, hot_lanes
from api.http_caching import data_cache_control
from api.lifecycle import lifespan
from api.middleware import HeadAsGetMiddleware, MetricsPortMiddleware, RequestIdMiddleware, unhandled_error
from api.observability import AccessMiddleware, Metrics, route_templates
from api.rendering import PerSnapshot
from api.snapshot import Snapshot
from api.v1.bodies import build_v1_bodies
from api.v1.routes import router
from api.v2.answers import Answers
from api.v2.cache import default_series_cache
from api.v2.routes import router as v2_router

DESCRIPTION = """
Hourly electricity consumption in Denmark per price area and DE35 consumer type: observations, the
next-24-hour forecast and monitoring of past forecasts, as produced by the batch pipeline.

Data is read from the prediction bucket into memory and refreshed in the background; no request
reads the bucket. Times are integers: hours since 1970-01-01T00:00Z (UTC).

New clients: `/api/v2` (docs at `/api/v2/docs`) has readable times in any zone, ranges, totals,
uncertainty ranges, error figures beyond MAPE, and CSV/parquet tables.
"""


def _prepare_views(*caches: PerSnapshot) -> Callable[[Snapshot], None]:
    """What the store runs on a new snapshot before serving it: each version renders its bodies of it."""

    def prepare(snapshot: Snapshot) -> None:
        for cache in caches:
            cache.prepare(snapshot)

    return prepare


NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False, "operation_spans": False}


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
        # FastAPI's OpenTelemetry bridge asks, per request, whether a provider was configured; nothing
        # here configures one (metrics are Prometheus' `/metrics`, traces are not collected), so it is off.
        telemetry=NO_TELEMETRY,
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
    lanes: list = []  # filled below, once the routes exist
    if settings.HOT_ROUTES:
        app.add_middleware(HotRoutes, fastapi_app=app, lanes=lanes)
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
    lanes.extend(hot_lanes(router.routes, prefix, v2_router.routes, V2_PREFIX))
    return app
