"""The one "poll until it answers" loop, bounded in time, for threads (sync) and event loops (async).

A check returns something truthy when done; `wait_until` returns that value. `alive`, if given,
is a process whose early exit ends the wait at once instead of at the timeout.
"""

import asyncio
import subprocess
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx

T = TypeVar("T")


class WaitTimeout(TimeoutError):
    """The condition did not hold within the timeout; the message names it and the last answer."""


def wait_until(
    check: Callable[[], T],
    timeout: float,
    what: str,
    interval: float = 0.2,
    alive: subprocess.Popen | None = None,
) -> T:
    """Call `check` every `interval` s until it returns something truthy; its value, or WaitTimeout."""
    deadline = time.monotonic() + timeout
    while True:
        if alive is not None and alive.poll() is not None:
            raise RuntimeError(f"the process that should serve {what} exited with {alive.returncode}")
        result = check()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise WaitTimeout(f"{what}: not within {timeout} s (last: {result!r})")
        time.sleep(interval)


async def await_until(check: Callable[[], Awaitable[T]], timeout: float, what: str, interval: float = 0.1) -> T:
    """`wait_until` for an async check, sleeping on the event loop between calls."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = await check()
        if result:
            return result
        if loop.time() >= deadline:
            raise WaitTimeout(f"{what}: not within {timeout} s (last: {result!r})")
        await asyncio.sleep(interval)


def http_answers(url: str, client: httpx.Client | None = None) -> str:
    """'' when `url` answers 2xx, else why not (a falsy/truthy pair for `wait_until`'s last answer)."""
    try:
        response = (client or httpx).get(url, timeout=2.0)
    except httpx.HTTPError as error:
        return f"{type(error).__name__}: {error}"
    return "" if response.is_success else f"HTTP {response.status_code}"


def wait_for_http(
    url: str, timeout: float = 60.0, process: subprocess.Popen | None = None, interval: float = 0.2
) -> None:
    """Poll `url` until it answers 2xx; fail early if the process that should serve it died.

    One client for all polls: a new one per poll costs CPU the starting server needs.
    """
    with httpx.Client() as client:
        last = ["no answer"]

        def answered() -> bool:
            last[0] = http_answers(url, client)
            return not last[0]

        try:
            wait_until(answered, timeout, url, interval=interval, alive=process)
        except WaitTimeout as error:
            raise WaitTimeout(f"{url} did not answer within {timeout} s: {last[0]}") from error
