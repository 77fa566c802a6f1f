"""End-to-end proof of the compose stack: build, start, wait until healthy, check, tear down.

Run from anywhere (paths are taken from this file), with the workspace's dev environment, which
has httpx and Playwright:

    uv run python deploy/prove.py            # build (with cache), prove, tear down
    uv run python deploy/prove.py --cold     # rebuild the three images without any layer cache

It drives `docker compose` (or `docker-compose` when the plugin is absent, or the command in
$COMPOSE) against whatever Docker API $DOCKER_HOST points at, and reads container health from
that same API. Every check goes through the ports published on 127.0.0.1: each GET path in the
API's OpenAPI document, the docs pages and the contract's 404/422 answers, then both dashboards
in headless Chromium, whose Plotly charts must hold traces with points. The stack is torn down
afterwards even when a step fails or the script is interrupted. Figures (image sizes, build time,
`up` to all healthy) are printed and written to test-artifacts/compose-proof.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "tests"))
from support import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (the browser the tests use, started the same way)

COMPOSE_FILE = REPO_ROOT / "deploy" / "docker-compose.yml"
ARTIFACTS = REPO_ROOT / "test-artifacts"
PROJECT = os.environ.get("PROOF_PROJECT_NAME", "energy-forecast-proof")
SERVICES = ("api", "frontend", "monitoring")
API_URL = "http://127.0.0.1:8001/api/v1"
DASHBOARDS = {"frontend": "http://127.0.0.1:8501", "monitoring": "http://127.0.0.1:8502"}
HEALTHY_TIMEOUT_S = 300
BUILD_TIMEOUT_S = 45 * 60
CHART_TIMEOUT_S = 120
# Paths the existing clients call (contract.md section 2); the OpenAPI document must list them.
CONTRACT_PATHS = (
    "/api/v1/health",
    "/api/v1/area_values",
    "/api/v1/consumer_type_values",
    "/api/v1/predictions/{area}/{consumer_type}",
    "/api/v1/monitoring/metrics",
    "/api/v1/monitoring/values/{area}/{consumer_type}",
)
# Points per trace of every Plotly chart on the page, read from the live chart elements.
CHART_POINTS_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map((chart) =>
  (chart.data || []).map((trace, i) => {
    const size = (values) => (values && typeof values.length === 'number' ? values.length : 0);
    const calculated = chart.calcdata && chart.calcdata[i] ? chart.calcdata[i].length : 0;
    return Math.max(size(trace.x), size(trace.y), size(trace.values), calculated);
  }))"""


class ProofFailed(Exception):
    """A check did not hold; the message says which and why."""


def report(message: str, stream: Any = None) -> None:
    """The script's output is its report, so it prints."""
    print(message, file=stream or sys.stdout, flush=True)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise ProofFailed(message)


# --- Compose and the Docker API -----------------------------------------------------------------


def compose_command() -> list[str]:
    """`$COMPOSE` if set, else `docker compose` if the plugin answers, else `docker-compose`."""
    if os.environ.get("COMPOSE"):
        return shlex.split(os.environ["COMPOSE"])
    try:
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30)
        if probe.returncode == 0:
            return ["docker", "compose"]
    except (OSError, subprocess.TimeoutExpired):
        pass
    return ["docker-compose"]


class Compose:
    """`compose -f deploy/docker-compose.yml --project-directory <repo> -p <project> ...`."""

    def __init__(self) -> None:
        self.command = compose_command()
        self.is_v1 = self.command == ["docker-compose"]
        self.base = [
            *self.command,
            "-f",
            str(COMPOSE_FILE),
            "--project-directory",
            str(REPO_ROOT),
            "-p",
            PROJECT,
        ]

    def run(
        self, *args: str, timeout: float = 600, check_status: bool = True, capture: bool = False
    ) -> subprocess.CompletedProcess:
        command = [*self.base, *args]
        report(f"$ {shlex.join(command)}")
        completed = subprocess.run(command, cwd=REPO_ROOT, timeout=timeout, capture_output=capture, text=capture)
        if check_status and completed.returncode != 0:
            raise ProofFailed(f"{shlex.join(args)} exited with {completed.returncode}")
        return completed

    def version(self) -> str:
        completed = subprocess.run([*self.command, "version"], capture_output=True, text=True, timeout=60)
        return (completed.stdout or completed.stderr).strip().splitlines()[0]


