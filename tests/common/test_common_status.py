"""`dashboard_common.status`: a session never goes back to older data because a replica lagged."""

import pytest
from dashboard_common.status import BEHIND_FLAG, NEWEST_KEY, choose, data_version, keep_newest, recency

H99, H100, H101 = "2023-06-14T23:00:00+00:00", "2023-06-15T00:00:00+00:00", "2023-06-15T01:00:00+00:00"
OLD = {"data_version": "aaaa", "snapshot_id": 7, "forecast_from": H100, "observed_to": H99}
NEW = {"data_version": "bbbb", "snapshot_id": 2, "forecast_from": H101, "observed_to": H100}
NEW_OBSERVATIONS_ONLY = {"data_version": "cccc", "snapshot_id": 3, "forecast_from": H100, "observed_to": H100}


def test_data_version_is_the_content_name_or_else_the_snapshot_id():
    assert data_version(NEW) == "bbbb"
    assert data_version({"snapshot_id": 4}) == "4"


def test_recency_orders_by_forecast_window_then_observations_and_puts_no_data_first():
    assert recency(OLD) < recency(NEW_OBSERVATIONS_ONLY) < recency(NEW)
    assert recency({"forecast_from": None, "observed_to": None}) < recency(OLD)


@pytest.mark.parametrize(
    ("newest", "answered", "shown"),
    [(None, OLD, OLD), (OLD, NEW, NEW), (OLD, NEW_OBSERVATIONS_ONLY, NEW_OBSERVATIONS_ONLY), (NEW, NEW, NEW)],
)
def test_the_answer_is_shown_when_it_is_not_older(newest, answered, shown):
    assert choose(newest, answered, older_since=None, now=10.0) == (shown, None)


def test_an_older_answer_keeps_the_newer_data_until_patience_runs_out():
    assert choose(NEW, OLD, older_since=None, now=10.0, patience=60) == (NEW, 10.0)
    assert choose(NEW, OLD, older_since=10.0, now=70.0, patience=60) == (NEW, 10.0)
    # Older for longer than any refresh takes: the bucket really went back, and the session follows.
    assert choose(NEW, OLD, older_since=10.0, now=70.5, patience=60) == (OLD, None)
    # Caught up in time: the lag is forgotten.
    assert choose(NEW, NEW, older_since=10.0, now=20.0, patience=60) == (NEW, None)


def test_keep_newest_remembers_per_session_and_flags_a_lagging_replica():
    state: dict = {}
    assert keep_newest(NEW, state) == NEW
    shown = keep_newest(OLD, state)
    assert shown == {**NEW, BEHIND_FLAG: True}
    assert state[NEWEST_KEY] == NEW  # the flag is for display only; what is remembered is the answer
    assert keep_newest(NEW, state) == NEW
    other_session: dict = {}
    assert keep_newest(OLD, other_session) == OLD


def test_recency_orders_utc_times_across_days_and_a_missing_window_without_type_errors() -> None:
    older = {"forecast_from": "2023-06-15T00:00:00+00:00", "observed_to": "2023-06-14T23:00:00+00:00"}
    newer = {"forecast_from": "2023-06-16T00:00:00+00:00", "observed_to": "2023-06-15T23:00:00+00:00"}
    assert recency({"forecast_from": None, "observed_to": None}) < recency(older) < recency(newer)
    assert recency({"forecast_from": None, "observed_to": H99}) < recency(older)
