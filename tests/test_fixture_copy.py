"""`tests/fixtures` is a copy of the contract's fixtures: it must not drift from `../shared/fixtures`."""

import hashlib

import pytest
from support import FIXTURES, SHARED_FIXTURES


def digests(root):
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.mark.skipif(not SHARED_FIXTURES.is_dir(), reason="no ../shared/fixtures beside this clone to compare with")
def test_the_vendored_fixtures_equal_the_contracts_fixtures():
    assert digests(FIXTURES) == digests(SHARED_FIXTURES)
