"""Soak and fault run: one API worker on fake-gcs-server under mixed load while the bucket changes and fails.

    uv run python scripts/soak.py [--seconds 60] [--refresh 5] [--concurrency 8]

Everything runs on loopback and is bounded in time. fake-gcs-server (the bundled binary, its log in
test-artifacts/soak-fake-gcs.log) holds a copy of the fixture bucket; `python -m api` serves it with one
worker, `APP_API_REFRESH_SECONDS=--refresh` and JSON logs (test-artifacts/soak-api.log). While
`--concurrency` clients request every data endpoint (a fifth of them revalidating with If-None-Match),
in sequence: y.parquet is replaced with new values, then predictions.parquet, then a corrupt
predictions.parquet is uploaded and later fixed, then the emulator is stopped for 15 s and restarted
(and y.parquet replaced once more). Load lasts `--seconds` or until that sequence ends, whichever is later.

Report (printed, and written to test-artifacts/soak-report.json): data requests that failed (target 0),
responses whose snapshot (`X-Snapshot-Id`) was older than one already served before the request was
sent (target 0), seconds from each upload until its data was served (target <= refresh + 5 s), RSS of
the worker at start and end (target: growth < 10 %). Exit status 1 when a target is missed. Latency is
given as the clients saw it (load generator in this process, so it includes its own queueing) and as
the server logged it (access log `duration_ms`: from the request reaching the app to the last byte).
"""

import argparse
import asyncio
import bisect
import contextlib
import io
import json
import os
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyarrow.compute as pc
import pyarrow.parquet as pq
from devtools.emulator import FakeGcs
from devtools.paths import ARTIFACTS, BUCKET_PANDAS15, REPO_ROOT
from devtools.processes import free_port, running
from devtools.prometheus import samples
from devtools.stats import percentile
from devtools.waiting import WaitTimeout, await_until

BUCKET = "soak-bucket"
PROBE = (1, 111)
OUTAGE_SECONDS = 15
REVALIDATE_SHARE = 0.2


@dataclass
class Outcome:
    started: float
    ended: float
    path: str
    status: int  # 0 = transport error
    snapshot_id: int | None
    error: str = ""


@dataclass
class Run:
    origin: float
    outcomes: list[Outcome] = field(default_factory=list)
    events: list[tuple[float, str]] = field(default_factory=list)
    served_after: dict[str, float | None] = field(default_factory=dict)
    kept_last_good_while_corrupt: bool = False
    stop: asyncio.Event = field(default_factory=asyncio.Event)

    def log(self, message: str) -> None:
        moment = time.monotonic() - self.origin
        self.events.append((round(moment, 2), message))
        print(f"  t={moment:5.1f} s  {message}", flush=True)


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


def scaled(name: str, factor: float) -> bytes:
    """The fixture file with its value column multiplied: same schema and metadata as the pipeline's file."""
    table = pq.read_table(BUCKET_PANDAS15 / name)
    index = table.schema.get_field_index("energy_consumption")
    table = table.set_column(index, "energy_consumption", pc.multiply(table["energy_consumption"], factor))
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def data_paths(client: httpx.Client) -> list[str]:
    """Every data endpoint, per-series ones for each series the bucket can answer."""
    summary = client.get("monitoring/summary").json()
    series = [(row["area"], row["consumer_type"]) for row in summary["series"]]
    paths = ["area_values", "consumer_type_values", "freshness", "monitoring/metrics", "monitoring/summary"]
    for area, consumer_type in series:
        for endpoint in ("predictions", "monitoring/values", "monitoring/errors"):
            path = f"{endpoint}/{area}/{consumer_type}"
            if client.get(path).status_code == 200:
                paths.append(path)
    return paths


