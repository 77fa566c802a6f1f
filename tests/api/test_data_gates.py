"""The data gates (contract section 4): a bad upload is never served and never silent.

Every kind of bad upload in `bad_uploads.CORPUS` goes through the real API twice, once over a local
folder and once over fake-gcs-server (one app per backend for the whole module, refreshed by hand so
nothing waits on the clock): the last good data keeps answering value for value, `/ready`,
`/freshness`, `/api/v2/status` and `/metrics` report the rejection, the log says it once, the
rejected generation is not downloaded again, and the next good upload clears it all. Around that:
the gates on their own (each rule, the default limits, files that must pass unchanged), and the
store's own cases (a forecast judged again when its partner arrives, a failing snapshot build).
"""

import asyncio
import contextlib
import io
import itertools
import logging
import os
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import api.store
import httpx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from api.config import Settings
from api.demo import build_demo_frames
from api.gates import GateFailure, GateLimits, Rule, check_listing, checked_frame, forecast_mismatch
from api.loading import FILE_SPECS, parse_file
from api.storage import LocalStorage, ObjectVersion
from api.store import DataStore
from bad_uploads import CORPUS, SMALL_LIMITS, BadUpload, fixture_frame, flat, good_upload, indexed, shifted, to_parquet
from conftest import serve
from devtools.emulator import FakeGcs
from devtools.prometheus import sample_value
from fastapi import FastAPI
from support import BUCKET_PANDAS3, BUCKET_PANDAS15

pytestmark = pytest.mark.anyio

BUCKET = "hourly-batch-predictions"
V2 = "http://test/api/v2"
SMALL = GateLimits(
    max_object_bytes=SMALL_LIMITS["MAX_OBJECT_BYTES"],
    max_rows=SMALL_LIMITS["MAX_ROWS"],
    max_uncompressed_bytes=SMALL_LIMITS["MAX_UNCOMPRESSED_BYTES"],
)
# What a client sees of the data: these answers must not move while an upload is rejected.
ANSWERS = [
    "area_values",
    "consumer_type_values",
    "predictions/1/111",
    "monitoring/metrics",
    "monitoring/values/1/111",
    "monitoring/summary",
    f"{V2}/series/1/111",
    f"{V2}/series/all/all",
]
VARIANTS = itertools.count(1)  # every good upload of this module differs from every other


def ids(corpus: list[BadUpload]) -> list[str]:
    return [bad.kind for bad in corpus]


# The gates on their own ---------------------------------------------------------------------------


def judge(name: str, data: bytes, limits: GateLimits = SMALL) -> pd.DataFrame:
    """What the store does with a new generation: the listing's size, then the file's own gates."""
    check_listing(ObjectVersion(name, "g", None, len(data)), limits)
    return checked_frame(data, FILE_SPECS[name], limits, datetime.now(UTC))


@pytest.mark.parametrize("bad", CORPUS, ids=ids(CORPUS))
def test_each_bad_upload_breaks_its_rule_and_the_reason_names_object_column_and_row(bad: BadUpload):
    observed = parse_file((BUCKET_PANDAS3 / "y.parquet").read_bytes(), "y.parquet")
    data = bad.build()
    if bad.rule == Rule.FORECAST_HORIZON:  # a file that is fine alone, but not beside the observations
        mismatch = forecast_mismatch(observed, judge(bad.object, data), SMALL)
        assert mismatch is not None and "y.parquet" in mismatch.forecast_message
        return
    with pytest.raises(GateFailure) as raised:
        judge(bad.object, data)
    failure = raised.value
    assert (failure.rule, failure.column) == (bad.rule, bad.column)
    assert failure.message.startswith(bad.object) and "\n" not in failure.message
    if bad.column:
        assert bad.column in failure.message
    if bad.row is not None:
        assert failure.row == bad.row and f"row {bad.row:,}" in failure.message


def test_the_corpus_holds_at_least_fifteen_kinds_covering_every_rule_a_file_can_break():
    assert len(CORPUS) >= 15 and len({bad.kind for bad in CORPUS}) == len(CORPUS)
    assert {bad.rule for bad in CORPUS} == set(Rule) - {Rule.SNAPSHOT_BUILD}  # that one: its own test below
    assert {bad.object for bad in CORPUS} == set(FILE_SPECS)


