"""The model-monitoring dashboard: can the forecasts be trusted, and which series fail?

Run from `app-monitoring/`: `python -m monitoring` (the API's address from `APP_MONITORING_API_URL`).
The page reads top to bottom: status, headline figures (this week against last week), then one of
three views (a chooser): the aggregated error over time, the breakdown by series (a row opens that
series), one series in detail. Links carry the view, the series, the threshold and the chosen
figures, e.g. `?view=One+series&area=1&consumer_type=111&threshold=10`.

This script loads what the page shows into one `state.PageData` and hands it to the headline and
the views (`headline.py`, `views.py`); nothing is kept in module globals.
"""

import streamlit as st
from dashboard_common.client import ApiError
from dashboard_common.freshness import render_api_unavailable, render_status
from dashboard_common.status import data_version
from dashboard_common.theme import apply_theme

from monitoring.data import api_root, load_hourly, load_status, load_summary
from monitoring.headline import render_headline
from monitoring.state import CHART_MEASURE_KEY, NOTICES_KEY, PAGE_TITLE, RANK_MEASURE_KEY, THRESHOLD_KEY, page_data
from monitoring.views import views


def render_monitoring_unavailable(error: ApiError) -> None:
    st.info(
        f"No monitoring data to show yet: {error.message}. Monitoring data appears after the "
        "pipeline's first monitoring run has compared predictions with observations.",
        icon=":material/hourglass_empty:",
    )
    st.button("Check again", key="retry_monitoring", on_click=st.cache_data.clear, icon=":material/refresh:")


st.set_page_config(page_title=PAGE_TITLE, page_icon=":material/monitoring:", layout="wide")
apply_theme()
st.title(PAGE_TITLE)
st.caption(
    "How far the hourly consumption forecasts were from what was observed afterwards, "
    "over all series and per area and consumer type."
)

api_url = api_root()
try:
    status = load_status(api_url)  # never older data after newer, whichever replica answers
except ApiError as error:
    render_api_unavailable(error)
    st.stop()
render_status(status)

version = data_version(status)
try:
    summary = load_summary(api_url, version)
    hourly = load_hourly(api_url, version)
except ApiError as error:
    render_monitoring_unavailable(error)
    st.stop()
page = page_data(api_url, status, version, summary, hourly, st.query_params)

# The URL holds the view: it initialises whatever the session does not know yet (first visit, or
# state dropped while the API was away); its notices are shown until the user changes the view.
st.session_state.setdefault(NOTICES_KEY, page.link.notices_for())
st.session_state.setdefault(THRESHOLD_KEY, page.link.values["threshold"])
st.session_state.setdefault(RANK_MEASURE_KEY, page.link.values["rank"].label)
st.session_state.setdefault(CHART_MEASURE_KEY, page.link.values["figure"].label)

render_headline(page)
views(page)
