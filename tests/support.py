"""The tests' names for the shared tooling in `devtools` (the workspace's dev package), and test data.

The helpers live in `devtools` so that scripts, the compose tests and `dev.py up` use the same ones;
tests written against `support` keep working through the re-exports below. Import new helpers from
`devtools` directly.
"""

from devtools.browser import CHROMIUM, CHROMIUM_ARGS
from devtools.emulator import FakeGcs
from devtools.paths import (
    ARTIFACTS,
    BUCKET_PANDAS3,
    BUCKET_PANDAS15,
    FIXTURES,
    REPO_ROOT,
    RESPONSES,
    SHARED_FIXTURES,
)
from devtools.processes import free_port, running_api, running_streamlit, stop_process
from devtools.waiting import wait_for_http

__all__ = [
    "ARTIFACTS",
    "BUCKET_PANDAS3",
    "BUCKET_PANDAS15",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "FIXTURES",
    "HOSTILE_LINK_VALUES",
    "REPO_ROOT",
    "RESPONSES",
    "SHARED_FIXTURES",
    "FakeGcs",
    "free_port",
    "running_api",
    "running_streamlit",
    "stop_process",
    "wait_for_http",
]


# What a link can carry to make a dashboard's own notice say or show something else: Markdown links,
# images and emphasis, HTML, autolinks, fences that try to close a code span, blank lines that try to
# end its paragraph, Streamlit's directives, a direction override, and a very long value.
HOSTILE_LINK_VALUES = [
    "**Session expired** [sign in](https://example.org)",
    "![pixel](https://example.org/pixel.png)",
    "<a href='https://example.org'>sign in</a><img src=x onerror=alert(1)>",
    "<https://example.org> https://example.org www.example.org",
    "` [sign in](https://example.org) `",
    "``` [sign in](https://example.org) ```",
    "x`",
    "x\n\n[sign in](https://example.org)",
    "x\r\n# Heading\n- item",
    ":material/warning: :red[Session expired] $x^2$",
    "\u202e[sign in](https://example.org)",
    "[sign in](https://example.org)" * 200,
]
