"""The `/api/v1` endpoints: thin lookups in memory, never I/O on the bucket.

Data responses return v1's bodies of the snapshot being served (`api.v1.bodies`, rendered before the
snapshot was swapped in); `response_model` documents their shape in OpenAPI. A data route resolves one
dependency (`served`), as few as before the bodies moved out of the snapshot.
"""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request, Response
from fastapi.responses import JSONResponse

from api.deps import SettingsDep, SnapshotDep, StoreDep, snapshot_of
from api.http_caching import PrerenderedResponse
from api.public_reasons import public_reason
from api.rejections import rejected_upload
from api.snapshot import Snapshot
from api.v1.bodies import Monitoring, SeriesKey, V1Bodies
from api.v1.schemas import (
    ErrorDetail,
    FileStatus,
    Freshness,
    Health,
    MonitoringMetrics,
    MonitoringSummary,
    MonitoringValues,
    PredictionResults,
    Readiness,
    SeriesErrors,
    UniqueValues,
)

router = APIRouter()

NOT_FOUND = {404: {"model": ErrorDetail, "description": "No data for this area and consumer type."}}
UNAVAILABLE = {
    503: {
        "model": ErrorDetail,
        "description": "Data is not loaded (yet): the reason is in `detail`.",
    }
}

AreaPath = Annotated[int, Path(description="Price area code: 0 = DK, 1 = DK1 (west), 2 = DK2 (east).", examples=[1])]
ConsumerTypePath = Annotated[int, Path(description="DE35 consumer type code.", examples=[111])]


async def served(request: Request) -> tuple[Snapshot, V1Bodies]:
    """The snapshot being served (or 503) and its v1 bodies, in one dependency."""
    snapshot = snapshot_of(request)
    return snapshot, request.app.state.v1_bodies.get(snapshot)


async def served_monitoring(request: Request) -> tuple[Snapshot, Monitoring]:
    """As `served`, for the monitoring routes: 503 with the reason when monitoring data is not loaded."""
    snapshot, bodies = await served(request)
    if bodies.monitoring is None:
        raise HTTPException(status_code=503, detail=snapshot.monitoring_missing_reason)
    return snapshot, bodies.monitoring


ServedDep = Annotated[tuple[Snapshot, V1Bodies], Depends(served)]
MonitoringDep = Annotated[tuple[Snapshot, Monitoring], Depends(served_monitoring)]


def _prerendered(body: bytes, snapshot: Snapshot) -> Response:
    return PrerenderedResponse(body, snapshot.id, snapshot.data_version)


def _series_prerendered(bodies: dict[SeriesKey, bytes], area: int, consumer_type: int, snapshot: Snapshot) -> Response:
    """The prerendered body of one series, or the contract's 404 when the snapshot has none."""
    body = bodies.get((area, consumer_type))
    if body is None:
        raise HTTPException(
            status_code=404,
            detail=f"No data found for the given area and consumer type: {area}, {consumer_type}",
        )
    return _prerendered(body, snapshot)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


@router.get(
    "/health",
    response_model=Health,
    summary="Health",
    description="Liveness: answers whenever the process runs.",
)
async def health(settings: SettingsDep) -> Health:
    return Health(name=settings.NAME, api_version=settings.VERSION)


@router.get(
    "/ready",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "No data is being served yet."}},
    summary="Readiness",
    description="200 when forecasts are being served, else 503; the snapshot's age, each bucket file's "
    "version, the last refresh error and any upload the data gates rejected, either way. Reasons are in "
    "public words (no accounts, addresses or paths); the service's log has them in full.",
)
async def ready(store: StoreDep) -> JSONResponse:
    status = store.status()  # one refresh's view: the refresh thread may swap fields meanwhile
    snapshot = status.snapshot
    now = datetime.now(UTC)
    files = [
        FileStatus(
            name=file.name,
            required=file.required,
            loaded=file.loaded,
            generation=file.generation,
            updated=_iso(file.updated),
            rows=file.rows,
            error=public_reason(file.error),
            rejection=rejected_upload(file.rejection) if file.rejection else None,
        )
        for file in status.files
    ]
    readiness = Readiness(
        ready=snapshot is not None,
        reason=None if snapshot is not None else public_reason(status.unavailable_reason),
        snapshot_id=snapshot.id if snapshot else None,
        snapshot_loaded_at=_iso(snapshot.loaded_at) if snapshot else None,
        snapshot_age_seconds=(now - snapshot.loaded_at).total_seconds() if snapshot else None,
        last_refresh_at=_iso(status.last_refresh_at),
        last_successful_refresh_at=_iso(status.last_successful_refresh_at),
        last_refresh_error=public_reason(status.last_refresh_error),
        refresh_interval_seconds=status.refresh_seconds,
        files=files,
        rejections=[rejected_upload(rejection) for rejection in status.rejections],
    )
    return JSONResponse(readiness.model_dump(), status_code=200 if snapshot is not None else 503)


