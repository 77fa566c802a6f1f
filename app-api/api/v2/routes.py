"""The `/api/v2` endpoints: look up the snapshot's catalog, slice, format times at the edge.

The default form of each answer (UTC, latest week, JSON) was rendered with the snapshot; other zones,
ranges and forms are built from arrays already in memory by `api.answers`: in a worker thread, kept,
built once for concurrent requests, and few at a time (429 with `Retry-After` when busy), so a long
range never holds the event loop or starves cheap requests. One answer holds at most
`APP_API_MAX_ANSWER_HOURS` rows. The dependencies are `async` because they only check strings (a thread
hop would cost more).
"""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response

from api.answers import Busy, Key
from api.catalog import Catalog, SeriesData
from api.http_caching import NO_STORE, VARY_FORM_AND_ENCODING, PrerenderedResponse, RenderedBody
from api.quality import Quality
from api.routes import StoreDep, current_snapshot, get_snapshot, rejected_upload
from api.snapshot import Snapshot
from api.tables import MEDIA_TYPES, AcceptHeader, Form, FormQuery, chosen_form, json_body, negotiated_form, table_body
from api.timefmt import ZONE_NAMES, BadTimeParameter, hour_boundary, iso_moment, zone
from api.totals import ALL
from api.v2 import bodies
from api.v2.schemas import (
    Forecasts,
    MonitoredSeries,
    MonitoringHourly,
    MonitoringHourOfDay,
    MonitoringSummary,
    SeriesForecast,
    SeriesList,
    Status,
)

router = APIRouter()

ERROR_RESPONSES = {
    404: {"description": "No such series in the data (a well-formed code that is not there)."},
    406: {"description": "The `Accept` header allows none of JSON, CSV or parquet."},
    422: {
        "description": "A malformed parameter, or an answer longer than one may be: `detail` says which and what "
        "is accepted."
    },
    429: {
        "description": "Busy building other long answers: ask again after `Retry-After` seconds (or for less).",
        "headers": {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
    },
    503: {"description": "Data (or monitoring data) is not loaded: the reason is in `detail`."},
}
TABLE_CONTENT = {
    200: {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}},
        }
    }
}
CODE_PATTERN = r"^(all|-?[0-9]{1,9})$"
TIME_ZONES = sorted(ZONE_NAMES)

SnapshotDep = Annotated[Snapshot, Depends(get_snapshot)]
FormDep = Annotated[Form, Depends(negotiated_form)]


def _code(text: str) -> int | str:
    return ALL if text == ALL else int(text)


AreaPath = Annotated[
    str,
    Path(
        pattern=CODE_PATTERN,
        description="Price area code (1 = DK1 west, 2 = DK2 east, 0 = DK), or `all` for the sum over the price areas.",
        openapi_examples={
            "DK1": {"summary": "DK1 (west of the Great Belt)", "value": "1"},
            "DK2": {"summary": "DK2 (east)", "value": "2"},
            "all": {"summary": "All of Denmark (DK1 + DK2)", "value": "all"},
        },
    ),
]
ConsumerTypePath = Annotated[
    str,
    Path(
        pattern=CODE_PATTERN,
        description="DE35 consumer type code (e.g. 111), or `all` for the sum over all consumer types.",
        openapi_examples={
            "111": {"summary": "111", "value": "111"},
            "all": {"summary": "All consumer types", "value": "all"},
        },
    ),
]
TimeZoneQuery = Annotated[
    str,
    Query(
        description="IANA time zone for every time in the answer, e.g. `Europe/Copenhagen` (Danish local time, "
        "with its daylight-saving offsets) or `UTC`.",
        openapi_examples={
            "Danish time": {"summary": "Danish local time", "value": "Europe/Copenhagen"},
            "UTC": {"summary": "UTC", "value": "UTC"},
        },
        max_length=64,
        json_schema_extra={"enum": TIME_ZONES},
    ),
]
StartQuery = Annotated[
    str | None,
    Query(
        description="First hour to include (ISO 8601; without an offset it is read in `tz`). "
        "Without `start` and `end`: the latest week of observations and the whole forecast. "
        "For example `2024-03-30T00:00:00+01:00`, `2024-03-29T23:00:00Z` or `2024-03-30`.",
        max_length=64,
    ),
]
EndQuery = Annotated[
    str | None,
    Query(
        description="End of the range, exclusive (ISO 8601; without an offset it is read in `tz`), "
        "for example `2024-04-02T00:00:00+02:00`.",
        max_length=64,
    ),
]


