"""What the service tells its operators: Prometheus metrics and one log line per request (format: api.logs).

Metrics live in a registry per app (so tests can build several apps). With several uvicorn workers
every worker has its own registry and its own snapshot: a scrape of `/metrics` answers for the one
worker that accepted the connection, named by `api_worker_info{pid=...}`.
"""

import logging
import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from fastapi.routing import APIRoute
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, InfoMetricFamily
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.http_caching import add_default_no_store
from api.public_reasons import ERROR_KINDS, error_kinds
from api.quality import Quality
from api.snapshot import Snapshot
from api.store import DataStore, StoreStatus

access_logger = logging.getLogger("api.access")
refresh_logger = logging.getLogger("api.refresh")

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED_ROUTE = "unmatched"
MAX_LOGGED_PATH = 200
SECONDS_PER_HOUR = 3600
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class SnapshotCollector(Collector):
    """Reads the data store at scrape time: nothing to update on the request path."""

    def __init__(self, get_store: Callable[[], DataStore | None]) -> None:
        self.get_store = get_store

    def collect(self):
        yield InfoMetricFamily("api_worker", "The process answering this scrape.", value={"pid": str(os.getpid())})
        store = self.get_store()
        if store is None:
            return
        status = store.status()  # one refresh's figures, not fields the refresh thread is changing
        snapshot = status.snapshot
        ready = GaugeMetricFamily("api_ready", "1 when a snapshot is being served.")
        ready.add_metric([], 1.0 if snapshot is not None else 0.0)
        yield ready
        successes = CounterMetricFamily("api_refresh_successes", "Bucket refreshes that ended without an error.")
        successes.add_metric([], status.refresh_successes)
        yield successes
        failures = CounterMetricFamily("api_refresh_failures", "Bucket refreshes that recorded an error.")
        failures.add_metric([], status.refresh_failures)
        yield failures
        error = GaugeMetricFamily("api_refresh_error", "1 when the last refresh recorded an error.")
        error.add_metric([], 1.0 if status.last_refresh_error else 0.0)
        yield error
        kinds = GaugeMetricFamily(
            "api_refresh_error_kind",
            "1 for each kind of error the last refresh recorded (the full reason is in the log).",
            labels=["kind"],
        )
        recorded = error_kinds(status.last_refresh_error)
        for kind in ERROR_KINDS:
            kinds.add_metric([kind], 1.0 if kind in recorded else 0.0)
        yield kinds
        yield from rejection_metrics(status)
        if status.last_successful_refresh_at is not None:
            last = GaugeMetricFamily(
                "api_last_successful_refresh_timestamp_seconds",
                "When a refresh last ended without an error: the bucket read and every object's newest upload served.",
            )
            last.add_metric([], status.last_successful_refresh_at.timestamp())
            yield last
        loaded = GaugeMetricFamily("api_bucket_objects_loaded", "Bucket objects held in memory (of six).")
        loaded.add_metric([], sum(file.loaded for file in status.files))
        yield loaded
        rows = GaugeMetricFamily(
            "api_bucket_object_rows", "Rows of each bucket object held in memory.", labels=["object"]
        )
        for file in status.files:
            if file.rows is not None:
                rows.add_metric([file.name], file.rows)
        yield rows
        if snapshot is None:
            return
        snapshot_id = GaugeMetricFamily("api_snapshot_id", "Id of the snapshot being served (increases).")
        snapshot_id.add_metric([], snapshot.id)
        yield snapshot_id
        age = GaugeMetricFamily("api_snapshot_age_seconds", "Seconds since the served snapshot was built.")
        age.add_metric([], (datetime.now(UTC) - snapshot.loaded_at).total_seconds())
        yield age
        series = GaugeMetricFamily(
            "api_series_served", "Series each per-series endpoint can answer.", labels=["endpoint"]
        )
        for endpoint, count in snapshot.catalog.counts().items():
            series.add_metric([endpoint], count)
        yield series
        yield from data_age_metrics(snapshot, datetime.now(UTC))
        if snapshot.catalog.quality is not None:
            yield from model_quality_metrics(snapshot.catalog.quality)


def rejection_metrics(status: StoreStatus) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
    """What the data gates decided, per object (six fixed label values, all always exported, so an alert
    can say `== 1` and a dashboard can show a zero)."""
    rejected = GaugeMetricFamily(
        "api_upload_rejected",
        "1 while the newest upload of the object is rejected by the data gates (its last good copy is served).",
        labels=["object"],
    )
    for file in status.files:
        rejected.add_metric([file.name], 1.0 if file.rejection is not None else 0.0)
    yield rejected
    rejections = CounterMetricFamily(
        "api_upload_rejections", "Uploads (object generations) rejected by the data gates.", labels=["object"]
    )
    for name, count in status.rejections_total:
        rejections.add_metric([name], count)
    yield rejections


# (gauge name, help, period of `Quality.by_area`, figure): one gauge per area label, none for a null figure.
QUALITY_GAUGES = (
    ("energy_forecast_mape", "MAPE (fraction) over the last 24 compared hours.", "last_24h", "mape"),
    ("energy_forecast_wape", "WAPE (fraction) over the last 24 compared hours.", "last_24h", "wape"),
    ("energy_forecast_bias", "Bias (fraction, positive = forecast too high) over the last 24 compared hours.",
     "last_24h", "bias"),
    ("energy_forecast_wape_week_earlier", "WAPE (fraction) over the same 24 hours one week earlier.",
     "week_before", "wape"),
    ("energy_forecast_coverage_80", "Share of the last 7 days' compared hours inside the backtested 80 % range.",
     "last_7d", "coverage_80"),
    ("energy_forecast_coverage_95", "Share of the last 7 days' compared hours inside the backtested 95 % range.",
     "last_7d", "coverage_95"),
)  # fmt: skip


