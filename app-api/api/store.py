"""Holds the served snapshot and keeps it fresh: re-reads only changed objects, swaps atomically.

`refresh()` is blocking (bucket I/O, parquet parsing) and runs in a worker thread, one at a time.
Whatever goes wrong in a refresh, the snapshot being served stays; errors are recorded for
readiness and logged once per distinct error, not per request. Readers that need several fields
at once (`/ready`, `/metrics`) take `status()`: one immutable view, published at the end of each
refresh under the refresh lock, so they never see half of one refresh and half of the next, and
never wait for a refresh (which holds the lock for seconds) on the event loop.
"""

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd

from api.loading import FILE_SPECS, DataFileError, parse_file
from api.snapshot import Snapshot, build_snapshot
from api.storage import ObjectVersion, Storage

logger = logging.getLogger(__name__)

DEMO_MARKER = "DEMO_BUCKET.json"


@dataclass(frozen=True)
class LoadedFile:
    version: ObjectVersion
    frame: pd.DataFrame


@dataclass(frozen=True)
class FileState:
    """One bucket object as the store holds it (generation, updated, rows are None when not loaded)."""

    name: str
    required: bool
    loaded: bool
    generation: str | None
    updated: datetime | None
    rows: int | None
    error: str | None


@dataclass(frozen=True)
class StoreStatus:
    """The store's fields at the end of one refresh (or before the first), all of a piece."""

    snapshot: Snapshot | None
    unavailable_reason: str
    files: tuple[FileState, ...]
    last_refresh_at: datetime | None
    last_successful_refresh_at: datetime | None
    last_refresh_error: str | None
    refresh_seconds: float
    refresh_successes: int
    refresh_failures: int


def _utcnow() -> datetime:
    return datetime.now(UTC)


