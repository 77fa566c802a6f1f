"""Many viewers of one Streamlit page at once: per-view times, server CPU per view, memory per session.

`scripts/load_dashboards.py` runs this on both dashboards and Streamlit's one-chart floor page; the
tests in `tests/devtools/test_dashboard_load.py` run it on small pages. A viewer is a
`devtools.streamlit_viewer.Viewer` (the page's websocket protocol, no browser). For one page and a
number N of viewers, a level has three phases, each bounded in time and in views per viewer:

1. burst: N viewers open the page at the same moment and stay (a team opening a shared link);
   the server's RSS and Streamlit's session count are read once they are idle;
2. changes: those N viewers change a widget again and again (its next option each time, as a
   viewer clicking through areas or views), each waiting for its run to finish, then leave;
3. opens: N viewers open the page, leave, and open it again, again and again.

For each phase: the time of every view (from the viewer's action to Streamlit's
`script_finished`), the CPU seconds the Streamlit server and the API used over the phase (from
`/proc/<pid>/stat`) divided by the views completed, and the load generator's own CPU (to show it
was not what limited the run). A view that shows an exception, draws fewer charts than the page's
complete view, or does not finish within the timeout is counted as an error, not as a time.
Memory per idle session is measured apart (`idle_memory`): viewers that open the page one after
another and stay. Nothing here asserts a speed: it measures and reports.
"""

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from prometheus_client.openmetrics.parser import text_string_to_metric_families
from websockets.exceptions import WebSocketException

from devtools.stats import percentile
from devtools.streamlit_viewer import RunResult, Viewer, ViewerError

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE_KB = os.sysconf("SC_PAGE_SIZE") / 1024
IDLE_SETTLE_SECONDS = 1.0  # after the burst's runs end, before the idle sessions' memory is read


@dataclass(frozen=True)
class Scenario:
    """A page as viewers use it: which server, the link they open, the widget they change."""

    name: str
    server: str  # a key of the servers passed to `measure_level`
    link: str  # the query string the viewers open, e.g. "?view=By+series"
    change: str  # the `key=` of the widget a viewer changes, to its next option each time
    charts: int  # the charts a complete view of the link draws (fewer: the view failed)


@dataclass(frozen=True)
class ServerProcess:
    """A running server as the load run sees it: where it answers and which process it is."""

    name: str
    url: str
    pid: int

    def cpu_seconds(self) -> float:
        return process_cpu_seconds(self.pid)

    def rss_mb(self) -> float:
        return process_rss_mb(self.pid)


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def process_rss_mb(pid: int) -> float:
    """Resident memory of one process now (`/proc/<pid>/statm`, second field, in pages)."""
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE_KB / 1024


def own_cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


async def active_sessions(http: httpx.AsyncClient, url: str) -> int:
    """Streamlit's own count of connected sessions (`/_stcore/metrics`, OpenMetrics text)."""
    response = await http.get(f"{url}/_stcore/metrics", params={"families": "active_sessions"})
    response.raise_for_status()
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            if sample.name == "active_sessions":
                return int(sample.value)
    raise ValueError(f"{url}/_stcore/metrics has no active_sessions")


def problems(result: RunResult, charts: int) -> list[str]:
    """Why a finished run does not count as a view: what it showed as an error, charts missing."""
    found = list(result.errors)
    if len(result.charts) < charts:
        found.append(f"drew {len(result.charts)} of {charts} charts")
    return found


@dataclass
class Phase:
    """The views of one phase, and what the processes spent on them."""

    times: list[float] = field(default_factory=list)  # seconds, completed views only
    errors: list[str] = field(default_factory=list)
    wall_seconds: float = 0.0
    server_cpu_seconds: float = 0.0
    api_cpu_seconds: float = 0.0
    tool_cpu_seconds: float = 0.0
    bytes_received: int = 0

    def record(self, outcome: RunResult | BaseException, charts: int) -> None:
        if isinstance(outcome, BaseException):
            self.errors.append(f"{type(outcome).__name__}: {outcome}")
            return
        self.bytes_received += outcome.bytes_received
        found = problems(outcome, charts)
        if found:
            self.errors.append("; ".join(found))
        else:
            self.times.append(outcome.seconds)

    @property
    def views(self) -> int:
        return len(self.times)

    def percentile(self, percent: float) -> float | None:
        return percentile(self.times, percent) if self.times else None

    def cpu_per_view(self, seconds: float) -> float | None:
        return seconds / self.views if self.views else None


