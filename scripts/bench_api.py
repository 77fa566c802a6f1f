"""Benchmark of the API, printed (not asserted): latency, throughput, cold start and memory.

    uv run python scripts/bench_api.py [--duration 10]

Serves, each with uvicorn in its own process on a free loopback port (one worker, log level
warning): the real-size fixture bucket, a generated three-year bucket (~2M rows in y), and a trivial
FastAPI endpoint returning a constant (the framework's floor on this machine). For each it prints
per-endpoint p50/p99 of sequential requests, requests/s at 16 and 64 concurrent connections (wrk,
bounded runs) with p99 at 64, cold start to ready and peak RSS, and the ratio to the floor.
Needs Debian's `wrk` (apt-get install wrk).
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from support import BUCKET_PANDAS15, free_port, stop_process  # noqa: E402

ENDPOINTS = [
    "/api/v1/health",
    "/api/v1/area_values",
    "/api/v1/predictions/1/111",
    "/api/v1/monitoring/metrics",
    "/api/v1/monitoring/values/1/111",
    "/api/v1/monitoring/summary",
    "/api/v1/monitoring/errors/1/111",
]
SEQUENTIAL_REQUESTS = 500


def peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def start(command: list[str], env: dict[str, str], ready_url: str, cwd: Path) -> tuple[subprocess.Popen, float]:
    started = time.perf_counter()
    log = open(tempfile.mktemp(prefix="bench-server-", suffix=".log"), "w")  # noqa: SIM115
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    deadline = started + 120
    with httpx.Client(timeout=1) as poller:  # one client: a new one per poll costs CPU the server needs
        while time.perf_counter() < deadline:
            try:
                if poller.get(ready_url).status_code == 200:
                    return process, time.perf_counter() - started
            except httpx.HTTPError:
                pass
            if process.poll() is not None:
                raise SystemExit(f"server exited; see {log.name}")
            time.sleep(0.05)
    stop_process(process)
    raise SystemExit(f"server not ready in 120 s; see {log.name}")


def sequential(url: str) -> tuple[float, float]:
    timings = []
    with httpx.Client() as client:
        for _ in range(20):
            client.get(url)
        for _ in range(SEQUENTIAL_REQUESTS):
            began = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    quantiles = statistics.quantiles(timings, n=100)
    return quantiles[49], quantiles[98]


# wrk drops its connections at the end of a run; uvicorn keeps each dropped connection's objects until its
# keep-alive timer (5 s) fires, and back-to-back runs measured that clean-up as latency (the floor's p99
# at c=64 grew 37 -> 75 -> 195 -> 311 ms over four runs, and stayed ~35-43 ms with 8 s between runs).
SETTLE_SECONDS = 6


def wrk(url: str, connections: int, duration: int) -> tuple[float, float]:
    """Requests/s and p99 latency (ms) of a bounded wrk run with `connections` connections."""
    time.sleep(SETTLE_SECONDS)
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 30,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    value, unit = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", output).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    if "Non-2xx" in output or "Socket errors" in output:
        print(f"    wrk reported errors for {url}:\n{output}")
    return rate, p99


def measure(
    name: str, command: list[str], env: dict[str, str], base: str, paths: list[str], duration: int, ready_path: str
) -> dict:
    process, cold_start = start(command, env, base + ready_path, ROOT)
    rows = {}
    try:
        for path in paths:
            p50, p99 = sequential(base + path)
            rate16, _ = wrk(base + path, 16, duration)
            rate64, p99_64 = wrk(base + path, 64, duration)
            rows[path] = (p50, p99, rate16, rate64, p99_64)
        rss = peak_rss_mb(process.pid)
    finally:
        stop_process(process)
    print(f"\n## {name}: cold start to ready {cold_start:.2f} s, peak RSS {rss:.0f} MB")
    print(f"{'endpoint':36} {'p50 ms':>8} {'p99 ms':>8} {'req/s c=16':>11} {'req/s c=64':>11} {'p99 ms c=64':>12}")
    for path, (p50, p99, rate16, rate64, p99_64) in rows.items():
        print(f"{path:36} {p50:8.2f} {p99:8.2f} {rate16:11.0f} {rate64:11.0f} {p99_64:12.1f}")
    return {"rows": rows, "cold_start": cold_start, "rss": rss}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    arguments = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install wrk")

    env = {**os.environ, "GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT": "false", "APP_API_LOG_LEVEL": "warning"}
    python = sys.executable
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; wrk -t2, {arguments.duration} s per run")

    port = free_port()
    floor = measure(
        "floor (FastAPI, constant)",
        [python, "-m", "uvicorn", "floor_app:app", "--app-dir", "scripts", "--port", str(port),
         "--log-level", "warning", "--no-access-log"],
        env, f"http://127.0.0.1:{port}", ["/constant"], arguments.duration, "/constant",
    )  # fmt: skip

    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-3y-") as three_years:
        subprocess.run([python, "-m", "api.demo", three_years, "--observed-days", "1095"], check=True, env=env)
        (Path(three_years) / "DEMO_BUCKET.json").unlink()
        for name, bucket in (("fixture bucket (bucket-pandas15)", BUCKET_PANDAS15), ("three-year bucket", three_years)):
            port = free_port()
            run_env = {**env, "APP_API_GCP_BUCKET": str(bucket), "APP_API_PORT": str(port), "APP_API_HOST": "127.0.0.1"}
            results[name] = measure(
                name, [python, "-m", "api"], run_env, f"http://127.0.0.1:{port}", ENDPOINTS, arguments.duration,
                "/api/v1/ready",
            )  # fmt: skip

    floor_rate16 = floor["rows"]["/constant"][2]
    floor_rate64 = floor["rows"]["/constant"][3]
    print("\n## /predictions against the floor and the targets")
    for name, result in results.items():
        p50, _, rate16, rate64, p99_64 = result["rows"]["/api/v1/predictions/1/111"]
        print(
            f"{name}: {rate16:.0f} req/s at c=16 ({rate16 / floor_rate16:.0%} of floor {floor_rate16:.0f}; target"
            f" >= 1000 and >= 50 %), {rate64:.0f} req/s at c=64 ({rate64 / floor_rate64:.0%} of floor), p99 at c=64"
            f" {p99_64:.1f} ms (target <= 50), p50 {p50:.2f} ms, ready {result['cold_start']:.1f} s,"
            f" peak RSS {result['rss']:.0f} MB"
        )
    print("three-year targets: ready <= 10 s, peak RSS <= 600 MB, /predictions p50 <= 5 ms")


if __name__ == "__main__":
    main()
