"""What the API benchmark scripts share: servers on free ports timed to ready, bounded wrk runs, paired
floor runs, sequential latencies and memory from /proc. They print; nothing here asserts a speed.

Needs Debian's `wrk` for the load runs (apt-get install wrk).
"""

import re
import statistics
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from devtools.paths import ARTIFACTS, REPO_ROOT
from devtools.processes import pinned, start_process, stop_process
from devtools.stats import percentile
from devtools.waiting import wait_for_http


def peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def start(
    command: list[str], env: dict[str, str], ready_url: str, cwd: Path, cpus: str | None = None
) -> tuple[subprocess.Popen, float]:
    """Start a server (on `cpus` if given); the process and the seconds until `ready_url` answered (50 ms polls)."""
    started = time.perf_counter()
    log_path = ARTIFACTS / f"bench-server-{ready_url.split(':')[2].split('/')[0]}.log"
    log_path.unlink(missing_ok=True)
    process = start_process(pinned(command, cpus), cwd, env, log_path)
    try:
        wait_for_http(ready_url, timeout=120, process=process, interval=0.05)
    except Exception as error:
        stop_process(process)
        raise SystemExit(f"server not ready: {error}; see {log_path}") from error
    return process, time.perf_counter() - started


def latencies(url: str, requests: int = 500, params: dict | None = None, warmup: int = 20) -> tuple[float, float]:
    """Sequential p50 and p99 in ms over one connection (after a warm-up), every answer checked to be 200."""
    timings = []
    with httpx.Client(timeout=30) as client:
        for _ in range(warmup):
            client.get(url, params=params)
        for _ in range(requests):
            began = time.perf_counter()
            response = client.get(url, params=params)
            timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (url, response.status_code, response.text[:200])
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
        print(f"    wrk reported errors for {url}:\n{output}")  # noqa: T201 - a benchmark reports by printing
    return Run(rate, p99, (stolen_after - stolen_before) / max(1, ticks_after - ticks_before))


@dataclass
class Server:
    base: str
    process: subprocess.Popen
    cold_start: float


@contextmanager
def serve(
    command: list[str], env: dict[str, str], port: int, ready_path: str, cpus: str | None = None
) -> Iterator[Server]:
    """A server on a free loopback port (on `cpus` when given: see `processes.servers_apart_from_generator`)."""
    base = f"http://127.0.0.1:{port}"
    process, cold_start = start(command, env, base + ready_path, REPO_ROOT, cpus)
    try:
        yield Server(base, process, cold_start)
    finally:
        stop_process(process)


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
    """Per concurrency: median req/s, median ratio to the floor and its range, p99s, every pair's figures."""
    for connections, runs in pairs.items():
        ratios = [ours.rate / floor.rate for floor, ours in runs]
        described = ", ".join(
            f"{ours.rate:.0f}/{floor.rate:.0f} req/s p99 {ours.p99:.0f}/{floor.p99:.0f} ms"
            f" steal {ours.steal:.0%}/{floor.steal:.0%}"
            for floor, ours in runs
        )
        print(  # noqa: T201 - a benchmark reports by printing
            f"    c={connections}: median {statistics.median(ours.rate for _, ours in runs):.0f} req/s,"
            f" {statistics.median(ratios):.0%} of the floor (range {min(ratios):.0%}-{max(ratios):.0%}),"
            f" p99 median {statistics.median(ours.p99 for _, ours in runs):.1f} ms"
            f" (floor {statistics.median(floor.p99 for floor, _ in runs):.1f} ms)   [ours/floor: {described}]"
        )
