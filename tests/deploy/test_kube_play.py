"""The demo overlay running for real under `podman kube play` (compose-lab's engine), torn down after.

What is played is exactly `kubectl kustomize deploy/k8s/overlays/demo` plus a test-only patch for what
Podman 4.3 cannot do as a cluster does (see `TEST_PATCH`). Podman ignores Services, so each app is
played with a network alias equal to its Service name: the API's two replicas both answer to
`energy-forecast-api` (DNS round robin), which is how the dashboards reach them, as in a cluster.
Pods are reached from here on the podman bridge network by their own addresses.

Run with an engine: `deploy/ci-engine.sh .venv/bin/python -m pytest -m kube tests/deploy`, or
`compose-lab start` then `uv run pytest -m kube tests/deploy`.
"""

import contextlib
import json
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import yaml
from devtools.browser import launch_chromium, read_dashboard
from devtools.waiting import WaitTimeout, wait_until
from support import ARTIFACTS, REPO_ROOT

pytestmark = pytest.mark.kube

OVERLAY = REPO_ROOT / "deploy" / "k8s" / "overlays" / "demo"
TAG = "kube-test"
NETWORK = "energy-forecast-kube-test"
IMAGES = {
    "api": ["-f", "app-api/Dockerfile"],
    "frontend": ["-f", "dashboard-common/Dockerfile", "--build-arg", "DASHBOARD=frontend", "--build-arg", "PORT=8501"],
    "monitoring": [
        *("-f", "dashboard-common/Dockerfile", "--build-arg", "DASHBOARD=monitoring", "--build-arg", "PORT=8502"),
    ],
}
PORTS = {"api": 8001, "frontend": 8501, "monitoring": 8502}
HEALTH = {"api": "/api/v1/ready", "frontend": "/_stcore/health", "monitoring": "/_stcore/health"}
ANSWER_TIMEOUT_S = 240
CHART_TIMEOUT_MS = 90_000
# Points per trace of every Plotly chart on the page, read from the live chart elements (Plotly keeps
# typed arrays encoded in `trace.x`, so the drawn points in `calcdata` count too).

# Podman 4.3 differs from a cluster in three ways that matter here; only these are patched:
# - it uses localhost/ images, which must not be pulled;
# - without hostPort it publishes each containerPort on the host, so two replicas clash: ports go;
# - it turns an httpGet liveness probe into `curl` inside the container (the slim images have no curl,
#   and named ports become port 0), then restarts the container when that fails: the probe goes. The
#   test itself asks every pod the probes' paths. Podman ignores readiness and startup probes.
TEST_PATCH = """
- op: replace
  path: /spec/template/spec/containers/0/imagePullPolicy
  value: Never
- op: remove
  path: /spec/template/spec/containers/0/ports
- op: remove
  path: /spec/template/spec/containers/0/livenessProbe
"""


@dataclass
class Pod:
    name: str
    component: str
    ip: str

    @property
    def url(self) -> str:
        return f"http://{self.ip}:{PORTS[self.component]}"


def run(command: list[str], timeout: float = 600, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout, check=check)


@pytest.fixture(scope="module")
def images(podman: list[str]) -> dict[str, float]:
    """The three images, built from this checkout as localhost/energy-forecast-*:kube-test; seconds each."""
    seconds = {}
    for component, arguments in IMAGES.items():
        started = time.monotonic()
        result = run([*podman, "build", "-q", *arguments, "-t", f"localhost/energy-forecast-{component}:{TAG}", "."])
        assert result.returncode == 0, result.stderr[-3000:]
        seconds[component] = round(time.monotonic() - started, 1)
    return seconds


def render_for_podman(kubectl: str, folder: Path) -> dict[str, Path]:
    """The demo overlay with the test patch, split into one file per app (its Deployment, and the
    API's ConfigMap with it); the other kinds are what Podman ignores."""
    images = "\n".join(
        f"  - name: energy-forecast-{c}\n    newName: localhost/energy-forecast-{c}\n    newTag: {TAG}" for c in PORTS
    )
    patch = "\n".join("      " + line for line in TEST_PATCH.strip().splitlines())
    (folder / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        f"resources:\n  - {os.path.relpath(OVERLAY, folder)}\nimages:\n{images}\n"
        f"patches:\n  - target: {{kind: Deployment}}\n    patch: |-\n{patch}\n"
    )
    rendered = run([kubectl, "kustomize", str(folder)]).stdout
    groups: dict[str, list[dict]] = {component: [] for component in PORTS}
    for doc in yaml.safe_load_all(rendered):
        if doc and doc["kind"] in ("Deployment", "ConfigMap"):
            groups[doc["metadata"]["labels"]["app.kubernetes.io/component"]].append(doc)
    files = {}
    for component, docs in groups.items():
        files[component] = folder / f"{component}.yaml"
        files[component].write_text(yaml.safe_dump_all(docs))
    return files


def pods_of(podman: list[str], replicas: dict[str, int]) -> list[Pod]:
    pods = []
    for component, count in replicas.items():
        for index in range(count):
            name = f"energy-forecast-{component}-pod-{index}"
            infra = run([*podman, "pod", "inspect", name, "--format", "{{.InfraContainerID}}"]).stdout.strip()
            ip = run(
                [
                    *podman,
                    "inspect",
                    infra,
                    "--format",
                    f'{{{{(index .NetworkSettings.Networks "{NETWORK}").IPAddress}}}}',
                ]
            ).stdout.strip()
            pods.append(Pod(name, component, ip))
    return pods


