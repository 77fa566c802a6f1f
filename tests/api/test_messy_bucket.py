"""Buckets as they are in the wild: gaps, NaN, duplicates, shuffled rows, area 0, missing or corrupt files."""

import pytest
from conftest import HOURS_FROM_1970, frame, metrics_frame, series_rows, write_bucket

pytestmark = pytest.mark.anyio

OBSERVED = range(1000, 1200)
FORECAST = range(1200, 1224)


def messy_frames() -> dict:
    observed = series_rows(1, 111, OBSERVED) + series_rows(0, 111, OBSERVED, base=500.0)
    observed = [row for row in observed if not (row[0] == 1 and 1100 <= row[2] < 1110)]  # a 10-hour gap
    observed = observed[::-1]  # shuffled: newest first
    observed += [(1, 111, 1150, float("nan")), (1, 111, 1199, 42.0)]  # later rows win: a NaN and a new last value
    forecast = series_rows(1, 111, FORECAST) + series_rows(0, 111, FORECAST) + series_rows(2, 999, FORECAST)
    return {
        "X.parquet": frame([row[:3] for row in observed], value=None),
        "y.parquet": frame(observed),
        "predictions.parquet": frame(forecast),
    }


async def test_a_messy_bucket_serves_clean_sorted_finite_series(tmp_path, serve_bucket):
    async with serve_bucket(write_bucket(tmp_path, messy_frames()), **HOURS_FROM_1970) as (_, client):
        body = (await client.get("predictions/1/111")).json()
        areas = (await client.get("area_values")).json()
    hours = body["datetime_utc"]
    assert hours == sorted(hours) and hours[-1] == 1199
    assert hours[0] == 1199 - 167 and 1105 not in hours and 1150 not in hours
    assert len(hours) == 168 - 10 - 1
    assert body["energy_consumption"][-1] == 42.0
    assert body["preds_datetime_utc"] == list(FORECAST)
    assert areas == {"values": [0, 1]}


async def test_area_zero_is_an_ordinary_area(tmp_path, serve_bucket):
    async with serve_bucket(write_bucket(tmp_path, messy_frames()), **HOURS_FROM_1970) as (_, client):
        response = await client.get("predictions/0/111")
    assert response.status_code == 200
    assert response.json()["energy_consumption"][0] == 500.0 + (1200 - 168) % 24


async def test_a_pair_only_in_predictions_is_404_with_a_reason(tmp_path, serve_bucket):
    async with serve_bucket(write_bucket(tmp_path, messy_frames()), **HOURS_FROM_1970) as (_, client):
        response = await client.get("predictions/2/999")
    assert response.status_code == 404
    assert response.json() == {"detail": "No data found for the given area and consumer type: 2, 999"}


async def test_missing_monitoring_files_leave_forecasts_served_and_monitoring_explains(tmp_path, serve_bucket):
    async with serve_bucket(write_bucket(tmp_path, messy_frames()), **HOURS_FROM_1970) as (_, client):
        forecast = await client.get("predictions/1/111")
        ready = await client.get("ready")
        monitoring = [
            await client.get(path)
            for path in (
                "monitoring/metrics",
                "monitoring/summary",
                "monitoring/values/1/111",
                "monitoring/errors/1/111",
            )
        ]
        freshness = (await client.get("freshness")).json()
    assert forecast.status_code == 200 and ready.status_code == 200
    for response in monitoring:
        assert response.status_code == 503
        assert "Monitoring data is not available yet" in response.json()["detail"]
    assert freshness["monitoring_available"] is False
    statuses = {entry["name"]: entry for entry in ready.json()["files"]}
    assert (
        statuses["y_monitoring.parquet"]["loaded"] is False and "not found" in statuses["y_monitoring.parquet"]["error"]
    )


async def test_empty_frames_load_and_answer_404_not_500(tmp_path, serve_bucket):
    frames = {
        name: frame([])
        for name in ("y.parquet", "predictions.parquet", "y_monitoring.parquet", "predictions_monitoring.parquet")
    }
    frames["X.parquet"] = frame([], value=None)
    frames["metrics_monitoring.parquet"] = metrics_frame([])
    async with serve_bucket(write_bucket(tmp_path, frames)) as (_, client):
        assert (await client.get("area_values")).json() == {"values": []}
        assert (await client.get("predictions/1/111")).status_code == 404
        assert (await client.get("monitoring/metrics")).json() == {"datetime_utc": [], "mape": []}
        assert (await client.get("monitoring/summary")).json()["series"] == []
        freshness = (await client.get("freshness")).json()
    assert freshness["observed_to"] is None and freshness["series_count"] == 0


async def test_a_corrupt_required_file_at_start_up_means_503_with_the_reason(tmp_path, serve_bucket):
    bucket = write_bucket(tmp_path, messy_frames())
    (bucket / "predictions.parquet").write_bytes(b"not parquet at all")
    async with serve_bucket(bucket) as (_, client):
        health = await client.get("health")
        ready = await client.get("ready")
        data = await client.get("predictions/1/111")
    assert health.status_code == 200
    assert ready.status_code == 503 and ready.json()["ready"] is False
    assert data.status_code == 503 and "predictions.parquet is not a readable parquet file" in data.json()["detail"]


async def test_a_missing_bucket_folder_starts_and_answers_503(tmp_path, serve_bucket):
    async with serve_bucket(tmp_path / "does-not-exist") as (_, client):
        assert (await client.get("health")).status_code == 200
        ready = await client.get("ready")
        data = await client.get("area_values")
    assert ready.status_code == 503 and "cannot list the bucket: not found" in ready.json()["reason"]
    assert data.status_code == 503 and "cannot list the bucket: not found" in data.json()["detail"]


async def test_monitoring_marks_hours_awaiting_observation_and_summarises_errors(tmp_path, serve_bucket):
    frames = messy_frames()
    frames["y_monitoring.parquet"] = frame([(1, 111, 1198, 100.0), (1, 111, 1199, 200.0), (1, 111, 1197, 0.0)])
    frames["predictions_monitoring.parquet"] = frame(
        [(1, 111, 1197, 5.0), (1, 111, 1198, 110.0), (1, 111, 1199, 150.0), (1, 111, 1200, 7.0), (2, 999, 1200, 1.0)]
    )
    frames["metrics_monitoring.parquet"] = metrics_frame([1198, 1199], mape=0.1)
    async with serve_bucket(write_bucket(tmp_path, frames), **HOURS_FROM_1970) as (_, client):
        errors = (await client.get("monitoring/errors/1/111")).json()
        summary = (await client.get("monitoring/summary")).json()
        never_observed = (await client.get("monitoring/errors/2/999")).json()
    assert errors["datetime_utc"] == [1197, 1198, 1199, 1200]
    assert errors["observation"] == [0.0, 100.0, 200.0, None]
    assert errors["error"] == [5.0, 10.0, -50.0, None]
    assert errors["absolute_percentage_error"] == [None, 0.1, 0.25, None]
    assert errors["awaiting_observation"] == [False, False, False, True]
    first = summary["series"][0]
    assert (first["area"], first["consumer_type"]) == (1, 111)
    assert first["mape"] == pytest.approx(0.175) and first["mae"] == pytest.approx(65 / 3)
    assert first["rmse"] == pytest.approx(((25 + 100 + 2500) / 3) ** 0.5)
    assert first["hours_compared"] == 3 and first["hours_awaiting_observation"] == 1
    assert summary["series"][-1]["mape"] is None and never_observed["awaiting_observation"] == [True]
    assert summary["window_from"] == 1197 and summary["window_to"] == 1200
