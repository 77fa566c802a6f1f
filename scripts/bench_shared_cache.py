"""Throughput through a shared cache, printed (not asserted): Debian's nginx caching the API, against the
framework's floor (a constant FastAPI endpoint) measured in the same run.

    uv run python scripts/bench_shared_cache.py [--duration 10] [--rounds 3]

Serves, each on a free loopback port: the floor (uvicorn, one worker), the API on the fixture bucket
(one worker, log level warning, default max-age 5 s, so a cached answer is revalidated with a 304 every
5 s) and nginx in front of it as `devtools.sharedcache` configures it for the shared-cache test. For
`/api/v1/predictions/1/111` and `/api/v2/series/1/111` (JSON) and `/api/v2/series/1/111` in Danish
time as CSV, the floor and the same path through the cache are run back to back (`--rounds` times at
16 and 64 connections, wrk -t2, 6 s apart), and once straight at the API for reference. Before timing,
every path is asked once through the cache so the runs measure hits. Needs Debian's `wrk` and `nginx`.
"""

import argparse
import os
import shutil
import sys

import httpx
from devtools.bench import paired, report_pairs, serve, wrk
from devtools.paths import BUCKET_PANDAS15
from devtools.processes import free_port
from devtools.sharedcache import running_nginx_cache

PATHS = [
    "/api/v1/predictions/1/111",
    "/api/v2/series/1/111",
    "/api/v2/series/1/111?tz=Europe/Copenhagen&format=csv",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="paired floor / cached runs per path and concurrency")
    arguments = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not os.path.exists(f"/usr/sbin/{tool}"):
            raise SystemExit(f"{tool} not found: apt-get install {tool}")
    env = {**os.environ, "APP_API_LOG_LEVEL": "warning"}
    python = sys.executable
    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; wrk -t2, {arguments.duration} s"
        f" per run, {arguments.rounds} paired rounds"
    )
    floor_port, api_port = free_port(), free_port()
    floor_command = [
        python, "-m", "uvicorn", "floor_app:app", "--app-dir", "scripts", "--port", str(floor_port),
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    api_env = {
        **env,
        "APP_API_GCP_BUCKET": str(BUCKET_PANDAS15),
        "APP_API_PORT": str(api_port),
        "APP_API_HOST": "127.0.0.1",
    }
    with (
        serve(floor_command, env, floor_port, "/constant") as floor,
        serve([python, "-m", "api"], api_env, api_port, "/api/v1/ready") as api,
        running_nginx_cache(api_port) as cache,
    ):
        for path in PATHS:
            statuses = [httpx.get(cache + path, timeout=30).headers.get("x-cache-status") for _ in range(2)]
            direct = wrk(api.base + path, 16, arguments.duration)
            print(f"\n## {path}: through the cache {statuses[-1]} after a {statuses[0]};"
                  f" straight at the API {direct.rate:.0f} req/s at c=16")  # fmt: skip
            report_pairs(paired(floor.base + "/constant", cache + path, arguments.rounds, arguments.duration))


if __name__ == "__main__":
    main()
