"""`/api/v2` series, totals, zones, ranges and forms, through the real app on buckets written on the fly."""

import io
import json
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from api.timefmt import iso_hours
from conftest import HOURS_FROM_1970, frame, write_bucket
from support import BUCKET_PANDAS15

pytestmark = pytest.mark.anyio

V2 = "http://test/api/v2"


def hour_of(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp() // 3600)


def strict_json(response) -> object:
    """The body parsed with NaN and infinity refused, as a strict JSON client would."""

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in JSON")

    return json.loads(response.text, parse_constant=refuse)


def dst_bucket(folder, first: str, last: str, forecast_hours: int = 24):
    """Two areas x two consumer types observed hourly over [first, last], a constant-ish forecast after."""
    start, end = hour_of(first), hour_of(last)
    rows, forecast = [], []
    for area in (1, 2):
        for consumer_type in (111, 999):
            base = 100.0 * area + consumer_type / 10
            rows += [(area, consumer_type, hour, base + hour % 24) for hour in range(start, end + 1)]
            forecast += [(area, consumer_type, hour, base) for hour in range(end + 1, end + 1 + forecast_hours)]
    return write_bucket(
        folder,
        {
            "X.parquet": frame([row[:3] for row in rows], value=None),
            "y.parquet": frame(rows),
            "predictions.parquet": frame(forecast),
        },
    )


async def test_default_answer_is_the_latest_week_and_the_forecast_in_utc_iso(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        v1 = (await client.get("predictions/1/111")).json()
        v2 = strict_json(await client.get(f"{V2}/series/1/111"))
    assert v2["unit"] == "kWh" and v2["tz"] == "UTC" and (v2["area"], v2["consumer_type"]) == (1, 111)
    assert [hour_of(row["time"]) for row in v2["observations"]] == v1["datetime_utc"]
    assert [row["kwh"] for row in v2["observations"]] == v1["energy_consumption"]
    assert [hour_of(row["time"]) for row in v2["forecast"]] == v1["preds_datetime_utc"]
    assert all(row["time"].endswith("+00:00") for row in v2["observations"] + v2["forecast"])
    for row in v2["forecast"]:
        assert row["lower_95"] <= row["lower_80"] <= row["kwh"] <= row["upper_80"] <= row["upper_95"]
    assert v2["interval"]["method"].startswith("split-conformal")
    assert v2["interval"]["calibration_hours"] > 48 and 0 < v2["interval"]["coverage_80"] <= 1
    total = v2["forecast_total"]
    assert total["hours"] == 24 and total["kwh"] == pytest.approx(sum(row["kwh"] for row in v2["forecast"]))
    assert total["lower_95"] <= total["lower_80"] <= total["kwh"] <= total["upper_80"] <= total["upper_95"]
    hourly_width = sum(row["upper_80"] - row["lower_80"] for row in v2["forecast"])
    assert total["upper_80"] - total["lower_80"] < hourly_width / 2  # errors partly cancel in a sum


async def test_copenhagen_time_has_a_23_hour_spring_day_and_a_25_hour_autumn_day(tmp_path, serve_bucket):
    async with serve_bucket(dst_bucket(tmp_path / "spring", "2024-03-25T00:00Z", "2024-04-02T23:00Z")) as (_, c):
        spring = strict_json(
            await c.get(
                f"{V2}/series/1/111", params={"tz": "Europe/Copenhagen", "start": "2024-03-31", "end": "2024-04-01"}
            )
        )
    async with serve_bucket(dst_bucket(tmp_path / "autumn", "2024-10-21T00:00Z", "2024-10-29T23:00Z")) as (_, c):
        autumn = strict_json(
            await c.get(
                f"{V2}/series/1/111", params={"tz": "Europe/Copenhagen", "start": "2024-10-27", "end": "2024-10-28"}
            )
        )
    spring_times = [row["time"] for row in spring["observations"]]
    assert len(spring_times) == 23
    assert "2024-03-31T01:00:00+01:00" in spring_times and "2024-03-31T03:00:00+02:00" in spring_times
    assert not any(time.startswith("2024-03-31T02:") for time in spring_times)  # the hour that does not exist
    autumn_times = [row["time"] for row in autumn["observations"]]
    assert len(autumn_times) == 25
    assert "2024-10-27T02:00:00+02:00" in autumn_times and "2024-10-27T02:00:00+01:00" in autumn_times
    assert len(set(autumn_times)) == 25  # the repeated hour twice, told apart by its offset


async def test_a_range_selects_start_inclusive_end_exclusive_in_any_spelling(tmp_path, serve_bucket):
    async with serve_bucket(dst_bucket(tmp_path, "2024-06-01T00:00Z", "2024-06-30T23:00Z")) as (_, client):
        spellings = [
            {"start": "2024-06-10T00:00:00Z", "end": "2024-06-11T00:00:00Z"},
            {"start": "2024-06-10T02:00:00+02:00", "end": "2024-06-11T02:00:00+02:00"},
            {"start": "2024-06-10T02:00:00 02:00", "end": "2024-06-11T02:00:00 02:00"},  # '+' lost in a typed URL
            {"start": "2024-06-10T02:00:00", "end": "2024-06-11T02:00:00", "tz": "Europe/Copenhagen"},
        ]
        answers = [strict_json(await client.get(f"{V2}/series/2/999", params=p)) for p in spellings]
        whole = strict_json(await client.get(f"{V2}/series/2/999", params={"start": "2024-01-01T00:00Z"}))
    for answer in answers:
        hours = [hour_of(row["time"]) for row in answer["observations"]]
        assert hours == list(range(hour_of("2024-06-10T00:00Z"), hour_of("2024-06-11T00:00Z")))
        assert answer["forecast"] == []
    assert len(whole["observations"]) == 30 * 24 and len(whole["forecast"]) == 24  # the whole window, beyond a week


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"tz": "Mars/Olympus"}, "unknown time zone"),
        ({"tz": "../../etc/passwd"}, "unknown time zone"),
        ({"start": "yesterday"}, "not an ISO 8601 time"),
        ({"end": "2024-13-01"}, "not an ISO 8601 time"),
        ({"start": "2024-06-11T00:00Z", "end": "2024-06-10T00:00Z"}, "before start"),
        ({"format": "xml"}, "'json', 'csv' or 'parquet'"),
    ],
)
async def test_malformed_parameters_are_422_saying_what_is_accepted(serve_bucket, params, fragment):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        response = await client.get(f"{V2}/series/1/111", params=params)
    assert response.status_code == 422
    assert fragment in json.dumps(response.json()["detail"])


