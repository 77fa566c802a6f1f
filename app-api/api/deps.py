"""The dependencies both API versions use: the settings, the store, and the snapshot being served (or 503).

`snapshot_of(request)` is the plain function behind `SnapshotDep`, for a hot route that checks its
parameters itself rather than through FastAPI's dependency solving (see v2's `/series`).
"""

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from api.config import Settings
from api.public_reasons import public_reason
from api.snapshot import Snapshot
from api.store import DataStore


async def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_store(request: Request) -> DataStore:
    return request.app.state.store


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
StoreDep = Annotated[DataStore, Depends(get_store)]


def current_snapshot(store: DataStore) -> Snapshot:
    """The snapshot being served, or the 503 that says why there is none (in public words)."""
    snapshot = store.current
    if snapshot is None:
        raise HTTPException(status_code=503, detail=public_reason(store.unavailable_reason))
    return snapshot


def snapshot_of(request: Request) -> Snapshot:
    """The snapshot being served to this request's app, or the 503 (no dependency level: a plain call)."""
    return current_snapshot(request.app.state.store)


async def get_snapshot(store: StoreDep) -> Snapshot:
    return current_snapshot(store)


SnapshotDep = Annotated[Snapshot, Depends(get_snapshot)]
