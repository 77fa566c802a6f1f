"""Who may talk to whom in Kubernetes, as both overlays render: everything denied unless listed; the API
open to the dashboards (8001) and to the monitoring namespace on its private metrics port only; the
dashboards open to the ingress controller; out, DNS and what each app needs. No Service exposes the
metrics port. (No cluster enforces policies here: kubernetes-validate and checkov check the objects in
test_k8s_manifests.py; this checks what they say.)"""

import pytest
import yaml
from devtools.kustomize import render_overlay

DNS = {"namespace": "kube-system", "pods": {"k8s-app": "kube-dns"}, "ports": {(53, "UDP"), (53, "TCP")}}
DASHBOARDS = {"frontend": 8501, "monitoring": 8502}
PRIVATE_RANGES = {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"}


@pytest.fixture(scope="module", params=["demo", "gcs"])
def overlay(request, kubectl) -> tuple[str, list[dict]]:
    rendered = render_overlay(kubectl, request.param)
    return request.param, [doc for doc in yaml.safe_load_all(rendered) if doc]


def policies_for(docs: list[dict], app: str) -> list[dict]:
    return [
        doc["spec"]
        for doc in docs
        if doc["kind"] == "NetworkPolicy"
        and doc["spec"]["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/name") == f"energy-forecast-{app}"
    ]


def ports(rule: dict) -> set[tuple[int, str]]:
    return {(port["port"], port["protocol"]) for port in rule["ports"]}


def peer(entry: dict) -> dict:
    """A `from`/`to` entry as what it names: a namespace, pods, or addresses."""
    return {
        "namespace": entry.get("namespaceSelector", {}).get("matchLabels", {}).get("kubernetes.io/metadata.name"),
        "pods": entry.get("podSelector", {}).get("matchLabels")
        or {e["key"]: tuple(e["values"]) for e in entry.get("podSelector", {}).get("matchExpressions", [])},
        "cidr": entry.get("ipBlock", {}).get("cidr"),
        "except": set(entry.get("ipBlock", {}).get("except", [])),
    }


def test_everything_is_denied_unless_a_policy_allows_it(overlay):
    _, docs = overlay
    (deny,) = [doc["spec"] for doc in docs if doc["kind"] == "NetworkPolicy" and doc["spec"]["podSelector"] == {}]
    assert set(deny["policyTypes"]) == {"Ingress", "Egress"} and "ingress" not in deny and "egress" not in deny
    for doc in docs:
        if doc["kind"] != "NetworkPolicy":
            continue
        for rule in doc["spec"].get("ingress", []):
            assert rule.get("from") and rule.get("ports"), doc["metadata"]["name"]  # never "from anywhere"
        for rule in doc["spec"].get("egress", []):
            assert rule.get("to") and rule.get("ports"), doc["metadata"]["name"]


def test_the_api_admits_the_dashboards_and_prometheus_on_its_metrics_port_only(overlay):
    _, docs = overlay
    rules = [rule for policy in policies_for(docs, "api") for rule in policy.get("ingress", [])]
    admitted = {(frozenset(ports(rule)), str(peer(entry))) for rule in rules for entry in rule["from"]}
    dashboards = peer({"podSelector": {"matchExpressions": [{"key": "app.kubernetes.io/name", "values": [
        "energy-forecast-frontend", "energy-forecast-monitoring"]}]}})  # fmt: skip
    prometheus = peer({"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}})
    assert admitted == {
        (frozenset({(8001, "TCP")}), str(dashboards)),
        (frozenset({(9001, "TCP")}), str(prometheus)),
    }


def test_the_dashboards_admit_the_ingress_controller_and_reach_only_dns_and_the_api(overlay):
    _, docs = overlay
    for app, port in DASHBOARDS.items():
        (policy,) = policies_for(docs, app)
        (rule,) = policy["ingress"]
        assert ports(rule) == {(port, "TCP")} and [peer(e)["namespace"] for e in rule["from"]] == ["ingress-nginx"]
        reached = {(peer(entry)["namespace"], str(peer(entry)["pods"])): ports(rule) for rule in policy["egress"]
                   for entry in rule["to"]}  # fmt: skip
        assert reached == {
            ("kube-system", str(DNS["pods"])): DNS["ports"],
            (None, str({"app.kubernetes.io/name": "energy-forecast-api"})): {(8001, "TCP")},
        }


def test_the_api_reaches_dns_and_with_a_real_bucket_storage_and_the_metadata_server(overlay):
    name, docs = overlay
    egress = [rule for policy in policies_for(docs, "api") for rule in policy.get("egress", [])]
    dns = [rule for rule in egress if any(peer(entry)["namespace"] == "kube-system" for entry in rule["to"])]
    assert len(dns) == 1 and ports(dns[0]) == DNS["ports"]
    addresses = {(peer(entry)["cidr"], frozenset(peer(entry)["except"])): ports(rule) for rule in egress
                 for entry in rule["to"] if peer(entry)["cidr"]}  # fmt: skip
    if name == "demo":
        assert addresses == {}  # the demo bucket is written inside the pod
    else:
        anywhere = next(key for key in addresses if key[0] == "0.0.0.0/0")
        assert addresses[anywhere] == {(443, "TCP")} and anywhere[1] >= PRIVATE_RANGES
        assert addresses[("169.254.169.254/32", frozenset())] == {(80, "TCP")}


def test_no_service_exposes_the_metrics_port_and_the_api_serves_metrics_there(overlay):
    _, docs = overlay
    (service,) = [doc for doc in docs if doc["kind"] == "Service" and doc["metadata"]["name"] == "energy-forecast-api"]
    assert [port["port"] for port in service["spec"]["ports"]] == [8001]
    (config,) = [doc for doc in docs if doc["kind"] == "ConfigMap" and "energy-forecast-api" in doc["metadata"]["name"]]
    (deployment,) = [
        doc for doc in docs if doc["kind"] == "Deployment" and doc["metadata"]["name"] == "energy-forecast-api"
    ]
    pod = deployment["spec"]["template"]
    (container,) = pod["spec"]["containers"]
    metrics = {port["name"]: port["containerPort"] for port in container["ports"]}["metrics"]
    assert (
        config["data"]["APP_API_METRICS_PORT"] == str(metrics) == pod["metadata"]["annotations"]["prometheus.io/port"]
    )