async def load(client: httpx.AsyncClient, paths: list[str], run: Run, seed: int) -> None:
    rng = random.Random(seed)
    etags: dict[str, str] = {}
    while not run.stop.is_set():
        path = rng.choice(paths)
        headers = {"If-None-Match": etags[path]} if path in etags and rng.random() < REVALIDATE_SHARE else {}
        started = time.monotonic()
        try:
            response = await client.get(path, headers=headers)
        except httpx.HTTPError as error:
            run.outcomes.append(Outcome(started, time.monotonic(), path, 0, None, repr(error)))
            continue
        ended = time.monotonic()
        snapshot = response.headers.get("x-snapshot-id")
        if path == "freshness" and response.status_code == 200:
            snapshot = response.json()["snapshot_id"]
        if "etag" in response.headers:
            etags[path] = response.headers["etag"]
        error = "" if response.status_code in (200, 304) else response.text[:200]
        run.outcomes.append(
            Outcome(started, ended, path, response.status_code, int(snapshot) if snapshot else None, error)
        )


async def wait_for(check, run: Run, timeout: float) -> float | None:
    """Seconds until `check()` is true (polled every 0.1 s), None if not within `timeout`."""
    started = time.monotonic()
    try:
        await await_until(check, timeout, what=getattr(check, "__name__", "check"), interval=0.1)
    except WaitTimeout:
        return None
    return time.monotonic() - started


REPLACEMENTS = [("y.parquet", 1.5), ("predictions.parquet", 1.5), ("predictions.parquet", 2.0), ("y.parquet", 2.0)]


async def faults(
    client: httpx.AsyncClient, gcs: FakeGcs, run: Run, refresh: float, files: dict[tuple[str, float], bytes]
) -> None:
    area, consumer_type = PROBE
    probe = f"predictions/{area}/{consumer_type}"
    baseline = (await client.get(probe)).json()
    patience = refresh + 30

    async def serves(key: str, expected: float) -> bool:
        body = (await client.get(probe)).json()
        return abs(body[key][-1] - expected) < 1e-9 * max(1.0, abs(expected))

    corrupt = b"PAR1" + random.randbytes(4096) + b"PAR1"

    async def replace(name: str, factor: float, key: str, label: str) -> None:
        await asyncio.to_thread(gcs.upload, BUCKET, name, files[(name, factor)])
        run.log(f"uploaded {name} x{factor}")
        seconds = await wait_for(lambda: serves(key, baseline[key][-1] * factor), run, patience)
        run.served_after[label] = None if seconds is None else round(seconds, 2)
        run.log(f"{label}: new data served after {seconds if seconds is None else round(seconds, 2)} s")

    await asyncio.sleep(3)
    await replace("y.parquet", 1.5, "energy_consumption", "y.parquet replaced")
    await replace("predictions.parquet", 1.5, "preds_energy_consumption", "predictions.parquet replaced")

    await asyncio.to_thread(gcs.upload, BUCKET, "predictions.parquet", corrupt)
    run.log("uploaded a corrupt predictions.parquet")

    async def corruption_reported() -> bool:
        error = (await client.get("ready")).json().get("last_refresh_error") or ""
        return "predictions.parquet" in error

    seconds = await wait_for(corruption_reported, run, patience)
    run.log(f"corruption reported by /ready after {seconds and round(seconds, 2)} s; holding one refresh interval")
    await asyncio.sleep(refresh)
    kept = await serves("preds_energy_consumption", baseline["preds_energy_consumption"][-1] * 1.5)
    run.kept_last_good_while_corrupt = kept
    run.log(f"last good predictions still served: {kept}")
    await replace("predictions.parquet", 2.0, "preds_energy_consumption", "corrupt predictions.parquet fixed")

    await asyncio.to_thread(gcs.stop)
    run.log(f"emulator stopped for {OUTAGE_SECONDS} s")
    await asyncio.sleep(OUTAGE_SECONDS)
    await asyncio.to_thread(gcs.start)
    run.log("emulator restarted")
    await replace("y.parquet", 2.0, "energy_consumption", "y.parquet replaced after the outage")