@pytest.mark.parametrize("path", ["series/1/x", "series/one/111", "series/1/1.5", "monitoring/series/all/abc"])
async def test_non_integer_codes_are_422(serve_bucket, path):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        response = await client.get(f"{V2}/{path}")
    assert response.status_code == 422 and "all" in json.dumps(response.json()["detail"])


@pytest.mark.parametrize("path", ["series/9/111", "series/1/123456", "series/3/all", "monitoring/series/7/7"])
async def test_a_well_formed_series_that_is_not_there_is_404(serve_bucket, path):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        response = await client.get(f"{V2}/{path}")
    assert response.status_code == 404 and "/api/v2/series" in response.json()["detail"]


async def test_totals_sum_their_members_and_a_gap_in_one_member_is_a_gap_in_the_total(tmp_path, serve_bucket):
    hours = range(5000, 5010)
    rows = [(1, 111, h, 10.0) for h in hours] + [(2, 111, h, 1.0) for h in hours if h != 5004]
    rows += [(1, 999, h, 100.0) for h in hours] + [(0, 111, h, 1e6) for h in hours]  # area 0 is DK itself
    forecast = [(a, c, 5010, 5.0) for a, c in ((1, 111), (2, 111), (1, 999), (0, 111))]
    bucket = write_bucket(
        tmp_path,
        {
            "X.parquet": frame([r[:3] for r in rows], value=None),
            "y.parquet": frame(rows),
            "predictions.parquet": frame(forecast),
        },
    )
    async with serve_bucket(bucket, **HOURS_FROM_1970) as (_, client):
        start = {"start": "1970-01-01T00:00Z"}
        type_total = strict_json(await client.get(f"{V2}/series/all/111", params=start))
        area_total = strict_json(await client.get(f"{V2}/series/1/all", params=start))
        country = strict_json(await client.get(f"{V2}/series/all/all", params=start))
        listing = strict_json(await client.get(f"{V2}/series"))
    assert {hour_of(r["time"]): r["kwh"] for r in type_total["observations"]} == {h: 11.0 for h in hours if h != 5004}
    assert [r["kwh"] for r in area_total["observations"]] == [110.0] * 10
    assert [r["kwh"] for r in country["observations"]] == [111.0] * 9  # DK1 + DK2, not area 0 again
    assert country["forecast"][0]["kwh"] == 15.0 and country["forecast"][0]["lower_80"] is None  # no monitoring
    assert country["interval"]["method"].startswith("none")
    assert {("all", "all"), (1, "all"), ("all", 111), (0, "all")} <= {
        (t["area"], t["consumer_type"]) for t in listing["totals"]
    }
    assert len(listing["series"]) == 4 and listing["series"][0]["area_name"] == "DK"