def docker_api() -> httpx.Client:
    """An HTTP client for the Docker Engine API at $DOCKER_HOST (unix socket or tcp)."""
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    parsed = urlparse(host)
    if parsed.scheme == "unix":
        return httpx.Client(transport=httpx.HTTPTransport(uds=parsed.path), base_url="http://docker", timeout=30)
    if parsed.scheme in ("tcp", "http"):
        return httpx.Client(base_url=f"http://{parsed.netloc}", timeout=30)
    raise ProofFailed(f"unsupported DOCKER_HOST {host!r} (this script speaks unix:// and plain tcp://)")


def project_containers(docker: httpx.Client) -> dict[str, dict[str, Any]]:
    """Inspect data of this project's containers, by compose service name."""
    filters = json.dumps({"label": [f"com.docker.compose.project={PROJECT}"]})
    listed = docker.get("/containers/json", params={"all": "true", "filters": filters})
    listed.raise_for_status()
    containers = {}
    for summary in listed.json():
        inspected = docker.get(f"/containers/{summary['Id']}/json")
        inspected.raise_for_status()
        data = inspected.json()
        service = (data.get("Config", {}).get("Labels") or {}).get("com.docker.compose.service")
        if service:
            containers[service] = data
    return containers


def health_of(container: dict[str, Any]) -> str:
    state = container.get("State", {})
    health = state.get("Health") or {}
    return health.get("Status") or state.get("Status") or "unknown"


def wait_until_healthy(docker: httpx.Client, started: float) -> float:
    """Seconds from `started` until every service's container reports healthy."""
    deadline = started + HEALTHY_TIMEOUT_S
    last: dict[str, str] = {}
    while time.monotonic() < deadline:
        status = {service: health_of(data) for service, data in project_containers(docker).items()}
        if status != last:
            report(f"  {time.monotonic() - started:6.1f} s  {status}")
            last = status
        if all(status.get(service) == "healthy" for service in SERVICES):
            return time.monotonic() - started
        exited = [service for service, state in status.items() if state in ("exited", "dead")]
        check(not exited, f"containers stopped before becoming healthy: {exited}")
        time.sleep(1)
    raise ProofFailed(f"not all healthy within {HEALTHY_TIMEOUT_S} s: {last}")


def image_sizes(docker: httpx.Client, containers: dict[str, dict[str, Any]]) -> dict[str, int]:
    sizes = {}
    for service in SERVICES:
        image = docker.get(f"/images/{containers[service]['Image']}/json")
        image.raise_for_status()
        sizes[service] = int(image.json()["Size"])
    return sizes


def check_container_settings(containers: dict[str, dict[str, Any]]) -> None:
    """Non-root users and a read-only key mount, as the deploy issue promises."""
    for service in SERVICES:
        user = containers[service].get("Config", {}).get("User") or ""
        check(user not in ("", "0", "root"), f"{service} runs as root (Config.User={user!r})")
    mounts = containers["api"].get("Mounts") or []
    credentials = [mount for mount in mounts if mount.get("Destination") == "/app/credentials"]
    check(len(credentials) == 1, f"api: credentials/ not mounted at /app/credentials: {mounts}")
    check(credentials[0].get("RW") is False, "api: /app/credentials is not mounted read-only")
    env = containers["api"].get("Config", {}).get("Env") or []
    check("GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT=false" in env, "api: GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT=false not set")
    report("containers: all run as non-root users; credentials/ mounted read-only in api")


# --- The API through its published port -----------------------------------------------------------


def get_json(client: httpx.Client, path: str) -> Any:
    response = client.get(path)
    check(response.status_code == 200, f"GET {path}: HTTP {response.status_code} {response.text[:300]}")
    return response.json()