def regressions(outcomes: list[Outcome]) -> list[Outcome]:
    """Responses older than a snapshot already served completely before they were requested."""
    finished = sorted((o for o in outcomes if o.snapshot_id is not None), key=lambda o: o.ended)
    ends = [o.ended for o in finished]
    newest_so_far = []
    newest = 0
    for outcome in finished:
        newest = max(newest, outcome.snapshot_id)
        newest_so_far.append(newest)
    older = []
    for outcome in finished:
        index = bisect.bisect_left(ends, outcome.started)
        if index and outcome.snapshot_id < newest_so_far[index - 1]:
            older.append(outcome)
    return older


def read_log(path: Path) -> tuple[dict[str, int], dict[str, float]]:
    """Line counts of the API's JSON log, and the server-side request durations it recorded."""
    counts = {"access": 0, "error": 0, "snapshot swaps": 0, "unparsable": 0}
    durations = []
    for line in path.read_text().splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            counts["unparsable"] += 1
            continue
        if entry.get("logger") == "api.access":
            counts["access"] += 1
            durations.append(entry["duration_ms"])
        if entry.get("level") in ("ERROR", "CRITICAL"):
            counts["error"] += 1
        if entry.get("logger") == "api.store" and entry.get("message", "").startswith("serving snapshot"):
            counts["snapshot swaps"] += 1
    server_ms = {"p50": percentile(durations, 50), "p99": percentile(durations, 99), "max": max(durations)}
    return counts, server_ms


async def soak(args: argparse.Namespace, gcs: FakeGcs, base_url: str, pid: int) -> dict:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        paths = data_paths(client)
    # One client and one connection per simulated user: with the clients sharing one pool, requests
    # queued inside httpcore's pool for up to 10 s while the server's log showed no request over 50 ms.
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with contextlib.AsyncExitStack() as clients:
        users = [
            await clients.enter_async_context(httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits))
            for _ in range(args.concurrency)
        ]
        client = users[0]
        for path in paths:  # warm-up: every body once, so the start figure is a serving process
            (await client.get(path)).raise_for_status()
        rss_start = rss_mb(pid)
        # Built before the load: parquet work during it would hold the GIL and stall this process's clients.
        files = {(name, factor): scaled(name, factor) for name, factor in REPLACEMENTS}
        run = Run(origin=time.monotonic())
        print(f"load: {args.concurrency} clients over {len(paths)} data paths; worker RSS {rss_start:.1f} MB")
        loaders = [asyncio.create_task(load(user, paths, run, seed)) for seed, user in enumerate(users)]
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as probe_client:
            await faults(probe_client, gcs, run, args.refresh, files)
        remaining = args.seconds - (time.monotonic() - run.origin)
        if remaining > 0:
            await asyncio.sleep(remaining)
        run.stop.set()
        await asyncio.gather(*loaders)
        duration = time.monotonic() - run.origin
        rss_end = rss_mb(pid)
        metrics = (await client.get(base_url.removesuffix("/api/v1") + "/metrics")).text

    outcomes = run.outcomes
    failed = [o for o in outcomes if o.status not in (200, 304)]
    older = regressions(outcomes)
    latencies = [o.ended - o.started for o in outcomes]
    statuses: dict[str, int] = {}
    for outcome in outcomes:
        statuses[str(outcome.status)] = statuses.get(str(outcome.status), 0) + 1
    scraped = samples(metrics)
    refresh_counts = {
        name: scraped[name, frozenset()]
        for name in (
            "api_refresh_successes_total",
            "api_refresh_failures_total",
            "api_refresh_loop_errors_total",
            "api_snapshot_id",
        )
        if (name, frozenset()) in scraped
    }
    return {
        "settings": {
            "load_seconds": round(duration, 1),
            "concurrency": args.concurrency,
            "refresh_seconds": args.refresh,
            "workers": 1,
            "data_paths": len(paths),
        },
        "requests": len(outcomes),
        "requests_per_second": round(len(outcomes) / duration, 1),
        "statuses": statuses,
        "client_side_latency_ms": {
            "p50": round(percentile(latencies, 50) * 1000, 2),
            "p99": round(percentile(latencies, 99) * 1000, 2),
            "max": round(max(latencies) * 1000, 2),
        },
        "client_requests_over_1s": sum(latency > 1 for latency in latencies),
        "slowest": [
            f"t={o.started - run.origin:.1f} s {(o.ended - o.started) * 1000:.0f} ms {o.path}"
            for o in sorted(outcomes, key=lambda o: o.started - o.ended)[:5]
        ],
        "failed_data_requests": len(failed),
        "failed_examples": [f"{o.path} {o.status} {o.error}" for o in failed[:5]],
        "snapshot_went_back": len(older),
        "snapshots_seen": sorted({o.snapshot_id for o in outcomes if o.snapshot_id is not None}),
        "seconds_until_new_data_served": run.served_after,
        "last_good_predictions_kept_while_corrupt": run.kept_last_good_while_corrupt,
        "rss_mb": {"start": round(rss_start, 1), "end": round(rss_end, 1)},
        "rss_growth_percent": round((rss_end - rss_start) / rss_start * 100, 1),
        "metrics_at_end": refresh_counts,
        "events": run.events,
    }


