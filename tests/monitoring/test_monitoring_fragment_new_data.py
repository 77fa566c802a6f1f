"""A view changed after the API loaded new data shows the new data, never a false "API unavailable".

Real processes: `python -m api` over a copy of the fixture bucket (refreshing every second) and the
monitoring dashboard (`python -m monitoring`), driven over Streamlit's websocket as a browser does
(`devtools.streamlit_viewer`). Choosing a series is a fragment rerun, and a fragment rerun gets the
page data of the full run that drew it: before `monitoring.data.follow_new_data`, it asked the API
for the old data version, was refused (`DataVersionMismatch`) and said the API's replicas were
switching, without a chart, until the whole page ran again. Two cases: the page's status cache
(15 s) has expired by the change, so the session sees the new version first; or it has not, and
the API refuses the old version's request first (the page then asks the API for its status again).
"""

import asyncio
import shutil
import time
from pathlib import Path

import httpx
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from dashboard_common.status import STATUS_TTL_SECONDS
from devtools.paths import BUCKET_PANDAS15
from devtools.processes import running_api, running_dashboard
from devtools.streamlit_viewer import Viewer
from devtools.waiting import wait_until
from monitoring.state import SERIES_KEY

pytestmark = pytest.mark.e2e

SWITCHING = "switching to new data"
UNAVAILABLE = "not answering"


def scale_predictions(bucket: Path, factor: float) -> None:
    """A new generation of the past predictions (every value times `factor`), written as an upload
    lands: a whole new object under the name."""
    name, column = "predictions_monitoring.parquet", "energy_consumption"
    table = pq.read_table(bucket / name)  # with pyarrow: the pipeline's pandas 1.5 metadata stays as written
    scaled = table.set_column(table.schema.get_field_index(column), column, pc.multiply(table[column], factor))
    partial = bucket / f".{name}.partial"
    pq.write_table(scaled, partial)
    partial.replace(bucket / name)


def data_version(api: str) -> str:
    return httpx.get(f"{api.removesuffix('/api/v1')}/api/v2/status", timeout=5).json()["data_version"]


def chart_json(result) -> bytes:
    charts = result.charts
    assert charts, f"no chart drawn; the page said: {result.texts}"
    return charts[-1].proto.SerializeToString()


async def choose_series_after_new_data(dashboard: str, api: str, bucket: Path, status_expired: bool) -> tuple:
    async with Viewer(dashboard, "?view=One+series", timeout=60) as viewer:
        opened = await viewer.open()
        opened_at = time.monotonic()
        assert opened.ok and opened.charts, opened.texts
        before = data_version(api)
        scale_predictions(bucket, 1.25)
        wait_until(lambda: data_version(api) != before, 30, "the API's new data")
        if status_expired:  # a full run would now show the new data
            await asyncio.sleep(STATUS_TTL_SECONDS + 1)
        else:
            assert time.monotonic() - opened_at < STATUS_TTL_SECONDS - 2, "too slow to test a cached status"
        changed = await viewer.next_choice(SERIES_KEY)
        link = viewer.query_string
    async with Viewer(dashboard, "?" + link, timeout=60) as fresh:
        reopened = await fresh.open()
    return changed, reopened


@pytest.mark.parametrize("status_expired", [True, False], ids=["status-expired", "status-cached"])
def test_a_series_chosen_after_new_data_shows_the_new_data(tmp_path: Path, status_expired: bool) -> None:
    bucket = shutil.copytree(BUCKET_PANDAS15, tmp_path / "bucket")
    with (
        running_api(bucket, {"APP_API_REFRESH_SECONDS": "1"}) as api,
        running_dashboard("monitoring", {"APP_MONITORING_API_URL": api.removesuffix("/api/v1")}) as dashboard,
    ):
        started = time.monotonic()
        changed, reopened = asyncio.run(choose_series_after_new_data(dashboard, api, bucket, status_expired))
    assert changed.ok, changed.errors
    said = " ".join(changed.texts)
    assert SWITCHING not in said and UNAVAILABLE not in said, said
    # What the viewer sees after the change is what a viewer opening that link now sees.
    assert chart_json(changed) == chart_json(reopened), f"old data shown ({time.monotonic() - started:.0f} s)"