async def test_csv_parquet_and_accept_give_the_same_long_table(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        url = f"{V2}/series/1/111"
        as_json = strict_json(await client.get(url, params={"tz": "Europe/Copenhagen"}))
        as_csv = await client.get(url, params={"format": "csv", "tz": "Europe/Copenhagen"})
        by_accept = await client.get(url, params={"tz": "Europe/Copenhagen"}, headers={"Accept": "text/csv"})
        as_parquet = await client.get(
            url, params={"tz": "Europe/Copenhagen"}, headers={"Accept": "application/vnd.apache.parquet"}
        )
        refused = await client.get(url, headers={"Accept": "image/png"})
        preferred = await client.get(url, headers={"Accept": "text/csv;q=0.5, application/vnd.apache.parquet"})
    assert as_csv.headers["content-type"].startswith("text/csv") and as_csv.text == by_accept.text
    table = pd.read_csv(io.StringIO(as_csv.text))
    assert list(table.columns) == ["time", "kind", "kwh", "lower_80", "upper_80", "lower_95", "upper_95"]
    assert table["kind"].tolist() == ["observed"] * len(as_json["observations"]) + ["forecast"] * 24
    assert table["lower_80"].isna().sum() == len(as_json["observations"])
    assert table["time"].tolist() == [r["time"] for r in as_json["observations"] + as_json["forecast"]]
    parquet = pd.read_parquet(io.BytesIO(as_parquet.content))
    assert str(parquet["time"].dt.tz) == "Europe/Copenhagen" and len(parquet) == len(table)
    assert parquet["kwh"].tolist() == pytest.approx(table["kwh"].tolist())
    assert refused.status_code == 406 and "text/csv" in refused.json()["detail"]
    assert preferred.headers["content-type"] == "application/vnd.apache.parquet"


async def test_bulk_forecasts_load_straight_into_pandas(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        parquet = await client.get(f"{V2}/forecasts", params={"format": "parquet", "tz": "Europe/Copenhagen"})
        rows = strict_json(await client.get(f"{V2}/forecasts"))["rows"]
        listing = strict_json(await client.get(f"{V2}/series"))["series"]
    table = pd.read_parquet(io.BytesIO(parquet.content))
    assert len(table) == len(rows) == 24 * len(listing)
    assert list(table.columns) == [
        "area",
        "consumer_type",
        "time",
        "kwh",
        "lower_80",
        "upper_80",
        "lower_95",
        "upper_95",
    ]
    assert table["time"].dt.tz is not None and (table["lower_95"] <= table["upper_95"]).all()
    assert {(r["area"], r["consumer_type"]) for r in rows} == {(s["area"], s["consumer_type"]) for s in listing}


async def test_status_names_the_data_and_v2_has_its_own_docs_with_tags(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        status = strict_json(await client.get(f"{V2}/status", params={"tz": "Europe/Copenhagen"}))
        freshness = (await client.get("freshness")).json()
        v2_schema = (await client.get(f"{V2}/openapi.json")).json()
        v1_schema = (await client.get("openapi.json")).json()
        pages = [await client.get(f"{V2}/{page}") for page in ("docs", "redoc")]
        v1_docs = await client.get("docs")
    assert status["data_version"] == freshness["data_version"] and status["observed_to"].endswith("+02:00")
    assert all(path.startswith("/api/v2/") for path in v2_schema["paths"])
    assert all(path.startswith("/api/v1/") for path in v1_schema["paths"])
    assert {tag["name"] for tag in v2_schema["tags"]} == {"status", "forecasts", "monitoring"}
    for path, item in v2_schema["paths"].items():
        operation = item["get"]
        assert operation["tags"] and operation["description"], path
        assert all(parameter.get("description") for parameter in operation.get("parameters", [])), path
    assert all(page.status_code == 200 and "/api/v2/openapi.json" in page.text for page in pages)
    assert v1_docs.status_code == 200 and "/api/v1/openapi.json" in v1_docs.text


async def test_v2_answers_carry_etag_and_data_version_and_honour_if_none_match(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        first = await client.get(f"{V2}/series/all/all", params={"tz": "Europe/Copenhagen"})
        again = await client.get(
            f"{V2}/series/all/all", params={"tz": "Europe/Copenhagen"}, headers={"If-None-Match": first.headers["etag"]}
        )
    assert first.headers["x-data-version"] and again.status_code == 304


async def test_data_is_unavailable_is_503_with_a_reason(tmp_path, serve_bucket):
    async with serve_bucket(tmp_path / "empty", STARTUP_LOAD_TIMEOUT_SECONDS=1) as (_, client):
        responses = [await client.get(f"{V2}/{path}") for path in ("series/1/111", "forecasts", "status")]
    assert all(r.status_code == 503 and r.json()["detail"] for r in responses)


def test_the_repeated_autumn_hour_comes_twice_with_two_offsets():
    hours = np.array([hour_of("2024-10-27T00:00Z") + i for i in range(3)])
    assert iso_hours(hours, "Europe/Copenhagen") == [
        "2024-10-27T02:00:00+02:00",
        "2024-10-27T02:00:00+01:00",
        "2024-10-27T03:00:00+01:00",
    ]