@dataclass
class LevelResult:
    scenario: str
    viewers: int
    burst: Phase
    changes: Phase
    opens: Phase
    rss_before_mb: float
    rss_idle_mb: float
    sessions_idle: int
    rss_after_mb: float


def http_client(viewers: int, timeout: float) -> httpx.AsyncClient:
    """The viewers' HTTP connections: pooled as browsers keep them, but dropped after 2 s idle. The
    servers (uvicorn) close idle connections after 5 s; a client that kept them as long would now
    and then send a request on a connection the server is closing and fail it for nothing."""
    limits = httpx.Limits(
        max_connections=2 * viewers + 4, max_keepalive_connections=2 * viewers + 4, keepalive_expiry=2.0
    )
    return httpx.AsyncClient(timeout=timeout, limits=limits)


# The errors a viewer can meet on the way that end one view, not the run.
VIEW_FAILURES = (ViewerError, httpx.HTTPError, WebSocketException, OSError)


async def _measured(
    phase: Phase, server: ServerProcess, api: ServerProcess | None, work: Callable[[], Awaitable[object]]
) -> None:
    """Run `work`, adding the wall time and the processes' CPU it took to `phase`."""
    server_before, tool_before = server.cpu_seconds(), own_cpu_seconds()
    api_before = api.cpu_seconds() if api else 0.0
    started = time.perf_counter()
    await work()
    phase.wall_seconds = time.perf_counter() - started
    phase.server_cpu_seconds = server.cpu_seconds() - server_before
    phase.api_cpu_seconds = (api.cpu_seconds() - api_before) if api else 0.0
    phase.tool_cpu_seconds = own_cpu_seconds() - tool_before


async def _open(viewer: Viewer) -> RunResult | BaseException:
    try:
        return await viewer.open()
    except VIEW_FAILURES as error:
        return error


async def _keep_changing(viewer: Viewer, scenario: Scenario, phase: Phase, deadline: float, views: int) -> None:
    for _ in range(views):
        if time.monotonic() >= deadline:
            return
        try:
            phase.record(await viewer.next_choice(scenario.change), 1)
        except VIEW_FAILURES as error:
            phase.record(error, 1)
            return  # this viewer's page is broken; it stops changing


async def _keep_opening(
    url: str,
    scenario: Scenario,
    http: httpx.AsyncClient,
    phase: Phase,
    deadline: float,
    views: int,
    timeout: float,
    assets: list[str] | None,
) -> None:
    for _ in range(views):
        if time.monotonic() >= deadline:
            return
        viewer = Viewer(url, scenario.link, http, timeout, assets)
        try:
            phase.record(await _open(viewer), scenario.charts)
        finally:
            await viewer.close()


async def measure_level(
    scenario: Scenario,
    server: ServerProcess,
    api: ServerProcess | None,
    viewers: int,
    seconds: float,
    views_per_viewer: int,
    timeout: float = 120,
    assets: list[str] | None = None,
) -> LevelResult:
    """The three phases (burst, changes, opens) of `viewers` viewers on one page; see the module.

    With `assets` (the static files a browser fetched for the page), every opening viewer also
    fetches them: viewers whose browsers have not cached the page's files yet.
    """
    async with http_client(viewers, timeout) as http:
        burst, changes, opens = Phase(), Phase(), Phase()
        held = [Viewer(server.url, scenario.link, http, timeout, assets) for _ in range(viewers)]
        rss_before = server.rss_mb()
        try:

            async def open_all() -> None:
                for outcome in await asyncio.gather(*(_open(viewer) for viewer in held)):
                    burst.record(outcome, scenario.charts)

            await _measured(burst, server, api, open_all)
            await asyncio.sleep(IDLE_SETTLE_SECONDS)
            rss_idle = server.rss_mb()
            sessions_idle = await active_sessions(http, server.url)
            opened = [viewer for viewer in held if viewer.session_id]
            deadline = time.monotonic() + seconds

            async def change_all() -> None:
                await asyncio.gather(
                    *(_keep_changing(viewer, scenario, changes, deadline, views_per_viewer) for viewer in opened)
                )

            await _measured(changes, server, api, change_all)
        finally:
            await asyncio.gather(*(viewer.close() for viewer in held))
        deadline = time.monotonic() + seconds

        async def open_again_and_again() -> None:
            await asyncio.gather(
                *(
                    _keep_opening(server.url, scenario, http, opens, deadline, views_per_viewer, timeout, assets)
                    for _ in range(viewers)
                )
            )

        await _measured(opens, server, api, open_again_and_again)
        return LevelResult(
            scenario=scenario.name,
            viewers=viewers,
            burst=burst,
            changes=changes,
            opens=opens,
            rss_before_mb=rss_before,
            rss_idle_mb=rss_idle,
            sessions_idle=sessions_idle,
            rss_after_mb=server.rss_mb(),
        )


