"""Holds the served snapshot and keeps it fresh: re-reads only changed objects, swaps atomically.

`refresh()` is blocking (bucket I/O, parquet parsing) and runs in a worker thread, one at a time.
Whatever goes wrong in a refresh, the snapshot being served stays; errors are recorded for
readiness and logged once per distinct error, not per request. Readers that need several fields
at once (`/ready`, `/metrics`) take `status()`: one immutable view, published at the end of each
refresh under the refresh lock, so they never see half of one refresh and half of the next, and
never wait for a refresh (which holds the lock for seconds) on the event loop.

Every new object generation goes through the data gates (`api.gates`) before it can enter a
snapshot. A rejected generation is remembered with its reason, logged once, reported until a good
generation of that object is taken, and never downloaded again. One that passed its own gates but
not the check against the other file (a forecast far from the observations) is kept in memory as it
is: the file it must agree with may be the one still to be rewritten, and when that arrives the pair
is judged again without a download. Anything that fails while building the snapshot from checked
files rejects the generations that changed. A refresh succeeds when the API serves the newest
generation of every object; until then `last_refresh_error` names what is wrong.
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd

from api.gates import (
    ForecastMismatch,
    GateFailure,
    GateLimits,
    Rejection,
    Rule,
    check_listing,
    checked_frame,
    forecast_mismatch,
)
from api.loading import FILE_SPECS
from api.snapshot import Snapshot, build_snapshot
from api.storage import ObjectVersion, Storage

logger = logging.getLogger(__name__)

DEMO_MARKER = "DEMO_BUCKET.json"
OBSERVATIONS, FORECAST = "y.parquet", "predictions.parquet"
SERVING_LAST_GOOD = "; serving the last good copy"


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
    rejection: Rejection | None = None  # set while the newest generation of this object is rejected


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
    rejections: tuple[Rejection, ...] = ()
    rejections_total: tuple[tuple[str, int], ...] = ()  # (object, rejected generations so far), six entries


def _utcnow() -> datetime:
    return datetime.now(UTC)


class DataStore:
    def __init__(
        self,
        storage: Storage,
        refresh_seconds: float,
        limits: GateLimits | None = None,
        prepare: Callable[[Snapshot], object] | None = None,
    ) -> None:
        self.storage = storage
        self.prepare = prepare  # the versions render their bodies of a new snapshot before it is served
        self.refresh_seconds = refresh_seconds
        self.limits = limits or GateLimits()
        self.current: Snapshot | None = None
        self.files: dict[str, LoadedFile] = {}
        self.file_errors: dict[str, str] = {}
        self.rejections: dict[str, Rejection] = {}
        self.held: dict[str, LoadedFile] = {}  # rejected only against the other file: judged again, not re-read
        self.rejections_total = dict.fromkeys(FILE_SPECS, 0)
        self.last_refresh_at: datetime | None = None
        self.last_successful_refresh_at: datetime | None = None
        self.last_refresh_error: str | None = None
        self._last_read_error: str | None = None
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
                    rejection=self.rejections.get(name),
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
            rejections=tuple(self.rejections[name] for name in FILE_SPECS if name in self.rejections),
            rejections_total=tuple(self.rejections_total.items()),
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

        now = _utcnow()
        candidates: dict[str, LoadedFile] = {}  # new generations that passed their own gates
        for name, spec in FILE_SPECS.items():
            version = versions.get(name)
            loaded = self.files.get(name)
            if version is None:
                self._forget_rejection(name)
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
                self._forget_rejection(name)  # the bucket holds what is served (again)
                self.file_errors.pop(name, None)
                continue
            held = self.held.get(name)
            if held is not None and held.version.generation == version.generation:
                candidates[name] = held
                continue
            rejection = self.rejections.get(name)
            if rejection is not None and rejection.generation == version.generation:
                continue  # rejected on its own: not downloaded again
            self._forget_rejection(name)  # a newer generation is judged now
            checked = self._check(version, now, errors, has_good_copy=loaded is not None)
            if checked is not None:
                candidates[name] = checked

        taken = self._agreeing(candidates, now)
        is_demo = DEMO_MARKER in versions
        changed = bool(taken) or is_demo != self._is_demo
        self._is_demo = is_demo
        files = {**self.files, **taken}
        if any(spec.required and name not in files for name, spec in FILE_SPECS.items()):
            self._take(taken)  # good copies wait for the rest, without being read again
            return False
        if not changed and self.current is not None:
            return False

        snapshot = self._build(taken, files, is_demo, now, errors)
        if snapshot is None:
            return False
        self._take(taken)
        self.current = snapshot
        counts = snapshot.catalog.counts()
        logger.info(
            "serving snapshot %d from %s: %d series, monitoring %s",
            snapshot.id,
            snapshot.source,
            counts["predictions"],
            "loaded" if snapshot.has_monitoring else "not available",
        )
        return True

    def _build(
        self,
        taken: dict[str, LoadedFile],
        files: dict[str, LoadedFile],
        is_demo: bool,
        now: datetime,
        errors: list[str],
    ) -> Snapshot | None:
        """The next snapshot, prepared by the versions (`prepare`) before anyone can see it; None if it failed.

        A failure rejects the changed objects (the served snapshot stays): building or preparing the
        served data from them failed, whatever their gates said.
        """
        try:
            snapshot = build_snapshot(
                snapshot_id=(self.current.id + 1) if self.current else 1,
                loaded_at=_utcnow(),
                source=self.storage.url,
                is_demo=is_demo,
                frames={name: loaded.frame for name, loaded in files.items()},
                file_generations={name: loaded.version.generation for name, loaded in files.items()},
            )
            if self.prepare is not None:
                self.prepare(snapshot)
        except Exception:  # checked files that still cannot be served: the changed ones are rejected
            logger.exception("building a snapshot with %s failed", ", ".join(taken) or "no changed object")
            for name, loaded in taken.items():
                self._reject(
                    loaded.version,
                    GateFailure(
                        Rule.SNAPSHOT_BUILD,
                        f"{name}: building the served data from this upload failed (details in the API's log)",
                    ),
                    now,
                    has_good_copy=name in self.files,
                )
            if not taken:
                errors.append("the snapshot could not be built (details in the API's log)")
            return None
        return snapshot

    def _take(self, taken: dict[str, LoadedFile]) -> None:
        """Good generations become the copies served; a rejection they were held under is over."""
        for name, loaded in taken.items():
            if name in self.files or name in self.rejections:
                logger.info("%s: generation %s taken", name, loaded.version.generation)
            self.files[name] = loaded
            if self.rejections.pop(name, None) is not None:
                self.file_errors.pop(name, None)
            self.held.pop(name, None)

    def _check(
        self, version: ObjectVersion, now: datetime, errors: list[str], has_good_copy: bool
    ) -> LoadedFile | None:
        """A new generation through the per-file gates: its frame, or None (rejected, or not readable now)."""
        name = version.name
        try:
            check_listing(version, self.limits)  # before the download
            try:
                data = self.storage.read(name)
            except Exception as error:  # the bucket's trouble, not the upload's: tried again next time
                suffix = SERVING_LAST_GOOD if has_good_copy else ""
                self.file_errors[name] = f"cannot read {name}: {type(error).__name__}: {error}{suffix}"
                errors.append(self.file_errors[name])
                return None
            frame = checked_frame(data, FILE_SPECS[name], self.limits, now)
        except GateFailure as failure:
            self._reject(version, failure, now, has_good_copy)
            return None
        except Exception as error:  # hostile bytes can make a library raise anything: still the upload's fault
            failure = GateFailure(Rule.UNREADABLE, f"{name} could not be read as the contract's table")
            failure.__cause__ = error
            self._reject(version, failure, now, has_good_copy)
            return None
        return LoadedFile(version, frame)

    def _agreeing(self, candidates: dict[str, LoadedFile], now: datetime) -> dict[str, LoadedFile]:
        """The candidates that may be taken: all of them, unless the forecast and the observations they
        would serve disagree. Then as many new ones as agree with what else would be served (the
        observations first); the others are rejected but held, to be judged again when their partner
        changes (the pipeline may be rewriting it right now)."""
        new = [name for name in (OBSERVATIONS, FORECAST) if name in candidates]
        if not new:
            return candidates
        options = [set(new)]
        if len(new) == 2:
            options += [{OBSERVATIONS}, {FORECAST}]

        def mismatch(taking: set[str]) -> ForecastMismatch | None:
            observed, forecast = (candidates[n] if n in taking else self.files.get(n) for n in (OBSERVATIONS, FORECAST))
            if observed is None or forecast is None:
                return None
            return forecast_mismatch(observed.frame, forecast.frame, self.limits)

        chosen = next((option for option in options if mismatch(option) is None), set())
        for name in new:
            if name in chosen:
                continue
            found = mismatch(chosen | {name})
            if found is None:  # only against the other new one, which is left out as well
                found = mismatch(set(new))
            message = found.observations_message if name == OBSERVATIONS else found.forecast_message
            self._reject(
                candidates[name].version,
                GateFailure(Rule.FORECAST_HORIZON, message, column="datetime_utc"),
                now,
                has_good_copy=name in self.files,
                held=candidates[name],
            )
        return {name: loaded for name, loaded in candidates.items() if name not in new or name in chosen}

    def _reject(
        self,
        version: ObjectVersion,
        failure: GateFailure,
        now: datetime,
        has_good_copy: bool,
        held: LoadedFile | None = None,
    ) -> None:
        """Record a rejected generation; logged (with the library's own error, if any) once per generation."""
        name = version.name
        previous = self.rejections.get(name)
        same_generation = previous is not None and previous.generation == version.generation
        if not same_generation or previous.rule != failure.rule:
            self.rejections[name] = Rejection(
                object=name,
                generation=version.generation,
                first_seen=previous.first_seen if same_generation else now,
                uploaded_at=version.updated,
                rule=failure.rule,
                column=failure.column,
                row=failure.row,
                message=failure.message,
            )
            if not same_generation:
                self.rejections_total[name] += 1
            cause = failure.__cause__
            logger.error(
                "upload rejected (generation %s, rule %s): %s%s",
                version.generation,
                failure.rule,
                failure.message,
                f"; cause: {type(cause).__name__}: {' '.join(str(cause).split())}" if cause else "",
            )
        if held is not None:
            self.held[name] = held
        else:
            self.held.pop(name, None)
        self.file_errors[name] = failure.message + (SERVING_LAST_GOOD if has_good_copy else "")

    def _forget_rejection(self, name: str) -> None:
        """The object's newest generation is no longer the rejected one."""
        if self.rejections.pop(name, None) is not None:
            self.file_errors.pop(name, None)
        self.held.pop(name, None)

    def _record(self, read_errors: list[str]) -> None:
        """Errors of reading the bucket are logged when they change; rejections were logged when made.
        Both make the refresh a failure, until the API serves the newest generation of every object."""
        now = _utcnow()
        self.last_refresh_at = now
        rejected = [self.file_errors[name] for name in FILE_SPECS if name in self.rejections]
        error = "; ".join(read_errors + rejected) or None
        read_error = "; ".join(read_errors) or None
        if read_error and read_error != self._last_read_error:
            logger.error("refresh of %s: %s", self.storage.url, read_error)
        if not error and self.last_refresh_error:
            logger.info("refresh of %s: recovered", self.storage.url)
        self._last_read_error = read_error
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
