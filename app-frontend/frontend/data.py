"""Access to `/api/v1` for this page: the shared client behind `st.cache_data`.

Caches are keyed by the API URL and the data's `data_version` (content-derived, equal on every API
replica), so new data is fetched as soon as the freshness check (short TTL) sees a new version; data
requests accept only answers of that version (see `dashboard_common.versions`). Errors are not cached.
"""

from typing import Any

import streamlit as st
from dashboard_common.client import ApiClient, SeriesNotFound

API_URL_VARIABLE = "APP_FRONTEND_API_URL"
REQUEST_TIMEOUT_SECONDS = 5.0
FRESHNESS_TTL_SECONDS = 30
VALUES_TTL_SECONDS = 300
PREDICTIONS_TTL_SECONDS = 3600


@st.cache_resource(show_spinner=False)
def _client(api_url: str) -> ApiClient:
    """One client (one HTTP session, kept-alive connections) per API URL for the whole server."""
    return ApiClient(api_url, timeout=REQUEST_TIMEOUT_SECONDS)


@st.cache_data(ttl=FRESHNESS_TTL_SECONDS, show_spinner=False)
def freshness(api_url: str) -> dict[str, Any]:
    return _client(api_url).freshness()


@st.cache_data(ttl=VALUES_TTL_SECONDS, show_spinner=False)
def area_values(api_url: str, data_version: str) -> list[int]:
    return sorted(_client(api_url).for_version(data_version).area_values())


@st.cache_data(ttl=VALUES_TTL_SECONDS, show_spinner=False)
def consumer_type_values(api_url: str, data_version: str) -> list[int]:
    return sorted(_client(api_url).for_version(data_version).consumer_type_values())


@st.cache_data(ttl=PREDICTIONS_TTL_SECONDS, show_spinner=False)
def predictions(api_url: str, area: int, consumer_type: int, data_version: str) -> dict[str, Any] | None:
    """The predictions body, or None when the API has no observations for this pair (404)."""
    try:
        return _client(api_url).for_version(data_version).predictions(area, consumer_type)
    except SeriesNotFound:
        return None
