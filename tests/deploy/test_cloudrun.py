"""The Cloud Run services (`gcloud run services replace` files): what each app needs from Cloud Run.

No Cloud Run API or schema is reachable here, so this checks the files' structure and settings; the
deploy README says so.
"""

import re

import yaml
from support import REPO_ROOT

CLOUDRUN = REPO_ROOT / "deploy" / "cloudrun"
PORTS = {"api": 8001, "frontend": 8501, "monitoring": 8502}
PLACEHOLDERS = ("PROJECT_ID", "REGION", "BUCKET", "API_URL")


def service(app: str) -> dict:
    return yaml.safe_load((CLOUDRUN / f"{app}.yaml").read_text())


def serving_container(spec: dict) -> dict:
    """The one container Cloud Run sends requests to (the only one with a port); sidecars have none."""
    (container,) = [container for container in spec["containers"] if container.get("ports")]
    return container


def test_one_knative_service_per_app_on_the_images_port():
    assert sorted(path.stem for path in CLOUDRUN.glob("*.yaml")) == sorted(PORTS)
    for app, port in PORTS.items():
        doc = service(app)
        assert (doc["apiVersion"], doc["kind"]) == ("serving.knative.dev/v1", "Service")
        assert doc["metadata"]["name"] == f"energy-forecast-{app}"
        container = serving_container(doc["spec"]["template"]["spec"])
        assert container["ports"] == [{"name": "http1", "containerPort": port}]
        assert container["resources"]["limits"]
        assert container["startupProbe"]["httpGet"]["port"] == port


def test_the_api_keeps_an_instance_with_cpu_always_allocated_and_starts_when_ready():
    template = service("api")["spec"]["template"]
    annotations = template["metadata"]["annotations"]
    assert int(annotations["autoscaling.knative.dev/minScale"]) >= 1
    assert annotations["run.googleapis.com/cpu-throttling"] == "false"  # the background refresh runs
    container = serving_container(template["spec"])
    assert container["startupProbe"]["httpGet"]["path"] == "/api/v1/ready"
    assert container["livenessProbe"]["httpGet"]["path"] == "/api/v1/health"
    assert template["spec"]["serviceAccountName"].startswith("energy-forecast-reader@")
    assert {e["name"] for e in container["env"]} >= {"APP_API_GCP_BUCKET", "APP_API_GCP_PROJECT"}
    assert "APP_API_GCP_SERVICE_ACCOUNT_JSON_PATH" not in {e["name"] for e in container["env"]}  # no key


def measured_viewers_per_replica() -> int:
    """The viewers per replica deploy/README.md states from the load tool's figures ("Capacity")."""
    readme = (REPO_ROOT / "deploy" / "README.md").read_text(encoding="utf-8")
    (figure,) = set(re.findall(r"\*\*(\d+) viewers per replica\*\*", readme))
    return int(figure)


def test_the_dashboards_are_sticky_with_a_websocket_timeout_and_bounded():
    for app in ("frontend", "monitoring"):
        template = service(app)["spec"]["template"]
        annotations = template["metadata"]["annotations"]
        assert annotations["run.googleapis.com/sessionAffinity"] == "true"
        assert template["spec"]["timeoutSeconds"] == 3600  # Cloud Run's maximum: WebSockets stay open
        assert 1 <= int(annotations["autoscaling.knative.dev/maxScale"]) <= 100
        # A viewer holds one WebSocket, one concurrent request, for the whole visit: the instance's
        # viewers (deploy/README.md, "Capacity"), on the one core a Streamlit process can use.
        assert template["spec"]["containerConcurrency"] == measured_viewers_per_replica()
        assert template["spec"]["containers"][0]["resources"]["limits"]["cpu"] == "1"
        (container,) = template["spec"]["containers"]
        assert container["startupProbe"]["httpGet"]["path"] == "/_stcore/health"
        env = {e["name"]: e["value"] for e in container["env"]}
        assert env[f"APP_{app.upper()}_API_URL"] == "API_URL"  # the API service's URL: its root


def test_only_the_documented_placeholders_need_filling_in():
    """Every value to fill in is one of the placeholders the README's commands replace."""
    readme = (REPO_ROOT / "deploy" / "README.md").read_text()
    for app in PORTS:
        spec = service(app)["spec"]["template"]["spec"]
        container = serving_container(spec)
        values = [spec["serviceAccountName"], container["image"], *(e["value"] for e in container["env"])]
        tokens = {token for value in values for token in re.findall(r"[A-Z][A-Z_]{3,}", value)}
        assert tokens <= set(PLACEHOLDERS), tokens
        assert f"cloudrun/{app}.yaml" in readme
    for placeholder in PLACEHOLDERS:
        assert placeholder in readme


def test_the_apis_metrics_are_scraped_inside_the_instance_and_never_on_the_public_port():
    template = service("api")["spec"]["template"]
    api = serving_container(template["spec"])
    (collector,) = [container for container in template["spec"]["containers"] if container is not api]
    env = {e["name"]: e["value"] for e in api["env"]}
    assert api["ports"] == [{"name": "http1", "containerPort": 8001}]  # the only port the internet reaches
    assert env["APP_API_METRICS_PORT"] == "8080"  # where the collector's default configuration scrapes
    assert collector["image"].startswith("us-docker.pkg.dev/cloud-ops-agents-artifacts/cloud-run-gmp-sidecar/")
    assert "ports" not in collector
    assert template["metadata"]["annotations"]["run.googleapis.com/container-dependencies"] == ('{"collector":["api"]}')