def realistic_messy_files() -> dict[str, bytes]:
    """Mess the contract says to serve: NaN values, a duplicated and a shuffled row order, a gap,
    area 0, an unknown consumer code, int8 codes and a timestamp column instead of periods."""
    y = flat("y.parquet")
    y.loc[10, "energy_consumption"] = np.nan
    y = y[~((y["consumer_type"] == 111) & (y["datetime_utc"] % 24 == 5))]  # a gap every morning
    y = pd.concat([y, y.iloc[:50]]).sample(frac=1.0, random_state=3)  # duplicates, shuffled
    extra = y[y["area"] == 1].copy()
    extra["area"], extra["consumer_type"] = 0, 555  # area 0 (DK) and a code DE35 does not list (yet)
    y = pd.concat([y, extra])
    y["area"] = y["area"].astype("int8")
    predictions = flat("predictions.parquet")
    predictions["datetime_utc"] = pd.to_datetime(predictions["datetime_utc"] * 3600, unit="s", utc=True)
    return {"y.parquet": to_parquet(indexed(y)), "predictions.parquet": to_parquet(indexed(predictions))}


def demo_files() -> dict[str, bytes]:
    return {f"{name}.parquet": to_parquet(frame) for name, frame in build_demo_frames().items()}


@pytest.mark.parametrize(
    "files",
    [
        lambda: {name: (BUCKET_PANDAS15 / name).read_bytes() for name in FILE_SPECS},
        lambda: {name: (BUCKET_PANDAS3 / name).read_bytes() for name in FILE_SPECS},
        demo_files,
        realistic_messy_files,
    ],
    ids=["bucket-pandas15", "bucket-pandas3", "demo-bucket", "messy-but-honest"],
)
def test_files_that_can_be_served_honestly_pass_the_default_gates_unchanged(files: Callable[[], dict[str, bytes]]):
    limits = GateLimits()
    frames = {}
    for name, data in files().items():
        frames[name] = judge(name, data, limits)
        pd.testing.assert_frame_equal(frames[name], parse_file(data, name))  # the gates only look
    assert forecast_mismatch(frames["y.parquet"], frames["predictions.parquet"], limits) is None


def test_a_small_file_that_would_decompress_to_140_mb_is_rejected_from_its_footer_with_the_default_limits():
    megabyte_of_zeros = b"\0" * 1024 * 1024
    table = pa.table(
        {
            "area": pa.array([1] * 140, pa.int8()),
            "consumer_type": pa.array([111] * 140, pa.int16()),
            "datetime_utc": pa.array(range(468000, 468140), pa.int64()),
            "energy_consumption": pa.array([1.0] * 140),
            "notes": pa.array([megabyte_of_zeros] * 140, pa.binary()),
        }
    )
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd", use_dictionary=False)
    data = buffer.getvalue()
    assert len(data) < 200_000  # what the pipeline would upload: a few kilobytes
    with pytest.raises(GateFailure) as raised:
        judge("y.parquet", data, GateLimits())
    assert raised.value.rule == Rule.UNCOMPRESSED_SIZE and "APP_API_MAX_UNCOMPRESSED_BYTES" in raised.value.message


def test_a_small_file_of_three_million_and_one_rows_is_rejected_from_its_footer_with_the_default_limits():
    rows = 3_000_001
    table = pa.table(
        {
            "area": pa.array(np.ones(rows, np.int8)),
            "consumer_type": pa.array(np.full(rows, 111, np.int16)),
            "datetime_utc": pa.array(np.full(rows, 468000, np.int64)),
            "energy_consumption": pa.array(np.ones(rows)),
        }
    )
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    assert len(buffer.getvalue()) < 1_000_000
    with pytest.raises(GateFailure) as raised:
        judge("y.parquet", buffer.getvalue(), GateLimits())
    assert raised.value.rule == Rule.ROW_COUNT and "3,000,001 rows" in raised.value.message


def test_an_object_over_the_size_limit_is_rejected_from_the_listing_before_any_download():
    with pytest.raises(GateFailure) as raised:
        check_listing(ObjectVersion("y.parquet", "7", None, 128 * 1024**2 + 1), GateLimits())
    assert raised.value.rule == Rule.OBJECT_SIZE and "not downloaded" in raised.value.message


@pytest.mark.parametrize("days", [-1, 0, 1], ids=["forecast-a-day-behind", "in-step", "forecast-a-day-ahead"])
def test_old_and_new_files_seen_together_for_a_moment_are_not_rejected(days: int):
    """The pipeline rewrites y and predictions one after another: a reader sees them a day apart."""
    observed = parse_file((BUCKET_PANDAS3 / "y.parquet").read_bytes(), "y.parquet")
    forecast = checked_frame(
        to_parquet(indexed(shifted("predictions.parquet", days * 24))),
        FILE_SPECS["predictions.parquet"],
        GateLimits(),
        datetime.now(UTC),
    )
    assert forecast_mismatch(observed, forecast, GateLimits()) is None


