"""`dev.py up`'s supervision (devtools.devserver under honcho): addresses printed once all answer, SIGTERM stops all.

Runs the real three services on free loopback ports with a fresh demo bucket.
"""

import os
import signal
import subprocess
import sys
import threading

import httpx
import pytest
from devtools.paths import REPO_ROOT
from devtools.processes import free_port, stop_process
from devtools.waiting import wait_until

pytestmark = pytest.mark.e2e


def test_up_prints_the_addresses_once_everything_answers_and_sigterm_stops_all(tmp_path):
    ports = {name: free_port() for name in ("api", "frontend", "monitoring")}
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith("APP_API_")},
        "APP_API_PORT": str(ports["api"]),
        "APP_API_HOST": "127.0.0.1",
        "APP_API_DEMO_DIR": str(tmp_path / "demo"),
        "DEV_UP_FRONTEND_PORT": str(ports["frontend"]),
        "DEV_UP_MONITORING_PORT": str(ports["monitoring"]),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "devtools.devserver"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    try:
        wait_until(lambda: any("press Ctrl+C to stop" in line for line in lines), 240, "the ready lines", alive=process)
        output = "".join(lines)
        assert f"http://localhost:{ports['frontend']}" in output
        assert f"http://localhost:{ports['monitoring']}" in output
        assert f"http://localhost:{ports['api']}/api/v1/docs" in output
        # Both dashboards start as deployed, `python -m <page>`, warm-up first.
        assert "frontend: warmed up in" in output and "monitoring: warmed up in" in output
        urls = [
            f"http://127.0.0.1:{ports['api']}/api/v1/freshness",
            f"http://127.0.0.1:{ports['frontend']}/_stcore/health",
            f"http://127.0.0.1:{ports['monitoring']}/_stcore/health",
        ]
        assert all(httpx.get(url, timeout=10).status_code == 200 for url in urls)
        assert httpx.get(urls[0], timeout=10).json()["is_demo"] is True

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) != 0  # honcho reports the signal in its exit status
    finally:
        stop_process(process)
        reader.join(timeout=10)
    for url in urls:
        with pytest.raises(httpx.ConnectError):
            httpx.get(url, timeout=2)
    assert "SIGTERM received" in "".join(lines)
