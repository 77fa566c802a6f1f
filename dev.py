#!/usr/bin/env python3
"""The project's two commands, for a fresh machine with only Python 3.11+.

    python3 dev.py up      set up, then run the API (demo bucket unless .env says otherwise) and both dashboards
    python3 dev.py test    set up, then run ruff and every test (pytest arguments may follow)

Setting up means: find `uv` (or install it into .tools/), then `uv sync` the workspace from the
committed lockfile into .venv/. Needs no Docker and no Google account. Once set up, `up` hands over
to `devtools.devserver` in .venv (honcho supervises the services); this file needs only the
standard library, as it runs before anything is installed.

`test` leaves out the tests marked `docker` and `kube` (they need a container engine; `.ci/run`
runs them through deploy/ci-engine.sh) unless a `-m` expression is given.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
TOOLS = ROOT / ".tools"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
# The same default as devtools.browser (not importable before the venv exists).
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ENGINE_MARKERS = "not docker and not kube"


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


def up() -> None:
    setup()
    # Replaces this process: Ctrl+C and SIGTERM reach honcho, which stops every service.
    os.execv(VENV_PYTHON, [str(VENV_PYTHON), "-m", "devtools.devserver"])


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
    selection = [] if any(argument.startswith("-m") for argument in pytest_arguments) else ["-m", ENGINE_MARKERS]
    return subprocess.run([uv(), "run", "--frozen", "pytest", *selection, *pytest_arguments], cwd=ROOT).returncode


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
