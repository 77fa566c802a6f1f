"""Typed HTTP client for the `/api/v1` service, shared by both dashboards.

Every call has a timeout; a transient failure (connection error, timeout, 502/503/504) is retried
once, then surfaces as `ApiUnavailable` so pages can show a warning instead of a traceback.
"""

import os
import time
from typing import Any

import requests
from yarl import URL

DEFAULT_API_URL = "http://localhost:8001/api/v1"
RETRY_PAUSE_SECONDS = 0.2
TRANSIENT_STATUS_CODES = frozenset({502, 503, 504})


class ApiError(Exception):
    """The API could not answer a request; `url` is what was asked, `message` says why."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{message} ({url})")
        self.url = url
        self.message = message


class ApiUnavailable(ApiError):
    """The API is unreachable, timed out, or has no data to serve (5xx)."""


class SeriesNotFound(ApiError):
    """The (area, consumer type) pair has no data (404)."""


def api_base_url(env_var: str) -> str:
    """The API base URL from `env_var`, or the local default when it is unset or empty."""
    return (os.environ.get(env_var) or DEFAULT_API_URL).rstrip("/")


class ApiClient:
    """Calls `/api/v1` endpoints and returns their parsed JSON bodies."""

    def __init__(self, base_url: str, timeout: float = 5.0) -> None:
        self.base_url = URL(base_url.rstrip("/"))
        self.timeout = timeout
        self._session = requests.Session()

    def health(self) -> dict[str, Any]:
        return self._get("health")

    def freshness(self) -> dict[str, Any]:
        return self._get("freshness")

    def area_values(self) -> list[int]:
        return [int(value) for value in self._get("area_values")["values"]]

    def consumer_type_values(self) -> list[int]:
        return [int(value) for value in self._get("consumer_type_values")["values"]]

    def predictions(self, area: int, consumer_type: int) -> dict[str, Any]:
        return self._get("predictions", str(area), str(consumer_type))

    def monitoring_metrics(self) -> dict[str, Any]:
        return self._get("monitoring", "metrics")

    def monitoring_values(self, area: int, consumer_type: int) -> dict[str, Any]:
        return self._get("monitoring", "values", str(area), str(consumer_type))

    def monitoring_summary(self) -> dict[str, Any]:
        return self._get("monitoring", "summary")

    def monitoring_errors(self, area: int, consumer_type: int) -> dict[str, Any]:
        return self._get("monitoring", "errors", str(area), str(consumer_type))

    def _get(self, *path: str, params: dict[str, str | None] | None = None) -> Any:
        url = self.base_url.joinpath(*path)
        if params:
            url = url.with_query({name: value for name, value in params.items() if value is not None})
        try:
            response = self._get_with_one_retry(str(url))
        except requests.RequestException as error:
            raise ApiUnavailable(str(url), f"cannot reach the API: {type(error).__name__}") from error
        if response.status_code == 404:
            raise SeriesNotFound(str(url), _detail(response))
        if response.status_code >= 500:
            raise ApiUnavailable(str(url), f"HTTP {response.status_code}: {_detail(response)}")
        if not response.ok:
            raise ApiError(str(url), f"HTTP {response.status_code}: {_detail(response)}")
        try:
            return response.json()
        except ValueError as error:
            raise ApiError(str(url), "the API answered with something that is not JSON") from error

    def _get_with_one_retry(self, url: str) -> requests.Response:
        try:
            response = self._session.get(url, timeout=self.timeout)
            if response.status_code not in TRANSIENT_STATUS_CODES:
                return response
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(RETRY_PAUSE_SECONDS)
        return self._session.get(url, timeout=self.timeout)


def _detail(response: requests.Response) -> str:
    """The API's `detail` message if the body has one, else the start of the body."""
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    if isinstance(detail, str):
        return detail
    return response.text[:200] or response.reason or "no detail"


def v2_base_url(api_url: str) -> str:
    """The `/api/v2` base beside a configured `/api/v1` (or already v2) base URL."""
    url = URL(api_url.rstrip("/"))
    return str(url.parent / "v2") if url.name.startswith("v") else str(url / "api" / "v2")


class ApiV2Client(ApiClient):
    """Calls `/api/v2`: times as ISO 8601 in the zone asked for, totals as `all`, ranges and error figures."""

    def status(self, tz: str = "UTC") -> dict[str, Any]:
        return self._get("status", params={"tz": tz})

    def series_list(self) -> dict[str, Any]:
        return self._get("series")

    def series(
        self,
        area: int | str,
        consumer_type: int | str,
        tz: str = "UTC",
        start: str | None = None,
        end: str | None = None,
    ) -> dict[str, Any]:
        return self._get("series", str(area), str(consumer_type), params={"tz": tz, "start": start, "end": end})

    def forecasts(self, tz: str = "UTC") -> dict[str, Any]:
        return self._get("forecasts", params={"tz": tz})

    def monitoring_summary(self, tz: str = "UTC") -> dict[str, Any]:
        return self._get("monitoring", "summary", params={"tz": tz})

    def monitoring_hourly(self, tz: str = "UTC") -> dict[str, Any]:
        return self._get("monitoring", "hourly", params={"tz": tz})

    def monitoring_series(self, area: int | str, consumer_type: int | str, tz: str = "UTC") -> dict[str, Any]:
        return self._get("monitoring", "series", str(area), str(consumer_type), params={"tz": tz})
