"""Memory of each API worker process with `APP_API_WORKERS_COUNT` = 1 and 2, printed (not asserted).

    uv run python scripts/worker_memory.py [--bucket PATH] [--workers 1 2]

Starts `python -m api` on loopback (the fixture bucket by default), requests every data endpoint
over fresh connections until every worker has answered (a worker names itself in
`api_worker_info{pid=...}` on /metrics), then reads RSS, peak RSS and PSS of each worker and of
uvicorn's supervisor from /proc. Each worker holds its own snapshot, so memory grows per worker.
"""

import argparse
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from devtools.paths import BUCKET_PANDAS15
from devtools.processes import running_api
from devtools.prometheus import sample_labels
from devtools.waiting import wait_until

PATHS = [
    "area_values",
    "predictions/1/111",
    "monitoring/metrics",
    "monitoring/values/1/111",
    "monitoring/summary",
    "monitoring/errors/1/111",
]


def kilobytes(pid: str, file: str, field: str) -> float:
    match = re.search(rf"^{field}:\s+(\d+) kB", Path(f"/proc/{pid}/{file}").read_text(), re.MULTILINE)
    return int(match.group(1)) / 1024 if match else float("nan")


def parent_pid(pid: str) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]


def answering_worker(base_url: str) -> str:
    """Serve every data endpoint and a scrape on one fresh connection; the pid of the worker that answered."""
    with httpx.Client(base_url=base_url, timeout=10) as client:
        for path in PATHS:
            client.get(path).raise_for_status()
        metrics = client.get(base_url.removesuffix("/api/v1") + "/metrics").text
    return sample_labels(metrics, "api_worker_info")[0]["pid"]


def measure(bucket: Path, workers: int) -> list[tuple[str, str, float, float, float]]:
    with running_api(bucket, {"APP_API_WORKERS_COUNT": str(workers)}) as base_url:
        seen: set[str] = set()
        with ThreadPoolExecutor(max_workers=8) as pool:

            def all_answered() -> bool:
                seen.update(pool.map(lambda _: answering_worker(base_url), range(16)))
                return len(seen) >= workers

            wait_until(all_answered, timeout=120, what=f"all {workers} workers answering", interval=0)
        rows = []
        for pid in sorted(seen):
            rows.append(("worker", pid, *usage(pid)))
        if workers > 1:
            supervisor = parent_pid(next(iter(seen)))
            rows.append(("supervisor", supervisor, *usage(supervisor)))
    return rows


def usage(pid: str) -> tuple[float, float, float]:
    return (
        kilobytes(pid, "status", "VmRSS"),
        kilobytes(pid, "status", "VmHWM"),
        kilobytes(pid, "smaps_rollup", "Pss"),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bucket", type=Path, default=BUCKET_PANDAS15)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    print(f"bucket: {args.bucket}")
    print(f"{'workers':>7}  {'process':<10} {'pid':>7} {'RSS MB':>8} {'peak MB':>8} {'PSS MB':>8}")
    for workers in args.workers:
        rows = measure(args.bucket, workers)
        for role, pid, rss, peak, pss in rows:
            print(f"{workers:>7}  {role:<10} {pid:>7} {rss:>8.1f} {peak:>8.1f} {pss:>8.1f}")
        total = sum(row[4] for row in rows)
        print(f"{workers:>7}  {'total PSS':<10} {'':>7} {'':>8} {'':>8} {total:>8.1f}")


if __name__ == "__main__":
    main()
