"""Benchmark of the API, printed (not asserted): latency, throughput, cold start and memory.

    uv run python scripts/bench_api.py [--duration 10]

Serves, each with uvicorn in its own process on a free loopback port (one worker, log level
warning): the real-size fixture bucket, a generated three-year bucket (~2M rows in y), and a trivial
FastAPI endpoint returning a constant (the framework's floor on this machine). For each it prints
per-endpoint p50/p99 of sequential requests, requests/s at 16 and 64 concurrent connections (wrk,
bounded runs) with p99 at 64, cold start to ready and peak RSS. Then /predictions and the floor
are measured back to back a few times (paired rounds) for the ratio to the floor, with one uvicorn
worker and with two (`--workers`; each side with as many). Each wrk run also
reports the share of CPU time the hypervisor stole meanwhile: on a shared VM it explains most tails.
Needs Debian's `wrk` (apt-get install wrk).
"""

import argparse
import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from devtools.paths import ARTIFACTS, BUCKET_PANDAS15, REPO_ROOT
from devtools.processes import free_port, start_process, stop_process
from devtools.stats import percentile
from devtools.waiting import wait_for_http

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
PREDICTIONS = "/api/v1/predictions/1/111"


def peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def start(command: list[str], env: dict[str, str], ready_url: str, cwd: Path) -> tuple[subprocess.Popen, float]:
    """Start a server; the process and the seconds until `ready_url` answered (polled every 50 ms)."""
    started = time.perf_counter()
    log_path = ARTIFACTS / f"bench-server-{ready_url.split(':')[2].split('/')[0]}.log"
    log_path.unlink(missing_ok=True)
    process = start_process(command, cwd, env, log_path)
    try:
        wait_for_http(ready_url, timeout=120, process=process, interval=0.05)
    except Exception as error:
        stop_process(process)
        raise SystemExit(f"server not ready: {error}; see {log_path}") from error
    return process, time.perf_counter() - started


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
    return percentile(timings, 50), percentile(timings, 99)


# wrk drops its connections at the end of a run; uvicorn keeps each dropped connection's objects until its
# keep-alive timer (5 s) fires, and back-to-back runs measured that clean-up as latency (the floor's p99
# at c=64 grew 37 -> 75 -> 195 -> 311 ms over four runs, and stayed ~35-43 ms with 8 s between runs).
SETTLE_SECONDS = 6


def cpu_ticks() -> tuple[int, int]:
    """All CPU ticks of the machine so far, and those the hypervisor stole (`/proc/stat`, first line)."""
    user, nice, system, idle, iowait, irq, softirq, steal = map(int, Path("/proc/stat").read_text().split()[1:9])
    return user + nice + system + idle + iowait + irq + softirq + steal, steal


@dataclass
class Run:
    rate: float  # requests/s
    p99: float  # ms
    steal: float  # share of the machine's CPU time the hypervisor took during the run


def wrk(url: str, connections: int, duration: int) -> Run:
    """Requests/s, p99 latency and CPU steal of a bounded wrk run with `connections` connections."""
    time.sleep(SETTLE_SECONDS)
    ticks_before, stolen_before = cpu_ticks()
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 30,
    ).stdout
    ticks_after, stolen_after = cpu_ticks()
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    value, unit = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", output).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    if "Non-2xx" in output or "Socket errors" in output:
        print(f"    wrk reported errors for {url}:\n{output}")
    return Run(rate, p99, (stolen_after - stolen_before) / max(1, ticks_after - ticks_before))


@dataclass
class Server:
    base: str
    process: subprocess.Popen
    cold_start: float


@contextmanager
def serve(command: list[str], env: dict[str, str], port: int, ready_path: str) -> Iterator[Server]:
    base = f"http://127.0.0.1:{port}"
    process, cold_start = start(command, env, base + ready_path, REPO_ROOT)
    try:
        yield Server(base, process, cold_start)
    finally:
        stop_process(process)


def table(name: str, server: Server, paths: list[str], duration: int) -> dict[str, tuple[float, float, Run, Run]]:
    """Sequential p50/p99 and a c=16 and a c=64 wrk run per path, printed as a table."""
    rows = {}
    for path in paths:
        p50, p99 = sequential(server.base + path)
        rows[path] = (p50, p99, wrk(server.base + path, 16, duration), wrk(server.base + path, 64, duration))
    print(
        f"\n## {name}: cold start to ready {server.cold_start:.2f} s, peak RSS {peak_rss_mb(server.process.pid):.0f} MB"
    )
    print(
        f"{'endpoint':36} {'p50 ms':>8} {'p99 ms':>8} {'req/s c=16':>11} {'req/s c=64':>11} {'p99 ms c=64':>12}"
        f" {'steal c=16/64':>14}"
    )
    for path, (p50, p99, run16, run64) in rows.items():
        print(
            f"{path:36} {p50:8.2f} {p99:8.2f} {run16.rate:11.0f} {run64.rate:11.0f} {run64.p99:12.1f}"
            f" {run16.steal:6.0%} /{run64.steal:4.0%}"
        )
    return rows