class DataStore:
    def __init__(self, storage: Storage, refresh_seconds: float) -> None:
        self.storage = storage
        self.refresh_seconds = refresh_seconds
        self.current: Snapshot | None = None
        self.files: dict[str, LoadedFile] = {}
        self.file_errors: dict[str, str] = {}
        self.failed_generations: dict[str, str] = {}
        self.last_refresh_at: datetime | None = None
        self.last_successful_refresh_at: datetime | None = None
        self.last_refresh_error: str | None = None
        self.refresh_successes = 0
        self.refresh_failures = 0
        self._lock = threading.Lock()
        self._is_demo = False
        self._status = self._take_status()

    def status(self) -> StoreStatus:
        """The view published by the last refresh: a reference swap, so no lock is needed to read it."""
        return self._status

    def _take_status(self) -> StoreStatus:
        files = []
        for name, spec in FILE_SPECS.items():
            loaded = self.files.get(name)
            files.append(
                FileState(
                    name=name,
                    required=spec.required,
                    loaded=loaded is not None,
                    generation=loaded.version.generation if loaded else None,
                    updated=loaded.version.updated if loaded else None,
                    rows=len(loaded.frame) if loaded else None,
                    error=self.file_errors.get(name),
                )
            )
        return StoreStatus(
            snapshot=self.current,
            unavailable_reason=self.unavailable_reason,
            files=tuple(files),
            last_refresh_at=self.last_refresh_at,
            last_successful_refresh_at=self.last_successful_refresh_at,
            last_refresh_error=self.last_refresh_error,
            refresh_seconds=self.refresh_seconds,
            refresh_successes=self.refresh_successes,
            refresh_failures=self.refresh_failures,
        )

    @property
    def unavailable_reason(self) -> str:
        if self.current is not None:
            return ""
        if self.last_refresh_at is None:
            return f"Data is still loading from {self.storage.url}"
        return f"Data is not available from {self.storage.url}: {self.last_refresh_error or 'not loaded yet'}"

    def refresh(self) -> bool:
        """Check the bucket once; returns True when a new snapshot was swapped in."""
        with self._lock:
            errors: list[str] = []
            try:
                swapped = self._refresh(errors)
            except Exception as error:  # the served snapshot must survive anything a bucket does
                logger.exception("refresh failed unexpectedly")
                errors.append(f"refresh failed: {type(error).__name__}: {error}")
                swapped = False
            self._record(errors)
            self._status = self._take_status()
            return swapped

    def _refresh(self, errors: list[str]) -> bool:
        try:
            versions = self.storage.versions([*FILE_SPECS, DEMO_MARKER])
        except Exception as error:
            errors.append(f"cannot list {self.storage.url}: {type(error).__name__}: {error}")
            return False

        changed = False
        for name, spec in FILE_SPECS.items():
            version = versions.get(name)
            loaded = self.files.get(name)
            if version is None:
                if loaded is not None:
                    self.file_errors[name] = "object disappeared from the bucket; serving the last good copy"
                    errors.append(f"{name}: {self.file_errors[name]}")
                elif spec.required:
                    self.file_errors[name] = "object not found in the bucket"
                    errors.append(f"{name}: {self.file_errors[name]}")
                else:
                    self.file_errors[name] = "object not found in the bucket (no monitoring run yet?)"
                continue
            if loaded is not None and loaded.version.generation == version.generation:
                self.file_errors.pop(name, None)
                continue
            if self.failed_generations.get(name) == version.generation:
                errors.append(self.file_errors[name])
                continue
            try:
                frame = parse_file(self.storage.read(name), name)
            except DataFileError as error:
                self._file_failed(version, str(error), errors, loaded is not None)
                continue
            except Exception as error:
                reason = f"cannot read {name}: {type(error).__name__}: {error}"
                self._file_failed(version, reason, errors, loaded is not None, remember=False)
                continue
            self.files[name] = LoadedFile(version, frame)
            self.file_errors.pop(name, None)
            self.failed_generations.pop(name, None)
            changed = True

        is_demo = DEMO_MARKER in versions
        changed = changed or is_demo != self._is_demo
        self._is_demo = is_demo
        missing_required = [name for name, spec in FILE_SPECS.items() if spec.required and name not in self.files]
        if missing_required:
            return False
        if not changed and self.current is not None:
            return False

        snapshot = build_snapshot(
            snapshot_id=(self.current.id + 1) if self.current else 1,
            loaded_at=_utcnow(),
            source=self.storage.url,
            is_demo=is_demo,
            frames={name: loaded.frame for name, loaded in self.files.items()},
            file_generations={name: loaded.version.generation for name, loaded in self.files.items()},
        )
        self.current = snapshot
        logger.info(
            "serving snapshot %d from %s: %d series, monitoring %s",
            snapshot.id,
            snapshot.source,
            len(snapshot.predictions_bodies),
            "loaded" if snapshot.monitoring else "not available",
        )
        return True

    def _file_failed(
        self,
        version: ObjectVersion,
        reason: str,
        errors: list[str],
        has_good_copy: bool,
        remember: bool = True,
    ) -> None:
        """Record a bad object; a corrupt one (`remember`) is not downloaded again until it changes."""
        suffix = "; serving the last good copy" if has_good_copy else ""
        self.file_errors[version.name] = reason + suffix
        if remember:
            self.failed_generations[version.name] = version.generation
        errors.append(self.file_errors[version.name])

    def _record(self, errors: list[str]) -> None:
        now = _utcnow()
        self.last_refresh_at = now
        error = "; ".join(errors) or None
        if error and error != self.last_refresh_error:
            logger.error("refresh of %s: %s", self.storage.url, error)
        elif not error and self.last_refresh_error:
            logger.info("refresh of %s: recovered", self.storage.url)
        self.last_refresh_error = error
        if error:
            self.refresh_failures += 1
        else:
            self.refresh_successes += 1
            self.last_successful_refresh_at = now

    def is_stale(self, now: datetime | None = None) -> bool:
        reference = self.last_successful_refresh_at
        if reference is None:
            return True
        return ((now or _utcnow()) - reference).total_seconds() > 3 * self.refresh_seconds
