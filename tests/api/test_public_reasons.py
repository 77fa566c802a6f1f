"""What the public sees when data cannot be served: reasons a caller can use, no internal identities
(service accounts, bucket or project names, paths of the host); the log and /metrics keep the detail."""

import logging

import httpx
import pytest
from api.application import create_app
from api.config import Settings
from api.public_reasons import ERROR_KINDS, error_kinds, public_reason
from devtools.prometheus import sample_value
from gcsfs.retry import HttpError

pytestmark = pytest.mark.anyio

ACCOUNT = "reader@secret-project-123.iam.gserviceaccount.com"
BUCKET = "secret-bucket-prod"
GCS_403 = (
    f"{ACCOUNT} does not have storage.objects.list access to the Google Cloud Storage bucket. "
    "Permission 'storage.objects.list' denied on resource (or it may not exist)., 403"
)
IDENTITIES = (ACCOUNT, "secret-project", BUCKET, "/srv/", "file://", "gs://", "@")

CASES = [
    (
        f"cannot list gs://{BUCKET}/daily: HttpError: {GCS_403}",
        "cannot list the bucket: permission denied (check the service account's read access to the bucket)",
    ),
    (
        f"cannot list gs://{BUCKET}: FileNotFoundError: b/{BUCKET}/o",
        "cannot list the bucket: not found (check the bucket's name and prefix)",
    ),
    (
        f"cannot list gs://{BUCKET}: ClientConnectorError: Cannot connect to host storage.googleapis.com:443 "
        "ssl:default [Name or service not known]",
        "cannot list the bucket: the storage could not be reached",
    ),
    (
        f"cannot list gs://{BUCKET}: gaierror: [Errno -3] Temporary failure in name resolution",
        "cannot list the bucket: the storage could not be reached",
    ),
    (
        "cannot read y.parquet: TimeoutError: read of /srv/data/y.parquet timed out; serving the last good copy",
        "cannot read y.parquet: the storage did not answer in time; serving the last good copy",
    ),
    (
        "cannot list file:///srv/data/bucket: FileNotFoundError: bucket folder /srv/data/bucket does not exist",
        "cannot list the bucket: not found (check the bucket's name and prefix)",
    ),
    ("Data is still loading from file:///srv/data/bucket", "Data is still loading from the bucket"),
    (
        f"Data is not available from gs://{BUCKET}: cannot list gs://{BUCKET}: HttpError: {GCS_403}",
        "Data is not available from the bucket: cannot list the bucket: permission denied (check the service "
        "account's read access to the bucket)",
    ),
    (
        "y.parquet is not a readable parquet file: Parquet magic bytes not found in footer. Either the file is "
        "corrupted or this is not a parquet file.",
        "y.parquet is not a readable parquet file",
    ),
    ("X.parquet: object not found in the bucket", "X.parquet: object not found in the bucket"),
    (
        "predictions.parquet: object disappeared from the bucket; serving the last good copy; y.parquet: "
        "object not found in the bucket",
        "predictions.parquet: object disappeared from the bucket; serving the last good copy; y.parquet: object "
        "not found in the bucket",
    ),
    (
        "y.parquet: object not found in the bucket; cannot read X.parquet: OSError: [Errno 5] Input/output "
        "error: '/mnt/gcs/X.parquet'; serving the last good copy",
        "y.parquet: object not found in the bucket; cannot read X.parquet: an unexpected error (the service's "
        "log has the details); serving the last good copy",
    ),
    (
        "refresh failed: KeyError: 'area' in /app/app-api/api/loading.py",
        "refresh failed: an unexpected error (the service's log has the details)",
    ),
    (
        f"something new from {ACCOUNT} about gs://{BUCKET}/x and /srv/data/key.json in projects/secret-project-123",
        "something new from [an account] about [an address] and [a path] in projects/[a project]",
    ),
]


@pytest.mark.parametrize(("raw", "public"), CASES, ids=range(len(CASES)))
def test_a_recorded_reason_is_told_in_public_words(raw, public):
    told = public_reason(raw)
    assert told == public
    for identity in IDENTITIES:
        assert identity not in told


def test_no_reason_stays_none():
    assert public_reason(None) is None and error_kinds(None) == set() and error_kinds("") == set()


@pytest.mark.parametrize(
    ("raw", "kinds"),
    [
        (CASES[0][0], {"permission_denied"}),
        (CASES[1][0], {"not_found"}),
        (CASES[2][0], {"unreachable"}),
        (CASES[4][0], {"timeout"}),
        (CASES[8][0], {"unreadable"}),
        (CASES[11][0], {"not_found", "other"}),
        ("cannot list gs://forbidden-data-404: TimeoutError: read timed out", {"timeout"}),  # not the bucket's name
    ],
)
def test_error_kinds_are_a_small_fixed_set(raw, kinds):
    assert error_kinds(raw) == kinds and kinds <= set(ERROR_KINDS)


class ForbiddenBucket:
    """A storage whose listing fails as gcsfs fails on a bucket the service account may not read."""

    url = f"gs://{BUCKET}/daily"

    def versions(self, names: list[str]) -> dict:
        raise HttpError({"code": 403, "message": GCS_403.removesuffix(", 403")})

    def read(self, name: str) -> bytes:
        raise AssertionError("nothing is listed, so nothing is read")


async def test_ready_503s_and_metrics_say_permission_denied_without_the_account_or_bucket(monkeypatch, caplog):
    monkeypatch.setattr("api.lifecycle.make_storage", lambda settings: ForbiddenBucket())
    caplog.set_level(logging.INFO)
    app = create_app(Settings(GCP_BUCKET=f"gs://{BUCKET}/daily", STARTUP_LOAD_TIMEOUT_SECONDS=10, _env_file=None))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            ready = await client.get("/api/v1/ready")
            answers = [await client.get(path) for path in ("/api/v1/predictions/1/111", "/api/v2/series/1/111")]
            metrics = (await client.get("/metrics")).text
    body = ready.json()
    assert ready.status_code == 503
    assert body["reason"].startswith("Data is not available from the bucket: cannot list the bucket: permission denied")
    assert body["last_refresh_error"].startswith("cannot list the bucket: permission denied")
    for answer in answers:
        assert answer.status_code == 503 and "permission denied" in answer.json()["detail"]
    for text in (ready.text, *(answer.text for answer in answers)):
        for identity in IDENTITIES:
            assert identity not in text, identity
    assert sample_value(metrics, "api_refresh_error_kind", kind="permission_denied") == 1.0
    assert sample_value(metrics, "api_refresh_error_kind", kind="not_found") == 0.0
    assert ACCOUNT in caplog.text and BUCKET in caplog.text  # operators keep the full reason


async def test_a_missing_local_folder_is_not_found_without_the_hosts_path(serve_bucket, tmp_path):
    folder = tmp_path / "no-such-folder"
    async with serve_bucket(folder, STARTUP_LOAD_TIMEOUT_SECONDS=5) as (_, client):
        ready = await client.get("ready")
        series = await client.get("http://test/api/v2/series")
        metrics = (await client.get("http://test/metrics")).text
    assert ready.status_code == 503 and series.status_code == 503
    assert "cannot list the bucket: not found" in ready.json()["last_refresh_error"]
    assert str(tmp_path) not in ready.text and str(tmp_path) not in series.text
    assert sample_value(metrics, "api_refresh_error_kind", kind="not_found") == 1.0
