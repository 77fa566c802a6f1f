"""Replicas agree: the data's version and every body's ETag come from the objects, not from the process."""

import shutil

from api.storage import LocalStorage
from api.store import DataStore
from api.v1.bodies import build_v1_bodies
from support import BUCKET_PANDAS3, BUCKET_PANDAS15


def _store(folder) -> DataStore:
    store = DataStore(LocalStorage(folder), refresh_seconds=60)
    assert store.refresh() is True
    return store


def test_two_stores_over_equal_files_agree_on_version_and_etags(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    shutil.copytree(BUCKET_PANDAS15, first)
    shutil.copytree(BUCKET_PANDAS15, second)
    one = _store(first)
    other = DataStore(LocalStorage(second), refresh_seconds=60)
    assert other.refresh() is True
    first_snapshot = other.current
    assert other.refresh() is False  # a second refresh changes nothing: same snapshot, same version
    assert other.current is first_snapshot
    assert one.current.data_version == other.current.data_version
    ones, others = build_v1_bodies(one.current), build_v1_bodies(other.current)
    key = next(iter(ones.predictions_bodies))
    assert ones.predictions_bodies[key].etag == others.predictions_bodies[key].etag


def test_changed_content_changes_the_version_and_a_touch_does_not(tmp_path):
    shutil.copytree(BUCKET_PANDAS15, tmp_path / "bucket")
    store = _store(tmp_path / "bucket")
    before = store.current.data_version
    (tmp_path / "bucket" / "y.parquet").touch()
    assert store.refresh() is False and store.current.data_version == before
    shutil.copy(BUCKET_PANDAS3 / "y.parquet", tmp_path / "bucket" / "y.parquet")
    assert store.refresh() is True and store.current.data_version != before
