"""The protocol-level load tool (`devtools.streamlit_viewer`, `devtools.dashboard_load`) against a real
Streamlit server: it runs pages to the end, changes widgets as the frontend does (inside fragments
too), follows the link, resolves cached messages, measures, and reports a broken page as errors.
"""

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from devtools.dashboard_load import (
    Phase,
    Scenario,
    ServerProcess,
    active_sessions,
    idle_memory,
    measure_level,
    released,
)
from devtools.processes import free_port, running, streamlit_command
from devtools.streamlit_viewer import Viewer, ViewerError
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

pytestmark = pytest.mark.e2e

PAGE = """
import time

import plotly.graph_objects as go
import streamlit as st

if st.query_params.get("fail"):
    raise RuntimeError("this page broke on purpose")
if st.query_params.get("sleep"):
    time.sleep(float(st.query_params["sleep"]))
st.title("Viewer test page")
st.write(f"greeting: {st.query_params.get('greeting', 'none')}")
phase = st.selectbox("Phase", [0, 6, 12], key="phase")
st.write(f"phase {phase}")
st.plotly_chart(go.Figure(go.Scatter(x=list(range(24)), y=[hour + phase for hour in range(24)])))
st.markdown("unchanging " * 3000)
view = st.segmented_control("View", ["one", "two"], default="one", key="view", bind="query-params")
st.write(f"view {view}")
if st.toggle("Mark the link", key="mark"):
    st.query_params["marked"] = "yes"


@st.fragment
def part() -> None:
    pick = st.radio("Pick", ["a", "b"], key="pick")
    st.write(f"picked {pick}")


part()
"""
SCENARIO = Scenario("test page", "page", "?greeting=hej", "phase", 1)


