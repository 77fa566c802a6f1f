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
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from devtools.bench import Run, Server, latencies, paired, peak_rss_mb, report_pairs, serve, tree_rss_mb, wrk
from devtools.paths import BUCKET_PANDAS15
from devtools.processes import free_port, servers_apart_from_generator

ENDPOINTS = [
    "/api/v1/health",
    "/api/v1/area_values",
    "/api/v1/predictions/1/111",
    "/api/v1/monitoring/metrics",
    "/api/v1/monitoring/values/1/111",
    "/api/v1/monitoring/summary",
    "/api/v1/monitoring/errors/1/111",
]
PREDICTIONS = "/api/v1/predictions/1/111"


def table(name: str, server: Server, paths: list[str], duration: int) -> dict[str, tuple[float, float, Run, Run]]:
    """Sequential p50/p99 and a c=16 and a c=64 wrk run per path, printed as a table."""
    rows = {}
    for path in paths:
        p50, p99 = latencies(server.base + path)
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
    parser.add_argument(
        "--pin",
        action="store_true",
        help="the servers on the first CPU, wrk on the others (so wrk does not take the servers' CPU)",
    )
    arguments = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install wrk")
    if arguments.pin and max(arguments.workers) > 1:
        parser.error("--pin puts the servers on one CPU: one worker only")
    cpus = servers_apart_from_generator(arguments.pin)

    env = {**os.environ, "APP_API_LOG_LEVEL": "warning"}
    api_env = dict(env)
    if arguments.access_log != "off":
        # The API's log goes to the server log file in test-artifacts/, one access line per request.
        api_env |= {"APP_API_LOG_LEVEL": "info", "APP_API_LOG_FORMAT": arguments.access_log}
    python = sys.executable
    print(
        f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; wrk -t2, {arguments.duration} s per run;"
        f" API access log {arguments.access_log}" + (f"; servers on CPU {cpus}, wrk on the others" if cpus else "")
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
            floors[workers] = stack.enter_context(serve(floor_command, env, port, "/constant", cpus))
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
                with serve([python, "-m", "api"], run_env, port, "/api/v1/ready", cpus) as api:
                    if workers == arguments.workers[0] and not arguments.quick:
                        p50 = table(f"{name}, {workers} worker", api, ENDPOINTS, arguments.duration)[PREDICTIONS][0]
                    else:
                        p50, _ = latencies(api.base + PREDICTIONS)
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