def non_empty_list(body: dict[str, Any], field: str, path: str) -> list:
    value = body.get(field)
    check(isinstance(value, list) and len(value) > 0, f"GET {path}: {field!r} is not a non-empty list")
    return value


def pair_with_data(client: httpx.Client, areas: list[int], consumer_types: list[int]) -> tuple[int, int]:
    """The first (area, consumer_type) with observations and a forecast."""
    for area in areas:
        for consumer_type in consumer_types:
            response = client.get(f"/api/v1/predictions/{area}/{consumer_type}")
            if response.status_code == 200:
                body = response.json()
                if body.get("datetime_utc") and body.get("preds_datetime_utc"):
                    return area, consumer_type
    raise ProofFailed("no (area, consumer_type) pair has both observations and a forecast")


def check_contract_body(path_template: str, path: str, body: Any) -> None:
    """Field-level checks for the contract's endpoints; others only need a 200 with JSON."""
    if path_template == "/api/v1/health":
        check(isinstance(body.get("name"), str) and isinstance(body.get("api_version"), str), f"{path}: {body}")
    elif path_template in ("/api/v1/area_values", "/api/v1/consumer_type_values"):
        values = non_empty_list(body, "values", path)
        check(all(isinstance(value, int) for value in values), f"GET {path}: values are not all integers")
    elif path_template == "/api/v1/predictions/{area}/{consumer_type}":
        observed = non_empty_list(body, "datetime_utc", path)
        forecast = non_empty_list(body, "preds_datetime_utc", path)
        check(len(observed) == len(body.get("energy_consumption", [])), f"GET {path}: observation lengths differ")
        check(len(forecast) == len(body.get("preds_energy_consumption", [])), f"GET {path}: forecast lengths differ")
        check(observed == sorted(observed), f"GET {path}: observations not sorted by time")
    elif path_template == "/api/v1/monitoring/metrics":
        hours = non_empty_list(body, "datetime_utc", path)
        check(len(hours) == len(body.get("mape", [])), f"GET {path}: datetime_utc and mape lengths differ")
    elif path_template == "/api/v1/monitoring/values/{area}/{consumer_type}":
        for field in (
            "y_monitoring_datetime_utc",
            "y_monitoring_energy_consumption",
            "predictions_monitoring_datetime_utc",
            "predictions_monitoring_energy_consumptionc",
        ):
            check(isinstance(body.get(field), list), f"GET {path}: field {field!r} missing")
        non_empty_list(body, "predictions_monitoring_datetime_utc", path)


def check_api() -> dict[str, Any]:
    """Every GET path in the OpenAPI document answers 200 on the published port."""
    with httpx.Client(base_url="http://127.0.0.1:8001", timeout=30) as client:
        openapi = get_json(client, "/api/v1/openapi.json")
        paths: dict[str, dict[str, Any]] = openapi.get("paths", {})
        missing = [path for path in CONTRACT_PATHS if path not in paths]
        check(not missing, f"OpenAPI document lacks contract paths: {missing}")

        areas = get_json(client, "/api/v1/area_values")["values"]
        consumer_types = get_json(client, "/api/v1/consumer_type_values")["values"]
        area, consumer_type = pair_with_data(client, areas, consumer_types)
        path_values = {"area": area, "consumer_type": consumer_type}
        report(f"api: {len(areas)} areas, {len(consumer_types)} consumer types; pair {area}/{consumer_type} has data")

        checked: list[str] = ["/api/v1/openapi.json 200"]
        demo_flags: list[Any] = []
        for template, operations in sorted(paths.items()):
            if "get" not in operations:
                continue
            parameters = operations["get"].get("parameters", [])
            unknown = [
                parameter["name"]
                for parameter in parameters
                if parameter.get("required") and parameter["name"] not in path_values
            ]
            check(not unknown, f"{template}: the proof does not know how to fill {unknown}")
            path = template.format(**{name: path_values[name] for name in path_values if f"{{{name}}}" in template})
            response = client.get(path)
            check(response.status_code == 200, f"GET {path}: HTTP {response.status_code} {response.text[:300]}")
            if response.headers.get("content-type", "").startswith("application/json"):
                body = response.json()
                check_contract_body(template, path, body)
                if isinstance(body, dict) and "is_demo" in body:
                    demo_flags.append(body["is_demo"])
            checked.append(f"{path} 200")

        for page in ("/api/v1/docs", "/api/v1/redoc"):
            response = client.get(page)
            check(response.status_code == 200 and "html" in response.headers.get("content-type", ""), f"GET {page}")
            checked.append(f"{page} 200")

        absent_area = max(areas) + 100
        absent = client.get(f"/api/v1/predictions/{absent_area}/999")
        check(absent.status_code == 404, f"unknown series: expected 404, got {absent.status_code}")
        check(isinstance(absent.json().get("detail"), str), "unknown series: 404 body has no string 'detail'")
        checked.append(f"/api/v1/predictions/{absent_area}/999 404")
        not_an_int = client.get("/api/v1/predictions/x/111")
        check(not_an_int.status_code == 422, f"non-integer area: expected 422, got {not_an_int.status_code}")
        checked.append("/api/v1/predictions/x/111 422")

    for line in checked:
        report(f"  GET {line}")
    return {"checked": checked, "is_demo": demo_flags}


