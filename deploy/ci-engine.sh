#!/usr/bin/env bash
# Run a command with a container engine at hand: the Docker engine if one answers, else compose-lab
# (rootful Podman behind the Docker API, ../shared/tools/compose-lab beside the clone), started for
# the command and stopped afterwards. Whatever the command leaves, a compose-lab started here stops.
#
#   deploy/ci-engine.sh .venv/bin/python -m pytest -m "docker or kube" tests/deploy
#
# The command sees DOCKER_HOST (and compose-lab's settings) in its environment, and COMPOSE_LAB
# (the script's path) when compose-lab is the engine, for `"$COMPOSE_LAB" podman kube play ...`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
COMPOSE_LAB=$(realpath -m ../shared/tools/compose-lab)
export PROOF_PROJECT_NAME=${PROOF_PROJECT_NAME:-energy-forecast-proof}
started_lab=false

engine_answers() {
  if command -v docker >/dev/null && timeout 20 docker info >/dev/null 2>&1; then return 0; fi
  [[ ${DOCKER_HOST:-} == unix://* ]] && curl -fs --max-time 20 --unix-socket "${DOCKER_HOST#unix://}" http://d/_ping >/dev/null 2>&1
}

# A busy engine (another build on the same cores) can miss one ping: ask for up to $1 seconds.
engine_answers_within() {
  local deadline=$((SECONDS + $1))
  until engine_answers; do
    ((SECONDS < deadline)) || return 1
    sleep 5
  done
}

# compose-lab's socket file can outlive its service (a machine stopped mid-run, then copied or
# restarted): a socket is only someone else's engine while the service that serves it runs.
lab_service_alive() {
  local lab pid
  lab=$(dirname "${DOCKER_HOST#unix://}")
  pid=$(cat "$lab/service.pid" 2>/dev/null || true)
  [[ -n $pid ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "podman system service"
}

cleanup() {
  local status=$?
  if $started_lab; then
    # The compose tests tear their stack down themselves; this catches a run that was killed outright.
    "$COMPOSE_LAB" compose -f deploy/docker-compose.yml --project-directory . -p "$PROOF_PROJECT_NAME" \
      down --volumes --remove-orphans --timeout 10 >/dev/null 2>&1 || true
    "$COMPOSE_LAB" stop || true
  fi
  exit "$status"
}
trap cleanup EXIT

if engine_answers; then
  echo "ci-engine: using the Docker engine at ${DOCKER_HOST:-the default socket}"
elif [[ ! -x $COMPOSE_LAB ]]; then
  echo "ci-engine: no Docker engine answers and there is no $COMPOSE_LAB beside this clone:" \
    "start a Docker engine (or set DOCKER_HOST)" >&2
  exit 1
elif eval "$("$COMPOSE_LAB" env)" && [[ -S ${DOCKER_HOST#unix://} ]] && lab_service_alive; then
  # Its socket exists and its service runs: someone else started it (maybe shared with other work).
  # Use it, never stop it.
  engine_answers_within 120 || { echo "ci-engine: compose-lab's socket $DOCKER_HOST does not answer" >&2; exit 1; }
  echo "ci-engine: using the compose-lab engine that is already running (left running afterwards)"
  export COMPOSE_LAB
else
  [[ -S ${DOCKER_HOST#unix://} ]] && echo "ci-engine: compose-lab's socket $DOCKER_HOST is stale (its service is not running)"
  echo "ci-engine: no Docker engine answers; starting compose-lab (log: test-artifacts/compose-lab-start.log)"
  mkdir -p test-artifacts
  started_lab=true
  started=$SECONDS
  "$COMPOSE_LAB" start >test-artifacts/compose-lab-start.log 2>&1 || { tail -n 50 test-artifacts/compose-lab-start.log; exit 1; }
  echo "ci-engine: compose-lab ready in $((SECONDS - started)) s"
  eval "$("$COMPOSE_LAB" env)"
  export COMPOSE_LAB
fi

"$@"
