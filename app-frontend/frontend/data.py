"""Access to `/api/v2` for this page: the shared client behind `st.cache_data`.

Caches are keyed by the API's root and the API's `data_version` (content-derived, the same on every
replica), so new data is fetched as soon as the status check (`dashboard_common.status`, short TTL)
sees a new version; data requests accept only answers of that version (`ApiClient.for_version`),
so a replica that has not refreshed yet never fills a cache entry of another version. Errors are
not cached.
"""

from typing import Any

import streamlit as st
from dashboard_common.client import ApiClient, SeriesNotFound, configured_api_root
from dashboard_common.status import follow_new_data, newest_status, shared_client

API_URL_VARIABLE = "APP_FRONTEND_API_URL"
REQUEST_TIMEOUT_SECONDS = 5.0
DATA_TTL_SECONDS = 3600


def api_root() -> str:
    """The API's address from the environment (its root; a `/api/v1` or `/api/v2` URL works too)."""
    return configured_api_root(API_URL_VARIABLE)


def _client(api_url: str, data_version: str) -> ApiClient:
    # The timeout is read at call time, so a test can shorten it.
    return shared_client(api_url, REQUEST_TIMEOUT_SECONDS).for_version(data_version)


def status(api_url: str) -> dict[str, Any]:
    """The API's status (newest seen by this session), with the `data_version` the caches are keyed on."""
    return newest_status(api_url, REQUEST_TIMEOUT_SECONDS)


def follow_new_version(api_url: str, data_version: str) -> None:
    """Rerun the page on the API's new data after a `DataVersionMismatch` (`follow_new_data`)."""
    follow_new_data(api_url, REQUEST_TIMEOUT_SECONDS, data_version)


@st.cache_data(ttl=DATA_TTL_SECONDS, show_spinner=False)
def series_list(api_url: str, data_version: str) -> list[dict[str, Any]]:
    return _client(api_url, data_version).series_list()["series"]


@st.cache_data(ttl=DATA_TTL_SECONDS, show_spinner=False)
def series(api_url: str, area: str, consumer_type: str, zone: str, data_version: str) -> dict[str, Any] | None:
    """Observations, forecast and ranges of one series or total; None when the API has no such series (404)."""
    try:
        return _client(api_url, data_version).series(area, consumer_type, tz=zone)
    except SeriesNotFound:
        return None


@st.cache_data(ttl=DATA_TTL_SECONDS, show_spinner=False)
def monitoring_series(
    api_url: str, area: str, consumer_type: str, zone: str, data_version: str
) -> dict[str, Any] | None:
    """Past predictions against observations of one series; None when the API has none for it (404)."""
    try:
        return _client(api_url, data_version).monitoring_series(area, consumer_type, tz=zone)
    except SeriesNotFound:
        return None
