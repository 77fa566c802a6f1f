#!/usr/bin/env bash
# CI step for the Kubernetes manifests: play the demo overlay with `podman kube play` on compose-lab's
# engine and check every pod (tests marked `kube` in tests/deploy/), leaving nothing running.
#
#   deploy/ci-kube.sh        # from anywhere; .ci/run calls it after the test suite
#
# Rendering, strict validation and checkov are ordinary tests (tests/deploy/test_k8s_manifests.py)
# and ran already in `python3 dev.py test`. This step starts compose-lab when its engine is not
# running (and stops it again at the end), or uses the running one and leaves it running.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
COMPOSE_LAB=${COMPOSE_LAB:-../shared/tools/compose-lab}
started_lab=false

lab_answers() { timeout 60 "$COMPOSE_LAB" podman info >/dev/null 2>&1 && [[ -S /var/tmp/compose-lab/podman.sock ]]; }

cleanup() {
  local status=$?
  # The tests tear their pods down themselves; stop only an engine this script started.
  if $started_lab; then "$COMPOSE_LAB" stop || true; fi
  exit "$status"
}
trap cleanup EXIT

if [[ ! -x $COMPOSE_LAB ]]; then
  echo "ci-kube: there is no $COMPOSE_LAB beside this clone: podman kube play cannot run" >&2
  exit 1
elif command -v podman >/dev/null && lab_answers; then
  echo "ci-kube: using the compose-lab engine that is already running (left running afterwards)"
else
  echo "ci-kube: starting compose-lab (log: test-artifacts/compose-lab-start-kube.log)"
  mkdir -p test-artifacts
  started_lab=true
  started=$SECONDS
  "$COMPOSE_LAB" start >test-artifacts/compose-lab-start-kube.log 2>&1 || { tail -n 50 test-artifacts/compose-lab-start-kube.log; exit 1; }
  echo "ci-kube: compose-lab ready in $((SECONDS - started)) s"
fi

uv_bin=$(command -v uv || echo .tools/bin/uv)
[[ -x $uv_bin ]] || { echo "ci-kube: no uv; run 'python3 dev.py test' first" >&2; exit 1; }
CI=${CI:-true} GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT=false "$uv_bin" run --frozen pytest -m kube tests/deploy -q -rA
echo "ci-kube: figures in test-artifacts/kube-play.json:"
cat test-artifacts/kube-play.json
