"""Which data a dashboard session shows when the API's replicas are briefly out of step.

Behind a load balancer, one page's requests can land on API replicas that have not all refreshed
yet, so `/freshness` may answer older data after newer. A session keeps the newest freshness it has
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

NEWEST_KEY = "api_newest_freshness"
OLDER_SINCE_KEY = "api_older_answered_since"
BEHIND_FLAG = "replica_behind"
PATIENCE_SECONDS = 300.0


def data_version(freshness: dict[str, Any]) -> str:
    """The cache key of the data a freshness body describes (the snapshot id for an API without versions)."""
    return str(freshness.get("data_version") or freshness.get("snapshot_id", ""))


def recency(freshness: dict[str, Any]) -> tuple[int, int]:
    """How new the data is: its forecast window first, then its last observed hour."""
    forecast_from, observed_to = freshness.get("forecast_from"), freshness.get("observed_to")
    return (-1 if forecast_from is None else forecast_from, -1 if observed_to is None else observed_to)


def choose(
    newest: dict[str, Any] | None,
    answered: dict[str, Any],
    older_since: float | None,
    now: float,
    patience: float = PATIENCE_SECONDS,
) -> tuple[dict[str, Any], float | None]:
    """(freshness to show, since when older answers have come): the answer unless it is older than
    what the session showed already, and that only until older answers have lasted `patience`."""
    if newest is None or recency(answered) >= recency(newest):
        return answered, None
    since = now if older_since is None else older_since
    if now - since > patience:
        return answered, None
    return newest, since


def keep_newest(answered: dict[str, Any], state: MutableMapping[str, Any] | None = None) -> dict[str, Any]:
    """The freshness this session should show, remembered in its session state.

    When an older replica answered, the newer freshness comes back marked with `replica_behind`, so
    `render_freshness` says why the page did not change.
    """
    state = st.session_state if state is None else state
    shown, older_since = choose(state.get(NEWEST_KEY), answered, state.get(OLDER_SINCE_KEY), time.monotonic())
    state[NEWEST_KEY] = shown
    state[OLDER_SINCE_KEY] = older_since
    return {**shown, BEHIND_FLAG: True} if older_since is not None else shown
