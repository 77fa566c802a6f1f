"""Do expensive requests starve cheap ones? Printed (not asserted): the cheap client's latency alone and
under load, what became of every expensive request, and the API process's memory.

    uv run python scripts/bench_isolation.py [--duration 60] [--expensive-clients 4]

Serves a generated three-year bucket (~2M rows in y, as `bench_api.py`) with one uvicorn worker. Then:
1. the cheap client alone: sequential `GET /api/v1/predictions/1/111`, one connection, a request every
   `--pause` ms, for `--baseline` seconds;
2. the same cheap client while `--expensive-clients` processes each request, back to back, three years
   of a series as CSV: every observed series in turn and the totals (`all/all`, `1/all`, `2/all`),
   `start`/`end` spanning everything loaded, `tz` cycling through zones with and without daylight
   saving, so nearly every request is a miss that must be built. A refused request (429 or 503 with
   `Retry-After`) is asked again after a short pause, not after `Retry-After`: the worst case;
3. the API process's resident memory sampled every 0.25 s from before the load to its end.

Every expensive request ends as one of: answered (200, body read whole), refused (429/503 with a
`Retry-After`), or wrong (any other status, a refusal without `Retry-After`, a timeout or a broken
connection). A client gives up on a request after `--timeout` seconds; that counts as wrong (a hang).
"""

import argparse
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import httpx
from devtools.bench import serve
from devtools.processes import free_port
from devtools.stats import percentile

CHEAP = "/api/v1/predictions/1/111"
ZONES = (
    "Europe/Copenhagen",
    "UTC",
    "America/New_York",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/St_Johns",
    "Asia/Tokyo",
    "Africa/Casablanca",
    "America/Sao_Paulo",
)
TOTALS = ("all/all", "1/all", "2/all")


@dataclass
class Outcomes:
    counts: Counter = field(default_factory=Counter)
    answered_seconds: list[float] = field(default_factory=list)
    answered_bytes: int = 0
    wrong_examples: list[str] = field(default_factory=list)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def cheap_client(base: str, seconds: float, pause: float, results: "multiprocessing.Queue") -> None:
    """Sequential requests on one connection; every answer must be a 200."""
    timings, failures = [], 0
    with httpx.Client(timeout=30) as client:
        for _ in range(20):
            client.get(base + CHEAP)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            began = time.perf_counter()
            response = client.get(base + CHEAP)
            timings.append((time.perf_counter() - began) * 1000)
            failures += response.status_code != 200
            time.sleep(pause)
    results.put(("cheap", timings, failures))


