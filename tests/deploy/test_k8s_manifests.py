"""The Kubernetes manifests as a cluster would see them: rendered by kustomize, validated strictly
against the Kubernetes 1.30 schema, scanned by checkov (with the Dockerfiles) with zero failures, and
holding the properties the deploy README promises (probes, limits, restricted pods, affinity, labels).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from devtools.kustomize import render_overlay
from support import ARTIFACTS, REPO_ROOT

K8S = REPO_ROOT / "deploy" / "k8s"
OVERLAYS = ("demo", "gcs")
KUBERNETES_VERSION = "1.30.0"
DOCKERFILES = ("app-api/Dockerfile", "dashboard-common/Dockerfile")
COMPONENTS = {"api": 8001, "frontend": 8501, "monitoring": 8502}
VALIDATE = [sys.executable, "-m", "kubernetes_validate"]


@pytest.fixture(scope="module", params=OVERLAYS)
def rendered(request, kubectl: str, tmp_path_factory) -> tuple[str, Path, list[dict]]:
    text = render_overlay(kubectl, request.param)
    path = tmp_path_factory.mktemp(f"k8s-{request.param}") / f"{request.param}.yaml"
    path.write_text(text)
    return request.param, path, [doc for doc in yaml.safe_load_all(text) if doc]


def of_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {doc["metadata"]["labels"]["app.kubernetes.io/component"]: doc for doc in docs if doc["kind"] == kind}


def validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*VALIDATE, "--strict", "--quiet", "-k", KUBERNETES_VERSION, str(path)], capture_output=True, text=True
    )


def test_each_overlay_validates_strictly_against_kubernetes_1_30(rendered):
    _, path, docs = rendered
    result = validate(path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert {doc["kind"] for doc in docs} >= {
        "Namespace", "ServiceAccount", "ConfigMap", "Deployment", "Service",
        "PodDisruptionBudget", "HorizontalPodAutoscaler", "NetworkPolicy",
    }  # fmt: skip


def test_strict_validation_rejects_a_field_kubernetes_does_not_know(rendered, tmp_path):
    """The validator really checks: the same output with one misspelt field fails."""
    _, path, _ = rendered
    broken = tmp_path / "broken.yaml"
    broken.write_text(path.read_text().replace("readOnlyRootFilesystem:", "readOnlyRootFileSystem:", 1))
    result = validate(broken)
    assert result.returncode != 0
    assert "readOnlyRootFileSystem" in result.stdout + result.stderr


def test_every_pod_is_restricted_probed_and_bounded(rendered):
    _, _, docs = rendered
    deployments = of_kind(docs, "Deployment")
    assert set(deployments) == set(COMPONENTS)
    for component, deployment in deployments.items():
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        assert pod["automountServiceAccountToken"] is False
        (container,) = pod["containers"]
        context = container["securityContext"]
        assert context["allowPrivilegeEscalation"] is False
        assert context["readOnlyRootFilesystem"] is True
        assert context["capabilities"]["drop"] == ["ALL"]
        assert set(container["resources"]["requests"]) == set(container["resources"]["limits"]) == {"cpu", "memory"}
        # What must be written goes to an emptyDir mounted at /tmp.
        (mount,) = container["volumeMounts"]
        assert mount["mountPath"] == "/tmp"
        assert any(v["name"] == mount["name"] and "emptyDir" in v for v in pod["volumes"])
        assert container["ports"][0]["containerPort"] == COMPONENTS[component]
        probes = {
            kind: container[kind]["httpGet"]["path"] for kind in ("startupProbe", "readinessProbe", "livenessProbe")
        }
        if component == "api":
            assert probes == {
                "startupProbe": "/api/v1/ready",
                "readinessProbe": "/api/v1/ready",
                "livenessProbe": "/api/v1/health",  # never depends on the bucket
            }
            assert deployment["spec"]["replicas"] >= 2
        else:
            assert set(probes.values()) == {"/_stcore/health"}
            api_url = {e["name"]: e["value"] for e in container["env"]}[f"APP_{component.upper()}_API_URL"]
            assert api_url == "http://energy-forecast-api:8001"  # the API's Service name: its root


def test_services_budgets_autoscaler_and_labels(rendered):
    _, _, docs = rendered
    services = of_kind(docs, "Service")
    assert services["api"]["metadata"]["name"] == "energy-forecast-api"
    assert "sessionAffinity" not in services["api"]["spec"]  # any API replica answers any request
    for dashboard in ("frontend", "monitoring"):
        assert services[dashboard]["spec"]["sessionAffinity"] == "ClientIP"  # Streamlit sessions live in one pod
    assert set(of_kind(docs, "PodDisruptionBudget")) == set(COMPONENTS)
    hpa = of_kind(docs, "HorizontalPodAutoscaler")["api"]
    assert hpa["spec"]["scaleTargetRef"]["name"] == "energy-forecast-api"
    assert hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu"
    assert hpa["spec"]["minReplicas"] >= 2
    deployments = of_kind(docs, "Deployment")
    for dashboard in ("frontend", "monitoring"):
        # deploy/README.md, "Capacity": a Streamlit process uses one core at most, so a pod requests
        # that core, and an HPA on CPU (against that request) adds pods for new viewers.
        resources = deployments[dashboard]["spec"]["template"]["spec"]["containers"][0]["resources"]
        assert resources["requests"]["cpu"] == resources["limits"]["cpu"] == "1"
        hpa = of_kind(docs, "HorizontalPodAutoscaler")[dashboard]
        assert hpa["spec"]["scaleTargetRef"]["name"] == f"energy-forecast-{dashboard}"
        assert hpa["spec"]["minReplicas"] >= 2
        (metric,) = hpa["spec"]["metrics"]
        assert metric["resource"]["name"] == "cpu" and 0 < metric["resource"]["target"]["averageUtilization"] < 100
    for doc in docs:
        if doc["kind"] == "Namespace":
            continue
        labels = doc["metadata"]["labels"]
        assert labels["app.kubernetes.io/part-of"] == "energy-forecast"
        assert labels["app.kubernetes.io/name"] == f"energy-forecast-{labels['app.kubernetes.io/component']}"
        assert doc["metadata"]["namespace"] == "energy-forecast"


def test_the_gcs_overlay_reads_a_bucket_with_workload_identity_and_no_key(kubectl):
    docs = [doc for doc in yaml.safe_load_all(render_overlay(kubectl, "gcs")) if doc]
    (config,) = [doc for doc in docs if doc["kind"] == "ConfigMap"]
    assert config["data"]["APP_API_GCP_BUCKET"]
    assert "APP_API_GCP_SERVICE_ACCOUNT_JSON_PATH" not in config["data"]
    accounts = {doc["metadata"]["name"]: doc for doc in docs if doc["kind"] == "ServiceAccount"}
    assert accounts["energy-forecast-api"]["metadata"]["annotations"]["iam.gke.io/gcp-service-account"]
    assert not [doc for doc in docs if doc["kind"] == "Secret"]
    demo = [doc for doc in yaml.safe_load_all(render_overlay(kubectl, "demo")) if doc and doc["kind"] == "ConfigMap"]
    assert demo[0]["data"]["APP_API_GCP_BUCKET"] == ""  # the demo overlay: no bucket, built-in data


def run_checkov(checkov_command: list[str], framework: str, paths: list[Path], name: str) -> dict:
    """checkov's JSON summary for `paths`; the full report goes to test-artifacts/."""
    arguments = [a for path in paths for a in ("-f", str(path))]
    result = subprocess.run(
        [*checkov_command, "--framework", framework, *arguments, "--skip-download", "-o", "json", "--quiet"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"checkov-{name}.json").write_text(result.stdout)
    assert result.stdout.strip(), f"checkov printed nothing (exit {result.returncode}): {result.stderr[-2000:]}"
    report = json.loads(result.stdout)
    reports = report if isinstance(report, list) else [report]
    failed = [
        f"{check['check_id']} {check['resource']} ({check['file_path']})"
        for entry in reports
        for check in entry.get("results", {}).get("failed_checks", [])
    ]
    assert not failed, "checkov failed checks:\n" + "\n".join(failed)
    keys = ("passed", "failed", "skipped", "parsing_errors", "resource_count")
    summary = {key: sum(entry.get("summary", {}).get(key, 0) for entry in reports) for key in keys}
    (ARTIFACTS / f"checkov-{name}-summary.json").write_text(json.dumps(summary))
    return summary


def test_checkov_passes_both_overlays_with_every_skip_explained(checkov_command, kubectl, tmp_path):
    paths = []
    for overlay in OVERLAYS:
        path = tmp_path / f"{overlay}.yaml"
        path.write_text(render_overlay(kubectl, overlay))
        paths.append(path)
    summary = run_checkov(checkov_command, "kubernetes", paths, "kubernetes")
    assert summary["failed"] == 0 and summary["parsing_errors"] == 0
    assert summary["passed"] > 200 and summary["resource_count"] >= 2 * 18
    # Skips are annotations on the resources that say why; nothing is skipped silently.
    for path in paths:
        for doc in yaml.safe_load_all(path.read_text()):
            for key, value in (doc["metadata"].get("annotations") or {}).items():
                if key.startswith("checkov.io/skip"):
                    check_id, _, reason = value.partition("=")
                    assert check_id.startswith("CKV") and len(reason) > 40, value


def test_checkov_passes_the_dockerfiles(checkov_command):
    summary = run_checkov(checkov_command, "dockerfile", [REPO_ROOT / path for path in DOCKERFILES], "dockerfile")
    assert summary["failed"] == 0 and summary["parsing_errors"] == 0
    assert summary["resource_count"] == len(DOCKERFILES) and summary["passed"] > 0


def test_checkov_would_catch_a_privileged_pod(checkov_command, kubectl, tmp_path):
    """The scan is real: the demo overlay with escalation allowed fails checkov."""
    path = tmp_path / "escalating.yaml"
    path.write_text(
        render_overlay(kubectl, "demo").replace("allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true")
    )
    result = subprocess.run(
        [*checkov_command, "--framework", "kubernetes", "-f", str(path), "--skip-download", "-o", "json", "--quiet"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(result.stdout)
    failed = {check["check_id"] for check in report["results"]["failed_checks"]}
    assert "CKV_K8S_20" in failed  # "Containers should not run with allowPrivilegeEscalation"


def test_the_key_in_a_secret_alternative_of_the_gcs_readme_renders_and_validates(kubectl, tmp_path):
    """The patch `overlays/gcs/README.md` gives for clusters without Workload Identity still applies."""
    readme = (K8S / "overlays" / "gcs" / "README.md").read_text()
    patch = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    relative = os.path.relpath(K8S / "overlays" / "gcs", tmp_path)
    (tmp_path / "kustomization.yaml").write_text(
        f"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - {relative}\n"
        f"patches:\n{patch}"
    )
    rendered = subprocess.run([kubectl, "kustomize", str(tmp_path)], capture_output=True, text=True)
    assert rendered.returncode == 0, rendered.stderr
    path = tmp_path / "rendered.yaml"
    path.write_text(rendered.stdout)
    assert validate(path).returncode == 0
    (deployment,) = [
        doc
        for doc in yaml.safe_load_all(rendered.stdout)
        if doc["kind"] == "Deployment" and doc["metadata"]["name"] == "energy-forecast-api"
    ]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e["value"] for e in container["env"]}
    key_path = env["APP_API_GCP_SERVICE_ACCOUNT_JSON_PATH"]
    mounts = {m["name"]: m for m in container["volumeMounts"]}
    assert key_path.startswith(mounts["reader-key"]["mountPath"]) and mounts["reader-key"]["readOnly"]
