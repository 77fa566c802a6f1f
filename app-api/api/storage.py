"""Where the six parquet files live: a GCS bucket (optionally under a prefix) or a local folder.

Both kinds answer the same two questions: which version of each object is there now (a cheap
listing), and what are the bytes of one object. Nothing connects until the first call.
"""

import hashlib
import logging
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

logger = logging.getLogger(__name__)

HASH_PIECE_BYTES = 1024 * 1024
BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$")


@dataclass(frozen=True)
class ObjectVersion:
    """Identifies one version of one object: a change of `generation` means new content."""

    name: str
    generation: str
    updated: datetime | None
    size: int


class Storage(Protocol):
    url: str

    def versions(self, names: list[str]) -> dict[str, ObjectVersion]:
        """The current version of each named object that exists; missing objects are left out."""

    def read(self, name: str) -> bytes: ...


class LocalStorage:
    """A folder; an object's generation is a hash of its content, so two processes (or replicas) that
    read equal files agree on it, as they do on a GCS object's generation. The hash is kept per
    (mtime, size, inode), so an unchanged file is not read again.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.url = f"file://{folder}"
        self._content_hashes: dict[str, tuple[tuple[int, int, int], str]] = {}

    def versions(self, names: list[str]) -> dict[str, ObjectVersion]:
        if not self.folder.is_dir():
            raise FileNotFoundError(f"bucket folder {self.folder} does not exist")
        found = {}
        for name in names:
            try:
                stat = (self.folder / name).stat()
                generation = self._content_hash(name, (stat.st_mtime_ns, stat.st_size, stat.st_ino))
            except FileNotFoundError:  # absent, or removed between the stat and the read
                continue
            found[name] = ObjectVersion(
                name=name,
                generation=generation,
                updated=datetime.fromtimestamp(stat.st_mtime, tz=UTC),
                size=stat.st_size,
            )
        return found

    def _content_hash(self, name: str, stat_key: tuple[int, int, int]) -> str:
        cached = self._content_hashes.get(name)
        if cached is not None and cached[0] == stat_key:
            return cached[1]
        hasher = hashlib.blake2b(digest_size=12)
        with (self.folder / name).open("rb") as handle:  # in pieces: an oversized file is never held whole
            for piece in iter(lambda: handle.read(HASH_PIECE_BYTES), b""):
                hasher.update(piece)
        digest = hasher.hexdigest()
        self._content_hashes[name] = (stat_key, digest)
        return digest

    def read(self, name: str) -> bytes:
        return (self.folder / name).read_bytes()


class GCSStorage:
    def __init__(self, bucket_path: str, project: str, key_path: str) -> None:
        self.bucket_path = bucket_path.rstrip("/")
        self.url = f"gs://{self.bucket_path}"
        self.project = project
        self.key_path = key_path
        self._fs = None

    @property
    def fs(self):
        if self._fs is None:
            import gcsfs

            if self.key_path:
                token = self.key_path
            elif os.environ.get("STORAGE_EMULATOR_HOST"):
                token = "anon"
            else:
                token = None  # Application Default Credentials
            self._fs = gcsfs.GCSFileSystem(project=self.project, token=token, access="read_only")
        return self._fs

    def versions(self, names: list[str]) -> dict[str, ObjectVersion]:
        wanted = set(names)
        listing = self.fs.ls(self.bucket_path, detail=True, refresh=True)
        found = {}
        for entry in listing:
            name = entry["name"].rsplit("/", 1)[-1]
            if name not in wanted or entry.get("type") != "file":
                continue
            found[name] = ObjectVersion(
                name=name,
                generation=str(entry.get("generation") or entry.get("etag") or entry.get("md5Hash")),
                updated=_parse_time(entry.get("updated")),
                size=int(entry.get("size") or 0),
            )
        return found

    def read(self, name: str) -> bytes:
        return self.fs.cat_file(f"{self.bucket_path}/{name}")


def _parse_time(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


def open_storage(bucket: str, project: str = "", key_path: str = "") -> Storage:
    """Turn `APP_API_GCP_BUCKET` into a storage: `gs://b/prefix`, a bare bucket name, or a folder."""
    if bucket.startswith(("gs://", "gcs://")):
        return GCSStorage(bucket.split("://", 1)[1], project, key_path)
    if bucket.startswith("file://"):
        return LocalStorage(Path(bucket.removeprefix("file://")).expanduser().resolve())
    if bucket.startswith(("/", "./", "../", "~", ".")) or Path(bucket).is_dir():
        return LocalStorage(Path(bucket).expanduser().resolve())
    if BUCKET_NAME.match(bucket.split("/", 1)[0]):
        return GCSStorage(bucket, project, key_path)
    raise ValueError(f"APP_API_GCP_BUCKET={bucket!r} is neither a bucket name, gs://bucket/prefix, nor a local folder")