def check_observability(compose: Compose) -> dict[str, Any]:
    """`/metrics` and the access log of the running `api` container (after the dashboards' requests)."""
    with httpx.Client(base_url="http://127.0.0.1:8001", timeout=30) as client:
        metrics = client.get("/metrics")
        check(metrics.status_code == 200, f"GET /metrics: HTTP {metrics.status_code}")
        text = metrics.text
        predictions = re.search(
            r'^http_requests_total\{method="GET",route="/api/v1/predictions/\{area\}/\{consumer_type\}",'
            r'status="200"\} (\S+)$',
            text,
            re.MULTILINE,
        )
        check(predictions is not None and float(predictions.group(1)) > 0, "/metrics: no /predictions requests counted")
        for family in ("http_request_duration_seconds_bucket", "api_snapshot_id", "api_snapshot_age_seconds"):
            check(re.search(rf"^{family}\b", text, re.MULTILINE) is not None, f"/metrics: no {family}")
        check(re.search(r"^api_ready 1\.0$", text, re.MULTILINE) is not None, "/metrics: api_ready is not 1")
        check(re.search(r"^api_refresh_successes_total [1-9]", text, re.MULTILINE) is not None, "/metrics: no refresh")

        request_id = f"proof-{uuid.uuid4().hex[:12]}"
        echoed = client.get("/api/v1/area_values", headers={"X-Request-ID": request_id}).headers.get("x-request-id")
        check(echoed == request_id, f"X-Request-ID not echoed: {echoed!r}")
    deadline = time.monotonic() + 20
    while True:
        logs = compose.run("logs", "--no-color", "api", timeout=120, capture=True).stdout
        line = next((line for line in logs.splitlines() if request_id in line), None)
        if line is not None or time.monotonic() > deadline:
            break
        time.sleep(1)
    check(line is not None, f"the api container's log has no access line for request id {request_id}")
    check("/api/v1/area_values" in line and re.search(r"\b200\b", line), f"access line lacks path or status: {line}")
    report(f"observability: /metrics counts /predictions ({predictions.group(1)} so far); access line: {line[-140:]}")
    return {"predictions_requests_counted": float(predictions.group(1)), "access_line": line}


# --- Dashboards in headless Chromium ------------------------------------------------------------


