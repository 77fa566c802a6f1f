"""After a new snapshot is swapped in, the old one is collected and the heap is frozen out of the GC's scans."""

import gc
import shutil
import weakref

from api.lifecycle import refresh_and_settle
from api.storage import LocalStorage
from api.store import DataStore
from support import BUCKET_PANDAS3, BUCKET_PANDAS15


def test_a_swap_frees_the_old_snapshot_and_freezes_the_heap(tmp_path):
    bucket = tmp_path / "bucket"
    shutil.copytree(BUCKET_PANDAS15, bucket)
    store = DataStore(LocalStorage(bucket), refresh_seconds=60)
    try:
        gc.unfreeze()
        assert refresh_and_settle(store) is True
        assert gc.get_freeze_count() > 0
        first = weakref.ref(store.current)

        assert refresh_and_settle(store) is False  # nothing changed: no new snapshot, nothing to collect
        assert first() is store.current

        shutil.copy(BUCKET_PANDAS3 / "y.parquet", bucket / "y.parquet")  # same data, other bytes: a new generation
        assert refresh_and_settle(store) is True
        assert store.current.id == 2
        assert first() is None  # frozen objects are unfrozen before the collection, so the old snapshot went
    finally:
        gc.unfreeze()
