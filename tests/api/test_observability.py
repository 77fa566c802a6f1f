"""What operators see: Prometheus metrics at /metrics and one log line per request, text or JSON."""

import asyncio
import json
import logging
import os
import re
import shutil
import sys
import time

import httpx
import pytest
from api.logs import AlreadyLoggedFilter, JsonFormatter, logging_config
from conftest import frame, metrics_frame, series_rows, write_bucket
from devtools.prometheus import sample_value as value
from devtools.prometheus import samples
from support import ARTIFACTS, BUCKET_PANDAS15, running_api

pytestmark = pytest.mark.anyio

PREDICTIONS_ROUTE = "/api/v1/predictions/{area}/{consumer_type}"


async def scrape(client: httpx.AsyncClient) -> str:
    response = await client.get("http://test/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    return response.text


async def test_metrics_are_served_outside_the_versioned_prefix_and_left_out_of_the_openapi_schema(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        await scrape(client)
        versioned = await client.get("metrics")
        schema = (await client.get("openapi.json")).json()
    assert versioned.status_code == 404
    assert not [path for path in schema["paths"] if path.endswith("/metrics") and "monitoring" not in path]


async def test_requests_are_counted_and_timed_by_route_template_and_status(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        for path in ["predictions/1/111", "predictions/2/462", "predictions/2/999", "predictions/x/1", "no/such"]:
            await client.get(path)
        exposition = await scrape(client)
    ok = {"method": "GET", "route": PREDICTIONS_ROUTE, "status": "200"}
    assert value(exposition, "http_requests_total", **ok) == 2
    assert value(exposition, "http_requests_total", **(ok | {"status": "404"})) == 1
    assert value(exposition, "http_requests_total", **(ok | {"status": "422"})) == 1
    assert value(exposition, "http_requests_total", method="GET", route="unmatched", status="404") == 1
    assert value(exposition, "http_request_duration_seconds_count", **ok) == 2
    assert value(exposition, "http_request_duration_seconds_sum", **ok) > 0
    assert value(exposition, "http_request_duration_seconds_bucket", **(ok | {"le": "+Inf"})) == 2
    assert not [key for key in samples(exposition) if ("route", "/api/v1/predictions/1/111") in key[1]]


async def test_snapshot_refresh_objects_and_series_are_reported(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        exposition = await scrape(client)
    assert value(exposition, "api_ready") == 1
    assert value(exposition, "api_snapshot_id") == 1
    assert 0 <= value(exposition, "api_snapshot_age_seconds") < 120
    assert value(exposition, "api_refresh_successes_total") == 1
    assert value(exposition, "api_refresh_failures_total") == 0
    assert value(exposition, "api_refresh_error") == 0
    assert value(exposition, "api_bucket_objects_loaded") == 6
    assert value(exposition, "api_bucket_object_rows", object="predictions.parquet") > 0
    assert value(exposition, "api_series_served", endpoint="predictions") == 72
    assert value(exposition, "api_series_served", endpoint="monitoring_values") > 0
    assert value(exposition, "process_resident_memory_bytes") > 0
    assert ("api_worker_info", frozenset({("pid", str(os.getpid()))})) in samples(exposition)


async def test_a_failed_refresh_is_counted_and_the_snapshot_kept(serve_bucket, tmp_path):
    bucket = shutil.copytree(BUCKET_PANDAS15, tmp_path / "bucket")
    async with serve_bucket(bucket) as (app, client):
        (bucket / "predictions.parquet").write_bytes(b"not a parquet file")
        await asyncio.to_thread(app.state.store.refresh)
        exposition = await scrape(client)
        forecast = await client.get("predictions/1/111")
    assert value(exposition, "api_refresh_failures_total") == 1
    assert value(exposition, "api_refresh_error") == 1
    assert value(exposition, "api_snapshot_id") == 1 and value(exposition, "api_ready") == 1
    assert forecast.status_code == 200


async def test_metrics_answer_before_any_data_is_loaded(serve_bucket, tmp_path):
    async with serve_bucket(tmp_path / "empty", STARTUP_LOAD_TIMEOUT_SECONDS=5) as (_, client):
        exposition = await scrape(client)
    assert value(exposition, "api_ready") == 0
    assert value(exposition, "api_refresh_failures_total") >= 1
    assert not [key for key in samples(exposition) if key[0] == "api_snapshot_id"]


async def test_every_request_is_logged_once_with_its_id_method_route_status_and_duration(serve_bucket, caplog):
    caplog.set_level(logging.INFO, logger="api.access")
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        response = await client.get("predictions/1/111", headers={"X-Request-ID": "trace-42"})
        generated = (await client.get("predictions/2/999")).headers["x-request-id"]
    access = [record for record in caplog.records if record.name == "api.access"]
    assert [record.request_id for record in access] == ["trace-42", generated]
    first, second = access
    assert response.headers["x-request-id"] == "trace-42"
    assert (first.method, first.path, first.route, first.status) == (
        "GET",
        "/api/v1/predictions/1/111",
        PREDICTIONS_ROUTE,
        200,
    )
    assert second.status == 404 and 0 <= first.duration_ms < 10_000
    assert re.fullmatch(
        r"GET /api/v1/predictions/1/111 200 \d+\.\d ms route=\S+ request_id=trace-42", first.getMessage()
    )


async def test_long_paths_are_shortened_in_the_log(serve_bucket, caplog):
    caplog.set_level(logging.INFO, logger="api.access")
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        await client.get("predictions/" + "9" * 5000 + "/111")
    (record,) = [record for record in caplog.records if record.name == "api.access"]
    assert len(record.path) < 300 and record.path.endswith("...")


async def test_a_refresh_error_is_logged_once_however_many_refreshes_and_requests_see_it(
    serve_bucket, tmp_path, caplog
):
    bucket = shutil.copytree(BUCKET_PANDAS15, tmp_path / "bucket")
    async with serve_bucket(bucket) as (app, client):
        caplog.clear()
        (bucket / "y.parquet").write_bytes(b"garbage")
        for _ in range(3):
            await asyncio.to_thread(app.state.store.refresh)
            assert (await client.get("predictions/1/111")).status_code == 200
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1 and "y.parquet" in errors[0].getMessage()


def test_json_formatter_writes_one_object_per_line_with_the_extra_fields():
    record = logging.makeLogRecord(
        {"name": "api.access", "levelno": logging.INFO, "levelname": "INFO", "msg": "GET %s", "args": ("/x",)}
    )
    record.request_id, record.status = "abc", 200
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "GET /x" and entry["logger"] == "api.access" and entry["level"] == "INFO"
    assert entry["request_id"] == "abc" and entry["status"] == 200 and entry["time"].endswith("+00:00")


def test_json_formatter_keeps_a_traceback_inside_the_one_line():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("x").makeRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    entry = json.loads(JsonFormatter().format(record))
    assert "ValueError: boom" in entry["exception"]


def test_logging_config_routes_everything_through_one_handler_and_silences_uvicorns_access_log():
    config = logging_config("info", "json")
    assert config["root"] == {"handlers": ["default"], "level": "INFO"}
    assert config["handlers"]["default"]["formatter"] == "json"
    assert config["loggers"]["uvicorn.access"]["propagate"] is False
    assert config["loggers"]["uvicorn.error"]["filters"] == ["already_logged"]


@pytest.mark.parametrize(
    ("message", "kept"),
    [
        ("Exception in ASGI application\n", False),
        ("Started server process [1]", True),
        ("Exception in 'lifespan'", True),
    ],
)
def test_only_uvicorns_repeat_of_a_request_error_is_dropped(message, kept):
    record = logging.makeLogRecord({"name": "uvicorn.error", "levelno": logging.ERROR, "msg": message})
    assert AlreadyLoggedFilter().filter(record) is kept


@pytest.mark.e2e
def test_the_server_writes_json_lines_with_one_access_line_per_request():
    with running_api(BUCKET_PANDAS15, {"APP_API_LOG_FORMAT": "json", "APP_API_LOG_LEVEL": "info"}) as base_url:
        port = base_url.split(":")[2].split("/")[0]
        for request_id in ("soak-1", "soak-2"):
            assert httpx.get(f"{base_url}/predictions/1/111", headers={"X-Request-ID": request_id}).status_code == 200
        metrics = httpx.get(base_url.removesuffix("/api/v1") + "/metrics")
    entries = [json.loads(line) for line in (ARTIFACTS / f"api-{port}.log").read_text().splitlines() if line.strip()]
    access = [entry for entry in entries if entry["logger"] == "api.access"]
    assert [entry["request_id"] for entry in access if entry["path"].endswith("/1/111")] == ["soak-1", "soak-2"]
    assert all(entry["route"] == PREDICTIONS_ROUTE and entry["status"] == 200 for entry in access[-3:-1])
    assert not [entry for entry in entries if entry["logger"] == "uvicorn.access"]
    assert any(entry["logger"] == "api.store" and "serving snapshot 1" in entry["message"] for entry in entries)
    assert metrics.status_code == 200 and "http_requests_total" in metrics.text


async def test_data_age_gauges_count_from_the_newest_observed_hour_and_the_forecast_start(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        freshness = (await client.get("freshness")).json()
        exposition = await scrape(client)
        now = time.time()
    observation_age = value(exposition, "energy_forecast_last_observation_age_seconds")
    forecast_age = value(exposition, "energy_forecast_forecast_start_age_seconds")
    assert now - 60 < observation_age + freshness["observed_to"] * 3600 <= now
    assert now - 60 < forecast_age + freshness["forecast_from"] * 3600 <= now
    assert observation_age - forecast_age == pytest.approx(3600)  # the forecast starts an hour later


QUALITY_GAUGES = {
    "energy_forecast_mape": ("last_24h", "mape"),
    "energy_forecast_wape": ("last_24h", "wape"),
    "energy_forecast_bias": ("last_24h", "bias"),
    "energy_forecast_wape_week_earlier": ("week_before", "wape"),
    "energy_forecast_coverage_80": ("last_7d", "coverage_80"),
    "energy_forecast_coverage_95": ("last_7d", "coverage_95"),
}


async def test_model_quality_gauges_are_the_figures_of_the_summary_per_area(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        summary = (await client.get("http://test/api/v2/monitoring/summary")).json()
        exposition = await scrape(client)
    exported = {key: number for key, number in samples(exposition).items() if key[0] in QUALITY_GAUGES}
    for name, (period, figure) in QUALITY_GAUGES.items():
        by_area = {entry["area"]: entry[figure] for entry in summary["periods"][period]["areas"]}
        assert set(by_area) == {"1", "2", "all"}
        for area, expected in by_area.items():
            assert exported[(name, frozenset({("area", area)}))] == pytest.approx(expected), (name, area)
    assert {label for key in exported for label, _ in key[1]} == {"area"}  # no consumer-type label
    assert len(exported) == len(QUALITY_GAUGES) * 3


async def test_no_gauge_is_exported_for_a_figure_that_cannot_be_computed(serve_bucket, tmp_path):
    hours = range(468216, 468216 + 10 * 24)
    zeros = [(area, consumer_type, hour, 0.0) for area, consumer_type, hour, _ in series_rows(1, 111, hours)]
    observed = frame(zeros + series_rows(2, 111, hours))
    predicted = frame(series_rows(1, 111, hours, base=90.0) + series_rows(2, 111, hours, base=90.0))
    bucket = write_bucket(
        tmp_path / "bucket",
        {
            "X.parquet": observed.iloc[:, :0],
            "y.parquet": observed,
            "predictions.parquet": frame(series_rows(1, 111, [hours[-1] + 1]) + series_rows(2, 111, [hours[-1] + 1])),
            "y_monitoring.parquet": observed,
            "predictions_monitoring.parquet": predicted,
            "metrics_monitoring.parquet": metrics_frame(hours),
        },
    )
    async with serve_bucket(bucket) as (_, client):
        exposition = await scrape(client)
    wape = {
        dict(key[1])["area"]: number for key, number in samples(exposition).items() if key[0] == "energy_forecast_wape"
    }
    assert set(wape) == {"2", "all"}  # area 1 observed nothing but zeros: no WAPE, no gauge
    assert wape["2"] == pytest.approx(10 / (100 + 23 / 2))  # forecasts 10 kWh low; observed 100 + hour of day
    assert "NaN" not in exposition
