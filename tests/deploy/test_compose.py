"""The compose stack end to end: build the three images, start them, wait until healthy, check, tear down.

Marked `docker`: needs a Docker engine (or compose-lab's Podman behind the Docker API) at
$DOCKER_HOST, so `dev.py test` deselects it and `.ci/run` runs it through `deploy/ci-engine.sh`.
Without an engine it skips, and fails under CI=true. Every check goes through the ports published
on 127.0.0.1: each GET path in the API's OpenAPI document, the docs pages, the contract's 404/422
answers, /metrics and the access log, then both dashboards in headless Chromium, whose Plotly charts
must hold traces with points. The stack is torn down afterwards whatever happens.

    uv run pytest -m docker tests/deploy                    # build with the layer cache
    COMPOSE_COLD_BUILD=1 uv run pytest -m docker tests/deploy   # without any layer cache (CI)

Figures (build time, `up` to all healthy, image sizes) go to test-artifacts/compose-proof.json.
"""

import json
import os
import re
import signal
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from dashboard_common.addresses import API_PORT, FRONTEND_PORT, MONITORING_PORT
from devtools.browser import read_dashboard
from devtools.compose import SERVICES, Compose, docker_api, engine_answers, image_size, project_containers
from devtools.compose import wait_until_healthy as containers_healthy
from devtools.paths import ARTIFACTS, REPO_ROOT
from devtools.prometheus import sample_value, samples
from devtools.waiting import wait_until

PROJECT = os.environ.get("PROOF_PROJECT_NAME", "energy-forecast-proof")
API_BASE = f"http://127.0.0.1:{API_PORT}"
DASHBOARDS = {"frontend": f"http://127.0.0.1:{FRONTEND_PORT}", "monitoring": f"http://127.0.0.1:{MONITORING_PORT}"}
HEALTHY_TIMEOUT_S = 300
BUILD_TIMEOUT_S = 45 * 60
CHART_TIMEOUT_S = 120
# The suite-wide per-test timeout counts fixture setup too: the first test here also builds and starts.
pytestmark = [pytest.mark.docker, pytest.mark.timeout(BUILD_TIMEOUT_S + HEALTHY_TIMEOUT_S + 900)]
# Paths the existing clients call (contract.md section 2); the OpenAPI document must list them.
CONTRACT_PATHS = (
    "/api/v1/health",
    "/api/v1/area_values",
    "/api/v1/consumer_type_values",
    "/api/v1/predictions/{area}/{consumer_type}",
    "/api/v1/monitoring/metrics",
    "/api/v1/monitoring/values/{area}/{consumer_type}",
)


@dataclass
class Stack:
    compose: Compose
    docker: httpx.Client
    containers: dict[str, dict[str, Any]]
    figures: dict[str, Any] = field(default_factory=dict)


