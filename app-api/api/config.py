"""Service settings, read once from `APP_API_*` environment variables and an optional `.env`."""

import json
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_PORT = 8001
# The two dashboards' default ports (dashboard_common.addresses; the API does not depend on it).
DASHBOARD_PORTS = (8501, 8502)
DEFAULT_CORS_ORIGINS = tuple(f"http://{host}:{port}" for port in DASHBOARD_PORTS for host in ("localhost", "127.0.0.1"))


class Settings(BaseSettings):
    """Everything the API can be told; validated at start-up so a typo fails fast and loudly."""

    model_config = SettingsConfigDict(env_prefix="APP_API_", env_file=".env", extra="ignore")

    NAME: str = "Energy Consumption API"
    VERSION: str = Field(default="v1", pattern=r"^v\d+$")
    GCP_PROJECT: str = "energy_consumption"
    GCP_BUCKET: str = Field(
        default="",
        description="Bucket name, gs://bucket/prefix, or a local folder; empty = built-in demo bucket.",
    )
    GCP_SERVICE_ACCOUNT_JSON_PATH: str = ""
    DEMO_DIR: str = ""
    HOST: str = "127.0.0.1"
    PORT: int = Field(default=DEFAULT_PORT, ge=1, le=65535)
    METRICS_PORT: int = Field(
        default=0,
        ge=0,
        le=65535,
        description="0: /metrics on PORT; else /metrics only on this port (and nothing else there): keep it private.",
    )
    LOG_LEVEL: Literal["critical", "error", "warning", "info", "debug"] = "info"
    LOG_FORMAT: Literal["text", "json"] = Field(default="text", description="`json`: one JSON object per line.")
    CACHE_MAX_AGE_SECONDS: int = Field(default=5, ge=0, le=3600, description="Cache-Control max-age of data.")
    ANSWER_STORE_MB: int = Field(default=64, ge=0, le=4096, description="Bytes kept of answers built per request.")
    MAX_BUILDS: int = Field(default=2, ge=1, le=16, description="Answers built per request at once (threads).")
    MAX_BUILD_QUEUE: int = Field(default=4, ge=0, le=256, description="Builds that may wait for a slot.")
    MAX_BUILD_WAIT_SECONDS: float = Field(default=10.0, gt=0, le=300, description="How long a build may wait.")
    MAX_ANSWER_HOURS: int = Field(default=50_000, ge=24, description="Rows (hours) one answer may hold.")
    HOT_ROUTES: bool = Field(
        default=True,
        description="Answer the default /api/v1/predictions and /api/v2/series bodies before FastAPI's routing "
        "(same answers, half the time); false only to compare.",
    )
    WORKERS_COUNT: int = Field(default=1, ge=1, le=64)
    RELOAD: bool = False
    REFRESH_SECONDS: float = Field(default=60.0, ge=1.0)
    STARTUP_LOAD_TIMEOUT_SECONDS: float = Field(default=20.0, ge=0.0)
    CORS_ORIGINS: Annotated[list[str], NoDecode] = list(DEFAULT_CORS_ORIGINS)
    # The data gates (api.gates): an upload beyond these is rejected and the last good copy served.
    MAX_OBJECT_BYTES: int = Field(
        default=128 * 1024**2, ge=1024, description="Largest object downloaded (from the listing, before download)."
    )
    MAX_ROWS: int = Field(default=3_000_000, ge=1, description="Most rows in one file (parquet footer).")
    MAX_UNCOMPRESSED_BYTES: int = Field(
        default=128 * 1024**2, ge=1024, description="Largest uncompressed size of one file (parquet footer)."
    )
    EARLIEST_HOUR: datetime = Field(
        default=datetime(2000, 1, 1, tzinfo=UTC), description="Hours before this are implausible (wrong unit)."
    )
    MAX_HOURS_AHEAD: int = Field(
        default=72, ge=0, le=24 * 366, description="How far past the reader's clock an observed hour may lie."
    )
    FORECAST_HORIZON_HOURS: int = Field(default=24, ge=1, le=24 * 366, description="Hours a forecast covers.")
    FORECAST_SLACK_HOURS: int = Field(
        default=72,
        ge=0,
        le=24 * 366,
        description="How far a forecast may lie outside the horizon after the last observed hour (files are "
        "rewritten one after another, so old and new meet for a moment).",
    )
    MAX_ABS_VALUE: float = Field(
        default=1e12, gt=0, le=1e15, description="Largest plausible |kWh| (or MAPE) of one row; totals cannot overflow."
    )

    @field_validator("LOG_LEVEL", "LOG_FORMAT", mode="before")
    @classmethod
    def _lower_log_level(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @field_validator("CORS_ORIGINS", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        """Accept a JSON list or a comma-separated string, as people write both in `.env` files."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [origin.strip() for origin in text.split(",") if origin.strip()]
        return value

    @field_validator("EARLIEST_HOUR")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        """A date without an offset is read in UTC, as every time in the bucket is."""
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    @field_validator("GCP_BUCKET", "GCP_SERVICE_ACCOUNT_JSON_PATH", "DEMO_DIR", mode="before")
    @classmethod
    def _strip(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _check(self) -> "Settings":
        if self.METRICS_PORT == self.PORT:
            raise ValueError("APP_API_METRICS_PORT must differ from APP_API_PORT (or be 0: /metrics on APP_API_PORT)")
        if "*" in self.CORS_ORIGINS and len(self.CORS_ORIGINS) > 1:
            raise ValueError("APP_API_CORS_ORIGINS: '*' must stand alone")
        key = self.GCP_SERVICE_ACCOUNT_JSON_PATH
        if key and not Path(key).is_file():
            raise ValueError(f"APP_API_GCP_SERVICE_ACCOUNT_JSON_PATH: no file at {key}")
        return self

    @property
    def api_prefix(self) -> str:
        return f"/api/{self.VERSION}"

    @property
    def is_demo(self) -> bool:
        return not self.GCP_BUCKET

    def public_summary(self) -> dict[str, object]:
        """The settings as they may be logged: the key file's path is shown, never its content."""
        summary = self.model_dump(mode="json")
        summary["GCP_SERVICE_ACCOUNT_JSON_PATH"] = self.GCP_SERVICE_ACCOUNT_JSON_PATH or "(none)"
        summary["GCP_BUCKET"] = self.GCP_BUCKET or "(built-in demo bucket)"
        return summary


@lru_cache
def get_settings() -> Settings:
    return Settings()