def checked_zone(tz: str) -> str:
    try:
        zone(tz)
    except BadTimeParameter as error:
        raise HTTPException(status_code=422, detail=str(error)) from error
    return tz


def checked_range(tz: str, start: str | None, end: str | None) -> tuple[int | None, int | None]:
    """`start`/`end` as hour boundaries; 422 when unparseable or inverted."""
    try:
        first = None if start is None else hour_boundary(start, tz, "start")
        last = None if end is None else hour_boundary(end, tz, "end")
    except BadTimeParameter as error:
        raise HTTPException(status_code=422, detail=str(error)) from error
    if first is not None and last is not None and last < first:
        raise HTTPException(status_code=422, detail=f"end ({end}) is before start ({start}): the range is [start, end)")
    return first, last


async def valid_zone(tz: TimeZoneQuery = "UTC") -> str:
    return checked_zone(tz)


ZoneDep = Annotated[str, Depends(valid_zone)]


async def _catalog(snapshot: SnapshotDep) -> Catalog:
    if snapshot.catalog is None:  # pragma: no cover - every snapshot is built with one
        raise HTTPException(status_code=503, detail="Data is still being prepared")
    return snapshot.catalog


CatalogDep = Annotated[Catalog, Depends(_catalog)]


async def _quality(snapshot: SnapshotDep, catalog: CatalogDep) -> Quality:
    if catalog.quality is None:
        raise HTTPException(status_code=503, detail=snapshot.monitoring_missing_reason or "No monitoring data")
    return catalog.quality


QualityDep = Annotated[Quality, Depends(_quality)]


def _series(catalog: Catalog, area: str, consumer_type: str) -> SeriesData:
    data = catalog.series.get((_code(area), _code(consumer_type)))
    if data is None:
        raise HTTPException(
            status_code=404,
            detail=f"No data found for area {area} and consumer type {consumer_type}; GET /api/v2/series lists "
            "the series and totals there are",
        )
    return data


def _answer(snapshot: Snapshot, body: RenderedBody, form: Form) -> Response:
    """Every data answer of v2 varies by `Accept` (JSON too: `Accept` picks the form) and `Accept-Encoding`."""
    return PrerenderedResponse(
        body, snapshot.id, snapshot.data_version, MEDIA_TYPES[form].encode(), vary=VARY_FORM_AND_ENCODING
    )


async def _built(request: Request, snapshot: Snapshot, key: Key, build: Callable[[], RenderedBody]) -> RenderedBody:
    """An answer built per request, through the app's `Answers`: kept, built once, 429 when busy."""
    try:
        return await request.app.state.answers.get(snapshot.id, key, build)
    except Busy as busy:
        raise HTTPException(
            status_code=429,
            detail=f"busy building other long answers: ask again in {busy.retry_after_seconds} s, "
            "or for a shorter range (start, end)",
            headers={"Retry-After": str(busy.retry_after_seconds)},
        ) from busy


def _checked_size(request: Request, hours: int) -> None:
    """422 past `APP_API_MAX_ANSWER_HOURS` rows, before anything is built."""
    limit = request.app.state.settings.MAX_ANSWER_HOURS
    if hours > limit:
        raise HTTPException(
            status_code=422,
            detail=f"the answer would hold {hours} hours, more than the {limit} one answer may hold: ask for less "
            f"with start and end (at most {limit} hours, about {limit / 8766:.1f} years, per request)",
        )