async def warm_up(scenario: Scenario, server: ServerProcess, changes: int, timeout: float = 120) -> RunResult:
    """One viewer opens the page and changes its widget `changes` times (caches filled, code paths
    run), so that the levels measure a serving replica rather than its first minutes. Raises on any
    failing view: a page that does not work is not worth loading."""
    async with Viewer(server.url, scenario.link, timeout=timeout) as viewer:
        result = await viewer.open()
        found = problems(result, scenario.charts)
        if found:
            raise ViewerError(f"{scenario.name}: the page's first view failed: {found}")
        for _ in range(changes):
            found = problems(await viewer.next_choice(scenario.change), 1)
            if found:
                raise ViewerError(f"{scenario.name}: a change of {scenario.change!r} failed: {found}")
        return result


@dataclass
class IdleMemory:
    """What idle sessions hold: the server's RSS before and with `sessions` viewers that opened the
    page one after another and stay, idle."""

    scenario: str
    sessions: int
    rss_before_mb: float
    rss_with_sessions_mb: float
    sessions_counted: int  # by Streamlit's own metrics, while they stay

    @property
    def mb_per_session(self) -> float:
        return (self.rss_with_sessions_mb - self.rss_before_mb) / self.sessions


async def idle_memory(scenario: Scenario, server: ServerProcess, sessions: int, timeout: float = 120) -> IdleMemory:
    """Memory per idle session, from RSS growth. The viewers open the page one at a time, so the
    figure is what sessions keep (their state, widgets, the data their download buttons hold), not
    the peak of many runs at once, which the allocator keeps as RSS afterwards. Run it on a server
    that has served the page already (its caches filled) but few viewers at once."""
    async with http_client(sessions, timeout) as http:
        viewers = [Viewer(server.url, scenario.link, http, timeout) for _ in range(sessions)]
        rss_before = server.rss_mb()
        try:
            for viewer in viewers:
                found = problems(await viewer.open(), scenario.charts)
                if found:
                    raise ViewerError(f"{scenario.name}: {found}")
            await asyncio.sleep(IDLE_SETTLE_SECONDS)
            return IdleMemory(
                scenario.name, sessions, rss_before, server.rss_mb(), await active_sessions(http, server.url)
            )
        finally:
            await asyncio.gather(*(viewer.close() for viewer in viewers))


@dataclass
class Release:
    """Whether a server lets go of its sessions once the viewers have left."""

    server: str
    sessions_at_close: int
    rss_at_close_mb: float
    waited_seconds: float
    sessions_after: int
    rss_after_mb: float


async def released(servers: list[ServerProcess], wait_seconds: float, timeout: float = 120) -> list[Release]:
    """Sessions and memory a second after every viewer left, and again `wait_seconds` later.

    Streamlit keeps a left session for reconnection (`MemorySessionStorage`: 2 minutes, at most
    128) and drops expired ones only when it next stores one, so after the wait one viewer opens
    and leaves each page before the figures are read again.
    """
    async with http_client(1, timeout) as http:
        await asyncio.sleep(IDLE_SETTLE_SECONDS)
        at_close = [(await active_sessions(http, server.url), server.rss_mb()) for server in servers]
        started = time.perf_counter()
        await asyncio.sleep(wait_seconds)
        for server in servers:
            async with Viewer(server.url, "", http, timeout) as viewer:
                await viewer.open()
        await asyncio.sleep(IDLE_SETTLE_SECONDS)
        waited = time.perf_counter() - started
        return [
            Release(server.name, sessions, rss, waited, await active_sessions(http, server.url), server.rss_mb())
            for server, (sessions, rss) in zip(servers, at_close, strict=True)
        ]
