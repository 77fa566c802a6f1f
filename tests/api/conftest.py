"""API test fixtures: the real app, lifespan running, spoken to through httpx's ASGI transport."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pandas as pd
import pytest
from api.application import create_app
from api.config import Settings
from devtools.buckets import frame  # noqa: F401 - the API tests import it from here
from fastapi import FastAPI


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


# Buckets written with hours counted from 1970 (hour 1000 = 11 Feb 1970) fall below the data gates'
# default earliest plausible hour (2000-01-01); tests of other behaviour that use them lower it.
HOURS_FROM_1970 = {"EARLIEST_HOUR": "1970-01-01T00:00:00Z"}


@asynccontextmanager
async def serve(bucket: str | Path, **settings: object) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """The app on `bucket` with its lifespan running (first load and refresh loop) and a client."""
    app = create_app(Settings(GCP_BUCKET=str(bucket), _env_file=None, **settings))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)  # as a real server: 500, not a raise
        async with httpx.AsyncClient(transport=transport, base_url="http://test/api/v1") as client:
            yield app, client


@pytest.fixture
def serve_bucket() -> Callable[..., object]:
    return serve


def write_bucket(folder: Path, frames: dict[str, pd.DataFrame]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in frames.items():
        with (folder / name).open("wb") as handle:
            data.to_parquet(handle)
    return folder


def series_rows(area: int, consumer_type: int, hours: range | list[int], base: float = 100.0) -> list[tuple]:
    return [(area, consumer_type, hour, base + hour % 24) for hour in hours]


def metrics_frame(hours: range | list[int], mape: float = 0.05) -> pd.DataFrame:
    data = pd.DataFrame({"datetime_utc": list(hours), "MAPE": [mape] * len(hours)})
    data["datetime_utc"] = pd.PeriodIndex.from_ordinals(data["datetime_utc"].to_numpy(), freq="h")
    return data.set_index("datetime_utc")
