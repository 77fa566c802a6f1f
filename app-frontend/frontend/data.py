"""Access to `/api/v2` for this page: the shared client's v2 methods behind `st.cache_data`.

Caches are keyed by the API URL and the API's `data_version` (content-derived, the same on every
replica), so new data is fetched as soon as the status check (short TTL) sees a new version; data
requests accept only answers of that version (`ApiClient.for_version`, see
`dashboard_common.versions`), so a replica that has not refreshed yet never fills a cache entry
of another version. Errors are not cached.
"""

from typing import Any

import streamlit as st
from dashboard_common.client import ApiV2Client, SeriesNotFound, v2_base_url
from dashboard_common.client import api_base_url as configured_url

API_URL_VARIABLE = "APP_FRONTEND_API_URL"
REQUEST_TIMEOUT_SECONDS = 5.0
STATUS_TTL_SECONDS = 30
DATA_TTL_SECONDS = 3600


def api_base_url() -> str:
    """The API URL from the environment (a `/api/v1` or `/api/v2` base; v2 is what this page calls)."""
    return configured_url(API_URL_VARIABLE)


@st.cache_resource(show_spinner=False)
def _client(api_url: str) -> ApiV2Client:
    """One client (one HTTP session, kept-alive connections) per API URL for the whole server."""
    return ApiV2Client(v2_base_url(api_url), timeout=REQUEST_TIMEOUT_SECONDS)


@st.cache_data(ttl=STATUS_TTL_SECONDS, show_spinner=False)
def status(api_url: str) -> dict[str, Any]:
    """Freshness of the API's data, with the `data_version` the other caches are keyed on."""
    return _client(api_url).status()


@st.cache_data(ttl=DATA_TTL_SECONDS, show_spinner=False)
def series_list(api_url: str, data_version: str) -> list[dict[str, Any]]:
    return _client(api_url).for_version(data_version).series_list()["series"]


@st.cache_data(ttl=DATA_TTL_SECONDS, show_spinner=False)
def series(api_url: str, area: str, consumer_type: str, zone: str, data_version: str) -> dict[str, Any] | None:
    """Observations, forecast and ranges of one series or total; None when the API has no such series (404)."""
    try:
        return _client(api_url).for_version(data_version).series(area, consumer_type, tz=zone)
    except SeriesNotFound:
        return None


@st.cache_data(ttl=DATA_TTL_SECONDS, show_spinner=False)
def monitoring_series(
    api_url: str, area: str, consumer_type: str, zone: str, data_version: str
) -> dict[str, Any] | None:
    """Past predictions against observations of one series; None when the API has none for it (404)."""
    try:
        return _client(api_url).for_version(data_version).monitoring_series(area, consumer_type, tz=zone)
    except SeriesNotFound:
        return None