def test_a_date_without_an_offset_in_the_earliest_hour_setting_is_read_in_utc():
    settings = Settings(_env_file=None, EARLIEST_HOUR="2010-01-01")
    assert GateLimits.from_settings(settings).earliest_hour == 40 * 365 * 24 + 10 * 24  # 1970-2010: 10 leap days
    assert GateLimits.from_settings(Settings(_env_file=None)) == GateLimits()  # the documented defaults


# The store on its own -----------------------------------------------------------------------------


class CountingStorage:
    """The real storage, counting the objects it downloads (a listing is not a download)."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.url = inner.url
        self.reads: Counter[str] = Counter()

    def versions(self, names: list[str]):
        return self.inner.versions(names)

    def read(self, name: str) -> bytes:
        self.reads[name] += 1
        return self.inner.read(name)


def write_object(folder: Path, name: str, data: bytes) -> None:
    """As the pipeline writes a whole object: the new file appears under its name at once."""
    partial = folder / f".{name}.partial"
    partial.write_bytes(data)
    os.replace(partial, folder / name)


@pytest.fixture
def local_store(tmp_path) -> tuple[DataStore, CountingStorage, Path]:
    folder = shutil.copytree(BUCKET_PANDAS15, tmp_path / "bucket")
    storage = CountingStorage(LocalStorage(folder))
    store = DataStore(storage, refresh_seconds=60)
    assert store.refresh()
    return store, storage, folder


def test_observations_far_ahead_of_the_forecast_wait_for_it_and_are_not_downloaded_again(local_store, caplog):
    """After an outage the pipeline writes a week of new observations, then the forecast that follows
    them. In between, the new y is rejected (and said so once); when the forecast arrives, the pair is
    judged again from memory and both are taken."""
    store, storage, folder = local_store
    caplog.set_level(logging.INFO, logger="api.store")
    write_object(folder, "y.parquet", to_parquet(indexed(shifted("y.parquet", 7 * 24))))
    for _ in range(3):
        assert not store.refresh()
    (rejection,) = store.status().rejections
    assert (rejection.object, rejection.rule) == ("y.parquet", Rule.FORECAST_HORIZON)
    assert store.status().files[1].generation != rejection.generation  # the old y is still served

    write_object(folder, "predictions.parquet", to_parquet(indexed(shifted("predictions.parquet", 7 * 24))))
    assert store.refresh()
    status = store.status()
    assert status.rejections == () and status.last_refresh_error is None
    assert storage.reads["y.parquet"] == 2  # the first load and the new generation once, never again
    assert store.current.observed_to == 468551 + 7 * 24 and store.current.forecast_from == 468552 + 7 * 24
    errors = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1 and "forecast_horizon" in errors[0]
    assert [record.getMessage() for record in caplog.records].count(f"refresh of {storage.url}: recovered") == 1


def test_a_snapshot_build_failure_rejects_the_upload_and_recovery_waits_for_a_good_one(
    local_store, caplog, monkeypatch
):
    """The issue's false "recovered": a build that fails must leave the upload rejected, not loaded."""
    store, storage, folder = local_store
    real_build = api.store.build_snapshot
    served_before = store.current
    failing_generation = []

    def build_that_fails_on_the_new_y(**arguments):
        if arguments["file_generations"]["y.parquet"] in failing_generation:
            raise ValueError("cannot convert float NaN to integer")
        return real_build(**arguments)

    monkeypatch.setattr(api.store, "build_snapshot", build_that_fails_on_the_new_y)
    caplog.set_level(logging.INFO, logger="api.store")
    write_object(folder, "y.parquet", good_upload("y.parquet", 1))
    failing_generation.append(storage.versions(["y.parquet"])["y.parquet"].generation)
    for _ in range(3):
        assert not store.refresh()
    status = store.status()
    assert store.current is served_before
    assert [(r.object, r.rule) for r in status.rejections] == [("y.parquet", Rule.SNAPSHOT_BUILD)]
    assert "y.parquet" in status.last_refresh_error and status.refresh_failures == 3
    assert status.files[1].generation != failing_generation[0] and storage.reads["y.parquet"] == 2
    assert not [record for record in caplog.records if "recovered" in record.getMessage()]
    assert "ValueError: cannot convert float NaN to integer" in caplog.text  # the raw error: in the log only
    assert "NaN" not in status.rejections[0].message

    write_object(folder, "y.parquet", good_upload("y.parquet", 2))
    assert store.refresh()
    assert store.status().rejections == () and store.status().last_refresh_error is None
    assert [record.getMessage() for record in caplog.records].count(f"refresh of {storage.url}: recovered") == 1


