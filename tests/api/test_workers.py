"""`APP_API_WORKERS_COUNT=2`: two uvicorn worker processes, each loading and serving its own snapshot."""

import contextlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from devtools.prometheus import sample_labels, samples
from devtools.waiting import WaitTimeout, wait_until
from support import BUCKET_PANDAS15, running_api

pytestmark = pytest.mark.e2e


def worker_report(metrics_url: str) -> dict[str, float | str]:
    """One scrape on a fresh connection: which worker answered, and its own figures."""
    text = httpx.get(metrics_url, headers={"Connection": "close"}, timeout=10).text
    report: dict[str, float | str] = {"pid": sample_labels(text, "api_worker_info")[0]["pid"]}
    for (name, _), value in samples(text).items():
        if name in ("api_snapshot_id", "api_ready", "process_resident_memory_bytes"):
            report[name] = value
    return report


def parent_pid(pid: str) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]


def test_two_workers_each_hold_a_loaded_snapshot_and_answer():
    with running_api(BUCKET_PANDAS15, {"APP_API_WORKERS_COUNT": "2"}) as base_url:
        metrics_url = base_url.removesuffix("/api/v1") + "/metrics"
        workers: dict[str, dict] = {}
        with ThreadPoolExecutor(max_workers=8) as pool:

            def both_answered() -> bool:
                for report in pool.map(lambda _: worker_report(metrics_url), range(16)):
                    workers[str(report["pid"])] = report
                return len(workers) == 2

            with contextlib.suppress(WaitTimeout):  # the assertion below says which answered
                wait_until(both_answered, timeout=60, what="both workers answering", interval=0)
            forecasts = list(pool.map(lambda _: httpx.get(f"{base_url}/predictions/1/111", timeout=10), range(16)))
        parents = {parent_pid(pid) for pid in workers}
    assert len(workers) == 2, f"only these workers answered: {list(workers)}"
    assert all(report["api_ready"] == 1 and report["api_snapshot_id"] == 1 for report in workers.values())
    assert all(report["process_resident_memory_bytes"] > 10_000_000 for report in workers.values())
    assert len(parents) == 1 and parents.isdisjoint(workers)
    assert all(response.status_code == 200 for response in forecasts)