def paired(floor_url: str, url: str, rounds: int, duration: int) -> dict[int, list[tuple[Run, Run]]]:
    """Floor and endpoint measured back to back, `rounds` times per concurrency: (floor, endpoint) pairs.

    The machine is a VM whose hypervisor takes a varying share of the CPU (see the steal column), so
    a ratio between runs minutes apart measures the hypervisor as much as the code; adjacent runs
    share its mood.
    """
    pairs: dict[int, list[tuple[Run, Run]]] = {16: [], 64: []}
    for _ in range(rounds):
        for connections in pairs:
            pairs[connections].append((wrk(floor_url, connections, duration), wrk(url, connections, duration)))
    return pairs


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children now (uvicorn's supervisor and its workers)."""
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        pids += [int(child) for child in (task / "children").read_text().split()]
    return (
        sum(int(re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{each}/status").read_text()).group(1)) for each in pids)
        / 1024
    )


def report_pairs(pairs: dict[int, list[tuple[Run, Run]]]) -> None:
    for connections, runs in pairs.items():
        ratios = [ours.rate / floor.rate for floor, ours in runs]
        described = ", ".join(
            f"{ours.rate:.0f}/{floor.rate:.0f} req/s p99 {ours.p99:.0f}/{floor.p99:.0f} ms"
            f" steal {ours.steal:.0%}/{floor.steal:.0%}"
            for floor, ours in runs
        )
        print(
            f"    c={connections}: median {statistics.median(ours.rate for _, ours in runs):.0f} req/s,"
            f" {statistics.median(ratios):.0%} of the floor (range {min(ratios):.0%}-{max(ratios):.0%}),"
            f" p99 median {statistics.median(ours.p99 for _, ours in runs):.1f} ms"
            f" (floor {statistics.median(floor.p99 for floor, _ in runs):.1f} ms)   [ours/floor: {described}]"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="paired floor / /predictions runs per concurrency")
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[1, 2], help="uvicorn worker counts for the paired runs"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="only the paired floor / /predictions runs on the fixture bucket (no tables, no three-year bucket)",
    )
    parser.add_argument(
        "--access-log",
        choices=["off", "text", "json"],
        default="off",
        help="API log level info with this log format (default off: level warning, no access lines)",
    )
    arguments = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install wrk")

    env = {**os.environ, "APP_API_LOG_LEVEL": "warning"}
    api_env = dict(env)
    if arguments.access_log != "off":
        # The API's log goes to the server log file in test-artifacts/, one access line per request.
        api_env |= {"APP_API_LOG_LEVEL": "info", "APP_API_LOG_FORMAT": arguments.access_log}
    python = sys.executable
    print(
        f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; wrk -t2, {arguments.duration} s per run;"
        f" API access log {arguments.access_log}"
    )

    floors: dict[int, Server] = {}
    results = {}
    with contextlib.ExitStack() as stack:
        for workers in arguments.workers:
            port = free_port()
            floor_command = [
                python, "-m", "uvicorn", "floor_app:app", "--app-dir", "scripts", "--port", str(port),
                "--log-level", "warning", "--no-access-log", "--workers", str(workers),
            ]  # fmt: skip
            floors[workers] = stack.enter_context(serve(floor_command, env, port, "/constant"))
        floor = floors[arguments.workers[0]]
        buckets: list[tuple[str, str | Path]] = [("fixture bucket (bucket-pandas15)", BUCKET_PANDAS15)]
        if not arguments.quick:
            table(f"floor (FastAPI, constant, {arguments.workers[0]} worker)", floor, ["/constant"], arguments.duration)
            three_years = stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-3y-"))
            subprocess.run([python, "-m", "api.demo", three_years, "--observed-days", "1095"], check=True, env=env)
            (Path(three_years) / "DEMO_BUCKET.json").unlink()
            buckets.append(("three-year bucket", three_years))
        for name, bucket in buckets:
            for workers in arguments.workers:
                port = free_port()
                run_env = {
                    **api_env,
                    "APP_API_GCP_BUCKET": str(bucket),
                    "APP_API_PORT": str(port),
                    "APP_API_HOST": "127.0.0.1",
                    "APP_API_WORKERS_COUNT": str(workers),
                }
                with serve([python, "-m", "api"], run_env, port, "/api/v1/ready") as api:
                    if workers == arguments.workers[0] and not arguments.quick:
                        p50 = table(f"{name}, {workers} worker", api, ENDPOINTS, arguments.duration)[PREDICTIONS][0]
                    else:
                        p50, _ = sequential(api.base + PREDICTIONS)
                    pairs = paired(
                        floors[workers].base + "/constant", api.base + PREDICTIONS, arguments.rounds, arguments.duration
                    )
                    results[name, workers] = (
                        p50,
                        pairs,
                        api.cold_start,
                        peak_rss_mb(api.process.pid),
                        tree_rss_mb(api.process.pid),
                    )

    print(
        f"\n## {PREDICTIONS} against the floor with as many workers,"
        f" {arguments.rounds} paired rounds (floor, then ours)"
    )
    for (name, workers), (p50, pairs, cold_start, peak_rss, rss) in results.items():
        print(
            f"{name}, {workers} worker(s): p50 {p50:.2f} ms sequential, ready {cold_start:.1f} s,"
            f" peak RSS of the first process {peak_rss:.0f} MB, RSS of all processes {rss:.0f} MB"
        )
        report_pairs(pairs)
    print(
        "targets: /predictions >= 1000 req/s at c=16 and >= 50 % of the floor, p99 <= 50 ms at c=64;"
        " three-year bucket: ready <= 10 s, peak RSS <= 600 MB, p50 <= 5 ms"
    )


if __name__ == "__main__":
    main()