def tear_down(podman: list[str], files: dict[str, Path]) -> None:
    for path in files.values():
        if path.exists():
            run([*podman, "kube", "play", "--down", str(path)], check=False, timeout=120)
    # `--down` can leave a pod behind when a container's shm is still busy; remove what is left by name.
    left = run([*podman, "pod", "ps", "-q", "--filter", "name=energy-forecast-"], check=False).stdout.split()
    if left:
        run([*podman, "pod", "rm", "--force", *left], check=False, timeout=120)
    run([*podman, "network", "rm", "--force", NETWORK], check=False)


def answers(client: httpx.Client, pod: Pod) -> bool:
    try:
        return client.get(pod.url + HEALTH[pod.component]).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture(scope="module")
def played(podman, kubectl, images, tmp_path_factory) -> Iterator[tuple[list[Pod], dict]]:
    """Play the three apps, wait until every pod answers; yield the pods and the timings."""
    folder = tmp_path_factory.mktemp("kube-play")
    files = render_for_podman(kubectl, folder)
    replicas = {c: sum(d["spec"]["replicas"] for d in yaml.safe_load_all(p.read_text()) if d["kind"] == "Deployment")
                for c, p in files.items()}  # fmt: skip
    tear_down(podman, files)  # whatever an interrupted earlier run left
    run([*podman, "network", "create", NETWORK])
    try:
        started = time.monotonic()
        for component, path in files.items():
            result = run(
                [*podman, "kube", "play", "--network", f"{NETWORK}:alias=energy-forecast-{component}", str(path)],
                check=False,
                timeout=300,
            )
            assert result.returncode == 0, result.stdout + result.stderr
        played_in = time.monotonic() - started
        pods = pods_of(podman, replicas)
        waiting = set(range(len(pods)))
        with httpx.Client(timeout=3) as client, contextlib.suppress(WaitTimeout):  # the check below names them

            def all_answer() -> bool:
                waiting.difference_update({i for i in waiting if answers(client, pods[i])})
                return not waiting

            wait_until(all_answer, timeout=ANSWER_TIMEOUT_S, what="every pod answering", interval=0.25)
        answered_in = time.monotonic() - started
        if waiting:
            logs = {
                pods[i].name: run([*podman, "pod", "logs", pods[i].name], check=False).stdout[-2000:] for i in waiting
            }
            pytest.fail(f"pods not answering after {ANSWER_TIMEOUT_S} s: {logs}")
        figures = {
            "images_build_seconds": images,
            "pods": [pod.name for pod in pods],
            "kube_play_seconds": round(played_in, 1),
            "kube_play_to_all_answering_seconds": round(answered_in, 1),
        }
        yield pods, figures
    finally:
        tear_down(podman, files)


def test_every_pod_of_the_demo_overlay_answers(played, podman):
    pods, figures = played
    assert [pod.component for pod in pods].count("api") >= 2
    assert {pod.component for pod in pods} == set(PORTS)
    with httpx.Client(timeout=5) as client:
        for pod in pods:
            if pod.component == "api":
                assert client.get(pod.url + "/api/v1/health").status_code == 200  # the liveness path
                assert client.get(pod.url + "/api/v1/freshness").json()["is_demo"] is True
    # The restricted security context is applied: read-only root filesystem, the unprivileged user.
    for pod in pods:
        container = f"{pod.name}-{pod.component}"
        facts = run([*podman, "inspect", container, "--format", "{{.HostConfig.ReadonlyRootfs}} {{.Config.User}}"])
        assert facts.stdout.split() == ["true", "10001:10001"], container
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "kube-play.json").write_text(json.dumps(figures, indent=2))


def test_the_api_replicas_agree(played):
    """Both demo replicas built their bucket independently (the demo data is deterministic per hour):
    same data_version, and the same bodies and ETags."""
    pods, _ = played
    api_pods = [pod for pod in pods if pod.component == "api"]
    with httpx.Client(timeout=5) as client:
        paths = ["/api/v1/freshness"]
        areas = client.get(api_pods[0].url + "/api/v1/area_values").json()["values"]
        types = client.get(api_pods[0].url + "/api/v1/consumer_type_values").json()["values"]
        paths += [f"/api/v1/predictions/{areas[0]}/{types[0]}", "/api/v1/monitoring/metrics"]
        versions = {client.get(pod.url + "/api/v1/freshness").json()["data_version"] for pod in api_pods}
        assert len(versions) == 1, versions
        for path in paths[1:]:
            answers = [client.get(pod.url + path) for pod in api_pods]
            assert {a.status_code for a in answers} == {200}
            assert len({a.content for a in answers}) == 1, path
            assert len({a.headers["etag"] for a in answers}) == 1, path
            assert {a.headers["x-data-version"] for a in answers} == versions


@pytest.mark.parametrize("component", ["frontend", "monitoring"])
def test_the_dashboards_draw_data_from_the_api_service(played, component, chromium_path):
    """In headless Chromium, each dashboard's first pod shows Plotly charts with points, and no error:
    it reached the API through the Service name `energy-forecast-api`."""
    from playwright.sync_api import sync_playwright

    pods, _ = played
    pod = next(pod for pod in pods if pod.component == component)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium_path)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            view = read_dashboard(page, pod.url, ARTIFACTS / f"kube-{component}.png", CHART_TIMEOUT_MS / 1000)
        finally:
            browser.close()
    assert not view.errors
    assert view.charts and not view.charts_without_points, view.charts
