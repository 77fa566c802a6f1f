"""Each version's bodies live beside the snapshot, not in it: prepared before the swap, freed with it."""

import gc
import shutil
import weakref

from api.gates import Rule
from api.lifecycle import refresh_and_settle
from api.rendering import PerSnapshot
from api.storage import LocalStorage
from api.store import DataStore
from api.v1.bodies import build_v1_bodies
from api.v2.cache import default_series_cache
from support import BUCKET_PANDAS3, BUCKET_PANDAS15


def test_the_bodies_exist_before_the_swap_and_go_with_their_snapshot(tmp_path):
    bucket = tmp_path / "bucket"
    shutil.copytree(BUCKET_PANDAS15, bucket)
    v1, v2 = PerSnapshot(build_v1_bodies), default_series_cache()
    prepared_before_swap = []

    def prepare(snapshot):
        prepared_before_swap.append(store.current is not snapshot)
        v1.prepare(snapshot)
        v2.prepare(snapshot)

    store = DataStore(LocalStorage(bucket), refresh_seconds=60, prepare=prepare)
    try:
        gc.unfreeze()
        assert refresh_and_settle(store) is True
        first_bodies = weakref.ref(v1.get(store.current))
        assert v2.get(store.current).keys() == store.current.catalog.series.keys()
        assert (len(v1), len(v2)) == (1, 1)

        shutil.copy(BUCKET_PANDAS3 / "y.parquet", bucket / "y.parquet")  # a new generation: a new snapshot
        assert refresh_and_settle(store) is True
        assert prepared_before_swap == [True, True]
        assert first_bodies() is None  # freed with the old snapshot: the cache holds it weakly
        assert (len(v1), len(v2)) == (1, 1)
    finally:
        gc.unfreeze()


def test_a_failing_preparation_is_a_failed_build_and_the_old_snapshot_stays(tmp_path):
    bucket = tmp_path / "bucket"
    shutil.copytree(BUCKET_PANDAS15, bucket)
    failing = []

    def prepare(snapshot):
        if failing:
            raise ValueError("a version could not render this snapshot")

    store = DataStore(LocalStorage(bucket), refresh_seconds=60, prepare=prepare)
    assert store.refresh() is True
    served = store.current
    failing.append(True)
    shutil.copy(BUCKET_PANDAS3 / "y.parquet", bucket / "y.parquet")
    assert store.refresh() is False
    assert store.current is served
    assert [(r.object, r.rule) for r in store.status().rejections] == [("y.parquet", Rule.SNAPSHOT_BUILD)]
