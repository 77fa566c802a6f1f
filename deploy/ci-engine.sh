#!/usr/bin/env bash
# CI step for the compose stack: find a Docker engine (or start compose-lab when there is none),
# run the end-to-end proof (deploy/prove.py) against it, and leave nothing running.
#
#   deploy/ci-compose.sh            # from anywhere; .ci/run calls it after the test suite
#
# An engine is "present" when `docker info` (or the Docker API at $DOCKER_HOST) answers, or when a
# compose-lab engine is already running. Without one, ../shared/tools/compose-lab (relative to the
# repo root) installs rootful Podman behind the Docker API (needs root and apt; a few minutes on a
# fresh machine), and is stopped again at the end.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
COMPOSE_LAB=../shared/tools/compose-lab
export PROOF_PROJECT_NAME=${PROOF_PROJECT_NAME:-energy-forecast-proof}
started_lab=false

engine_answers() {
  if command -v docker >/dev/null && timeout 20 docker info >/dev/null 2>&1; then return 0; fi
  [[ ${DOCKER_HOST:-} == unix://* ]] && curl -fs --max-time 5 --unix-socket "${DOCKER_HOST#unix://}" http://d/_ping >/dev/null 2>&1
}

cleanup() {
  local status=$?
  if $started_lab; then
    # prove.py tears its stack down itself; this catches a proof that was killed outright.
    "$COMPOSE_LAB" compose -f deploy/docker-compose.yml --project-directory . -p "$PROOF_PROJECT_NAME" \
      down --volumes --remove-orphans --timeout 10 >/dev/null 2>&1 || true
    "$COMPOSE_LAB" stop || true
  fi
  exit "$status"
}
trap cleanup EXIT

if engine_answers; then
  echo "ci-compose: using the Docker engine at ${DOCKER_HOST:-the default socket}"
elif [[ ! -x $COMPOSE_LAB ]]; then
  echo "ci-compose: no Docker engine answers and there is no $COMPOSE_LAB beside this clone:" \
    "start a Docker engine (or set DOCKER_HOST) to run the compose proof" >&2
  exit 1
elif eval "$("$COMPOSE_LAB" env)" && engine_answers; then
  echo "ci-compose: using the compose-lab engine that is already running (left running afterwards)"
else
  echo "ci-compose: no Docker engine answers; starting compose-lab (log: test-artifacts/compose-lab-start.log)"
  mkdir -p test-artifacts
  started_lab=true
  started=$SECONDS
  "$COMPOSE_LAB" start >test-artifacts/compose-lab-start.log 2>&1 || { tail -n 50 test-artifacts/compose-lab-start.log; exit 1; }
  echo "ci-compose: compose-lab ready in $((SECONDS - started)) s"
  eval "$("$COMPOSE_LAB" env)"
fi

if [[ ! -x ${CHROMIUM_PATH:-/usr/bin/chromium} ]]; then
  echo "ci-compose: installing Debian's chromium for the dashboard checks"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

# The proof needs the workspace's dev environment (httpx, Playwright); `python3 dev.py test` has
# usually made it already.
if [[ ! -x .venv/bin/python ]]; then
  uv_bin=$(command -v uv || echo .tools/bin/uv)
  [[ -x $uv_bin ]] || { echo "ci-compose: no .venv and no uv; run 'python3 dev.py test' first" >&2; exit 1; }
  "$uv_bin" sync --all-packages --frozen --quiet
fi

# Cold build: no layer cache, so the recorded build time is real and a stale cache hides nothing.
.venv/bin/python deploy/prove.py --cold --expect-demo
