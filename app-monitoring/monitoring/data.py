"""Cached reads of the monitoring endpoints, so reruns and series changes do not wait on the API.

Monitoring data changes only when the API loads a new snapshot, so its loaders take the snapshot
id as an argument: a new snapshot is a cache miss at once, and the TTL only bounds memory. The
freshness answer itself is cached briefly so the "loaded ... ago" line stays roughly right. Errors
are raised, never cached: the next rerun asks the API again.
"""

import streamlit as st
from dashboard_common.client import ApiClient

API_TIMEOUT_SECONDS = 5.0
FRESHNESS_TTL_SECONDS = 15
MONITORING_TTL_SECONDS = 600


@st.cache_resource(show_spinner=False)
def _client(base_url: str) -> ApiClient:
    return ApiClient(base_url, timeout=API_TIMEOUT_SECONDS)


@st.cache_data(ttl=FRESHNESS_TTL_SECONDS, show_spinner=False)
def load_freshness(base_url: str) -> dict:
    return _client(base_url).freshness()


@st.cache_data(ttl=MONITORING_TTL_SECONDS, show_spinner=False)
def load_metrics(base_url: str, snapshot_id: int) -> dict:
    return _client(base_url).monitoring_metrics()


@st.cache_data(ttl=MONITORING_TTL_SECONDS, show_spinner=False)
def load_summary(base_url: str, snapshot_id: int) -> dict:
    return _client(base_url).monitoring_summary()


@st.cache_data(ttl=MONITORING_TTL_SECONDS, show_spinner=False, max_entries=256)
def load_series_errors(base_url: str, snapshot_id: int, area: int, consumer_type: int) -> dict:
    return _client(base_url).monitoring_errors(area, consumer_type)
