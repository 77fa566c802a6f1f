"""Helpers shared by the tests of all three apps: fixture buckets, real processes on free ports, Chromium.

Processes started here bind to 127.0.0.1 on free ports and are stopped by the fixture that started
them. gcsfs must not probe the bucket type over gRPC against an emulator, so the switch is set
before anything imports gcsfs.
"""

import os

os.environ.setdefault("GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT", "false")

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent
# A copy of the contract's fixtures (`../shared/fixtures`), so a clone runs its tests on its own.
FIXTURES = REPO_ROOT / "tests" / "fixtures"
SHARED_FIXTURES = REPO_ROOT.parent / "shared" / "fixtures"
BUCKET_PANDAS15 = FIXTURES / "bucket-pandas15"
BUCKET_PANDAS3 = FIXTURES / "bucket-pandas3"
RESPONSES = FIXTURES / "responses"
ARTIFACTS = REPO_ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, timeout: float = 60.0, process: subprocess.Popen | None = None) -> None:
    """Poll `url` until it answers 2xx; fail early if the process that should serve it died."""
    deadline = time.monotonic() + timeout
    last_error = "no answer"
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process serving {url} exited with {process.returncode}")
        try:
            response = httpx.get(url, timeout=2.0)
            if response.is_success:
                return
            last_error = f"HTTP {response.status_code}"
        except httpx.HTTPError as error:
            last_error = repr(error)
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout} s: {last_error}")


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def running_api(bucket: str | Path, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """Run `python -m api` from `app-api/` on a free port and yield its `/api/v1` base URL."""
    port = free_port()
    env = {
        **os.environ,
        "APP_API_GCP_BUCKET": str(bucket),
        "APP_API_HOST": "127.0.0.1",
        "APP_API_PORT": str(port),
        "APP_API_LOG_LEVEL": "warning",
        "GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT": "false",
        **(extra_env or {}),
    }
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / f"api-{port}.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "api"],
        cwd=REPO_ROOT / "app-api",
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}/api/v1"
    try:
        wait_for_http(f"{base_url}/ready", timeout=60, process=process)
        yield base_url
    finally:
        stop_process(process)
        log.close()


@contextmanager
def running_streamlit(
    app_dir: str, script: str, env_overrides: dict[str, str], module: str | None = None
) -> Iterator[str]:
    """Run `streamlit run <script>` (or `python -m <module>`, which passes the flags on to it) from
    `<app_dir>` headless on a free port and yield its URL."""
    port = free_port()
    env = {**os.environ, **env_overrides}
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / f"streamlit-{Path(app_dir).name}-{port}.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            *(["streamlit", "run", script] if module is None else [module]),
            "--server.address=127.0.0.1",
            f"--server.port={port}",
            "--server.headless=true",
            "--browser.gatherUsageStats=false",
            "--server.fileWatcherType=none",
        ],
        cwd=REPO_ROOT / app_dir,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{url}/_stcore/health", timeout=60, process=process)
        yield url
    finally:
        stop_process(process)
        log.close()


def freshness_body(**overrides: object) -> dict:
    """A `/freshness` body for `bucket-pandas15` (its observed and forecast windows); fields may be overridden."""
    return {
        "source": "fixtures/bucket-pandas15",
        "is_demo": False,
        "snapshot_id": 1,
        "loaded_at": "2023-06-15T00:05:00+00:00",
        "age_seconds": 42.0,
        "last_successful_refresh_at": "2023-06-15T00:05:00+00:00",
        "stale": False,
        "observed_from": 467832,
        "observed_to": 468551,
        "forecast_from": 468552,
        "forecast_to": 468575,
        "series_count": 72,
        "monitoring_available": True,
        **overrides,
    }