def expensive_client(
    number: int, base: str, targets: list[str], window: tuple[str, str], seconds: float, timeout: float, results
) -> None:
    """Three years of one series or total as CSV per request, in a new zone each time."""
    outcomes = Outcomes()
    start, end = window
    request_number = number * 7  # clients start at different places in the cycle
    with httpx.Client(timeout=timeout, headers={"Accept-Encoding": "gzip"}) as client:
        finish = time.monotonic() + seconds
        while time.monotonic() < finish:
            target = targets[request_number % len(targets)]
            tz = ZONES[(request_number // len(targets) + number) % len(ZONES)]
            request_number += 1
            params = {"format": "csv", "tz": tz, "start": start, "end": end}
            began = time.perf_counter()
            try:
                with client.stream("GET", f"{base}/api/v2/series/{target}", params=params) as response:
                    size = sum(len(chunk) for chunk in response.iter_raw())
            except httpx.HTTPError as error:
                outcomes.counts["wrong"] += 1
                outcomes.wrong_examples.append(f"{type(error).__name__} after {time.perf_counter() - began:.1f} s")
                continue
            if response.status_code == 200:
                outcomes.counts["answered"] += 1
                outcomes.answered_seconds.append(time.perf_counter() - began)
                outcomes.answered_bytes += size
            elif response.status_code in (429, 503) and response.headers.get("retry-after"):
                outcomes.counts[f"refused {response.status_code}"] += 1
                time.sleep(0.05)
            else:
                outcomes.counts["wrong"] += 1
                outcomes.wrong_examples.append(f"{response.status_code} {response.headers.get('content-type')}")
    results.put(("expensive", outcomes))


def describe(timings: list[float]) -> str:
    return (
        f"{len(timings)} requests, p50 {percentile(timings, 50):.1f} ms, p99 {percentile(timings, 99):.1f} ms,"
        f" max {max(timings):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    parser.add_argument("--baseline", type=float, default=20, help="seconds of the cheap client alone")
    parser.add_argument("--expensive-clients", type=int, default=4)
    parser.add_argument("--pause", type=float, default=10, help="ms between the cheap client's requests")
    parser.add_argument("--timeout", type=float, default=60, help="seconds an expensive request may take")
    parser.add_argument("--observed-days", type=int, default=1095, help="length of the generated bucket's y")
    parser.add_argument("--env", action="append", default=[], help="extra API setting NAME=VALUE (repeatable)")
    arguments = parser.parse_args()

    env = {**os.environ, "APP_API_LOG_LEVEL": "warning"}
    python = sys.executable
    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; python {sys.version.split()[0]};"
        f" {arguments.expensive_clients} expensive clients for {arguments.duration:.0f} s"
    )
    with tempfile.TemporaryDirectory(prefix="bench-isolation-") as bucket:
        subprocess.run(
            [python, "-m", "api.demo", bucket, "--observed-days", str(arguments.observed_days)], check=True, env=env
        )
        (Path(bucket) / "DEMO_BUCKET.json").unlink()
        port = free_port()
        api_env = {
            **env,
            "APP_API_GCP_BUCKET": bucket,
            "APP_API_PORT": str(port),
            "APP_API_HOST": "127.0.0.1",
            "APP_API_WORKERS_COUNT": "1",
            **dict(setting.split("=", 1) for setting in arguments.env),
        }
        with serve([python, "-m", "api"], api_env, port, "/api/v1/ready") as api:
            listing = httpx.get(f"{api.base}/api/v2/series", timeout=30).json()
            status = httpx.get(f"{api.base}/api/v2/status", timeout=30).json()
            targets = [f"{row['area']}/{row['consumer_type']}" for row in listing["series"]]
            for position, total in enumerate(TOTALS):  # spread through the cycle
                targets.insert(position * (len(targets) // len(TOTALS) + 1), total)
            last = datetime.fromisoformat(status["forecast_to"]) + timedelta(hours=1)
            window = (status["observed_from"], last.isoformat())
            print(
                f"bucket: {status['series_count']} series, observed {status['observed_from']} to"
                f" {status['observed_to']}; {len(targets)} targets; ready in {api.cold_start:.1f} s"
            )
            context = multiprocessing.get_context("spawn")
            results = context.Queue()

            alone = context.Process(
                target=cheap_client, args=(api.base, arguments.baseline, arguments.pause / 1000, results)
            )
            alone.start()
            _, alone_timings, alone_failures = results.get()
            alone.join()
            rss_before = rss_mb(api.process.pid)

            cheap = context.Process(
                target=cheap_client, args=(api.base, arguments.duration, arguments.pause / 1000, results)
            )
            heavy = [
                context.Process(
                    target=expensive_client,
                    args=(number, api.base, targets, window, arguments.duration, arguments.timeout, results),
                )
                for number in range(arguments.expensive_clients)
            ]
            for process in heavy:
                process.start()
            time.sleep(1)  # the expensive clients are under way before the cheap one starts timing
            cheap.start()
            samples = []
            while any(process.is_alive() for process in (cheap, *heavy)) or not samples:
                samples.append(rss_mb(api.process.pid))
                time.sleep(0.25)
                if len(samples) * 0.25 > arguments.duration + arguments.timeout + 30:
                    break
            collected = [results.get(timeout=arguments.timeout + 30) for _ in range(1 + len(heavy))]
            for process in (cheap, *heavy):
                process.join()
            rss_after = rss_mb(api.process.pid)

    loaded_timings, loaded_failures = next((r[1], r[2]) for r in collected if r[0] == "cheap")
    total = Outcomes()
    for kind, *rest in collected:
        if kind == "expensive":
            outcomes = rest[0]
            total.counts.update(outcomes.counts)
            total.answered_seconds += outcomes.answered_seconds
            total.answered_bytes += outcomes.answered_bytes
            total.wrong_examples += outcomes.wrong_examples
    print(f"\ncheap client alone:        {describe(alone_timings)}; non-200: {alone_failures}")
    print(f"cheap client under load:   {describe(loaded_timings)}; non-200: {loaded_failures}")
    print(
        f"expensive requests: {sum(total.counts.values())}: "
        + ", ".join(f"{k} {v}" for k, v in sorted(total.counts.items()))
    )
    if total.answered_seconds:
        print(
            f"  answered: {total.answered_bytes / 1e6:.0f} MB on the wire,"
            f" {len(total.answered_seconds) / arguments.duration:.2f}/s,"
            f" seconds p50 {statistics.median(total.answered_seconds):.2f}, max {max(total.answered_seconds):.2f}"
        )
    if total.wrong_examples:
        print(f"  wrong: {Counter(total.wrong_examples).most_common(5)}")
    print(
        f"API process RSS: {rss_before:.0f} MB before the load, peak {max(samples):.0f} MB"
        f" (growth {max(samples) - rss_before:+.0f} MB), {rss_after:.0f} MB after"
    )
    print("targets: cheap p99 under load < 50 ms; every expensive request answered or refused; RSS growth < 300 MB")


if __name__ == "__main__":
    main()
