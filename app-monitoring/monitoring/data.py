"""Cached reads of the API's `/api/v2`, so reruns and series changes do not wait on it.

Monitoring data changes only when the API loads new data, so its loaders take the data's
`data_version` (content-derived, equal on every API replica) as an argument: new data is a cache miss
at once, the TTL only bounds memory, and only answers of that version are accepted
(see `dashboard_common.status`, which also loads the status itself, briefly cached). Errors are
raised, never cached: the next rerun asks the API again. The series chart is cached the same way, as
the JSON the browser draws. Every monitoring request carries the page's zone (`tz`), so the API sends
its hours in it; the zone is part of each cache key, and the language part of the chart's.
"""

from typing import Any

import streamlit as st
from dashboard_common.charts import ChartData, chart_data
from dashboard_common.client import ApiClient, ApiError, configured_api_root
from dashboard_common.status import data_version, newest_status, shared_client
from dashboard_common.status import follow_new_data as follow_version_change

from monitoring.aggregate import hour_of_day_frame
from monitoring.descriptions import series_description
from monitoring.figures import series_figure
from monitoring.series import series_frame
from monitoring.state import SHARED_VERSIONS, VersionData, version_data

API_URL_VARIABLE = "APP_MONITORING_API_URL"
API_TIMEOUT_SECONDS = 5.0
MONITORING_TTL_SECONDS = 600


def api_root() -> str:
    """The API's address from the environment (its root; a `/api/v1` or `/api/v2` URL works too)."""
    return configured_api_root(API_URL_VARIABLE)


def _client(base_url: str, data_version: str) -> ApiClient:
    return shared_client(base_url, API_TIMEOUT_SECONDS).for_version(data_version)


def load_status(base_url: str) -> dict[str, Any]:
    """The API's status (newest seen by this session), with the `data_version` the caches are keyed on."""
    return newest_status(base_url, API_TIMEOUT_SECONDS)


def follow_new_data(base_url: str, shown_version: str, ask_again: bool = False) -> None:
    """Rerun the whole page when the API's data is no longer the version a fragment shows.

    A fragment rerun (a view, figure, threshold or series chosen) gets the page data of the full
    run that drew it, with that run's data version; after the API loaded new data, its requests
    pinned to the old version are refused (`DataVersionMismatch`) and it would say the API's
    replicas are switching, until a full rerun. So a fragment starts here: on newer data in the
    session's status the page reruns whole (`st.rerun`), headline and all, on the new version.
    `ask_again` (after a `DataVersionMismatch`) is the forecast page's way, shared: the status asked
    again, uncached, each switch of versions followed once (`dashboard_common.status.follow_new_data`).
    A status the API cannot give changes nothing here: the fragment's own requests say what failed.
    """
    if ask_again:
        follow_version_change(base_url, API_TIMEOUT_SECONDS, shown_version)
        return
    try:
        current = data_version(load_status(base_url))
    except ApiError:
        return
    if current != shown_version:
        st.rerun()


@st.cache_data(ttl=MONITORING_TTL_SECONDS, show_spinner=False)
def load_summary(base_url: str, data_version: str, zone: str) -> dict:
    return _client(base_url, data_version).monitoring_summary(zone)


@st.cache_data(ttl=MONITORING_TTL_SECONDS, show_spinner=False)
def load_hourly(base_url: str, data_version: str, zone: str) -> dict:
    return _client(base_url, data_version).monitoring_hourly(zone)


@st.cache_data(ttl=MONITORING_TTL_SECONDS, show_spinner=False)
def load_hour_of_day(base_url: str, data_version: str, zone: str) -> dict:
    """The error per hour of the day on the clocks of `zone`, pooled by the API."""
    return _client(base_url, data_version).monitoring_hour_of_day(zone)


@st.cache_resource(ttl=MONITORING_TTL_SECONDS, max_entries=SHARED_VERSIONS, show_spinner=False)
def shared_version_data(base_url: str, data_version: str, language: str, zone: str) -> VersionData:
    """The page data every viewer of (data version, language, zone) shares (`state.version_data`),
    loaded and derived once for the process, read-only: deriving it per run was ~45 % of a By series
    open, and each run's cache hits of the summary and the hourly answer unpickled copies of them.
    Raises the client's `ApiError` (never cached) when the API cannot answer."""
    summary = load_summary(base_url, data_version, zone)
    return version_data(summary, load_hourly(base_url, data_version, zone), language, zone)


@st.cache_resource(ttl=MONITORING_TTL_SECONDS, max_entries=SHARED_VERSIONS, show_spinner=False)
def shared_hour_of_day(base_url: str, data_version: str, zone: str) -> Any:
    """The hour-of-day profile's frame (`aggregate.hour_of_day_frame`) once per data version and
    zone, read-only (was built per Over time run only to find its shared chart)."""
    return hour_of_day_frame(load_hour_of_day(base_url, data_version, zone))


SERIES_ENTRIES = 1024
"""Entries of the per-series caches below: every series of a data version in both zones and both
languages (the demo has 76 series, the real bucket 2 areas x ~38 types plus totals: ~320 charts).
An LRU smaller than the set a viewer steps through misses on every step (64 entries did: a change
cost 99 ms instead of 16, BENCHMARKS.md, "Capacity"). A chart's JSON is ~50-100 KB: ~30 MB for all."""


@st.cache_data(ttl=MONITORING_TTL_SECONDS, show_spinner=False, max_entries=SERIES_ENTRIES)
def load_monitored_series(base_url: str, data_version: str, area: int, consumer_type: int, zone: str) -> dict:
    return _client(base_url, data_version).monitoring_series(area, consumer_type, zone)


@st.cache_data(ttl=MONITORING_TTL_SECONDS, show_spinner=False, max_entries=SERIES_ENTRIES)
def series_chart(
    base_url: str, data_version: str, area: int, consumer_type: int, zone: str, language: str
) -> ChartData:
    """The series' chart in `zone` and `language`, built and serialised once per data version:
    choosing a series seen before only sends it again."""
    detail = series_frame(load_monitored_series(base_url, data_version, area, consumer_type, zone))
    return chart_data(series_figure(detail, (area, consumer_type), language))


@st.cache_resource(ttl=MONITORING_TTL_SECONDS, show_spinner=False, max_entries=SERIES_ENTRIES)
def shared_series(
    base_url: str, data_version: str, area: int, consumer_type: int, zone: str
) -> tuple[dict[str, Any], Any]:
    """The API's answer for the series and its hourly frame (`series_frame`), once per data version
    and zone for the process, read-only: the frame was ~17 % of a One series change, and a hit of
    `load_monitored_series` copies (unpickles) the whole answer on every run."""
    monitored = load_monitored_series(base_url, data_version, area, consumer_type, zone)
    return monitored, series_frame(monitored)


@st.cache_resource(ttl=MONITORING_TTL_SECONDS, show_spinner=False, max_entries=SERIES_ENTRIES)
def shared_series_description(
    base_url: str, data_version: str, area: int, consumer_type: int, zone: str, language: str
) -> str:
    """The series chart's text alternative (`series_description`) once per data version, zone and language."""
    detail = shared_series(base_url, data_version, area, consumer_type, zone)[1]
    return series_description(detail, (area, consumer_type), language)
