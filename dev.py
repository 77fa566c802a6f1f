#!/usr/bin/env python3
"""The project's two commands, for a fresh machine with only Python 3.11+.

    python3 dev.py up      set up, then run the API (demo bucket unless .env says otherwise) and both dashboards
    python3 dev.py test    set up, then run ruff and every test (pytest arguments may follow)

Setting up means: find `uv` (or install it into .tools/), then `uv sync` the workspace from the
committed lockfile into .venv/. Needs no Docker and no Google account.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent
TOOLS = ROOT / ".tools"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def uv() -> str:
    found = shutil.which("uv")
    if found:
        return found
    local = TOOLS / "bin" / "uv"
    if not local.exists():
        say("installing uv into .tools/ (from PyPI)")
        subprocess.run([sys.executable, "-m", "venv", str(TOOLS)], check=True)
        subprocess.run([str(TOOLS / "bin" / "pip"), "install", "--quiet", "uv"], check=True)
    return str(local)


def setup() -> None:
    say("installing the workspace from uv.lock into .venv/")
    subprocess.run([uv(), "sync", "--all-packages", "--frozen", "--quiet"], cwd=ROOT, check=True)


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"[dev] a service exited with code {process.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise SystemExit(f"[dev] {url} did not answer within {seconds} s")


def up() -> None:
    setup()
    env = {**os.environ, "GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT": "false", "APP_API_DEMO_DIR": str(ROOT / ".demo-bucket")}
    api_port = env.setdefault("APP_API_PORT", "8001")
    api_url = f"http://localhost:{api_port}/api/v1"
    services = [
        ("API", [str(VENV_PYTHON), "-m", "api"], ROOT, f"{api_url}/ready"),
        (
            "forecast dashboard",
            [str(VENV_PYTHON), "-m", "streamlit", "run", "frontend/main.py", "--server.port=8501",
             "--server.headless=true", "--browser.gatherUsageStats=false"],
            ROOT / "app-frontend",
            "http://localhost:8501/_stcore/health",
        ),
        (
            "monitoring dashboard",
            [str(VENV_PYTHON), "-m", "monitoring", "--server.port=8502",
             "--server.headless=true", "--browser.gatherUsageStats=false"],
            ROOT / "app-monitoring",
            "http://localhost:8502/_stcore/health",
        ),
    ]  # fmt: skip
    env["APP_FRONTEND_API_URL"] = env["APP_MONITORING_API_URL"] = api_url
    processes: list[subprocess.Popen] = []
    # A process manager or `kill` stops us with SIGTERM: stop the services as Ctrl+C would.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        for name, command, cwd, health in services:
            say(f"starting the {name}")
            processes.append(subprocess.Popen(command, cwd=cwd, env=env))
            wait_until_up(health, processes[-1], seconds=180 if name == "API" else 60)
        say("ready:")
        say("  forecast dashboard    http://localhost:8501")
        say("  monitoring dashboard  http://localhost:8502")
        say(f"  API (Swagger UI)      {api_url}/docs")
        say("press Ctrl+C to stop")
        while all(process.poll() is None for process in processes):
            time.sleep(1)
        raise SystemExit("[dev] a service stopped; stopping the others")
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def test(pytest_arguments: list[str]) -> int:
    setup()
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() == "true":
            say(f"Chromium is missing at {CHROMIUM}: under CI the browser tests will fail")
        else:
            say(f"Chromium not found at {CHROMIUM}: browser tests will be SKIPPED (install Debian's `chromium`)")
    checks = [
        [uv(), "run", "--frozen", "ruff", "check", "."],
        [uv(), "run", "--frozen", "ruff", "format", "--check", "."],
    ]
    for command in checks:
        if subprocess.run(command, cwd=ROOT).returncode != 0:
            say("ruff found problems (see above)")
            return 1
    env = {**os.environ, "GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT": "false"}
    return subprocess.run([uv(), "run", "--frozen", "pytest", *pytest_arguments], cwd=ROOT, env=env).returncode


def main() -> int:
    command, *rest = sys.argv[1:] or ["help"]
    if command == "up":
        up()
        return 0
    if command == "test":
        return test(rest)
    print(__doc__)
    return 0 if command in {"help", "-h", "--help"} else 2


if __name__ == "__main__":
    sys.exit(main())
