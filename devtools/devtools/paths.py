"""The repository's folders; the package is installed editable, so its own file locates the clone."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
# A copy of the contract's fixtures (`../shared/fixtures`), so a clone runs its tests on its own.
FIXTURES = REPO_ROOT / "tests" / "fixtures"
SHARED_FIXTURES = REPO_ROOT.parent / "shared" / "fixtures"
BUCKET_PANDAS15 = FIXTURES / "bucket-pandas15"
BUCKET_PANDAS3 = FIXTURES / "bucket-pandas3"
RESPONSES = FIXTURES / "responses"
ARTIFACTS = REPO_ROOT / "test-artifacts"
