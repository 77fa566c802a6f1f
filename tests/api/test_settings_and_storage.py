"""Settings from APP_API_* variables, and every way of naming a bucket."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from api.config import DEFAULT_CORS_ORIGINS, Settings
from api.storage import GCSStorage, LocalStorage, open_storage
from pydantic import ValidationError


def settings(**values: str) -> Settings:
    return Settings(_env_file=None, **values)


def test_defaults_match_the_contract(monkeypatch):
    for variable in ("APP_API_PORT", "APP_API_VERSION", "APP_API_GCP_BUCKET", "APP_API_CORS_ORIGINS"):
        monkeypatch.delenv(variable, raising=False)
    defaults = settings()
    assert defaults.PORT == 8001 and defaults.VERSION == "v1" and defaults.api_prefix == "/api/v1"
    assert defaults.REFRESH_SECONDS == 60 and defaults.is_demo
    assert list(DEFAULT_CORS_ORIGINS) == defaults.CORS_ORIGINS and "*" not in defaults.CORS_ORIGINS


def test_environment_variables_with_the_prefix_configure_the_service(monkeypatch):
    monkeypatch.setenv("APP_API_PORT", "9100")
    monkeypatch.setenv("APP_API_GCP_BUCKET", "hourly-batch-predictions")
    monkeypatch.setenv("APP_API_REFRESH_SECONDS", "5")
    monkeypatch.setenv("APP_API_LOG_LEVEL", "WARNING")
    monkeypatch.setenv("APP_API_CORS_ORIGINS", "https://a.example, https://b.example")
    configured = Settings(_env_file=None)
    assert configured.PORT == 9100 and configured.REFRESH_SECONDS == 5 and configured.LOG_LEVEL == "warning"
    assert configured.CORS_ORIGINS == ["https://a.example", "https://b.example"] and not configured.is_demo


def test_settings_are_read_from_an_env_file(tmp_path, monkeypatch):
    monkeypatch.delenv("APP_API_PORT", raising=False)
    env_file = tmp_path / ".env"
    env_file.write_text('APP_API_PORT=8123\nAPP_API_CORS_ORIGINS=["https://x.example"]\n')
    configured = Settings(_env_file=env_file)
    assert configured.PORT == 8123 and configured.CORS_ORIGINS == ["https://x.example"]


@pytest.mark.parametrize(
    "values",
    [
        {"PORT": "0"},
        {"PORT": "http"},
        {"REFRESH_SECONDS": "0"},
        {"VERSION": "1"},
        {"LOG_LEVEL": "loud"},
        {"CORS_ORIGINS": "*,https://a.example"},
        {"GCP_SERVICE_ACCOUNT_JSON_PATH": "/nonexistent/key.json"},
    ],
)
def test_invalid_settings_fail_at_start_up(values):
    with pytest.raises(ValidationError):
        settings(**values)


def test_the_logged_summary_names_the_key_file_but_never_its_content(tmp_path):
    key = tmp_path / "key.json"
    key.write_text(json.dumps({"private_key": "-----BEGIN PRIVATE KEY-----SECRET"}))
    summary = json.dumps(settings(GCP_SERVICE_ACCOUNT_JSON_PATH=str(key), GCP_BUCKET="b-1").public_summary())
    assert str(key) in summary and "SECRET" not in summary and "PRIVATE" not in summary


@pytest.mark.parametrize(
    ("bucket", "kind", "location"),
    [
        ("hourly-batch-predictions", GCSStorage, "gs://hourly-batch-predictions"),
        ("gs://hourly-batch-predictions/daily/run", GCSStorage, "gs://hourly-batch-predictions/daily/run"),
        ("gs://hourly-batch-predictions/", GCSStorage, "gs://hourly-batch-predictions"),
        ("/srv/bucket", LocalStorage, "file:///srv/bucket"),
        ("file:///srv/bucket", LocalStorage, "file:///srv/bucket"),
        ("./bucket", LocalStorage, f"file://{Path('bucket').resolve()}"),
    ],
)
def test_a_bucket_can_be_named_by_name_url_or_folder(bucket, kind, location):
    storage = open_storage(bucket, "project", "")
    assert isinstance(storage, kind) and storage.url == location


def test_naming_a_gcs_bucket_connects_to_nothing():
    storage = open_storage("some-bucket", "project", "")
    assert storage._fs is None


@pytest.mark.parametrize("bucket", ["Not A Bucket!", "x"])
def test_a_bucket_that_is_neither_name_url_nor_folder_is_rejected(bucket):
    with pytest.raises(ValueError, match="APP_API_GCP_BUCKET"):
        open_storage(bucket, "project", "")


def test_local_storage_versions_change_when_a_file_is_replaced(tmp_path):
    (tmp_path / "y.parquet").write_bytes(b"one")
    storage = LocalStorage(tmp_path)
    before = storage.versions(["y.parquet", "X.parquet"])
    (tmp_path / "y.parquet.new").write_bytes(b"second")
    (tmp_path / "y.parquet.new").replace(tmp_path / "y.parquet")
    after = storage.versions(["y.parquet"])
    assert set(before) == {"y.parquet"} and before["y.parquet"].generation != after["y.parquet"].generation


def test_env_default_is_a_valid_configuration_and_every_setting_is_documented(monkeypatch):
    from support import REPO_ROOT

    for variable in [f"APP_API_{name}" for name in Settings.model_fields]:
        monkeypatch.delenv(variable, raising=False)
    template = Settings(_env_file=REPO_ROOT / ".env.default")
    assert template.is_demo and template.REFRESH_SECONDS == 60
    readme = (REPO_ROOT / "README.md").read_text()
    compose = (REPO_ROOT / "deploy" / "docker-compose.yml").read_text()
    fixed_by_the_image = {"HOST", "PORT", "VERSION", "RELOAD", "DEMO_DIR"}
    for name in Settings.model_fields:
        assert f"| `APP_API_{name}` |" in readme, f"APP_API_{name} missing from the README's table"
        assert (f"- APP_API_{name}\n" in compose) == (name not in fixed_by_the_image), f"compose and APP_API_{name}"


SWITCH = "GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT"
PRINT_SWITCH = f"import os, api; print(os.environ.get({SWITCH!r}))"


@pytest.mark.parametrize(("given", "seen"), [(None, "false"), ("true", "true")], ids=["unset", "set-by-operator"])
def test_importing_the_api_package_switches_gcsfs_bucket_probing_off_unless_told_otherwise(given, seen):
    """gcsfs reads the switch when it is imported; the package sets it first, and only as a default."""
    environment = {name: value for name, value in os.environ.items() if name != SWITCH}
    if given is not None:
        environment[SWITCH] = given
    printed = subprocess.run(
        [sys.executable, "-c", PRINT_SWITCH], env=environment, capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert printed.strip() == seen