# Through the real API, over a local folder and over fake-gcs-server ------------------------------


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"  # module scope: one app per backend serves every case of the corpus


@dataclass
class Served:
    backend: str
    app: FastAPI
    client: httpx.AsyncClient
    storage: CountingStorage
    upload: Callable[[str, bytes], None]

    @property
    def store(self) -> DataStore:
        return self.app.state.store

    async def refresh(self) -> None:
        await asyncio.to_thread(self.store.refresh)

    def generation(self, name: str) -> str:
        return self.storage.versions([name])[name].generation


@pytest.fixture(scope="module", params=["local", pytest.param("gcs", marks=pytest.mark.emulator)])
async def served(request, tmp_path_factory):
    with contextlib.ExitStack() as stack:
        if request.param == "gcs":
            gcs = stack.enter_context(FakeGcs())
            stack.enter_context(pytest.MonkeyPatch.context()).setenv("STORAGE_EMULATOR_HOST", gcs.url)
            gcs.create_bucket(BUCKET)
            gcs.upload_folder(BUCKET, BUCKET_PANDAS15, prefix="daily/")
            bucket: str | Path = f"gs://{BUCKET}/daily"

            def upload(name: str, data: bytes) -> None:
                gcs.upload(BUCKET, f"daily/{name}", data)
        else:
            bucket = shutil.copytree(BUCKET_PANDAS15, tmp_path_factory.mktemp("gates") / "bucket")

            def upload(name: str, data: bytes) -> None:
                write_object(bucket, name, data)

        # The refresh loop waits an hour between turns: the tests refresh by hand.
        async with serve(bucket, REFRESH_SECONDS=3600, **SMALL_LIMITS) as (app, client):
            storage = CountingStorage(app.state.store.storage)
            app.state.store.storage = storage
            yield Served(request.param, app, client, storage, upload)


async def answers(client: httpx.AsyncClient) -> dict[str, object]:
    return {path: (await client.get(path)).json() for path in ANSWERS}


async def scrape(client: httpx.AsyncClient) -> str:
    return (await client.get("http://test/metrics")).text


@pytest.mark.parametrize("bad", CORPUS, ids=ids(CORPUS))
async def test_a_bad_upload_is_kept_out_reported_once_and_cleared_by_the_next_good_one(served: Served, bad, caplog):
    client, name = served.client, bad.object
    caplog.set_level(logging.INFO, logger="api.store")
    before = await answers(client)
    snapshot_before = served.store.current
    counted_before = sample_value(await scrape(client), "api_upload_rejections_total", object=name)
    reads_before = served.storage.reads[name]

    served.upload(name, bad.build())
    generation = served.generation(name)
    for _ in range(3):
        await served.refresh()

    # Not served: the last good data answers, value for value, from the same snapshot.
    assert await answers(client) == before
    assert served.store.current is snapshot_before
    # Not downloaded again (an oversized object not even once).
    assert served.storage.reads[name] - reads_before == (0 if bad.rule == Rule.OBJECT_SIZE else 1)

    # Reported in /ready (200: data is served), /freshness, /api/v2/status and /metrics.
    ready = await client.get("ready")
    assert ready.status_code == 200
    body = ready.json()
    files = {entry["name"]: entry for entry in body["files"]}
    rejection = files[name]["rejection"]
    assert rejection["object"] == name and rejection["generation"] == generation
    assert rejection["rule"] == bad.rule and rejection["column"] == bad.column
    assert datetime.fromisoformat(rejection["first_seen"]) <= datetime.now(UTC)
    if bad.row is not None:
        assert rejection["row"] == bad.row and f"row {bad.row:,}" in rejection["reason"]
    assert rejection["reason"].startswith(name) and (bad.column or "") in rejection["reason"]
    assert files[name]["generation"] != generation and files[name]["loaded"]
    assert "serving the last good copy" in files[name]["error"]
    assert body["rejections"] == [rejection] and rejection["reason"] in body["last_refresh_error"]
    assert [entry["rejection"] for other, entry in files.items() if other != name] == [None] * 5
    assert (await client.get("freshness")).json()["rejections"] == [rejection]
    status = (await client.get(f"{V2}/status")).json()
    assert status["rejections"] == [rejection]  # UTC by default: the same times
    in_copenhagen = (await client.get(f"{V2}/status", params={"tz": "Europe/Copenhagen"})).json()["rejections"]
    assert datetime.fromisoformat(in_copenhagen[0]["first_seen"]) == datetime.fromisoformat(rejection["first_seen"])
    assert in_copenhagen[0]["first_seen"][-6:] in ("+01:00", "+02:00")
    exposition = await scrape(client)
    for other in FILE_SPECS:
        assert sample_value(exposition, "api_upload_rejected", object=other) == (1 if other == name else 0)
    assert sample_value(exposition, "api_upload_rejections_total", object=name) == counted_before + 1
    assert sample_value(exposition, "api_refresh_error") == 1

    # Logged once, at error level, with the generation and the reason; nothing else at error level.
    errors = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1 and generation in errors[0] and rejection["reason"] in errors[0]

    # The next good upload is taken, and all of it clears.
    served.upload(name, good_upload(name, next(VARIANTS)))
    await served.refresh()
    body = (await client.get("ready")).json()
    assert body["rejections"] == [] and body["last_refresh_error"] is None
    assert {entry["name"]: entry for entry in body["files"]}[name]["generation"] == served.generation(name)
    assert (await client.get("freshness")).json()["rejections"] == []
    assert (await client.get(f"{V2}/status")).json()["rejections"] == []
    exposition = await scrape(client)
    assert sample_value(exposition, "api_upload_rejected", object=name) == 0
    assert sample_value(exposition, "api_refresh_error") == 0
    assert served.store.current is not snapshot_before
    messages = [record.getMessage() for record in caplog.records]
    assert sum(message.endswith(": recovered") for message in messages) == 1