def check_dashboards() -> dict[str, list[list[int]]]:
    """Each dashboard renders Plotly charts whose traces hold points, and no Streamlit error."""
    from playwright.sync_api import sync_playwright

    check(Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    ARTIFACTS.mkdir(exist_ok=True)
    charts: dict[str, list[list[int]]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name, url in DASHBOARDS.items():
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                try:
                    page.goto(url, wait_until="domcontentloaded", timeout=60_000)
                    page.wait_for_function(
                        f"() => {{ const charts = ({CHART_POINTS_JS})();"
                        " return charts.length > 0 && charts.every((traces) => traces.some((n) => n > 0)); }",
                        timeout=CHART_TIMEOUT_S * 1000,
                        polling=1000,
                    )
                    page.wait_for_timeout(3000)  # let the script run finish, then read the final page
                    charts[name] = page.evaluate(CHART_POINTS_JS)
                    errors = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
                    error_texts = [errors.nth(i).inner_text()[:300] for i in range(errors.count())]
                    page.screenshot(path=str(ARTIFACTS / f"compose-{name}.png"), full_page=True)
                except Exception:
                    page.screenshot(path=str(ARTIFACTS / f"compose-{name}-failed.png"), full_page=True)
                    raise
                finally:
                    page.close()
                check(not error_texts, f"{name}: the page shows errors: {error_texts}")
                empty = [i for i, traces in enumerate(charts[name]) if not any(n > 0 for n in traces)]
                check(not empty, f"{name}: charts without data points: {empty} of {charts[name]}")
                report(f"{name}: {len(charts[name])} Plotly charts, points per trace {charts[name]}")
        finally:
            browser.close()
    return charts


# --- The run ------------------------------------------------------------------------------------


@contextmanager
def torn_down_afterwards(compose: Compose) -> Iterator[None]:
    """Tear the stack down on success, failure, Ctrl-C or SIGTERM; show logs on failure."""

    def stop(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    except BaseException:
        compose.run("ps", check_status=False, timeout=120)
        compose.run("logs", "--no-color", "--tail=80", check_status=False, timeout=120)
        raise
    finally:
        compose.run("down", "--volumes", "--remove-orphans", "--timeout", "10", check_status=False, timeout=300)
        signal.signal(signal.SIGTERM, previous)


def timed(action: Callable[[], object]) -> float:
    started = time.monotonic()
    action()
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", action="store_true", help="build without any layer cache")
    parser.add_argument("--expect-demo", action="store_true", help="fail unless the API says it serves the demo bucket")
    arguments = parser.parse_args()

    compose = Compose()
    figures: dict[str, Any] = {"compose": compose.version(), "cold_build": arguments.cold}
    report(f"compose: {figures['compose']}; DOCKER_HOST={os.environ.get('DOCKER_HOST', '(unset)')}")
    with docker_api() as docker:
        check(docker.get("/_ping").status_code == 200, "the Docker API does not answer /_ping")
        compose.run("down", "--volumes", "--remove-orphans", "--timeout", "10", check_status=False, timeout=300)

        build_args = ["build"]
        if arguments.cold:
            build_args.append("--no-cache")
        if compose.is_v1:
            build_args.append("--parallel")
        figures["build_seconds"] = round(timed(lambda: compose.run(*build_args, timeout=BUILD_TIMEOUT_S)), 1)
        report(f"build: {figures['build_seconds']} s{' (no cache)' if arguments.cold else ''}")

        with torn_down_afterwards(compose):
            started = time.monotonic()
            compose.run("up", "-d", "--no-build", timeout=600)
            figures["up_to_healthy_seconds"] = round(wait_until_healthy(docker, started), 1)
            report(f"up -> all healthy: {figures['up_to_healthy_seconds']} s")

            containers = project_containers(docker)
            sizes = image_sizes(docker, containers)
            figures["image_size_mb"] = {service: round(size / 1e6) for service, size in sizes.items()}
            report(f"image sizes (MB): {figures['image_size_mb']}")
            check_container_settings(containers)

            api = check_api()
            figures["api_checks"] = api["checked"]
            if arguments.expect_demo:
                check(api["is_demo"] and all(api["is_demo"]), f"API does not report the demo bucket: {api['is_demo']}")
                report("api: serving the built-in demo bucket (zero configuration)")
            figures["dashboard_charts"] = check_dashboards()
            figures["observability"] = check_observability(compose)

    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "compose-proof.json").write_text(json.dumps(figures, indent=2))
    headline = {key: figures[key] for key in ("build_seconds", "up_to_healthy_seconds", "image_size_mb")}
    report(f"PROOF PASSED: {json.dumps(headline)}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ProofFailed as failure:
        report(f"PROOF FAILED: {failure}", stream=sys.stderr)
        sys.exit(1)
