"""The shared tooling itself: waiting, processes, percentiles and the metrics parser do what they say."""

import json
import os
import subprocess
import sys

import devtools.waiting
import pytest
from devtools.paths import REPO_ROOT
from devtools.processes import free_port, pinned, running, servers_apart_from_generator, stop_process
from devtools.prometheus import sample_labels, sample_value, samples
from devtools.stats import percentile
from devtools.waiting import WaitTimeout, wait_for_http, wait_until

EXPOSITION = """# HELP api_ready 1 when a snapshot is being served.
# TYPE api_ready gauge
api_ready 1.0
# HELP http_requests_total HTTP requests answered.
# TYPE http_requests_total counter
http_requests_total{method="GET",route="/a",status="200"} 3.0
http_requests_total{method="GET",route="/a",status="404"} 1.0
# HELP api_worker_info The process answering this scrape.
# TYPE api_worker_info gauge
api_worker_info{pid="42"} 1.0
"""


def test_percentile_interpolates_between_the_nearest_values_and_stays_within_them():
    values = [4.0, 1.0, 3.0, 2.0]
    assert percentile(values, 50) == 2.5
    assert percentile(values, 0) == 1.0 and percentile(values, 100) == 4.0
    assert percentile(range(1, 101), 99) == pytest.approx(99.01)
    assert percentile([7.0], 99) == 7.0
    with pytest.raises(ValueError):
        percentile([], 50)


def test_samples_are_read_by_name_and_labels():
    assert sample_value(EXPOSITION, "api_ready") == 1.0
    assert sample_value(EXPOSITION, "http_requests_total", method="GET", route="/a", status="404") == 1.0
    assert sample_labels(EXPOSITION, "api_worker_info") == [{"pid": "42"}]
    assert len(samples(EXPOSITION)) == 4
    with pytest.raises(KeyError, match="api_snapshot_id"):
        sample_value(EXPOSITION, "api_snapshot_id")


def test_wait_until_returns_the_checks_value_once_truthy():
    calls = []

    def third_time() -> str:
        calls.append(1)
        return "done" if len(calls) == 3 else ""

    assert wait_until(third_time, timeout=5, what="third call", interval=0.01) == "done"
    assert len(calls) == 3


class FakeClock:
    """Stands in for `time` inside devtools.waiting: `sleep` moves the clock on at once, so a wait's
    length is counted in the clock's seconds and calls, never measured on the wall."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(devtools.waiting, "time", fake)
    return fake


def test_wait_until_gives_up_after_the_timeout_naming_what_it_waited_for(clock):
    answers = []

    def never() -> str:
        answers.append(clock.now)
        return ""

    with pytest.raises(WaitTimeout, match=r"the moon: not within 0.3 s \(last: ''\)"):
        wait_until(never, timeout=0.3, what="the moon", interval=0.1)
    assert answers == pytest.approx([1000.0, 1000.1, 1000.2, 1000.3])  # asked until the deadline, then once more
    assert clock.sleeps == pytest.approx([0.1, 0.1, 0.1])


def test_wait_until_stops_at_once_when_the_process_it_waits_for_exits(clock):
    process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    process.wait()
    checks = []
    with pytest.raises(RuntimeError, match="exited with 3"):
        wait_until(lambda: checks.append(1), timeout=30, what="a server", alive=process)
    assert checks == [] and clock.sleeps == []  # neither asked nor waited


def test_running_starts_a_server_waits_until_it_answers_and_stops_it(tmp_path):
    port = free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    with running(command, tmp_path, None, f"http://127.0.0.1:{port}/", tmp_path / "server.log") as process:
        assert process.poll() is None
        wait_for_http(f"http://127.0.0.1:{port}/", timeout=5)
    assert process.poll() is not None
    assert "GET /" in (tmp_path / "server.log").read_text()


def test_stop_process_kills_what_ignores_sigterm():
    ignores = (
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('up', flush=True); time.sleep(60)"
    )
    process = subprocess.Popen([sys.executable, "-c", ignores], stdout=subprocess.PIPE)
    assert process.stdout.readline() == b"up\n"
    stop_process(process, timeout=0.5)
    assert process.returncode == -9
    process.stdout.close()


def test_the_repository_root_is_found_from_the_installed_package():
    assert (REPO_ROOT / "pyproject.toml").is_file() and (REPO_ROOT / "devtools" / "devtools").is_dir()


PIN_PROBE = """
import json, os, subprocess, sys
from devtools.processes import pinned, servers_apart_from_generator
server_cpus = servers_apart_from_generator()
child = subprocess.run(
    pinned([sys.executable, "-c", "import os; print(sorted(os.sched_getaffinity(0)))"], server_cpus),
    capture_output=True, text=True, check=True,
).stdout
inherited = subprocess.run(
    [sys.executable, "-c", "import os; print(sorted(os.sched_getaffinity(0)))"],
    capture_output=True, text=True, check=True,
).stdout
print(json.dumps({"server_cpus": server_cpus, "ours": sorted(os.sched_getaffinity(0)),
                  "server": json.loads(child), "generator_child": json.loads(inherited)}))
"""


def test_pinning_puts_servers_on_the_first_cpu_and_the_generator_and_its_children_on_the_others():
    """The benchmarks' `--pin`: checked in a child process, since it moves the process that calls it."""
    cpus = sorted(os.sched_getaffinity(0))
    probe = subprocess.run([sys.executable, "-c", PIN_PROBE], capture_output=True, text=True, cwd=REPO_ROOT)
    if len(cpus) < 2:
        assert probe.returncode != 0 and "two CPUs or more" in probe.stderr
        return
    assert probe.returncode == 0, probe.stderr
    placed = json.loads(probe.stdout)
    assert placed == {
        "server_cpus": str(cpus[0]),
        "ours": cpus[1:],
        "server": [cpus[0]],
        "generator_child": cpus[1:],
    }
    assert pinned(["wrk", "-c1"], None) == ["wrk", "-c1"]
    assert servers_apart_from_generator(False) is None and sorted(os.sched_getaffinity(0)) == cpus  # no --pin
