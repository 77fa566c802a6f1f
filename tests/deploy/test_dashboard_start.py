"""Both dashboards start one way everywhere: the image's `python -m <dashboard>` (warm-up first), which
Compose, Kubernetes and Cloud Run leave alone, and each is configured with the API's root.

A command, entrypoint or args set on a dashboard in any of them would start the page another way
(without its warm-up, or as `streamlit run`): this test fails on any.
"""

import re

import pytest
import yaml
from devtools.kustomize import render_overlay
from support import REPO_ROOT

DASHBOARDS = ("frontend", "monitoring")
OVERRIDES = {"command", "entrypoint", "args"}
DOCKERFILE = REPO_ROOT / "dashboard-common" / "Dockerfile"


def test_the_image_starts_the_dashboard_as_python_m_and_never_as_streamlit_run():
    text = DOCKERFILE.read_text()
    (cmd,) = [line for line in text.splitlines() if line.startswith("CMD ")]
    assert cmd == 'CMD ["sh", "-c", "exec python -m \\"$DASHBOARD\\""]'
    assert "streamlit run" not in re.sub(r"(?m)^#.*$", "", text), "no start other than `python -m`"
    assert not [line for line in text.splitlines() if line.startswith("ENTRYPOINT")]


def test_compose_leaves_the_dashboards_command_alone_and_gives_them_the_apis_root():
    services = yaml.safe_load((REPO_ROOT / "deploy" / "docker-compose.yml").read_text())["services"]
    for name in DASHBOARDS:
        assert not OVERRIDES & set(services[name]), name
        assert services[name]["environment"][f"APP_{name.upper()}_API_URL"] == "http://api:8001"


@pytest.mark.parametrize("overlay", ["demo", "gcs"])
def test_kubernetes_leaves_the_dashboards_command_alone(kubectl, overlay):
    rendered = render_overlay(kubectl, overlay)
    deployments = [doc for doc in yaml.safe_load_all(rendered) if doc and doc["kind"] == "Deployment"]
    found = 0
    for deployment in deployments:
        if deployment["metadata"]["labels"]["app.kubernetes.io/component"] in DASHBOARDS:
            for container in deployment["spec"]["template"]["spec"]["containers"]:
                assert not OVERRIDES & set(container), container["name"]
                found += 1
    assert found == len(DASHBOARDS)


def test_cloud_run_leaves_the_dashboards_command_alone():
    for name in DASHBOARDS:
        spec = yaml.safe_load((REPO_ROOT / "deploy" / "cloudrun" / f"{name}.yaml").read_text())["spec"]
        for container in spec["template"]["spec"]["containers"]:
            assert not OVERRIDES & set(container), name