def verdict(report: dict, refresh: float) -> list[str]:
    missed = []
    if report["failed_data_requests"]:
        missed.append(f"{report['failed_data_requests']} data requests failed")
    if report["snapshot_went_back"]:
        missed.append(f"{report['snapshot_went_back']} responses went back to an older snapshot")
    for label, seconds in report["seconds_until_new_data_served"].items():
        if seconds is None or seconds > refresh + 5:
            missed.append(f"{label}: {seconds} s (target <= {refresh + 5} s)")
    if not report["last_good_predictions_kept_while_corrupt"]:
        missed.append("the last good predictions were not served while the upload was corrupt")
    if report["rss_growth_percent"] >= 10:
        missed.append(f"RSS grew {report['rss_growth_percent']} %")
    return missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--refresh", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()

    ARTIFACTS.mkdir(exist_ok=True)
    api_log_path = ARTIFACTS / "soak-api.log"
    with FakeGcs(log_path=ARTIFACTS / "soak-fake-gcs.log") as gcs:
        gcs.create_bucket(BUCKET)
        gcs.upload_folder(BUCKET, BUCKET_PANDAS15)
        port = free_port()
        env = {
            **{name: value for name, value in os.environ.items() if not name.startswith("APP_API_")},
            "APP_API_GCP_BUCKET": f"gs://{BUCKET}",
            "APP_API_HOST": "127.0.0.1",
            "APP_API_PORT": str(port),
            "APP_API_WORKERS_COUNT": "1",
            "APP_API_REFRESH_SECONDS": str(args.refresh),
            "APP_API_LOG_FORMAT": "json",
            "APP_API_LOG_LEVEL": "info",
            "STORAGE_EMULATOR_HOST": gcs.url,
        }
        api_log_path.unlink(missing_ok=True)
        base_url = f"http://127.0.0.1:{port}/api/v1"
        command = [sys.executable, "-m", "api"]
        with running(command, REPO_ROOT / "app-api", env, f"{base_url}/ready", api_log_path, timeout=120) as process:
            report = asyncio.run(soak(args, gcs, base_url, process.pid))
    report["log_lines"], report["server_side_latency_ms"] = read_log(api_log_path)
    (ARTIFACTS / "soak-report.json").write_text(json.dumps(report, indent=2))

    print(json.dumps({key: value for key, value in report.items() if key != "events"}, indent=2))
    missed = verdict(report, args.refresh)
    print("targets: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
