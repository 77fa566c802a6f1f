"""The client the pages use, against the real API serving the fixture bucket: each method asks its
path with its parameters and returns what the API answers; 404s and data versions."""

import httpx
import pytest
from dashboard_common.client import ApiClient, DataVersionMismatch, SeriesNotFound, api_root

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def v2_url(api_on_fixture_bucket: str) -> str:
    return api_on_fixture_bucket.removesuffix("/v1") + "/v2"


@pytest.fixture
def client(api_on_fixture_bucket: str) -> ApiClient:
    return ApiClient(api_root(api_on_fixture_bucket), timeout=10)


def api_answer(v2_url: str, path: str, **params: str) -> dict:
    return httpx.get(f"{v2_url}/{path}", params=params, timeout=10).raise_for_status().json()


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "path", "params"),
    [
        ("status", (), {}, "status", {"tz": "UTC"}),
        ("status", (), {"tz": "Europe/Copenhagen"}, "status", {"tz": "Europe/Copenhagen"}),
        ("series_list", (), {}, "series", {}),
        ("series", (1, 111), {}, "series/1/111", {"tz": "UTC"}),
        ("series", ("all", "all"), {"tz": "Europe/Copenhagen"}, "series/all/all", {"tz": "Europe/Copenhagen"}),
        ("monitoring_summary", (), {}, "monitoring/summary", {"tz": "UTC"}),
        ("monitoring_hourly", (), {"tz": "Europe/Copenhagen"}, "monitoring/hourly", {"tz": "Europe/Copenhagen"}),
        ("monitoring_series", (1, 111), {}, "monitoring/series/1/111", {"tz": "UTC"}),
        (
            "monitoring_hour_of_day",
            (),
            {"tz": "Europe/Copenhagen"},
            "monitoring/hour_of_day",
            {"tz": "Europe/Copenhagen"},
        ),
    ],
)
def test_each_method_the_pages_call_returns_the_apis_answer_for_its_path(
    client, v2_url, method, args, kwargs, path, params
):
    got = getattr(client, method)(*args, **kwargs)
    expected = api_answer(v2_url, path, **params)
    assert without_ages(got) == without_ages(expected)


def without_ages(body: dict) -> dict:
    """Ages in seconds (in /status) grow between two requests; everything else must be equal."""
    return {name: value for name, value in body.items() if not name.endswith("_age_seconds")}


def test_the_zone_reaches_the_api(client):
    body = client.series(1, 111, tz="Europe/Copenhagen")
    assert body["tz"] == "Europe/Copenhagen"
    assert body["observations"][-1]["time"] == "2023-06-15T01:00:00+02:00"
    assert body["forecast"][0]["time"] == "2023-06-15T02:00:00+02:00"
    assert client.status()["observed_to"] == "2023-06-14T23:00:00+00:00"


def test_an_unknown_series_raises_series_not_found_with_the_apis_detail(client, v2_url):
    with pytest.raises(SeriesNotFound) as raised:
        client.series(9, 999)
    assert raised.value.url == f"{v2_url}/series/9/999?tz=UTC"
    assert raised.value.message.startswith("No data found for area 9 and consumer type 999")


def test_a_client_pinned_to_another_data_version_refuses_the_answer(client):
    version = client.status()["data_version"]
    assert client.for_version(version).series_list()["series"]
    with pytest.raises(DataVersionMismatch, match=f"serves data version {version}, not 0000"):
        client.for_version("0000").series_list()