@pytest.fixture(scope="module")
def stack(request: pytest.FixtureRequest) -> Iterator[Stack]:
    """The stack built and healthy; torn down afterwards, with `ps` and logs kept when a test failed."""
    if not engine_answers():
        message = (
            f"no Docker engine answers at {os.environ.get('DOCKER_HOST', 'the default socket')}:"
            " run through deploy/ci-engine.sh (starts compose-lab) or set DOCKER_HOST"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    compose = Compose(PROJECT)
    cold = os.environ.get("COMPOSE_COLD_BUILD", "") not in ("", "0", "false")
    figures: dict[str, Any] = {"compose": compose.version(), "cold_build": cold}
    compose.down()  # whatever an interrupted earlier run left
    build = ["build", *(["--no-cache"] if cold else []), *(["--parallel"] if compose.is_v1 else [])]
    started = time.monotonic()
    compose.run(*build, timeout=BUILD_TIMEOUT_S)
    figures["build_seconds"] = round(time.monotonic() - started, 1)
    failed_before = request.session.testsfailed

    def interrupted(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")  # so that the stack is torn down below

    previous_handler = signal.signal(signal.SIGTERM, interrupted)
    with docker_api() as docker:
        try:
            started = time.monotonic()
            compose.run("up", "-d", "--no-build", timeout=600)
            figures["up_to_healthy_seconds"] = round(containers_healthy(docker, PROJECT, HEALTHY_TIMEOUT_S), 1)
            containers = project_containers(docker, PROJECT)
            figures["image_size_mb"] = {
                service: round(image_size(docker, containers[service]) / 1e6) for service in SERVICES
            }
            yield Stack(compose, docker, containers, figures)
        finally:
            ARTIFACTS.mkdir(exist_ok=True)
            if request.session.testsfailed != failed_before or "up_to_healthy_seconds" not in figures:
                diagnosis = compose.run("ps", check=False, timeout=120).stdout
                diagnosis += compose.run("logs", "--no-color", "--tail=200", check=False, timeout=120).stdout
                (ARTIFACTS / "compose-proof-logs.txt").write_text(diagnosis)
            signal.signal(signal.SIGTERM, previous_handler)
            (ARTIFACTS / "compose-proof.json").write_text(json.dumps(figures, indent=2))
            tear_down(compose, docker)


def tear_down(compose: Compose, docker: httpx.Client) -> None:
    """`down`, and make sure: a half-created stack (a failed `up`) can need a second one."""
    for _ in range(2):
        outcome = compose.down()
        if not project_containers(docker, PROJECT):
            return
    raise RuntimeError(f"containers of {PROJECT} left after `down`: {outcome.stdout[-1000:]}{outcome.stderr[-1000:]}")


@pytest.fixture(scope="module")
def api(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=API_BASE, timeout=30) as client:
        yield client


def get_json(client: httpx.Client, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, f"GET {path}: HTTP {response.status_code} {response.text[:300]}"
    return response.json()


def non_empty_list(body: dict[str, Any], field_name: str, path: str) -> list:
    value = body.get(field_name)
    assert isinstance(value, list) and value, f"GET {path}: {field_name!r} is not a non-empty list"
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
    raise AssertionError("no (area, consumer_type) pair has both observations and a forecast")


def check_contract_body(template: str, path: str, body: Any) -> None:
    """Field-level checks for the contract's endpoints; others only need a 200 with JSON."""
    if template == "/api/v1/health":
        assert isinstance(body.get("name"), str) and isinstance(body.get("api_version"), str), f"{path}: {body}"
    elif template in ("/api/v1/area_values", "/api/v1/consumer_type_values"):
        values = non_empty_list(body, "values", path)
        assert all(isinstance(value, int) for value in values), f"GET {path}: values are not all integers"
    elif template == "/api/v1/predictions/{area}/{consumer_type}":
        observed = non_empty_list(body, "datetime_utc", path)
        forecast = non_empty_list(body, "preds_datetime_utc", path)
        assert len(observed) == len(body.get("energy_consumption", [])), f"GET {path}: observation lengths differ"
        assert len(forecast) == len(body.get("preds_energy_consumption", [])), f"GET {path}: forecast lengths differ"
        assert observed == sorted(observed), f"GET {path}: observations not sorted by time"
    elif template == "/api/v1/monitoring/metrics":
        hours = non_empty_list(body, "datetime_utc", path)
        assert len(hours) == len(body.get("mape", [])), f"GET {path}: datetime_utc and mape lengths differ"
    elif template == "/api/v1/monitoring/values/{area}/{consumer_type}":
        for name in (
            "y_monitoring_datetime_utc",
            "y_monitoring_energy_consumption",
            "predictions_monitoring_datetime_utc",
            "predictions_monitoring_energy_consumptionc",
        ):
            assert isinstance(body.get(name), list), f"GET {path}: field {name!r} missing"
        non_empty_list(body, "predictions_monitoring_datetime_utc", path)


def test_the_stack_builds_and_every_container_becomes_healthy(stack: Stack) -> None:
    assert stack.figures["up_to_healthy_seconds"] <= HEALTHY_TIMEOUT_S
    assert set(stack.containers) >= set(SERVICES)
    assert all(size > 0 for size in stack.figures["image_size_mb"].values())


def test_containers_run_as_non_root_with_credentials_mounted_read_only(stack: Stack) -> None:
    for service in SERVICES:
        user = stack.containers[service].get("Config", {}).get("User") or ""
        assert user not in ("", "0", "root"), f"{service} runs as root (Config.User={user!r})"
    mounts = stack.containers["api"].get("Mounts") or []
    credentials = [mount for mount in mounts if mount.get("Destination") == "/app/credentials"]
    assert len(credentials) == 1, f"api: credentials/ not mounted at /app/credentials: {mounts}"
    assert credentials[0].get("RW") is False, "api: /app/credentials is not mounted read-only"


# The API's limit is its measured refresh peak + 50 % (scripts/refresh_memory.py, BENCHMARKS.md), as in
# deploy/k8s and deploy/cloudrun; the dashboards have 1 GiB each.
MEMORY_LIMITS = {"api": 1280 * 2**20, "frontend": 2**30, "monitoring": 2**30}


def test_every_container_is_bounded_read_only_without_capabilities_or_privilege_gain(stack: Stack) -> None:
    assert set(MEMORY_LIMITS) == set(SERVICES)
    for service in SERVICES:
        host = stack.containers[service].get("HostConfig", {})
        assert host.get("ReadonlyRootfs") is True, f"{service}: root filesystem is writable"
        assert not host.get("CapAdd"), service
        assert any(option.startswith("no-new-privileges") for option in host.get("SecurityOpt") or []), service
        assert host.get("Memory") == MEMORY_LIMITS[service] and host.get("NanoCpus") == 10**9, service
        assert host.get("PidsLimit") == 256, service
        assert "/tmp" in (host.get("Tmpfs") or {}), f"{service}: no tmpfs at /tmp for what it writes"
        # No capability left to the app (Podman lists every dropped one in CapDrop, Docker says "ALL").
        status = stack.compose.run("exec", "-T", service, "cat", "/proc/1/status", timeout=120).stdout
        assert re.search(r"^CapEff:\s*0+$", status, flags=re.MULTILINE), f"{service}: {status[-400:]}"
        assert re.search(r"^NoNewPrivs:\s*1$", status, flags=re.MULTILINE), service
        # The app writes only to /tmp: anywhere else fails (the root filesystem is read-only).
        probe = "import pathlib; pathlib.Path('/tmp/probe').write_text('x'); pathlib.Path('/app/probe').write_text('x')"
        written = stack.compose.run("exec", "-T", service, "python", "-c", probe, check=False, timeout=120)
        assert written.returncode != 0 and "Read-only file system" in written.stdout + written.stderr, service


def test_a_key_readable_by_group_10001_only_is_readable_by_the_api_container(stack: Stack) -> None:
    """The key-file advice of credentials/README.md, followed: root-owned, group 10001, mode 640."""
    key = REPO_ROOT / "credentials" / "advice-test-key.json"
    key.write_text('{"type": "service_account"}')
    try:
        os.chown(key, 0, 10001)
        key.chmod(0o640)
        read = stack.compose.run("exec", "-T", "api", "cat", "/app/credentials/advice-test-key.json", timeout=120)
        identity = stack.compose.run("exec", "-T", "api", "id", timeout=120).stdout
    finally:
        key.unlink()
    assert read.stdout.strip() == '{"type": "service_account"}'
    assert "uid=10001" in identity and "gid=10001" in identity


def test_the_api_in_its_image_switches_off_gcsfs_bucket_type_probing(stack: Stack) -> None:
    """Set by the `api` package itself: the image's own ENV line is removed first, so only the package can set it."""
    probe = (
        "import os; os.environ.pop('GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT', None); import api; "
        "print(os.environ.get('GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT'))"
    )
    printed = stack.compose.run("exec", "-T", "api", "python", "-c", probe, timeout=120).stdout
    assert printed.strip().splitlines()[-1] == "false"


def test_every_get_path_of_the_openapi_document_answers_on_the_published_port(stack: Stack, api: httpx.Client) -> None:
    paths: dict[str, dict[str, Any]] = get_json(api, "/api/v1/openapi.json").get("paths", {})
    assert not [path for path in CONTRACT_PATHS if path not in paths], "OpenAPI document lacks contract paths"
    areas = get_json(api, "/api/v1/area_values")["values"]
    consumer_types = get_json(api, "/api/v1/consumer_type_values")["values"]
    area, consumer_type = pair_with_data(api, areas, consumer_types)
    path_values = {"area": area, "consumer_type": consumer_type}
    checked, demo_flags = [], []
    for template, operations in sorted(paths.items()):
        if "get" not in operations:
            continue
        required = [p["name"] for p in operations["get"].get("parameters", []) if p.get("required")]
        assert set(required) <= set(path_values), f"{template}: the test does not know how to fill {required}"
        path = template.format(**{name: value for name, value in path_values.items() if f"{{{name}}}" in template})
        response = api.get(path)
        assert response.status_code == 200, f"GET {path}: HTTP {response.status_code} {response.text[:300]}"
        if response.headers.get("content-type", "").startswith("application/json"):
            body = response.json()
            check_contract_body(template, path, body)
            if isinstance(body, dict) and "is_demo" in body:
                demo_flags.append(body["is_demo"])
        checked.append(path)
    stack.figures["api_paths_checked"] = checked
    stack.figures["is_demo"] = demo_flags
    assert len(checked) >= len(CONTRACT_PATHS)


@pytest.mark.skipif((REPO_ROOT / ".env").exists(), reason="a .env may point the API at a real bucket")
def test_with_no_configuration_the_api_serves_the_demo_bucket(stack: Stack, api: httpx.Client) -> None:
    freshness = get_json(api, "/api/v1/freshness")
    assert freshness["is_demo"] is True and freshness["series_count"] > 0


@pytest.mark.parametrize("page", ["/api/v1/docs", "/api/v1/redoc"])
def test_the_docs_pages_are_served(api: httpx.Client, page: str) -> None:
    response = api.get(page)
    assert response.status_code == 200 and "html" in response.headers.get("content-type", "")


def test_an_unknown_series_is_a_404_with_a_detail_and_a_malformed_one_a_422(api: httpx.Client) -> None:
    areas = get_json(api, "/api/v1/area_values")["values"]
    absent = api.get(f"/api/v1/predictions/{max(areas) + 100}/999")
    assert absent.status_code == 404 and isinstance(absent.json().get("detail"), str)
    assert api.get("/api/v1/predictions/x/111").status_code == 422


@pytest.mark.browser
@pytest.mark.parametrize("name", list(DASHBOARDS))
def test_each_dashboard_draws_charts_with_points_and_no_error(stack: Stack, browser, name: str) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        view = read_dashboard(page, DASHBOARDS[name], ARTIFACTS / f"compose-{name}.png", CHART_TIMEOUT_S)
    finally:
        page.close()
    stack.figures.setdefault("dashboard_charts", {})[name] = view.charts
    assert not view.errors, f"{name}: the page shows errors: {view.errors}"
    assert not view.charts_without_points, f"{name}: charts without data points: {view.charts}"


def test_metrics_count_requests_and_report_the_snapshot(stack: Stack, api: httpx.Client) -> None:
    """After the dashboards' requests (tests run in file order) and one of ours, through the published port."""
    areas = get_json(api, "/api/v1/area_values")["values"]
    consumer_types = get_json(api, "/api/v1/consumer_type_values")["values"]
    pair_with_data(api, areas, consumer_types)
    metrics = api.get("/metrics")
    assert metrics.status_code == 200
    exposition = metrics.text
    counted = sample_value(
        exposition,
        "http_requests_total",
        method="GET",
        route="/api/v1/predictions/{area}/{consumer_type}",
        status="200",
    )
    names = {name for name, _ in samples(exposition)}
    assert counted > 0
    assert {"http_request_duration_seconds_bucket", "api_snapshot_id", "api_snapshot_age_seconds"} <= names
    assert sample_value(exposition, "api_ready") == 1
    assert sample_value(exposition, "api_refresh_successes_total") >= 1
    stack.figures["predictions_requests_counted"] = counted


def test_a_request_id_is_echoed_and_written_to_the_containers_access_log(stack: Stack, api: httpx.Client) -> None:
    request_id = f"proof-{uuid.uuid4().hex[:12]}"
    echoed = api.get("/api/v1/area_values", headers={"X-Request-ID": request_id}).headers.get("x-request-id")
    assert echoed == request_id

    def access_line() -> str | None:
        logs = stack.compose.run("logs", "--no-color", "api", timeout=120).stdout
        return next((line for line in logs.splitlines() if request_id in line), None)

    line = wait_until(access_line, timeout=20, what=f"an access line with request id {request_id}", interval=1)
    assert "/api/v1/area_values" in line and re.search(r"\b200\b", line), f"access line lacks path or status: {line}"
    stack.figures["access_line"] = line
