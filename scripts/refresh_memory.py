"""Peak memory of the API while it refreshes a large bucket and while its data gates reject oversized
files, printed (not asserted); the figures the memory limits in deploy/ are derived from.

    uv run python scripts/refresh_memory.py [--days 1095 1640] [--without-gates]

For each bucket size (`--days` of observations of the demo generator: 1095 is the three-year bucket,
~2.0 M rows in X and y; 1640 comes up to the default APP_API_MAX_ROWS of 3 M), `python -m api` (one
worker, default settings) starts on a generated bucket. Then, each step starting from a reset peak
(`echo 5 > /proc/<pid>/clear_refs`, so VmHWM is the peak of that step alone):
- refresh, twice: X.parquet rewritten, predictions.parquet and y.parquet with values scaled, as a
  pipeline run writes them; the new snapshot is built while the old one is still served, so two
  are alive at once;
- a re-run for an older day: y.parquet a week before the forecast is rejected and held in memory,
  then the forecast that follows it arrives and both are taken (the held y and a build at once);
- rejecting an object over APP_API_MAX_OBJECT_BYTES (129 MiB of random bytes: never downloaded);
- rejecting a file whose footer declares 200 MiB uncompressed (a few kilobytes on disk);
- rejecting a file of 50 M rows (a few hundred kilobytes on disk).
Each rejection replaces a monitoring file, so the forecast stays served.
`--without-gates` also serves the fixture bucket with the row and size limits lifted and uploads a
10 M-row file, to show what such a file costs when nothing stops it.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from devtools.bench import peak_rss_mb
from devtools.paths import BUCKET_PANDAS15
from devtools.processes import running_api
from devtools.prometheus import sample_labels
from devtools.waiting import wait_until

MIB = 1024 * 1024


def rss_mb(pid: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak(pid: str) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def worker_pid(base_url: str) -> str:
    metrics = httpx.get(base_url.removesuffix("/api/v1") + "/metrics", timeout=10).text
    return sample_labels(metrics, "api_worker_info")[0]["pid"]


def replace(bucket: Path, name: str, write) -> None:
    """Write an object whole, as the pipeline does: beside its name, then renamed."""
    partial = bucket / f".{name}.partial"
    write(partial)
    os.replace(partial, bucket / name)


def scaled(bucket: Path, name: str, factor: float):
    """A writer of `name` with its values scaled (a new generation of good data)."""
    table = pq.read_table(bucket / name)

    def write(path: Path) -> None:
        columns = {
            field.name: pc.multiply(table.column(field.name), factor)
            if field.name == "energy_consumption"
            else table.column(field.name)
            for field in table.schema
        }
        pq.write_table(pa.table(columns, schema=table.schema), path)

    return write


def rewritten(bucket: Path, name: str, turn: int):
    """A writer of the same data in other row groups: new bytes, so a new generation (X has no values)."""
    table = pq.read_table(bucket / name)
    return lambda path: pq.write_table(table, path, row_group_size=1_000_000 + turn)


def a_week_earlier(bucket: Path, name: str):
    """A writer of `name` with every hour a week earlier (a pipeline re-run for an older day)."""

    def write(path: Path) -> None:
        frame = pd.read_parquet(bucket / name)
        frame.index = frame.index.set_levels(frame.index.levels[2] - 168, level=2)
        frame.to_parquet(path)

    return write


def uncompressed_bomb(path: Path) -> None:
    """200 row groups of one 1 MiB blob of zeros each: 200 MiB uncompressed, a few kB stored."""
    schema = pa.schema(
        [("area", pa.int8()), ("consumer_type", pa.int16()), ("datetime_utc", pa.int64()),
         ("energy_consumption", pa.float64()), ("notes", pa.binary())]
    )  # fmt: skip
    with pq.ParquetWriter(path, schema, compression="zstd", use_dictionary=False) as writer:
        for hour in range(200):
            writer.write_table(pa.table([[1], [111], [468000 + hour], [1.0], [b"\0" * MIB]], schema=schema))


def rows_bomb(rows: int):
    def write(path: Path) -> None:
        schema = pa.schema(
            [("area", pa.int8()), ("consumer_type", pa.int16()), ("datetime_utc", pa.int64()),
             ("energy_consumption", pa.float64())]
        )  # fmt: skip
        step = 5_000_000
        with pq.ParquetWriter(path, schema) as writer:
            for start in range(0, rows, step):
                count = min(step, rows - start)
                writer.write_table(
                    pa.table(
                        [np.ones(count, np.int8), np.full(count, 111, np.int16),
                         np.full(count, 468551, np.int64), np.ones(count)],
                        schema=schema,
                    )
                )  # fmt: skip

    return write


def oversized_object(path: Path) -> None:
    with path.open("wb") as handle:
        for _ in range(129):
            handle.write(os.urandom(MIB))


def ready(base_url: str) -> dict:
    return httpx.get(f"{base_url}/ready", timeout=30).json()


def step(label: str, base_url: str, pid: str, bucket: Path, uploads: dict, done) -> None:
    """Reset the peak, write `uploads` ({name: writer}), wait until `done(/ready)`; print the peak."""
    reset_peak(pid)
    before = rss_mb(pid)
    started = time.monotonic()
    for name, write in uploads.items():
        replace(bucket, name, write)
    wait_until(lambda: done(ready(base_url)), 300, label, interval=0.2)
    seconds = time.monotonic() - started
    size = sum((bucket / name).stat().st_size for name in uploads)
    print(
        f"  {label:<52} file {size / MIB:8.2f} MiB  RSS before {before:7.1f} MB  peak {peak_rss_mb(int(pid)):7.1f} MB"
        f"  after {rss_mb(pid):7.1f} MB  ({seconds:.1f} s)",
        flush=True,
    )


def generation(base_url: str, name: str) -> str | None:
    return {entry["name"]: entry["generation"] for entry in ready(base_url)["files"]}[name]


def rejected(name: str, rule: str):
    return lambda body: any(entry["object"] == name and entry["rule"] == rule for entry in body["rejections"])


def measure(days: int) -> None:
    with tempfile.TemporaryDirectory(prefix=f"memory-{days}d-") as folder:
        bucket = Path(folder)
        subprocess.run(
            [sys.executable, "-m", "api.demo", folder, "--observed-days", str(days)], check=True, capture_output=True
        )
        (bucket / "DEMO_BUCKET.json").unlink()
        rows = pq.ParquetFile(bucket / "y.parquet").metadata.num_rows
        with running_api(bucket, {"APP_API_REFRESH_SECONDS": "1"}, timeout=300) as base_url:
            pid = worker_pid(base_url)
            print(f"{days} days of observations ({rows:,} rows in y), pid {pid}", flush=True)
            startup = f"peak {peak_rss_mb(int(pid)):7.1f} MB  after {rss_mb(pid):7.1f} MB"
            print(f"  {'start-up: first load':<52} {'':36}  {startup}", flush=True)
            for turn in (1, 2):  # the second shows where the process settles after a swap
                old_y = generation(base_url, "y.parquet")
                step(
                    f"refresh {turn}: new X, y and predictions (two snapshots)",
                    base_url,
                    pid,
                    bucket,
                    {
                        "X.parquet": rewritten(bucket, "X.parquet", turn),
                        "predictions.parquet": scaled(bucket, "predictions.parquet", 1.01),
                        "y.parquet": scaled(bucket, "y.parquet", 1.01),
                    },
                    lambda body, old_y=old_y: (
                        body["last_refresh_error"] is None and generation(base_url, "y.parquet") != old_y
                    ),
                )
            step("re-run: y a week back, rejected and held in memory", base_url, pid, bucket,
                 {"y.parquet": a_week_earlier(bucket, "y.parquet")},
                 rejected("y.parquet", "forecast_horizon"))  # fmt: skip
            old_y = generation(base_url, "y.parquet")
            step(
                "its forecast arrives: both taken (held y + new snapshot)",
                base_url,
                pid,
                bucket,
                {"predictions.parquet": a_week_earlier(bucket, "predictions.parquet")},
                lambda body: body["last_refresh_error"] is None and generation(base_url, "y.parquet") != old_y,
            )
            time.sleep(3)
            step("reject: object over 128 MiB (not downloaded)", base_url, pid, bucket,
                 {"predictions_monitoring.parquet": oversized_object},
                 rejected("predictions_monitoring.parquet", "object_size"))  # fmt: skip
            step("reject: footer says 200 MiB uncompressed", base_url, pid, bucket,
                 {"metrics_monitoring.parquet": uncompressed_bomb},
                 rejected("metrics_monitoring.parquet", "uncompressed_size"))  # fmt: skip
            step("reject: 50 M rows", base_url, pid, bucket, {"y_monitoring.parquet": rows_bomb(50_000_000)},
                 rejected("y_monitoring.parquet", "row_count"))  # fmt: skip
            print(f"  overall peak of the process: see the steps; RSS now {rss_mb(pid):.1f} MB", flush=True)


def without_gates() -> None:
    """The fixture bucket with the row and size limits lifted; a 10 M-row file goes all the way in."""
    with tempfile.TemporaryDirectory(prefix="memory-no-gates-") as folder:
        bucket = Path(folder)
        for path in BUCKET_PANDAS15.iterdir():
            (bucket / path.name).write_bytes(path.read_bytes())
        lifted = {
            "APP_API_REFRESH_SECONDS": "1",
            "APP_API_MAX_ROWS": str(10**9),
            "APP_API_MAX_UNCOMPRESSED_BYTES": str(10**12),
        }
        with running_api(bucket, lifted, timeout=300) as base_url:
            pid = worker_pid(base_url)
            print(f"fixture bucket, row and size limits lifted, pid {pid}", flush=True)
            step("take: 10 M rows of one series and hour (limits lifted)", base_url, pid, bucket,
                 {"y_monitoring.parquet": rows_bomb(10_000_000)},
                 lambda body: {f["name"]: f["rows"] for f in body["files"]}["y_monitoring.parquet"] == 1
                 or bool(body["rejections"]))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, nargs="+", default=[1095, 1640])
    parser.add_argument("--without-gates", action="store_true")
    arguments = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; pandas {pd.__version__}", flush=True)
    for days in arguments.days:
        measure(days)
    if arguments.without_gates:
        without_gates()


if __name__ == "__main__":
    main()
