"""A dashboard session behind a load balancer never shows older data after newer.

One real API process stands for "whichever replica answered": it serves newer data, then older data
(as a replica that has not refreshed yet would), then the newer data again. The forecast page runs in
AppTest against it with its real client and caches; between runs the short-lived status cache is
dropped, as its TTL would, so each run asks the API again. The session must keep the newer data on
screen and say why, and when its data cache is gone too, refuse the older replica's answer rather
than show it under the newer data's name.
"""

import shutil
from pathlib import Path

import httpx
import pandas as pd
import pytest
import streamlit as st
from devtools.waiting import wait_until
from streamlit.testing.v1 import AppTest
from support import BUCKET_PANDAS3, REPO_ROOT, running_api

pytestmark = pytest.mark.e2e

FRONTEND = REPO_ROOT / "app-frontend" / "frontend" / "main.py"
MONITORING = REPO_ROOT / "app-monitoring" / "monitoring" / "main.py"
# The forecast page writes its forecast window in Danish time (Europe/Copenhagen) by default.
NEWER_FORECAST_DANISH = "Forecast for Fri 16 Jun"
OLDER_FORECAST_DANISH = "Forecast for Thu 15 Jun"
LAG_CAPTION = "An API replica answered with older data"
SWITCHING = "replicas are switching to new data"


def write_bucket(folder: Path, shift_hours: int) -> None:
    """The fixture bucket, with observations and forecasts moved `shift_hours` later (newer data)."""
    folder.mkdir(exist_ok=True)
    for source in BUCKET_PANDAS3.iterdir():
        target = folder / source.name
        if source.name not in ("y.parquet", "predictions.parquet") or not shift_hours:
            shutil.copyfile(source, target)
            continue
        data = pd.read_parquet(source).reset_index()
        data["datetime_utc"] = data["datetime_utc"] + shift_hours
        data.set_index(["area", "consumer_type", "datetime_utc"]).to_parquet(f"{target}.partial")
        Path(f"{target}.partial").replace(target)


def served_version(api_url: str) -> str:
    return httpx.get(f"{api_url.removesuffix('/api/v1')}/api/v2/status", timeout=5).json()["data_version"]


def serve_version(api_url: str, folder: Path, shift_hours: int, old_version: str | None) -> str:
    """Put that data in the API's folder and wait until it serves it; return its data_version."""
    write_bucket(folder, shift_hours)

    def new_version() -> str | None:
        version = served_version(api_url)
        return version if version != old_version else None

    return wait_until(new_version, timeout=30, what="the API serving the new files")


def captions(app: AppTest) -> str:
    return "\n".join(caption.value for caption in app.caption)


def forecast_total(app: AppTest) -> str:
    return {metric.label: metric.value for metric in app.metric}["Forecast, next 24 h"]


@pytest.fixture
def api_and_folder(tmp_path, monkeypatch):
    folder = tmp_path / "bucket"
    write_bucket(folder, shift_hours=24)
    with running_api(folder, {"APP_API_REFRESH_SECONDS": "1"}) as api_url:
        monkeypatch.setenv("APP_FRONTEND_API_URL", api_url)
        st.cache_data.clear()
        st.cache_resource.clear()
        yield api_url, folder
        st.cache_data.clear()
        st.cache_resource.clear()


def test_a_session_keeps_newer_data_when_a_lagging_replica_answers(api_and_folder):
    from dashboard_common.status import load_status

    api_url, folder = api_and_folder
    new_version = served_version(api_url)
    app = AppTest.from_file(str(FRONTEND), default_timeout=30).run()
    assert not app.exception
    newer_window, newer_total = captions(app), forecast_total(app)
    assert NEWER_FORECAST_DANISH in newer_window and LAG_CAPTION not in newer_window

    # The next request lands on a replica that still has the older data.
    old_version = serve_version(api_url, folder, shift_hours=0, old_version=new_version)
    load_status.clear()
    app.run()
    assert not app.exception
    assert NEWER_FORECAST_DANISH in captions(app) and OLDER_FORECAST_DANISH not in captions(app)
    assert LAG_CAPTION in captions(app)
    assert forecast_total(app) == newer_total  # the newer data, from this server's cache

    # Even with every cache gone, the older replica's data is not shown as (or instead of) the newer.
    st.cache_data.clear()
    app.run()
    assert not app.exception
    assert OLDER_FORECAST_DANISH not in captions(app)
    assert any(SWITCHING in info.value for info in app.info)
    assert not app.metric

    # The replica catches up: the newer data again, and nothing said about lag.
    assert serve_version(api_url, folder, shift_hours=24, old_version=old_version) == new_version
    load_status.clear()
    app.run()
    assert not app.exception
    assert LAG_CAPTION not in captions(app) and NEWER_FORECAST_DANISH in captions(app)
    assert forecast_total(app) == newer_total


def test_data_requests_accept_only_the_version_the_page_shows(api_and_folder):
    from dashboard_common.client import ApiClient, DataVersionMismatch

    api_url, _ = api_and_folder
    client = ApiClient(api_url)
    version = client.status()["data_version"]
    assert client.for_version(version).series_list()["series"]
    with pytest.raises(DataVersionMismatch, match=version):
        client.for_version("0123456789abcdef").series(1, 111)
    assert client.expected_version is None  # pinning makes a copy; the shared client stays unpinned


def test_the_monitoring_page_also_keeps_newer_data(api_and_folder, monkeypatch):
    from dashboard_common.status import load_status

    api_url, folder = api_and_folder
    monkeypatch.setenv("APP_MONITORING_API_URL", api_url.removesuffix("/api/v1"))
    new_version = served_version(api_url)
    app = AppTest.from_file(str(MONITORING), default_timeout=30).run()
    assert not app.exception
    # The monitoring page writes its times on Danish clocks by default, as the forecast page (issue 25).
    assert "Forecast for Fri 16 Jun 02:00 CEST" in captions(app) and LAG_CAPTION not in captions(app)

    serve_version(api_url, folder, shift_hours=0, old_version=new_version)
    load_status.clear()
    app.run()
    assert not app.exception
    assert "Forecast for Fri 16 Jun 02:00 CEST" in captions(app) and "Forecast for Thu 15 Jun" not in captions(app)
    assert LAG_CAPTION in captions(app)
