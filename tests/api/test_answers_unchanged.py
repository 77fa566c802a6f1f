"""Every answer of v1 and v2 over fixed buckets is byte for byte what was pinned (`devtools.answers`).

The API's insides may change; what clients get may not, unless a change means it to (then re-record
with `scripts/record_answers.py`, on the commit before the change when only `uv.lock` moved). The
buckets include one where v1's and v2's "awaiting observation" rules give different answers, and two
demo buckets on Denmark's daylight-saving days.
"""

import pytest
from devtools.answers import BUCKETS, differences, load, record


@pytest.mark.parametrize("bucket", list(BUCKETS))
def test_every_answer_is_the_pinned_one(bucket, tmp_path):
    changed = differences(load(bucket), record(bucket, tmp_path))
    assert not changed, (
        f"{len(changed)} answers for bucket {bucket!r} differ from tests/api/answers/{bucket}.json "
        "(scripts/record_answers.py --bodies DIR on both commits shows how):\n" + "\n".join(changed[:30])
    )