async def test_the_status_gives_the_newest_observed_hour_the_forecast_start_and_their_age(served: Served):
    status = (await served.client.get(f"{V2}/status")).json()
    now = datetime.now(UTC).timestamp()
    observed_to = datetime.fromisoformat(status["observed_to"]).timestamp()
    forecast_from = datetime.fromisoformat(status["forecast_from"]).timestamp()
    assert now - observed_to - 5 <= status["observed_to_age_seconds"] <= now - observed_to
    assert now - forecast_from - 5 <= status["forecast_from_age_seconds"] <= now - forecast_from
    assert status["observed_to_age_seconds"] - status["forecast_from_age_seconds"] == pytest.approx(3600)


async def test_a_rejected_first_upload_means_503_naming_the_rule_and_the_gauge_says_which(tmp_path, serve_bucket):
    bucket = shutil.copytree(BUCKET_PANDAS15, tmp_path / "bucket")
    (bucket / "y.parquet").write_bytes(CORPUS[[bad.kind for bad in CORPUS].index("null_area")].build())
    async with serve_bucket(bucket, STARTUP_LOAD_TIMEOUT_SECONDS=30) as (_, client):
        ready = await client.get("ready")
        data = await client.get("predictions/1/111")
        status = await client.get(f"{V2}/status")
        exposition = await scrape(client)
    assert ready.status_code == data.status_code == status.status_code == 503
    assert ready.json()["rejections"][0]["rule"] == "null_key"
    for detail in (ready.json()["reason"], data.json()["detail"], status.json()["detail"]):
        assert "y.parquet: area is empty (null) in row 3" in detail
    assert sample_value(exposition, "api_ready") == 0
    assert sample_value(exposition, "api_upload_rejected", object="y.parquet") == 1


async def test_a_rejected_monitoring_file_leaves_forecasts_served_and_monitoring_explains(tmp_path, serve_bucket):
    bucket = shutil.copytree(BUCKET_PANDAS15, tmp_path / "bucket")
    (bucket / "y_monitoring.parquet").write_bytes(
        CORPUS[[bad.kind for bad in CORPUS].index("nanoseconds_as_hours")].build()
    )
    async with serve_bucket(bucket) as (_, client):
        forecast = await client.get("predictions/1/111")
        monitoring = await client.get("monitoring/summary")
        freshness = (await client.get("freshness")).json()
    assert forecast.status_code == 200 and monitoring.status_code == 503
    assert freshness["monitoring_available"] is False
    assert [entry["object"] for entry in freshness["rejections"]] == ["y_monitoring.parquet"]
    assert "nanoseconds since 1970" in freshness["rejections"][0]["reason"]


def test_fixture_frames_used_by_the_corpus_are_the_fixture_bucket_itself():
    """The corpus and its good uploads start from bucket-pandas3: check the helpers do not drift."""
    frame = fixture_frame("y.parquet")
    assert list(frame.index.names) == ["area", "consumer_type", "datetime_utc"]
    pd.testing.assert_frame_equal(
        parse_file(to_parquet(frame), "y.parquet"), parse_file((BUCKET_PANDAS3 / "y.parquet").read_bytes(), "y.parquet")
    )