def _table_or_json(
    form: Form, tz: str, table: Callable[[], dict], json: Callable[[], dict], time_columns: tuple[str, ...] = ("time",)
) -> RenderedBody:
    if form == "json":
        return json_body(json())
    return table_body(table(), form, tz, time_columns=time_columns)


async def _bulk(
    request: Request,
    snapshot: Snapshot,
    name: str,
    tz: str,
    form: Form,
    table: Callable[[], dict],
    json: Callable[[], dict],
    time_columns: tuple[str, ...] = ("time",),
) -> Response:
    """An answer about all series: its size is the bucket's shape, so it is built once per snapshot, zone and form."""
    body = await _built(
        request, snapshot, (name, tz, form), lambda: _table_or_json(form, tz, table, json, time_columns)
    )
    return _answer(snapshot, body, form)


def _moment(moment: datetime | None, tz: str) -> str | None:
    return None if moment is None else moment.astimezone(zone(tz)).isoformat()


def _age_of_hour(hour: int | None, now: datetime) -> float | None:
    """Seconds from the start of `hour` to `now` (as the `/metrics` data-age gauges count)."""
    return None if hour is None else now.timestamp() - hour * 3600


@router.get(
    "/status",
    response_model=Status,
    tags=["status"],
    summary="What is being served",
    description="Source, demo flag, the data's content-derived `data_version` (equal on every replica), "
    "when it was loaded, when the bucket was last read without error, the observed and forecast windows in `tz` "
    "with the age of the newest observed hour and of the forecast's first hour, and every upload the data gates "
    "rejected (object, generation, when it was first seen, a one-line reason): while one is listed the data is "
    "the last good copy.",
    responses={422: ERROR_RESPONSES[422], 503: ERROR_RESPONSES[503]},
)
async def status(store: StoreDep, snapshot: SnapshotDep, tz: ZoneDep) -> Response:
    now = datetime.now(UTC)
    store_status = store.status()
    body = {
        "source": snapshot.source,
        "is_demo": snapshot.is_demo,
        "data_version": snapshot.data_version,
        "snapshot_id": snapshot.id,
        "loaded_at": snapshot.loaded_at.astimezone(zone(tz)).isoformat(),
        "last_successful_refresh_at": _moment(store_status.last_successful_refresh_at, tz),
        "stale": store.is_stale(now),
        "observed_from": iso_moment(snapshot.observed_from, tz),
        "observed_to": iso_moment(snapshot.observed_to, tz),
        "forecast_from": iso_moment(snapshot.forecast_from, tz),
        "forecast_to": iso_moment(snapshot.forecast_to, tz),
        "series_count": snapshot.series_count,
        "monitoring_available": snapshot.monitoring is not None,
        "observed_to_age_seconds": _age_of_hour(snapshot.observed_to, now),
        "forecast_from_age_seconds": _age_of_hour(snapshot.forecast_from, now),
        "rejections": [rejected_upload(rejection, zone(tz)).model_dump() for rejection in store_status.rejections],
    }
    return PrerenderedResponse(json_body(body), snapshot.id, snapshot.data_version, cache_control=NO_STORE)


@router.get(
    "/series",
    response_model=SeriesList,
    tags=["forecasts"],
    summary="Every observed series, and the totals",
    description="One entry per observed series with its observed and forecast windows; `totals` lists what "
    "`all` can address (a price area over all consumer types, a consumer type over both areas, Denmark).",
    responses={**TABLE_CONTENT, **{code: ERROR_RESPONSES[code] for code in (406, 422, 503)}},
)
async def series_list(
    request: Request, snapshot: SnapshotDep, catalog: CatalogDep, tz: ZoneDep, form: FormDep
) -> Response:
    return await _bulk(
        request,
        snapshot,
        "series",
        tz,
        form,
        table=lambda: bodies.series_list_table(catalog),
        json=lambda: bodies.series_list_body(catalog, tz),
        time_columns=bodies.SERIES_LIST_TIMES,
    )


