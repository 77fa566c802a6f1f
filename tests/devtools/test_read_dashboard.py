"""`devtools.browser.read_dashboard`, which the compose and kube tests use to judge a deployed dashboard,
reports what a run draws after its charts: it waits for the run to end, not for a fixed pause."""

import pytest
from devtools.browser import read_dashboard
from devtools.paths import ARTIFACTS
from devtools.processes import running_streamlit

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

# A chart at once, an error box eight seconds later in the same run (well past a fixed 3 s pause).
LATE_ERROR_PAGE = """
import time
import plotly.graph_objects as go
import streamlit as st

st.plotly_chart(go.Figure(go.Scatter(y=[1, 2, 3])))
time.sleep(8)
st.error("drawn after the chart")
"""


def test_an_error_drawn_after_the_charts_is_reported(tmp_path, page):
    (tmp_path / "late_error.py").write_text(LATE_ERROR_PAGE)
    with running_streamlit(tmp_path, "late_error.py", {}) as url:
        view = read_dashboard(page, url, ARTIFACTS / "devtools-read-dashboard-late-error.png", timeout_s=60)
    assert view.charts == [[3]]
    assert view.errors == ["drawn after the chart"]
