"""Cached reads of the API, so reruns and series changes do not wait on it.

Monitoring data changes only when the API loads new data, so its loaders take the data's
`data_version` (content-derived, equal on every API replica) as an argument: new data is a cache miss
at once, the TTL only bounds memory, and only answers of that version are accepted
(see `dashboard_common.versions`). The freshness answer itself is cached briefly so the "loaded ...
ago" line stays roughly right. Errors are raised, never cached: the next rerun asks the API again.
The series chart is cached the same way, as the JSON the browser draws.
"""

import streamlit as st
from dashboard_common.charts import ChartData, chart_data
from dashboard_common.client import ApiClient, ApiV2Client, v2_base_url

from monitoring.figures import series_figure
from monitoring.series import series_frame

API_TIMEOUT_SECONDS = 5.0
FRESHNESS_TTL_SECONDS = 15
MONITORING_TTL_SECONDS = 600


@st.cache_resource(show_spinner=False)
def _client(base_url: str) -> ApiClient:
    return ApiClient(base_url, timeout=API_TIMEOUT_SECONDS)


@st.cache_resource(show_spinner=False)
def _client_v2(base_url: str) -> ApiV2Client:
    return ApiV2Client(v2_base_url(base_url), timeout=API_TIMEOUT_SECONDS)


@st.cache_data(ttl=FRESHNESS_TTL_SECONDS, show_spinner=False)
def load_freshness(base_url: str) -> dict:
    return _client(base_url).freshness()


@st.cache_data(ttl=MONITORING_TTL_SECONDS, show_spinner=False)
def load_summary(base_url: str, data_version: str) -> dict:
    return _client_v2(base_url).for_version(data_version).monitoring_summary()


@st.cache_data(ttl=MONITORING_TTL_SECONDS, show_spinner=False)
def load_hourly(base_url: str, data_version: str) -> dict:
    return _client_v2(base_url).for_version(data_version).monitoring_hourly()


@st.cache_data(ttl=MONITORING_TTL_SECONDS, show_spinner=False, max_entries=256)
def load_monitored_series(base_url: str, data_version: str, area: int, consumer_type: int) -> dict:
    return _client_v2(base_url).for_version(data_version).monitoring_series(area, consumer_type)


@st.cache_data(ttl=MONITORING_TTL_SECONDS, show_spinner=False, max_entries=64)
def series_chart(base_url: str, data_version: str, area: int, consumer_type: int) -> ChartData:
    """The series' chart, built and serialised once per data version (about half a series change's
    server time): choosing a series seen before only sends it again."""
    detail = series_frame(load_monitored_series(base_url, data_version, area, consumer_type))
    return chart_data(series_figure(detail, (area, consumer_type)))
