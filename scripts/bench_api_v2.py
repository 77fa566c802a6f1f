"""Benchmark of `/api/v2`, printed (not asserted), with the figures issue 12 asks for.

    uv run python scripts/bench_api_v2.py [--duration 10] [--rounds 3]

Serves (uvicorn, one worker, its own process on a free loopback port, log level warning) the fixture
bucket, a generated three-year bucket (~2M rows in y) and the framework floor (a constant FastAPI
endpoint), then prints:
- one series, default form: req/s at 16 connections, paired back to back with the floor for the ratio;
- one series with tz=Europe/Copenhagen and a range (the last week): sequential p50/p99;
- bulk /api/v2/forecasts as JSON and as parquet: sequential p50/p99;
- three-year bucket: ready time, peak RSS, a one-year range of one series p50;
- the forecast ranges' coverage on generated buckets whose next 24 hours are known.
Needs Debian's `wrk`.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from devtools.bench import latencies, paired, peak_rss_mb, report_pairs, serve, wrk
from devtools.forecast_coverage import forecast_coverage
from devtools.paths import BUCKET_PANDAS15
from devtools.processes import free_port, servers_apart_from_generator

SERIES = "/api/v2/series/1/111"
COVERAGE_BUCKETS = [(seed, datetime(2026, month, 14, 13, tzinfo=UTC)) for seed, month in ((1, 3), (2, 6), (3, 10))]


def last_week_range(base: str) -> dict[str, str]:
    status = httpx.get(f"{base}/api/v2/status").json()
    end = datetime.fromisoformat(status["observed_to"]) + timedelta(hours=1)
    return {"tz": "Europe/Copenhagen", "start": (end - timedelta(days=7)).isoformat(), "end": end.isoformat()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="paired floor / series runs")
    parser.add_argument(
        "--access-log",
        choices=["off", "text", "json"],
        default="off",
        help="API log level info with this log format (default off: level warning, no access lines)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="only the paired floor / series runs, at 16 and 64 connections"
    )
    parser.add_argument(
        "--pin",
        action="store_true",
        help="the servers on the first CPU, wrk on the others (so wrk does not take the servers' CPU)",
    )
    arguments = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install wrk")
    cpus = servers_apart_from_generator(arguments.pin)
    env = {**os.environ, "APP_API_LOG_LEVEL": "warning"}
    python = sys.executable
    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; wrk {arguments.duration} s runs;"
        f" API access log {arguments.access_log}" + (f"; servers on CPU {cpus}, wrk on the others" if cpus else "")
    )

    port = free_port()
    floor_command = [
        python, "-m", "uvicorn", "floor_app:app", "--app-dir", "scripts", "--port", str(port),
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    with serve(floor_command, env, port, "/constant", cpus) as floor:
        port = free_port()
        api_env = {**env, "APP_API_GCP_BUCKET": str(BUCKET_PANDAS15), "APP_API_PORT": str(port)}
        if arguments.access_log != "off":
            # The API's log goes to the server log file in test-artifacts/, one access line per request.
            api_env |= {"APP_API_LOG_LEVEL": "info", "APP_API_LOG_FORMAT": arguments.access_log}
        with serve([python, "-m", "api"], api_env, port, "/api/v1/ready", cpus) as api:
            if arguments.quick:
                print(f"\n## fixture bucket: {SERIES} (default form), paired with the floor")
                report_pairs(paired(floor.base + "/constant", api.base + SERIES, arguments.rounds, arguments.duration))
                return
            run16 = wrk(api.base + SERIES, 16, arguments.duration)
            print(f"\n## fixture bucket: {SERIES} (default form) at c=16: {run16.rate:.0f} req/s")
            pairs = paired(floor.base + "/constant", api.base + SERIES, arguments.rounds, arguments.duration)
            del pairs[64]
            report_pairs(pairs)
            week = last_week_range(api.base)
            p50, p99 = latencies(api.base + SERIES, requests=300, params=week, warmup=10)
            print(f"{SERIES} tz=Europe/Copenhagen, last week as a range: p50 {p50:.2f} ms, p99 {p99:.2f} ms")
            for form in ("json", "parquet"):
                p50, p99 = latencies(api.base + "/api/v2/forecasts", requests=300, params={"format": form}, warmup=10)
                print(f"/api/v2/forecasts format={form}: p50 {p50:.2f} ms, p99 {p99:.2f} ms")
            p50, p99 = latencies(
                api.base + "/api/v2/forecasts",
                requests=300,
                params={"format": "parquet", "tz": "Europe/Copenhagen"},
                warmup=10,
            )
            print(f"/api/v2/forecasts format=parquet tz=Europe/Copenhagen: p50 {p50:.2f} ms, p99 {p99:.2f} ms")

    with tempfile.TemporaryDirectory(prefix="bench-3y-") as three_years:
        subprocess.run([python, "-m", "api.demo", three_years, "--observed-days", "1095"], check=True, env=env)
        (Path(three_years) / "DEMO_BUCKET.json").unlink()
        port = free_port()
        api_env = {**env, "APP_API_GCP_BUCKET": three_years, "APP_API_PORT": str(port)}
        with serve([python, "-m", "api"], api_env, port, "/api/v1/ready") as api:
            status = httpx.get(f"{api.base}/api/v2/status").json()
            end = datetime.fromisoformat(status["observed_to"]) + timedelta(hours=1)
            year = {"tz": "Europe/Copenhagen", "start": (end - timedelta(days=365)).isoformat(), "end": end.isoformat()}
            hours = len(httpx.get(api.base + SERIES, params=year, timeout=30).json()["observations"])
            p50, p99 = latencies(api.base + SERIES, requests=100, params=year, warmup=10)
            rss = peak_rss_mb(api.process.pid)
            print(
                f"\n## three-year bucket: ready {api.cold_start:.1f} s, peak RSS {rss:.0f} MB;"
                f" one-year range of one series ({hours} hours, Copenhagen time): p50 {p50:.1f} ms, p99 {p99:.1f} ms"
            )

    print("\n## forecast ranges against the next 24 hours the demo generator knows (all 76 series)")
    with tempfile.TemporaryDirectory(prefix="bench-coverage-") as folder:
        for seed, now in COVERAGE_BUCKETS:
            coverage = forecast_coverage(Path(folder) / str(seed), seed, now)
            print(
                f"seed {seed}, now {now:%Y-%m-%d %H:%M} UTC: hours inside the 80 % range {coverage.hourly_80:.1%},"
                f" the 95 % range {coverage.hourly_95:.1%} (of {coverage.hours});"
                f" 24-hour totals inside {coverage.total_80:.1%} / {coverage.total_95:.1%} (of {coverage.series})"
            )
    print(
        "targets: default form >= 1000 req/s at c=16 and >= 30 % of the floor; tz + range p50 <= 5 ms;"
        " bulk p50 <= 50 ms; three years: ready <= 10 s, peak RSS <= 700 MB, one-year range p50 <= 100 ms;"
        " coverage 70-90 % (80 % range) and 88-99.5 % (95 % range)"
    )


if __name__ == "__main__":
    main()
