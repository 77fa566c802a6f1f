"""Typed HTTP client for the API's `/api/v2`, shared by both dashboards, with only what the pages call.

It is configured with the API's address (its root, e.g. `http://api:8001`); an address that names a
version (`.../api/v1`, what deployments were configured with before, or `.../api/v2`) is cut back to
the root, so existing settings keep working.

Every call has a timeout; a transient failure (connection error, timeout, 502/503/504) is retried
once (urllib3's `Retry`, mounted on the session), then surfaces as `ApiUnavailable` so pages can
show a warning instead of a traceback.
"""

import copy
import os
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import Retry
from yarl import URL

from dashboard_common.addresses import DEFAULT_API_ROOT

RETRY_PAUSE_SECONDS = 0.2
TRANSIENT_STATUS_CODES = frozenset({502, 503, 504})


class _RetryAfterAPause(Retry):
    """urllib3 retries the first time at once (its backoff starts with the second); pause a little first."""

    def get_backoff_time(self) -> float:
        return RETRY_PAUSE_SECONDS if self.history else 0.0


def transient_retry() -> Retry:
    """One retry of a GET on a connection error, a timeout or a 502/503/504; the last answer is returned."""
    return _RetryAfterAPause(
        total=1,
        status_forcelist=TRANSIENT_STATUS_CODES,
        allowed_methods=frozenset({"GET"}),
        raise_on_status=False,  # the second 503 comes back as a response, with the API's `detail`
        respect_retry_after_header=False,
    )


class ApiError(Exception):
    """The API could not answer a request; `url` is what was asked, `message` says why."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{message} ({url})")
        self.url = url
        self.message = message


class ApiUnavailable(ApiError):
    """The API is unreachable, timed out, or has no data to serve (5xx)."""


class DataVersionMismatch(ApiUnavailable):
    """The replica that answered serves other data than the version the page is showing (replicas
    briefly out of step during a refresh); nothing of it should be cached or shown as that version."""


class SeriesNotFound(ApiError):
    """The (area, consumer type) pair has no data (404)."""


def api_root(url: str) -> str:
    """The API's root from a configured address: `http://h:8001`, `http://h:8001/api/v1` and
    `http://h:8001/api/v2/` all give `http://h:8001`; a path before `/api` (an API served under a
    prefix) is kept."""
    address = URL(url.strip().rstrip("/"))
    if address.name in ("v1", "v2") and address.parent.name == "api":
        address = address.parent.parent
    elif address.name == "api":
        address = address.parent
    return str(address.with_query(None).with_fragment(None)).rstrip("/")


def configured_api_root(env_var: str) -> str:
    """The API's root from `env_var`, or the local default when it is unset or empty."""
    return api_root(os.environ.get(env_var) or DEFAULT_API_ROOT)


class ApiClient:
    """Calls `/api/v2` under the API's root and returns the parsed JSON bodies: times as ISO 8601 in
    the zone asked for, totals as `all`, ranges and error figures."""

    def __init__(self, root: str, timeout: float = 5.0) -> None:
        self.root = api_root(root)
        self.base_url = URL(self.root) / "api" / "v2"
        self.timeout = timeout
        self.expected_version: str | None = None
        self._session = requests.Session()
        adapter = HTTPAdapter(max_retries=transient_retry())
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)

    def for_version(self, data_version: str) -> "ApiClient":
        """This client, sharing its connections, accepting only answers of `data_version` (the
        `X-Data-Version` header); any other raises `DataVersionMismatch`. See `status.py`."""
        pinned = copy.copy(self)
        pinned.expected_version = data_version
        return pinned

    def status(self, tz: str = "UTC") -> dict[str, Any]:
        return self._get("status", params={"tz": tz})

    def series_list(self) -> dict[str, Any]:
        return self._get("series")

    def series(self, area: int | str, consumer_type: int | str, tz: str = "UTC") -> dict[str, Any]:
        return self._get("series", str(area), str(consumer_type), params={"tz": tz})

    def monitoring_summary(self, tz: str = "UTC") -> dict[str, Any]:
        return self._get("monitoring", "summary", params={"tz": tz})

    def monitoring_hourly(self, tz: str = "UTC") -> dict[str, Any]:
        return self._get("monitoring", "hourly", params={"tz": tz})

    def monitoring_hour_of_day(self, tz: str = "UTC") -> dict[str, Any]:
        return self._get("monitoring", "hour_of_day", params={"tz": tz})

    def monitoring_series(self, area: int | str, consumer_type: int | str, tz: str = "UTC") -> dict[str, Any]:
        return self._get("monitoring", "series", str(area), str(consumer_type), params={"tz": tz})

    def _get(self, *path: str, params: dict[str, str | None] | None = None) -> Any:
        url = self.base_url.joinpath(*path)
        if params:
            url = url.with_query({name: value for name, value in params.items() if value is not None})
        try:
            response = self._session.get(str(url), timeout=self.timeout)
        except requests.RequestException as error:
            raise ApiUnavailable(str(url), f"cannot reach the API: {_cause(error)}") from error
        answered = response.headers.get("X-Data-Version")
        if self.expected_version and answered and answered != self.expected_version:
            raise DataVersionMismatch(
                str(url), f"this replica serves data version {answered}, not {self.expected_version}"
            )
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


def _cause(error: requests.RequestException) -> str:
    """The failure's name: after the retry, requests wraps urllib3's (ReadTimeoutError, ...) in a ConnectionError."""
    wrapped = error.args[0] if error.args else None
    if isinstance(wrapped, MaxRetryError) and wrapped.reason is not None:
        return type(wrapped.reason).__name__
    return type(error).__name__


def _detail(response: requests.Response) -> str:
    """The API's `detail` message if the body has one, else the start of the body."""
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    if isinstance(detail, str):
        return detail
    return response.text[:200] or response.reason or "no detail"
