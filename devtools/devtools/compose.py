"""Driving `docker compose` and reading the Docker Engine API, for the tests of the compose stack.

Works against whatever engine $DOCKER_HOST points at: Docker, or rootful Podman behind the Docker
API (`../shared/tools/compose-lab`, which `deploy/ci-engine.sh` starts when there is no engine).
"""

import json
import os
import shlex
import subprocess
import time
from typing import Any
from urllib.parse import urlparse

import httpx

from devtools.paths import REPO_ROOT
from devtools.waiting import WaitTimeout, wait_until

COMPOSE_FILE = REPO_ROOT / "deploy" / "docker-compose.yml"
SERVICES = ("api", "frontend", "monitoring")


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

    def __init__(self, project: str) -> None:
        self.project = project
        self.command = compose_command()
        self.is_v1 = self.command == ["docker-compose"]
        self.base = [*self.command, "-f", str(COMPOSE_FILE), "--project-directory", str(REPO_ROOT), "-p", project]

    def run(self, *args: str, timeout: float = 600, check: bool = True) -> subprocess.CompletedProcess:
        """Run a compose command, its output captured (returned, and in the error when it fails)."""
        completed = subprocess.run([*self.base, *args], cwd=REPO_ROOT, timeout=timeout, capture_output=True, text=True)
        if check and completed.returncode != 0:
            raise RuntimeError(
                f"{shlex.join(args)} exited with {completed.returncode}:\n{completed.stdout[-3000:]}"
                f"\n{completed.stderr[-3000:]}"
            )
        return completed

    def version(self) -> str:
        completed = subprocess.run([*self.command, "version"], capture_output=True, text=True, timeout=60)
        return (completed.stdout or completed.stderr).strip().splitlines()[0]

    def down(self) -> subprocess.CompletedProcess:
        return self.run("down", "--volumes", "--remove-orphans", "--timeout", "10", check=False, timeout=300)


def docker_api() -> httpx.Client:
    """An HTTP client for the Docker Engine API at $DOCKER_HOST (unix socket or tcp)."""
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    parsed = urlparse(host)
    if parsed.scheme == "unix":
        return httpx.Client(transport=httpx.HTTPTransport(uds=parsed.path), base_url="http://docker", timeout=30)
    if parsed.scheme in ("tcp", "http"):
        return httpx.Client(base_url=f"http://{parsed.netloc}", timeout=30)
    raise ValueError(f"unsupported DOCKER_HOST {host!r} (unix:// and plain tcp:// are spoken)")


def engine_answers() -> bool:
    try:
        with docker_api() as docker:
            return docker.get("/_ping").status_code == 200
    except (httpx.HTTPError, ValueError):
        return False


def project_containers(docker: httpx.Client, project: str) -> dict[str, dict[str, Any]]:
    """Inspect data of a compose project's containers, by compose service name."""
    filters = json.dumps({"label": [f"com.docker.compose.project={project}"]})
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


def wait_until_healthy(docker: httpx.Client, project: str, timeout: float, services=SERVICES) -> float:
    """Seconds until every service's container reports healthy; fails at once when one has stopped."""
    started = time.monotonic()
    status: dict[str, str] = {}

    def all_healthy() -> bool:
        status.clear()
        status.update({service: health_of(data) for service, data in project_containers(docker, project).items()})
        exited = [service for service, state in status.items() if state in ("exited", "dead")]
        if exited:
            raise RuntimeError(f"containers stopped before becoming healthy: {exited} ({status})")
        return all(status.get(service) == "healthy" for service in services)

    try:
        wait_until(all_healthy, timeout, what=f"all of {list(services)} healthy", interval=1)
    except WaitTimeout as error:
        raise WaitTimeout(f"not all healthy within {timeout} s: {status}") from error
    return time.monotonic() - started


def image_size(docker: httpx.Client, container: dict[str, Any]) -> int:
    image = docker.get(f"/images/{container['Image']}/json")
    image.raise_for_status()
    return int(image.json()["Size"])
