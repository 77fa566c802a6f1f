"""The one Chromium: Debian's binary (playwright cannot download browsers here), launched headless."""

import os
import shutil
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_MESSAGE = f"Chromium not found at {CHROMIUM}: install Debian's `chromium` package (apt-get install chromium)"


def chromium_found() -> bool:
    return Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


def launch_chromium(playwright: Any, executable: str = CHROMIUM) -> Any:
    """A headless Chromium from `sync_playwright()` (or the async API's `playwright`), started as the tests do."""
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