@router.get(
    "/series/{area}/{consumer_type}",
    response_model=SeriesForecast,
    tags=["forecasts"],
    summary="Observations and forecast of one series or total, with 80 % and 95 % ranges",
    description="Observations and the 24-hour forecast with its uncertainty ranges, learnt from the series' "
    "own past errors (`interval` says how, and how often such ranges contained what happened). "
    "`all` sums the member series over the hours every member has. Without `start`/`end`: the latest "
    "week and the whole forecast. CSV and parquet give one row per hour (`kind` observed or forecast).",
    responses={**TABLE_CONTENT, **ERROR_RESPONSES},
)
async def series(
    area: AreaPath,
    consumer_type: ConsumerTypePath,
    request: Request,
    tz: TimeZoneQuery = "UTC",
    start: StartQuery = None,
    end: EndQuery = None,
    format: FormQuery = None,
    accept: AcceptHeader = None,
) -> Response:
    # The most asked-for answer, so its parameters are checked here rather than by one dependency each:
    # FastAPI's dependency solving was half of this route's time (191 µs against v1's 108 µs in-process).
    snapshot = current_snapshot(request.app.state.store)
    form = chosen_form(format, accept)
    tz = checked_zone(tz)
    first, last = checked_range(tz, start, end)
    data = _series(snapshot.catalog, area, consumer_type)
    if form == "json" and first is None and last is None and tz == "UTC":
        return _answer(snapshot, snapshot.v2_series_bodies[data.key], form)
    rows = bodies.selected_rows(data, first, last)  # the request, normalised: what it selects
    _checked_size(request, rows[1] - rows[0] + rows[3] - rows[2])
    body = await _built(
        request,
        snapshot,
        ("series", data.key, form, tz, *rows),
        lambda: _table_or_json(
            form,
            tz,
            table=lambda: bodies.series_table(data, first, last),
            json=lambda: bodies.series_body(data, tz, first, last),
        ),
    )
    return _answer(snapshot, body, form)


@router.get(
    "/forecasts",
    response_model=Forecasts,
    tags=["forecasts"],
    summary="Every series' next 24 hours in one table",
    description="One row per observed series and forecast hour, with the 80 % and 95 % ranges. For analysts: "
    "`pd.read_parquet('.../api/v2/forecasts?format=parquet')` gives zone-aware times.",
    responses={**TABLE_CONTENT, **{code: ERROR_RESPONSES[code] for code in (406, 422, 503)}},
)
async def forecasts(
    request: Request, snapshot: SnapshotDep, catalog: CatalogDep, tz: ZoneDep, form: FormDep
) -> Response:
    return await _bulk(
        request,
        snapshot,
        "forecasts",
        tz,
        form,
        table=lambda: bodies.forecasts_table(catalog),
        json=lambda: {"rows": bodies.rows(bodies.forecasts_table(catalog), tz)},
    )


@router.get(
    "/monitoring/summary",
    response_model=MonitoringSummary,
    tags=["monitoring"],
    summary="Error figures per series, per area and pooled",
    description="MAPE, WAPE, bias, MASE and the coverage of the 80 % / 95 % ranges over the monitoring window, "
    "per observed series, per area and over all series pooled, and for the last 24 hours, the same hours "
    "a week earlier, the last 7 days and the 7 before. A figure that cannot be computed is null. "
    "CSV and parquet give the per-series table.",
    responses={**TABLE_CONTENT, **{code: ERROR_RESPONSES[code] for code in (406, 422, 503)}},
)
async def monitoring_summary(
    request: Request, snapshot: SnapshotDep, quality: QualityDep, tz: ZoneDep, form: FormDep
) -> Response:
    return await _bulk(
        request,
        snapshot,
        "summary",
        tz,
        form,
        table=lambda: bodies.summary_table(quality),
        json=lambda: bodies.summary_body(quality, tz),
        time_columns=(),
    )