@pytest.fixture(scope="module")
def page_server(tmp_path_factory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("viewer-page")
    (folder / "page.py").write_text(PAGE)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running(streamlit_command("page.py", port), Path(folder), None, f"{url}/_stcore/health") as process:
        yield ServerProcess("page", url, process.pid)


def texts_of(result) -> str:
    return " | ".join(result.texts)


def test_a_viewer_runs_the_page_to_the_end_with_the_links_parameters(page_server):
    async def scenario():
        async with Viewer(page_server.url, "?greeting=hej") as viewer:
            return await viewer.open(), viewer

    result, viewer = asyncio.run(scenario())
    assert result.ok, result.errors
    assert result.status == ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
    assert "greeting: hej" in texts_of(result)
    assert [chart.kind for chart in result.charts] == ["plotly_chart"]
    assert viewer.session_id
    assert {key: viewer.widget(key).value for key in ("phase", "view", "mark", "pick")} == {
        "phase": "0",
        "view": ["one"],
        "mark": False,
        "pick": "a",
    }
    assert 0 < result.first_delta_seconds < result.seconds


def test_a_widget_change_reruns_the_page_with_the_new_value(page_server):
    async def scenario():
        async with Viewer(page_server.url) as viewer:
            await viewer.open()
            return await viewer.set_widget("phase", "6"), await viewer.next_choice("phase")

    six, twelve = asyncio.run(scenario())
    assert six.status == ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
    assert "phase 6" in texts_of(six) and "phase 0" not in texts_of(six)
    assert "phase 12" in texts_of(twelve)
    assert six.charts[0].proto.spec != twelve.charts[0].proto.spec


def test_a_widget_inside_a_fragment_reruns_only_that_fragment(page_server):
    async def scenario():
        async with Viewer(page_server.url) as viewer:
            await viewer.open()
            fragment = viewer.widget("pick").fragment_id
            changed = await viewer.set_widget("pick", "b")
            return fragment, changed, await viewer.set_widget("phase", "12")

    fragment, changed, full = asyncio.run(scenario())
    assert fragment
    assert changed.status == ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
    assert changed.fragment_ids == [fragment]
    assert "picked b" in texts_of(changed) and "Viewer test page" not in texts_of(changed)
    # The next full run carries every widget's state: the fragment's choice is kept.
    assert "picked b" in texts_of(full) and "phase 12" in texts_of(full)


def test_widgets_bound_to_the_link_and_the_pages_own_link_changes_move_the_viewers_link(page_server):
    async def scenario():
        async with Viewer(page_server.url, "?greeting=hej") as viewer:
            await viewer.open()
            view = await viewer.set_widget("view", "two")
            after_view = viewer.query_string
            await viewer.set_widget("mark", True)
            return view, after_view, viewer.query_string

    view, after_view, after_mark = asyncio.run(scenario())
    assert "view two" in texts_of(view)
    assert after_view == "greeting=hej&view=two"
    assert "marked=yes" in after_mark.split("&")  # from the server's page_info_changed


def test_an_unchanged_large_element_comes_back_as_a_reference_the_viewer_resolves(page_server):
    async def scenario():
        async with Viewer(page_server.url) as viewer:
            first = await viewer.open()
            return first, await viewer.rerun()

    first, again = asyncio.run(scenario())
    large = "unchanging " * 3
    assert any(large in text for text in first.texts) and any(large in text for text in again.texts)
    # The ~33 kB markdown was cached by hash after the first run; the rerun got a reference only.
    assert again.bytes_received < first.bytes_received - 25_000


def test_a_page_that_raises_is_an_error_and_a_widget_that_is_not_there_is_refused(page_server):
    async def scenario():
        async with Viewer(page_server.url, "?fail=1") as viewer:
            result = await viewer.open()
            with pytest.raises(ViewerError, match="no widget with key 'phase'"):
                await viewer.next_choice("phase")
            return result

    result = asyncio.run(scenario())
    assert not result.ok
    assert result.errors == ["RuntimeError: this page broke on purpose"]
    phase = Phase()
    phase.record(result, charts=1)
    assert phase.times == [] and phase.views == 0
    assert "this page broke on purpose" in phase.errors[0] and "drew 0 of 1 charts" in phase.errors[0]


def test_an_option_the_widget_does_not_have_is_refused(page_server):
    async def scenario():
        async with Viewer(page_server.url) as viewer:
            await viewer.open()
            await viewer.set_widget("phase", "7")

    with pytest.raises(ViewerError, match="has no option '7'"):
        asyncio.run(scenario())


def test_a_run_longer_than_the_timeout_fails_instead_of_waiting(page_server):
    async def scenario():
        async with Viewer(page_server.url, "?sleep=5", timeout=1) as viewer:
            await viewer.open()

    with pytest.raises(ViewerError, match="did not finish within 1 s"):
        asyncio.run(scenario())


def test_a_level_measures_times_cpu_and_memory_of_every_phase(page_server):
    level = asyncio.run(measure_level(SCENARIO, page_server, None, viewers=2, seconds=1.0, views_per_viewer=5))
    assert level.viewers == 2 and level.sessions_idle == 2
    for phase in (level.burst, level.changes, level.opens):
        assert phase.errors == []
        assert phase.views > 0 and all(seconds > 0 for seconds in phase.times)
        assert 0 < phase.percentile(50) <= phase.percentile(95) <= phase.percentile(99) <= max(phase.times)
        assert phase.server_cpu_seconds > 0 and phase.cpu_per_view(phase.server_cpu_seconds) > 0
        assert phase.wall_seconds > 0 and phase.bytes_received > 0
    assert level.burst.views == 2
    assert level.changes.views <= 2 * 5 and level.opens.views <= 2 * 5  # bounded in count
    assert level.rss_before_mb > 0 and level.rss_idle_mb > 0


def test_a_broken_page_under_load_gives_errors_and_no_times(page_server):
    broken = Scenario("broken page", "page", "?fail=1", "phase", 1)
    level = asyncio.run(measure_level(broken, page_server, None, viewers=2, seconds=0.5, views_per_viewer=3))
    assert level.burst.times == [] and len(level.burst.errors) == 2
    assert level.opens.times == [] and level.opens.errors
    assert level.changes.times == [] and level.changes.errors


def test_sessions_are_counted_while_viewers_stay_and_released_when_they_leave(page_server):
    async def scenario():
        async with httpx.AsyncClient(timeout=30) as http:
            viewers = [Viewer(page_server.url, "", http) for _ in range(3)]
            await asyncio.gather(*(viewer.open() for viewer in viewers))
            during = await active_sessions(http, page_server.url)
            await asyncio.gather(*(viewer.close() for viewer in viewers))
        return during, await released([page_server], wait_seconds=0.5)

    during, (release,) = asyncio.run(scenario())
    assert during >= 3
    assert release.sessions_at_close == 0 and release.sessions_after == 0
    assert release.rss_after_mb > 0


def test_the_load_script_documents_itself():
    script = Path(__file__).resolve().parents[2] / "scripts" / "load_dashboards.py"
    output = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, check=True)
    assert "--levels" in output.stdout and "script_finished" in output.stdout


def test_a_phase_ends_at_its_time_whatever_its_budget_of_views(page_server):
    level = asyncio.run(measure_level(SCENARIO, page_server, None, viewers=1, seconds=0.5, views_per_viewer=10_000))
    for phase in (level.changes, level.opens):
        assert 0 < phase.views < 10_000
        assert phase.wall_seconds < 5  # the deadline plus the view under way


def test_a_first_visit_fetches_the_pages_files_and_a_missing_file_fails_the_view(page_server):
    async def scenario(assets):
        async with Viewer(page_server.url, assets=assets) as viewer:
            return await viewer.open()

    index = httpx.get(page_server.url, timeout=10).text
    script = index.split('<script type="module" crossorigin src="', 1)[1].split('"', 1)[0]
    cold = asyncio.run(scenario([script, "favicon.png"]))
    assert cold.ok and cold.charts
    with pytest.raises(ViewerError, match=r"no-such-file\.js: the server has no such file"):
        asyncio.run(scenario(["static/js/no-such-file.js"]))


def test_idle_memory_holds_its_sessions_open_while_it_reads_the_servers_memory(page_server):
    memory = asyncio.run(idle_memory(SCENARIO, page_server, 3))
    assert memory.sessions == 3 and memory.sessions_counted >= 3
    assert memory.rss_before_mb > 0 and memory.rss_with_sessions_mb > 0
    assert memory.mb_per_session == (memory.rss_with_sessions_mb - memory.rss_before_mb) / 3