@router.get(
    "/freshness",
    response_model=Freshness,
    responses=UNAVAILABLE,
    summary="Freshness",
    description="What the dashboards show above their charts: when the data was loaded, the observed and "
    "forecast windows, how many series, whether it is the demo bucket, and uploads the data gates rejected.",
)
async def freshness(store: StoreDep, snapshot: SnapshotDep) -> Freshness:
    now = datetime.now(UTC)
    return Freshness(
        source=snapshot.source,
        is_demo=snapshot.is_demo,
        snapshot_id=snapshot.id,
        data_version=snapshot.data_version,
        loaded_at=snapshot.loaded_at.isoformat(),
        age_seconds=(now - snapshot.loaded_at).total_seconds(),
        last_successful_refresh_at=_iso(store.last_successful_refresh_at),
        stale=store.is_stale(now),
        observed_from=snapshot.observed_from,
        observed_to=snapshot.observed_to,
        forecast_from=snapshot.forecast_from,
        forecast_to=snapshot.forecast_to,
        series_count=snapshot.series_count,
        monitoring_available=snapshot.has_monitoring,
        rejections=[rejected_upload(rejection) for rejection in store.status().rejections],
    )


@router.get(
    "/area_values",
    response_model=UniqueValues,
    responses=UNAVAILABLE,
    summary="Area values",
    description="Price areas present in the feature window X.",
)
async def area_values(served: ServedDep) -> Response:
    snapshot, bodies = served
    return _prerendered(bodies.area_values_body, snapshot)


@router.get(
    "/consumer_type_values",
    response_model=UniqueValues,
    responses=UNAVAILABLE,
    summary="Consumer type values",
    description="DE35 consumer types present in the feature window X.",
)
async def consumer_type_values(served: ServedDep) -> Response:
    snapshot, bodies = served
    return _prerendered(bodies.consumer_type_values_body, snapshot)


@router.get(
    "/predictions/{area}/{consumer_type}",
    response_model=PredictionResults,
    responses={**NOT_FOUND, **UNAVAILABLE},
    summary="Observations and forecast of one series",
    description="The latest week (168 h) of observations and the next 24 hours of forecast for one area and "
    "consumer type. 404 when the series has no observations.",
)
async def predictions(area: AreaPath, consumer_type: ConsumerTypePath, served: ServedDep) -> Response:
    snapshot, bodies = served
    return _series_prerendered(bodies.predictions_bodies, area, consumer_type, snapshot)


@router.get(
    "/monitoring/metrics",
    response_model=MonitoringMetrics,
    responses=UNAVAILABLE,
    summary="Aggregated error per hour",
    description="MAPE per hour over all series, as a fraction, over the monitoring window.",
)
async def monitoring_metrics(served: MonitoringDep) -> Response:
    snapshot, monitoring = served
    return _prerendered(monitoring.metrics_body, snapshot)


@router.get(
    "/monitoring/values/{area}/{consumer_type}",
    response_model=MonitoringValues,
    responses={**NOT_FOUND, **UNAVAILABLE},
    summary="Past predictions and observations of one series",
    description="Observations and past predictions of one series over the monitoring window. 404 unless the "
    "series has both.",
)
async def monitoring_values(area: AreaPath, consumer_type: ConsumerTypePath, served: MonitoringDep) -> Response:
    snapshot, monitoring = served
    return _series_prerendered(monitoring.values_bodies, area, consumer_type, snapshot)


@router.get(
    "/monitoring/summary",
    response_model=MonitoringSummary,
    responses=UNAVAILABLE,
    summary="Error of every series",
    description="MAPE, MAE, RMSE and hours compared over the monitoring window for every area and consumer "
    "type, worst MAPE first.",
)
async def monitoring_summary(served: MonitoringDep) -> Response:
    snapshot, monitoring = served
    return _prerendered(monitoring.summary_body, snapshot)


@router.get(
    "/monitoring/errors/{area}/{consumer_type}",
    response_model=SeriesErrors,
    responses={**NOT_FOUND, **UNAVAILABLE},
    summary="Hourly error of one series",
    description="Prediction, observation and error per hour for one series over the monitoring window; hours "
    "whose observation has not arrived yet are flagged in `awaiting_observation`.",
)
async def monitoring_errors(area: AreaPath, consumer_type: ConsumerTypePath, served: MonitoringDep) -> Response:
    snapshot, monitoring = served
    return _series_prerendered(monitoring.errors_bodies, area, consumer_type, snapshot)
