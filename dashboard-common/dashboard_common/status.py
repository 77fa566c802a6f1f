"""Which data a dashboard session shows: the API's `/api/v2/status`, loaded through one shared
client, and kept newest when the API's replicas are briefly out of step.

Both pages load the status the same way (`load_status`: UTC times, a short TTL so the freshness
line stays roughly right) and key every other cache on its content-derived `data_version`.

Behind a load balancer, one page's requests can land on API replicas that have not all refreshed
yet, so `/status` may answer older data after newer. A session keeps the newest status it has
seen (ordered by forecast window, then observed data) and goes on showing that data, saying so,
until the replica that answered catches up. Caches are keyed on the content-derived `data_version`,
which is the same on every replica that loaded the same objects, and data requests are pinned to it
(`ApiClient.for_version`), so data of another version never lands in a cache entry under this one.
If older data is answered for longer than `PATIENCE_SECONDS`, the bucket really went back (a
re-run pipeline, a restored backup) and the session follows it.
"""

import time
from collections.abc import MutableMapping
from typing import Any

import streamlit as st

from dashboard_common.client import ApiClient, ApiError

NEWEST_KEY = "api_newest_status"
OLDER_SINCE_KEY = "api_older_answered_since"
BEHIND_FLAG = "replica_behind"
FOLLOWED_KEY = "api_followed_data_versions"
PATIENCE_SECONDS = 300.0
STATUS_TTL_SECONDS = 15
STATUS_ZONE = "UTC"  # `recency` compares the times as text, which orders them only in one zone


@st.cache_resource(show_spinner=False)
def shared_client(api_root: str, timeout: float) -> ApiClient:
    """One client (one HTTP session, kept-alive connections) per API and timeout for the whole server."""
    return ApiClient(api_root, timeout=timeout)


@st.cache_data(ttl=STATUS_TTL_SECONDS, show_spinner=False)
def load_status(api_root: str, timeout: float) -> dict[str, Any]:
    """The API's `/api/v2/status` in UTC, with the `data_version` the pages' other caches are keyed on."""
    return shared_client(api_root, timeout).status(tz=STATUS_ZONE)


def data_version(status: dict[str, Any]) -> str:
    """The cache key of the data a status body describes."""
    return str(status.get("data_version") or status.get("snapshot_id", ""))


def recency(status: dict[str, Any]) -> tuple[tuple[bool, str], tuple[bool, str]]:
    """How new the data is: its forecast window first, then its last observed hour.

    The times are ISO 8601 in UTC (`load_status`), which sort as text; a missing value sorts first
    without being compared to a present one.
    """
    forecast_from, observed_to = status.get("forecast_from"), status.get("observed_to")
    return ((forecast_from is not None, forecast_from or ""), (observed_to is not None, observed_to or ""))


def choose(
    newest: dict[str, Any] | None,
    answered: dict[str, Any],
    older_since: float | None,
    now: float,
    patience: float = PATIENCE_SECONDS,
) -> tuple[dict[str, Any], float | None]:
    """(status to show, since when older answers have come): the answer unless it is older than
    what the session showed already, and that only until older answers have lasted `patience`."""
    if newest is None or recency(answered) >= recency(newest):
        return answered, None
    since = now if older_since is None else older_since
    if now - since > patience:
        return answered, None
    return newest, since


def keep_newest(answered: dict[str, Any], state: MutableMapping[str, Any] | None = None) -> dict[str, Any]:
    """The status this session should show, remembered in its session state.

    When an older replica answered, the newer status comes back marked with `replica_behind`, so
    `render_status` says why the page did not change.
    """
    state = st.session_state if state is None else state
    shown, older_since = choose(state.get(NEWEST_KEY), answered, state.get(OLDER_SINCE_KEY), time.monotonic())
    state[NEWEST_KEY] = shown
    state[OLDER_SINCE_KEY] = older_since
    return {**shown, BEHIND_FLAG: True} if older_since is not None else shown


def newest_status(api_root: str, timeout: float) -> dict[str, Any]:
    """What a page run starts from: the API's status, never older data after newer whichever replica
    answered (raises the client's `ApiError` when the API cannot answer)."""
    # Keyword arguments: Streamlit's cache looks up a positional argument's name with `inspect` per call.
    return keep_newest(load_status(api_root=api_root, timeout=timeout))


def follow_new_data(
    api_root: str, timeout: float, shown_version: str, state: MutableMapping[str, Any] | None = None
) -> None:
    """After a `DataVersionMismatch`: rerun the whole page (`st.rerun`) if the API has moved on to
    new data, so that it shows that data instead of a false notice; return if it has not.

    A fragment rerun keeps the data version of the page's last full run, and a full run may hold a
    status cached up to `STATUS_TTL_SECONDS`: either asks for the old version once the API has loaded
    new data, and every answer is refused. So the status is asked again, uncached. If the newest
    status the session has seen names another version than `shown_version`, the cached status is
    emptied (it is stale for every session) and the page reruns from the new one. A replica that is
    behind (the newest status is still `shown_version`) is left to the page's own notice. Each
    switch of versions is followed once per session, so replicas flapping between versions cannot
    rerun the page in a loop. The API not answering is left to the error already being shown."""
    state = st.session_state if state is None else state
    try:
        answered = shared_client(api_root, timeout).status(tz=STATUS_ZONE)
    except ApiError:
        return
    newest = data_version(keep_newest(answered, state))
    followed = state.setdefault(FOLLOWED_KEY, set())
    if newest == shown_version or (shown_version, newest) in followed:
        return
    followed.add((shown_version, newest))
    load_status.clear()
    st.rerun()
