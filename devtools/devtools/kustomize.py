"""The Kubernetes manifests as a cluster would get them: `kubectl kustomize` of an overlay, offline."""

import subprocess

from devtools.paths import REPO_ROOT

OVERLAYS = REPO_ROOT / "deploy" / "k8s" / "overlays"


def render_overlay(kubectl: str, overlay: str) -> str:
    """The rendered YAML of `deploy/k8s/overlays/<overlay>` (raises CalledProcessError if it does not build)."""
    return subprocess.run(
        [kubectl, "kustomize", str(OVERLAYS / overlay)], capture_output=True, text=True, check=True
    ).stdout
