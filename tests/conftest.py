"""Fixtures shared by the tests of all three apps; the helpers behind them live in `devtools`.

Import helpers from `devtools` (or the older names in `support`, tests/ being on sys.path): every
subfolder's own `conftest.py` shadows the name `conftest`.
"""

import os
from collections.abc import Callable, Iterator

import pytest
from devtools.browser import CHROMIUM, MISSING_MESSAGE, chromium_found, launch_chromium
from support import (  # noqa: F401 - re-exported for tests written against conftest
    ARTIFACTS,
    BUCKET_PANDAS3,
    BUCKET_PANDAS15,
    CHROMIUM_ARGS,
    FIXTURES,
    REPO_ROOT,
    RESPONSES,
    free_port,
    running_api,
    running_streamlit,
    stop_process,
    wait_for_http,
)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of Debian's Chromium; a missing browser skips locally and fails under CI=true."""
    if chromium_found():
        return CHROMIUM
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(MISSING_MESSAGE)
    pytest.skip(MISSING_MESSAGE)


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[object]:
    """One headless Chromium per test module, driven by Playwright.

    Module scope, not session: Playwright's sync API keeps an asyncio loop marked as running in
    this thread while it is open, and the async (anyio) tests in later modules cannot start their
    own loop until it is stopped.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright, chromium_path)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def api_on_fixture_bucket() -> Iterator[str]:
    """The real API serving `bucket-pandas15` as a process; its `/api/v1` base URL."""
    with running_api(BUCKET_PANDAS15) as base_url:
        yield base_url


@pytest.fixture
def api_factory() -> Callable[..., object]:
    """`running_api` for tests that need their own API process (for example to stop it)."""
    return running_api