@router.get(
    "/monitoring/hourly",
    response_model=MonitoringHourly,
    tags=["monitoring"],
    summary="Error figures per hour over all series",
    description="Per hour of the monitoring window: MAPE (the pipeline's own figure where it has one), WAPE, "
    "bias, how many series were compared and the share inside their 80 % / 95 % ranges; and MAPE, WAPE and "
    "bias pooled over the 24 hours ending at that hour (`*_24h`, null until 12 of them were compared).",
    responses={**TABLE_CONTENT, **{code: ERROR_RESPONSES[code] for code in (406, 422, 503)}},
)
async def monitoring_hourly(
    request: Request, snapshot: SnapshotDep, quality: QualityDep, tz: ZoneDep, form: FormDep
) -> Response:
    return await _bulk(
        request,
        snapshot,
        "hourly",
        tz,
        form,
        table=lambda: bodies.hourly_table(quality),
        json=lambda: {"hours": bodies.rows(bodies.hourly_table(quality), tz)},
    )


@router.get(
    "/monitoring/hour_of_day",
    response_model=MonitoringHourOfDay,
    tags=["monitoring"],
    summary="Error figures per hour of the day, in any zone",
    description="MAPE, WAPE, bias and range coverage pooled over every series' compared hours that start at "
    "each hour of the day (0-23) on the clocks of `tz`: sums over those hours divided, not a mean of hourly "
    "figures. In Danish time a spring-forward day adds nothing to 02:00 and a fall-back day adds both of its "
    "02:00 hours. Always 24 rows; an hour without compared hours has null figures.",
    responses={**TABLE_CONTENT, **{code: ERROR_RESPONSES[code] for code in (406, 422, 503)}},
)
async def monitoring_hour_of_day(
    request: Request, snapshot: SnapshotDep, quality: QualityDep, tz: ZoneDep, form: FormDep
) -> Response:
    return await _bulk(
        request,
        snapshot,
        "hour_of_day",
        tz,
        form,
        table=lambda: bodies.hour_of_day_table(quality, tz),
        json=lambda: bodies.hour_of_day_body(quality, tz),
        time_columns=(),
    )


@router.get(
    "/monitoring/series/{area}/{consumer_type}",
    response_model=MonitoredSeries,
    tags=["monitoring"],
    summary="Past predictions against observations for one series or total",
    description="Every hour of the monitoring window with a prediction or an observation: both values, the "
    "error and the absolute percentage error, whether the observation is still awaited (predicted hours after "
    "the series' last observation; a gap inside the observed window is a missing observation, not an awaited "
    "one), and the range the interval method gave that hour using only errors from before its day; with how "
    "many hours were compared, are awaited and are missing.",
    responses={**TABLE_CONTENT, **ERROR_RESPONSES},
)
async def monitoring_series(
    area: AreaPath,
    consumer_type: ConsumerTypePath,
    request: Request,
    snapshot: SnapshotDep,
    catalog: CatalogDep,
    quality: QualityDep,
    tz: ZoneDep,
    form: FormDep,
) -> Response:
    data = _series(catalog, area, consumer_type)
    if data.monitored is None:  # pragma: no cover - quality exists only with monitoring data
        raise HTTPException(status_code=503, detail=snapshot.monitoring_missing_reason)
    _checked_size(request, data.monitored.hours.size)
    body = await _built(
        request,
        snapshot,
        ("monitored", data.key, form, tz),
        lambda: _table_or_json(
            form, tz, table=lambda: bodies.monitored_table(data), json=lambda: bodies.monitored_body(data, tz)
        ),
    )
    return _answer(snapshot, body, form)
