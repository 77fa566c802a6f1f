"""Every zone name, time and format a caller can send gets a 200 or a 4xx with a JSON reason, never a 500.

`tz` is checked against the zone database's list of zones: `ZoneInfo` alone opened whatever the name
pointed at, so a folder ('Europe') was a 500 with a traceback in the log, and 'localtime' the host's zone.
"""

import logging

import pytest
from api.timefmt import ZONE_NAMES
from hostile_values import FORMAT_NEAR_MISSES, TIME_NEAR_MISSES, ZONE_NEAR_MISSES, zone_database_folders
from support import BUCKET_PANDAS15

pytestmark = pytest.mark.anyio

# Every v2 route that takes `tz`, path parameters filled with a series that has data.
ZONED_ROUTES = [
    "status",
    "series",
    "series/1/111",
    "series/all/all",
    "forecasts",
    "monitoring/summary",
    "monitoring/hourly",
    "monitoring/hour_of_day",
    "monitoring/series/1/111",
]


@pytest.fixture
async def client(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        yield client


def assert_clean_4xx(response, where: str) -> None:
    assert 400 <= response.status_code < 500, f"{where}: {response.status_code} {response.text[:200]}"
    assert response.headers["content-type"] == "application/json", where
    detail = response.json()["detail"]
    assert detail and "Traceback" not in response.text, where


def test_the_folders_are_really_there():
    folders = zone_database_folders()
    assert {"Europe", "America", "Etc", "America/Argentina"} <= set(folders)


@pytest.mark.parametrize("route", ZONED_ROUTES)
async def test_every_folder_of_the_zone_database_is_a_422_naming_the_value(client, route, caplog):
    caplog.set_level(logging.ERROR)
    for folder in [*zone_database_folders(), *(f"{folder}/" for folder in zone_database_folders())]:
        response = await client.get(f"http://test/api/v2/{route}", params={"tz": folder})
        assert_clean_4xx(response, f"{route} tz={folder!r}")
        assert response.status_code == 422 and "unknown time zone" in response.json()["detail"]
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]  # nothing to fill a log


@pytest.mark.parametrize("route", ZONED_ROUTES)
async def test_near_misses_of_zone_names_are_422s(client, route):
    for name in ZONE_NEAR_MISSES:
        response = await client.get(f"http://test/api/v2/{route}", params={"tz": name})
        assert_clean_4xx(response, f"{route} tz={name[:80]!r}")


async def test_a_near_miss_in_case_is_told_the_zone_it_probably_meant(client):
    response = await client.get("http://test/api/v2/series/1/111", params={"tz": "europe/copenhagen"})
    assert response.status_code == 422
    assert "did you mean 'Europe/Copenhagen'?" in response.json()["detail"]


async def test_every_zone_the_database_lists_is_served(client):
    assert len(ZONE_NAMES) > 400 and not {"localtime", "posixrules", "Factory"} & ZONE_NAMES
    for name in sorted(ZONE_NAMES):
        response = await client.get("http://test/api/v2/status", params={"tz": name})
        assert response.status_code == 200, name


async def test_the_schema_offers_exactly_the_zones_that_are_served(client):
    document = (await client.get("http://test/api/v2/openapi.json")).json()
    parameters = document["paths"]["/api/v2/series/{area}/{consumer_type}"]["get"]["parameters"]
    offered = next(parameter for parameter in parameters if parameter["name"] == "tz")["schema"]["enum"]
    assert set(offered) == ZONE_NAMES


@pytest.mark.parametrize("zone", ["UTC", "Europe/Copenhagen", "Pacific/Kiritimati", "Etc/GMT+12"])
@pytest.mark.parametrize("route", ["series/1/111", "monitoring/series/1/111"])
async def test_times_near_misses_are_200_or_a_422_in_any_zone(client, route, zone):
    for value in TIME_NEAR_MISSES:
        for params in ({"start": value}, {"end": value}, {"start": value, "end": value}):
            response = await client.get(f"http://test/api/v2/{route}", params={**params, "tz": zone})
            if response.status_code != 200:
                assert_clean_4xx(response, f"{route} {params} tz={zone}")


async def test_extreme_but_valid_times_are_answered(client):
    for start, end in [
        ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"),
        ("9999-12-31T23:59:59-14:00", None),
        (None, "0001-01-01"),
    ]:
        params = {"tz": "Pacific/Kiritimati", **({"start": start} if start else {}), **({"end": end} if end else {})}
        response = await client.get("http://test/api/v2/series/all/all", params=params)
        assert response.status_code == 200, params


@pytest.mark.parametrize("route", ["series", "series/1/111", "forecasts", "monitoring/series/1/111"])
async def test_format_near_misses_are_422s(client, route):
    for value in FORMAT_NEAR_MISSES:
        response = await client.get(f"http://test/api/v2/{route}", params={"format": value})
        assert_clean_4xx(response, f"{route} format={value!r}")
