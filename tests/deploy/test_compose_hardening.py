"""The compose file as written (the running stack is checked in test_compose.py): every service bounded
and locked down, and no document advises a key file anyone on the machine can read."""

import re

import pytest
import yaml
from support import REPO_ROOT

COMPOSE = yaml.safe_load((REPO_ROOT / "deploy" / "docker-compose.yml").read_text())
KEY_DOCS = ["README.md", "deploy/README.md", "credentials/README.md", "deploy/k8s/overlays/gcs/README.md"]


@pytest.mark.parametrize("service", ["api", "frontend", "monitoring"])
def test_every_service_is_bounded_read_only_and_unprivileged(service):
    spec = COMPOSE["services"][service]
    assert spec["read_only"] is True and spec["cap_drop"] == ["ALL"]
    assert "no-new-privileges:true" in spec["security_opt"]
    assert spec["mem_limit"] and spec["cpus"] and spec["pids_limit"]
    assert any(mount.startswith("/tmp") for mount in spec["tmpfs"])  # what the apps write goes there


def test_dashboards_keep_their_home_in_tmp_and_the_api_runs_as_the_images_user_and_group():
    for service in ("frontend", "monitoring"):
        assert COMPOSE["services"][service]["environment"]["HOME"] == "/tmp"
    assert COMPOSE["services"]["api"]["user"] == "10001:10001"
    assert "--uid 10001" in (REPO_ROOT / "app-api" / "Dockerfile").read_text()


def test_no_document_advises_a_key_file_others_can_read():
    advised = []
    for name in KEY_DOCS:
        for mode in re.findall(r"chmod\s+([0-7]{3,4})\s+\S*credentials/", (REPO_ROOT / name).read_text()):
            advised.append((name, mode))
    assert advised and all(mode[-1] == "0" for _, mode in advised), advised  # "others" get nothing
