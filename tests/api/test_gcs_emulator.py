"""Through `gs://` against fake-gcs-server: serve, refresh without restart, survive corrupt files and outages."""

import io
import os

import pandas as pd
import pytest
from conftest import frame, series_rows
from devtools.emulator import FakeGcs
from devtools.waiting import await_until
from support import BUCKET_PANDAS15

pytestmark = [pytest.mark.anyio, pytest.mark.emulator]

BUCKET = "hourly-batch-predictions"


@pytest.fixture
def gcs(monkeypatch):
    with FakeGcs() as server:
        monkeypatch.setenv("STORAGE_EMULATOR_HOST", server.url)
        server.create_bucket(BUCKET)
        server.upload_folder(BUCKET, BUCKET_PANDAS15, prefix="daily/")
        yield server


def parquet(data: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    data.to_parquet(buffer)
    return buffer.getvalue()


async def eventually(check, timeout: float = 30.0):
    """Poll an async check until it returns a truthy value; bounded in time."""
    return await await_until(check, timeout, what=getattr(check, "__name__", "condition"), interval=0.2)


async def test_a_gcs_bucket_is_served_and_refreshed_without_restart(gcs, serve_bucket):
    async with serve_bucket(f"gs://{BUCKET}/daily", REFRESH_SECONDS=1) as (_, client):
        before = (await client.get("predictions/1/111")).json()
        assert before["datetime_utc"][-1] == 468551
        assert (await client.get("freshness")).json()["source"] == f"gs://{BUCKET}/daily"

        # Later hours, still beside the bucket's forecast (the data gates reject observations far from it).
        gcs.upload(BUCKET, "daily/y.parquet", parquet(frame(series_rows(1, 111, range(468400, 468600)))))

        async def new_values_served():
            body = (await client.get("predictions/1/111")).json()
            return body if body["datetime_utc"][-1] == 468599 else None

        after = await eventually(new_values_served)
        assert after["energy_consumption"][-1] == 100.0 + 468599 % 24
        assert after["preds_datetime_utc"] == before["preds_datetime_utc"]
        assert (await client.get("predictions/2/462")).status_code == 404  # no longer observed in the new y


async def test_a_corrupt_upload_keeps_the_old_values_and_readiness_reports_it(gcs, serve_bucket):
    async with serve_bucket(f"gs://{BUCKET}/daily", REFRESH_SECONDS=1) as (_, client):
        before = (await client.get("predictions/1/111")).json()
        gcs.upload(BUCKET, "daily/predictions.parquet", b"PAR1 truncated garbage")

        async def error_reported():
            body = (await client.get("ready")).json()
            return body if body["last_refresh_error"] else None

        ready = await eventually(error_reported)
        assert "predictions.parquet is not a readable parquet file" in ready["last_refresh_error"]
        files = {entry["name"]: entry for entry in ready["files"]}
        assert files["predictions.parquet"]["loaded"] and "last good copy" in files["predictions.parquet"]["error"]
        assert ready["ready"] is True
        assert (await client.get("predictions/1/111")).json() == before


async def test_data_is_still_served_while_the_bucket_is_down(gcs, serve_bucket):
    async with serve_bucket(f"gs://{BUCKET}/daily", REFRESH_SECONDS=1) as (_, client):
        before = (await client.get("monitoring/values/1/111")).json()
        snapshot_id = (await client.get("ready")).json()["snapshot_id"]
        gcs.stop()

        async def outage_reported():  # a refresh turned while the bucket was down, and failed
            body = (await client.get("ready")).json()
            return body if body["last_refresh_error"] else None

        # gcsfs retries a refused connection with backoff before it gives up (~30 s in all).
        ready = await eventually(outage_reported, timeout=120)
        # The public reason names the kind of failure, not the bucket; /metrics gives the same kind.
        assert ready["last_refresh_error"] == "cannot list the bucket: the storage could not be reached"
        assert ready["ready"] is True and ready["snapshot_id"] == snapshot_id
        metrics = (await client.get("http://test/metrics")).text
        assert 'api_refresh_error_kind{kind="unreachable"} 1.0' in metrics
        response = await client.get("monitoring/values/1/111")
        assert response.status_code == 200 and response.json() == before


async def test_an_unreachable_bucket_at_start_up_is_503_until_the_first_successful_refresh(serve_bucket, monkeypatch):
    server = FakeGcs()
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", server.url)  # nothing listens there yet
    try:
        async with serve_bucket(f"gs://{BUCKET}/daily", REFRESH_SECONDS=1, STARTUP_LOAD_TIMEOUT_SECONDS=1) as (
            _,
            client,
        ):
            assert (await client.get("health")).status_code == 200
            ready = await client.get("ready")
            data = await client.get("predictions/1/111")
            assert ready.status_code == 503 and ready.json()["reason"]
            assert data.status_code == 503 and data.json()["detail"].startswith("Data is")

            server.start()
            server.create_bucket(BUCKET)
            server.upload_folder(BUCKET, BUCKET_PANDAS15, prefix="daily/")

            async def served():
                return (await client.get("predictions/1/111")).status_code == 200

            await eventually(served, timeout=90)  # gcsfs backs off up to ~34 s between its own retries
    finally:
        server.close()
        os.environ.pop("STORAGE_EMULATOR_HOST", None)


async def test_v2_over_gcs_serves_totals_and_ranges_and_follows_a_new_forecast(gcs, serve_bucket):
    v2 = "http://test/api/v2"
    async with serve_bucket(f"gs://{BUCKET}/daily", REFRESH_SECONDS=1) as (_, client):
        before = (await client.get(f"{v2}/series/all/all", params={"tz": "Europe/Copenhagen"})).json()
        assert before["forecast"][0]["time"].endswith("+02:00") and before["forecast"][0]["lower_80"] is not None
        version = (await client.get(f"{v2}/status")).json()["data_version"]

        forecast = frame([(a, c, 468552, 1.0) for a, c in [(1, 111), (2, 111)]])
        gcs.upload(BUCKET, "daily/predictions.parquet", parquet(forecast))

        async def new_forecast_served():
            body = (await client.get(f"{v2}/series/1/111")).json()
            return body if [row["kwh"] for row in body["forecast"]] == [1.0] else None

        after = await eventually(new_forecast_served)
        assert (await client.get(f"{v2}/status")).json()["data_version"] != version
        assert after["forecast"][0]["upper_95"] >= 1.0 >= after["forecast"][0]["lower_95"]
        country = (await client.get(f"{v2}/series/all/all")).json()
        assert country["forecast"] == []  # most members have no forecast now: no hour where all have one
