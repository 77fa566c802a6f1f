"""`python3 dev.py up`: the API on the demo bucket (unless `.env` says otherwise) and both dashboards.

honcho supervises the three processes as a Procfile runner does: their output interleaved with a
name prefix, all of them stopped (SIGTERM to each process group, SIGKILL after 5 s) on Ctrl+C, on
SIGTERM, or when any one of them exits. A fourth process, `ready`, waits until the three answer,
prints their addresses and then waits too, so that it ends (and ends the rest) only with them.

    .venv/bin/python -m devtools.devserver          # what `dev.py up` runs once the venv is set up
"""

import os
import shlex
import signal
import sys
from dataclasses import dataclass

from dashboard_common.addresses import API_PORT as DEFAULT_API_PORT
from dashboard_common.addresses import FRONTEND_PORT as DEFAULT_FRONTEND_PORT
from dashboard_common.addresses import MONITORING_PORT as DEFAULT_MONITORING_PORT
from honcho.manager import Manager

from devtools.paths import REPO_ROOT
from devtools.processes import dashboard_command
from devtools.waiting import wait_for_http

DEMO_DIR = REPO_ROOT / ".demo-bucket"
API_START_SECONDS = 180  # a first start writes the demo bucket and loads it
DASHBOARD_START_SECONDS = 60


@dataclass(frozen=True)
class Service:
    name: str
    command: list[str]
    cwd: str
    health_url: str
    start_seconds: float


def api_port() -> int:
    return int(os.environ.get("APP_API_PORT", DEFAULT_API_PORT))


# The dashboards' ports can be moved (the test of this module runs it on free ports).
FRONTEND_PORT = int(os.environ.get("DEV_UP_FRONTEND_PORT", DEFAULT_FRONTEND_PORT))
MONITORING_PORT = int(os.environ.get("DEV_UP_MONITORING_PORT", DEFAULT_MONITORING_PORT))


def api_url() -> str:
    """The API's root: the dashboards' setting, and the base of its docs and probes."""
    return f"http://localhost:{api_port()}"


def services() -> list[Service]:
    python = sys.executable
    return [
        Service("api", [python, "-m", "api"], str(REPO_ROOT), f"{api_url()}/api/v1/ready", API_START_SECONDS),
        Service(
            "frontend",
            dashboard_command("frontend", FRONTEND_PORT, address="127.0.0.1", watch=True),
            str(REPO_ROOT / "app-frontend"),
            f"http://localhost:{FRONTEND_PORT}/_stcore/health",
            DASHBOARD_START_SECONDS,
        ),
        Service(
            "monitoring",
            dashboard_command("monitoring", MONITORING_PORT, address="127.0.0.1", watch=True),
            str(REPO_ROOT / "app-monitoring"),
            f"http://localhost:{MONITORING_PORT}/_stcore/health",
            DASHBOARD_START_SECONDS,
        ),
    ]


def announce() -> None:
    """Wait until every service answers, print where to find them, then wait to be stopped."""
    for service in services():
        wait_for_http(service.health_url, timeout=service.start_seconds)
    lines = [
        "ready:",
        f"  forecast dashboard    http://localhost:{FRONTEND_PORT}",
        f"  monitoring dashboard  http://localhost:{MONITORING_PORT}",
        f"  API (Swagger UI)      {api_url()}/api/v1/docs",
        "press Ctrl+C to stop",
    ]
    print("\n".join(lines), flush=True)  # noqa: T201 - the developer's terminal is the audience
    signal.pause()


def up() -> int:
    env = {
        **os.environ,
        "APP_API_DEMO_DIR": os.environ.get("APP_API_DEMO_DIR", str(DEMO_DIR)),
        "APP_API_PORT": str(api_port()),
        "APP_FRONTEND_API_URL": api_url(),
        "APP_MONITORING_API_URL": api_url(),
        "PYTHONUNBUFFERED": "1",  # lines reach honcho's printer as they are written
    }
    manager = Manager()
    for service in services():
        manager.add_process(service.name, "exec " + shlex.join(service.command), env=env, cwd=service.cwd)
    announcer = [sys.executable, "-m", "devtools.devserver", "announce"]
    manager.add_process("ready", "exec " + shlex.join(announcer), env=env, cwd=str(REPO_ROOT))
    manager.loop()
    return manager.returncode or 0


def main() -> int:
    if sys.argv[1:] == ["announce"]:
        announce()
        return 0
    return up()


if __name__ == "__main__":
    sys.exit(main())
