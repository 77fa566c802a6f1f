"""The service around the data: demo mode, offline docs, readiness, freshness, and unexpected errors."""

import re

import pytest
from api.v1.routes import served
from support import BUCKET_PANDAS15

pytestmark = pytest.mark.anyio


async def test_with_no_bucket_configured_the_demo_bucket_is_served_and_says_so(tmp_path, serve_bucket):
    async with serve_bucket("", DEMO_DIR=str(tmp_path)) as (_, client):
        freshness = (await client.get("freshness")).json()
        forecast = await client.get("predictions/1/111")
    assert freshness["is_demo"] is True and freshness["series_count"] == 76
    assert freshness["forecast_from"] == freshness["observed_to"] + 1
    assert forecast.status_code == 200 and len(forecast.json()["preds_datetime_utc"]) == 24


async def test_a_real_bucket_is_not_reported_as_demo(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        freshness = (await client.get("freshness")).json()
    assert freshness["is_demo"] is False and freshness["stale"] is False
    assert (freshness["observed_from"], freshness["observed_to"]) == (467832, 468551)
    assert (freshness["forecast_from"], freshness["forecast_to"]) == (468552, 468575)
    assert freshness["series_count"] == 72 and freshness["monitoring_available"] is True


async def test_readiness_reports_each_file_version_and_the_snapshot_age(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        response = await client.get("ready")
    body = response.json()
    assert response.status_code == 200 and body["ready"] is True and body["last_refresh_error"] is None
    assert body["snapshot_age_seconds"] >= 0 and body["snapshot_id"] == 1
    assert {entry["name"] for entry in body["files"]} == {
        "X.parquet", "y.parquet", "predictions.parquet", "predictions_monitoring.parquet",
        "y_monitoring.parquet", "metrics_monitoring.parquet",
    }  # fmt: skip
    assert all(entry["loaded"] and entry["generation"] and entry["updated"] for entry in body["files"])


@pytest.mark.parametrize("page", ["docs", "redoc"])
async def test_docs_pages_use_only_self_hosted_assets(serve_bucket, page):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        html = (await client.get(page)).text
        assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
        fetched = [await client.get(f"http://test{asset}") for asset in assets]
    assert assets and all(asset.startswith("/api/v1/") for asset in assets)
    assert all(response.status_code == 200 and len(response.content) > 1000 for response in fetched)


async def test_every_endpoint_and_field_is_described_with_an_example(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        schema = (await client.get("openapi.json")).json()
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            assert operation.get("description"), path
            for parameter in operation.get("parameters", []):
                assert parameter.get("description") and "examples" in parameter.get("schema", {}) | parameter, path
    for name, component in schema["components"]["schemas"].items():
        if name in {"HTTPValidationError", "ValidationError"}:
            continue
        for field, definition in component.get("properties", {}).items():
            assert definition.get("description"), f"{name}.{field}"
            lists_models = "$ref" in definition.get("items", {})
            assert lists_models or "examples" in definition, f"{name}.{field} has no example"


async def test_an_unexpected_error_is_a_json_500_with_a_request_id_and_no_traceback(serve_bucket, caplog):
    async def broken_snapshot():
        raise RuntimeError("secret internal state")

    async with serve_bucket(BUCKET_PANDAS15) as (app, client):
        app.dependency_overrides[served] = broken_snapshot  # what /predictions depends on
        response = await client.get("predictions/1/111", headers={"X-Request-ID": "req-123"})
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error", "request_id": "req-123"}
    assert "secret" not in response.text and "Traceback" not in response.text
    assert any("req-123" in record.getMessage() for record in caplog.records)