def model_quality_metrics(quality: Quality) -> Iterator[GaugeMetricFamily]:
    """The error figures the alert rules read, per area ("1", "2", "all"; "0" if the data has it).

    No consumer-type label: per-series figures are the API's and the dashboard's job, and a label
    per series would multiply the time series Prometheus stores. A figure the API could not compute
    (None) is left out rather than exported as NaN, so no rule fires on it.
    """
    for name, help_text, period, figure in QUALITY_GAUGES:
        gauge = GaugeMetricFamily(name, help_text, labels=["area"])
        for area, periods in sorted(quality.by_area.items()):
            value = getattr(periods[period], figure) if period in periods else None
            if value is not None:
                gauge.add_metric([area], value)
        yield gauge


def data_age_metrics(snapshot: Snapshot, now: datetime) -> Iterator[GaugeMetricFamily]:
    """How old the newest observation and the newest forecast are: what the staleness alerts read.

    Measured from the start of the hour (the data's own clock), not from when the API loaded the
    files: a bucket the pipeline stopped writing looks fresh to the loader but not to these.
    """
    if snapshot.observed_to is not None:
        observation = GaugeMetricFamily(
            "energy_forecast_last_observation_age_seconds",
            "Seconds since the start of the newest observed hour in y.parquet.",
        )
        observation.add_metric([], now.timestamp() - snapshot.observed_to * SECONDS_PER_HOUR)
        yield observation
    if snapshot.forecast_from is not None:
        forecast = GaugeMetricFamily(
            "energy_forecast_forecast_start_age_seconds",
            "Seconds since the first hour of the newest forecast in predictions.parquet (negative: it starts later).",
        )
        forecast.add_metric([], now.timestamp() - snapshot.forecast_from * SECONDS_PER_HOUR)
        yield forecast


class Metrics:
    """The app's registry; request metrics keyed by method, route template and status."""

    def __init__(self, get_store: Callable[[], DataStore | None]) -> None:
        self.registry = CollectorRegistry()
        labels = ["method", "route", "status"]
        self.requests = Counter(
            "http_requests", "HTTP requests answered, by route template and status.", labels, registry=self.registry
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "Time from request to the end of the response, by route template and status.",
            labels,
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.refresh_loop_errors = Counter(
            "api_refresh_loop_errors",
            "Exceptions that ended a turn of the background refresh loop (which carries on).",
            registry=self.registry,
        )
        self.registry.register(SnapshotCollector(get_store))
        ProcessCollector(registry=self.registry)
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, status)
        children = self._children.get(key)
        if children is None:
            status_label = str(status)
            children = (
                self.requests.labels(method, route, status_label),
                self.latency.labels(method, route, status_label),
            )
            self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)

    def refresh_loop_failed(self) -> None:
        """Log the exception being handled (with its traceback) and count it; call from an `except`."""
        refresh_logger.exception("a turn of the refresh loop failed; the loop goes on")
        self.refresh_loop_errors.inc()

    def exposition(self, request: Request) -> Response:
        """`GET /metrics` (sync: runs in the thread pool, as it reads /proc)."""
        return Response(
            generate_latest(self.registry),
            media_type=CONTENT_TYPE_LATEST,
            headers={"Cache-Control": "no-store"},
        )


class AccessMiddleware:
    """Pure ASGI: times each request, counts it, logs one line, marks uncacheable responses `no-store`.

    Sits inside `RequestIdMiddleware`, whose id it logs. The route is the matched template, so hostile
    or unknown paths all count as `unmatched` instead of growing the label set. The matched endpoint
    is looked up in `route_paths` (see `route_templates`): routes of an included router know only
    their own path, and top-level routes do not leave themselves in the scope.
    """

    def __init__(self, app: ASGIApp, metrics: Metrics, route_paths: dict[int, str]) -> None:
        self.app = app
        self.metrics = metrics
        self.route_paths = route_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the error handler outside answers when the app raises

        async def send_and_watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = message["headers"] = list(message.get("headers", []))
                add_default_no_store(headers)
            await send(message)

        try:
            await self.app(scope, receive, send_and_watch)
        finally:
            duration = time.perf_counter() - started
            route = self.route_paths.get(id(scope.get("endpoint")), UNMATCHED_ROUTE)
            method = scope["method"] if scope["method"] in METHODS else "OTHER"
            self.metrics.observe(method, route, status, duration)
            if access_logger.isEnabledFor(logging.INFO):
                request_id = scope.get("state", {}).get("request_id", "-")
                path = scope["path"]
                if len(path) > MAX_LOGGED_PATH:
                    path = path[:MAX_LOGGED_PATH] + "..."
                access_logger.info(
                    "%s %s %d %.1f ms route=%s request_id=%s",
                    method,
                    path,
                    status,
                    duration * 1000,
                    route,
                    request_id,
                    extra={
                        "request_id": request_id,
                        "method": method,
                        "path": path,
                        "route": route,
                        "status": status,
                        "duration_ms": round(duration * 1000, 3),
                    },
                )


def route_templates(routes: list[BaseRoute], included: list[BaseRoute], prefix: str) -> dict[int, str]:
    """Full path template of every endpoint, keyed by the endpoint's id (which the router puts in the scope)."""
    templates = {}
    for route in routes:
        endpoint = getattr(route, "endpoint", None) or getattr(route, "app", None)
        path = getattr(route, "path_format", None) or getattr(route, "path", None)
        if endpoint is not None and path:
            templates[id(endpoint)] = path
    for route in included:
        if isinstance(route, Route | APIRoute):
            templates[id(route.endpoint)] = prefix + route.path
    return templates
