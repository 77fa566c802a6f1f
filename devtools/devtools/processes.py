"""Real processes on loopback: free ports, start with the log in a file, stop for sure.

Servers bind 127.0.0.1 on a free port and are stopped by whoever started them (a context manager
here), even when the body raises.
"""

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from devtools.paths import ARTIFACTS, REPO_ROOT
from devtools.waiting import wait_for_http


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def servers_apart_from_generator(requested: bool = True) -> str | None:
    """Split the CPUs between servers and load generator (a script's `--pin`): the first CPU for the
    servers, the others for us. None, and nothing moved, when not `requested`.

    Moves this process (and every thread and child it starts afterwards, such as `wrk`) to the other
    CPUs and returns the first CPU's number for `pinned`. A load generator sharing the servers' cores
    takes their CPU and adds its own scheduling to their tail latencies; apart, a run measures the
    servers. Exits with a message on a one-CPU machine, where there is nothing to split.
    """
    if not requested:
        return None
    first, *others = sorted(os.sched_getaffinity(0))
    if not others:
        raise SystemExit("--pin needs two CPUs or more")
    os.sched_setaffinity(0, others)
    return str(first)


def pinned(command: Sequence[str], cpus: str | None) -> list[str]:
    """`command` run on `cpus` (taskset's list form) when given; taskset execs it, so the pid stays the same."""
    return ["taskset", "--cpu-list", cpus, *command] if cpus else list(command)


def start_process(
    command: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None, log_path: Path | None = None
) -> subprocess.Popen:
    """Start `command` with stdout and stderr appended to `log_path` (or discarded)."""
    if log_path is None:
        return subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("a") as log:  # the child holds its own copy of the descriptor
        return subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)


def stop_process(process: subprocess.Popen, timeout: float = 10, stop_signal: int = signal.SIGTERM) -> None:
    """Ask the process to stop (`stop_signal`), kill it if it has not within `timeout` s, and reap it."""
    if process.poll() is None:
        process.send_signal(stop_signal)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def running(
    command: Sequence[str],
    cwd: Path,
    env: Mapping[str, str] | None,
    ready_url: str,
    log_path: Path | None = None,
    timeout: float = 60,
) -> Iterator[subprocess.Popen]:
    """Start a server, wait until `ready_url` answers 2xx, yield the process, stop it afterwards."""
    process = start_process(command, cwd, env, log_path)
    try:
        wait_for_http(ready_url, timeout=timeout, process=process)
        yield process
    finally:
        stop_process(process)


@contextmanager
def running_api(bucket: str | Path, extra_env: dict[str, str] | None = None, timeout: float = 60) -> Iterator[str]:
    """Run `python -m api` from `app-api/` on a free port and yield its `/api/v1` base URL.

    Its log is test-artifacts/api-<port>.log.
    """
    port = free_port()
    env = {
        **os.environ,
        "APP_API_GCP_BUCKET": str(bucket),
        "APP_API_HOST": "127.0.0.1",
        "APP_API_PORT": str(port),
        "APP_API_LOG_LEVEL": "warning",
        **(extra_env or {}),
    }
    base_url = f"http://127.0.0.1:{port}/api/v1"
    log_path = ARTIFACTS / f"api-{port}.log"
    log_path.unlink(missing_ok=True)
    with running([sys.executable, "-m", "api"], REPO_ROOT / "app-api", env, f"{base_url}/ready", log_path, timeout):
        yield base_url


def _server_flags(port: int, address: str | None, watch: bool) -> list[str]:
    return [
        *([f"--server.address={address}"] if address else []),
        f"--server.port={port}",
        "--server.headless=true",
        "--browser.gatherUsageStats=false",
        *([] if watch else ["--server.fileWatcherType=none"]),
    ]


def streamlit_command(script: str, port: int, address: str | None = "127.0.0.1", watch: bool = False) -> list[str]:
    """`streamlit run <script>` headless on `address:port` (None: every interface), without telemetry:
    for floors and test apps. `watch` keeps Streamlit's file watcher (rerun on save) for development;
    tests and measurements turn it off."""
    return [sys.executable, "-m", "streamlit", "run", script, *_server_flags(port, address, watch)]


def dashboard_command(package: str, port: int, address: str | None = "127.0.0.1", watch: bool = False) -> list[str]:
    """`python -m <package>` with the same flags: a dashboard's own start (`dashboard_common.start`:
    its warm-up, then `streamlit run` on its page), as the images and `dev.py up` run it."""
    return [sys.executable, "-m", package, *_server_flags(port, address, watch)]


@contextmanager
def _serving(
    command: list[str], app_dir: Path, env_overrides: dict[str, str], port: int, timeout: float = 60
) -> Iterator[str]:
    url = f"http://127.0.0.1:{port}"
    log_path = ARTIFACTS / f"streamlit-{app_dir.name}-{port}.log"
    log_path.unlink(missing_ok=True)
    with running(command, app_dir, {**os.environ, **env_overrides}, f"{url}/_stcore/health", log_path, timeout):
        yield url


@contextmanager
def running_streamlit(app_dir: str | Path, script: str, env_overrides: dict[str, str]) -> Iterator[str]:
    """Run `streamlit run <script>` from `<app_dir>` headless on a free port and yield its URL (floors
    and test apps; a dashboard starts with `running_dashboard`)."""
    port = free_port()
    with _serving(streamlit_command(script, port), REPO_ROOT / app_dir, env_overrides, port) as url:
        yield url


@contextmanager
def running_dashboard(package: str, env_overrides: dict[str, str], timeout: float = 120) -> Iterator[str]:
    """Run a dashboard as deployed, `python -m <package>` from `app-<package>/`, headless on a free
    port, and yield its URL once it answers (its warm-up comes first, hence the longer `timeout`).
    Its log is test-artifacts/streamlit-app-<package>-<port>.log."""
    port = free_port()
    command = dashboard_command(package, port)
    with _serving(command, REPO_ROOT / f"app-{package}", env_overrides, port, timeout) as url:
        yield url
