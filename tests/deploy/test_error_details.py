"""Visitors never see an error's details: every production configuration of the dashboards (the image,
compose, Kubernetes, Cloud Run) sets Streamlit's `client.showErrorDetails` to `none`, and with the
image's value a page that fails shows a generic message in Chromium, where Streamlit's default shows
the exception's type, message and traceback.
"""

import re

import pytest
import yaml
from devtools.kustomize import render_overlay
from support import REPO_ROOT, running_streamlit

SETTING = "STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"
DASHBOARDS = ("frontend", "monitoring")
SECRET_DETAIL = "/srv/secrets/reader.json belongs to reader@project.iam.gserviceaccount.com"
FAILING_PAGE = f"""import streamlit as st

st.title("A page that fails")
raise RuntimeError({SECRET_DETAIL!r})
"""
SCRIPT_FINISHED = """() => document.querySelector('[data-testid="stApp"]')
    ?.getAttribute('data-test-script-state') === 'notRunning'"""


def image_setting() -> str:
    """The value the dashboards' image sets (its `ENV` instruction)."""
    dockerfile = (REPO_ROOT / "dashboard-common" / "Dockerfile").read_text()
    (value,) = re.findall(rf"^\s*{SETTING}=(\S+)", dockerfile, flags=re.MULTILINE)
    return value


def container_env(container: dict) -> dict[str, str]:
    return {item["name"]: item.get("value") for item in container.get("env", [])}


def test_the_image_compose_kubernetes_and_cloud_run_hide_error_details(kubectl):
    assert image_setting() == "none"
    compose = yaml.safe_load((REPO_ROOT / "deploy" / "docker-compose.yml").read_text())
    for name in DASHBOARDS:
        assert compose["services"][name]["environment"][SETTING] == "none", name
        cloudrun = yaml.safe_load((REPO_ROOT / "deploy" / "cloudrun" / f"{name}.yaml").read_text())
        (container,) = cloudrun["spec"]["template"]["spec"]["containers"]
        assert container_env(container)[SETTING] == "none", name
    for overlay in ("demo", "gcs"):
        rendered = render_overlay(kubectl, overlay)
        deployments = {
            doc["metadata"]["name"]: doc for doc in yaml.safe_load_all(rendered) if doc and doc["kind"] == "Deployment"
        }
        for name in DASHBOARDS:
            (container,) = deployments[f"energy-forecast-{name}"]["spec"]["template"]["spec"]["containers"]
            assert container_env(container)[SETTING] == "none", (overlay, name)


@pytest.mark.e2e
@pytest.mark.browser
@pytest.mark.parametrize("setting", ["image", "full"])
def test_a_failing_page_shows_visitors_no_details_with_the_images_setting(page, tmp_path, setting):
    (tmp_path / "failing.py").write_text(FAILING_PAGE)
    value = image_setting() if setting == "image" else setting
    with running_streamlit(tmp_path, "failing.py", {SETTING: value}) as url:
        page.goto(url)
        page.wait_for_function(SCRIPT_FINISHED, timeout=60_000)
        page.get_by_test_id("stException").or_(page.get_by_test_id("stAlert")).first.wait_for(timeout=30_000)
        body = page.inner_text("body")
    assert "A page that fails" in body
    if setting == "image":
        assert "reader@project" not in body and "/srv/secrets" not in body
        assert "RuntimeError" not in body and "Traceback" not in body and 'File "' not in body
    else:  # Streamlit's default: the control that shows this test can fail
        assert "reader@project" in body and "RuntimeError" in body
