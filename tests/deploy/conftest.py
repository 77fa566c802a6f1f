"""What the deploy tests share: finding the tools they drive, and keeping `kube` tests to their own step.

A tool that is missing skips a test locally (with the reason) and fails it under CI=true. Tests marked
`kube` need the compose-lab engine running, so they run only when selected by marker
(`pytest -m "docker or kube" tests/deploy`, which `.ci/run` runs through `deploy/ci-engine.sh`); in an
unfiltered run they are skipped with a note saying so.
"""

import os
import shutil
import subprocess

import pytest
from support import REPO_ROOT

# checkov is run pinned, outside the workspace's lockfile: it requires packaging<24 and would
# downgrade pytest and pandas' python-dateutil for every app (see deploy/README.md).
CHECKOV_VERSION = "3.3.30"
COMPOSE_LAB = os.environ.get("COMPOSE_LAB", str(REPO_ROOT.parent / "shared" / "tools" / "compose-lab"))


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def missing(message: str) -> None:
    """A tool the test needs is not here: skip locally, fail under CI=true."""
    if in_ci():
        pytest.fail(message)
    pytest.skip(message)


def require(command: str, hint: str) -> str:
    path = shutil.which(command)
    if path is None:
        missing(f"`{command}` not found on PATH: {hint}")
    return path


@pytest.fixture(scope="session")
def kubectl() -> str:
    return require("kubectl", "install the Kubernetes client (kubectl >= 1.27 has kustomize built in)")


@pytest.fixture(scope="session")
def checkov_command() -> list[str]:
    """`checkov` as a command line: $CHECKOV if set, else the pinned version through `uv tool run`."""
    if os.environ.get("CHECKOV"):
        return [os.environ["CHECKOV"]]
    uv = shutil.which("uv") or str(REPO_ROOT / ".tools" / "bin" / "uv")
    if not os.path.exists(uv):
        missing("neither $CHECKOV nor uv is available to run checkov")
    return [uv, "tool", "run", "--from", f"checkov=={CHECKOV_VERSION}", "checkov"]


@pytest.fixture(scope="session")
def podman() -> list[str]:
    """`podman` on compose-lab's engine; the engine must already be started (`compose-lab start`)."""
    if not os.access(COMPOSE_LAB, os.X_OK):
        missing(f"no compose-lab at {COMPOSE_LAB}")
    command = [COMPOSE_LAB, "podman"]
    try:
        subprocess.run([*command, "info"], capture_output=True, check=True, timeout=60)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
        missing(f"compose-lab's podman does not answer ({error}): run `{COMPOSE_LAB} start` first")
    return command


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "kube" in (config.option.markexpr or ""):
        return
    skip = pytest.mark.skip(reason="needs compose-lab started; runs in its own step: deploy/ci-engine.sh (see .ci/run)")
    for item in items:
        if item.get_closest_marker("kube"):
            item.add_marker(skip)
