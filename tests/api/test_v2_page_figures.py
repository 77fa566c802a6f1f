"""What the dashboards used to work out themselves, now served by `/api/v2`: checked on small buckets
against figures computed by hand.

- `/monitoring/hour_of_day`: figures pooled per hour of the day in the zone asked for (Danish time has
  a day without 02:00 and a day with two);
- `/monitoring/hourly`: `*_24h`, pooled over the 24 hours ending at each hour;
- `/monitoring/series`: each hour's absolute percentage error, and the hours compared, awaited, missing;
- `/monitoring/summary`: the coverage floors, the same numbers the alert rules fire below;
- `/series`: `forecast_total.week_earlier`;
- `/status`: when the bucket was last read without error.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import yaml
from api.quality import COVERAGE_FLOORS
from conftest import HOURS_FROM_1970, frame, metrics_frame, write_bucket
from devtools.paths import REPO_ROOT
from test_v2_monitoring import LAST, figures_bucket
from test_v2_series import V2, hour_of, strict_json

pytestmark = pytest.mark.anyio

FIGURES = ("mape", "wape", "bias", "coverage_80", "coverage_95")


def utc_hour(text: str) -> int:
    return hour_of(text.replace("Z", "+00:00"))


def compared_bucket(folder, compared: dict[int, tuple[float, float]]):
    """Series (1, 111) observed for two days up to the last compared hour; `compared` maps an hour to
    (observed, predicted) in the monitoring files; a forecast of 24 hours follows."""
    last = max(compared)
    observed = [(1, 111, hour, 100.0) for hour in range(last - 48, last + 1) if hour not in compared]
    observed += [(1, 111, hour, y) for hour, (y, _) in compared.items()]
    observed.sort()
    return write_bucket(
        folder,
        {
            "X.parquet": frame([row[:3] for row in observed], value=None),
            "y.parquet": frame(observed),
            "predictions.parquet": frame([(1, 111, hour, 100.0) for hour in range(last + 1, last + 25)]),
            "y_monitoring.parquet": frame([(1, 111, hour, y) for hour, (y, _) in sorted(compared.items())]),
            "predictions_monitoring.parquet": frame([(1, 111, h, p) for h, (_, p) in sorted(compared.items())]),
            "metrics_monitoring.parquet": metrics_frame(sorted(compared), mape=0.5),
        },
    )


FALL_BACK = utc_hour("2024-10-27T00:00Z")  # 02:00 CEST; the next UTC hour is 02:00 CET again
SPRING_FORWARD = utc_hour("2024-03-31T00:00Z")  # 01:00 CET; the next UTC hour is 03:00 CEST


async def test_hour_of_day_pools_both_fall_back_hours_into_danish_two_oclock(tmp_path, serve_bucket):
    # UTC 00:00 and 01:00 are both 02:00 in Copenhagen that night; UTC 02:00 is 03:00.
    compared = {FALL_BACK: (100.0, 110.0), FALL_BACK + 1: (10.0, 15.0), FALL_BACK + 2: (50.0, 40.0)}
    async with serve_bucket(compared_bucket(tmp_path, compared)) as (_, client):
        danish = strict_json(await client.get(f"{V2}/monitoring/hour_of_day", params={"tz": "Europe/Copenhagen"}))
        utc = strict_json(await client.get(f"{V2}/monitoring/hour_of_day"))
        csv = await client.get(f"{V2}/monitoring/hour_of_day", params={"tz": "Europe/Copenhagen", "format": "csv"})
    assert danish["tz"] == "Europe/Copenhagen" and [row["hour"] for row in danish["hours"]] == list(range(24))
    assert danish["window_from"] == "2024-10-27T02:00:00+02:00" and danish["window_to"] == "2024-10-27T03:00:00+01:00"
    two, three = danish["hours"][2], danish["hours"][3]
    assert two["hours_compared"] == 2
    assert two["wape"] == pytest.approx(15 / 110)  # pooled: (10 + 5) / (100 + 10), not the mean of 0.1 and 0.5
    assert two["bias"] == pytest.approx(15 / 110)
    assert two["mape"] == pytest.approx((0.1 + 0.5) / 2)
    assert three["hours_compared"] == 1 and three["wape"] == pytest.approx(10 / 50) and three["bias"] == -0.2
    for hour in (*range(2), *range(4, 24)):
        row = danish["hours"][hour]
        assert row["hours_compared"] == 0 and [row[name] for name in FIGURES] == [None] * 5, hour
    assert two["coverage_80"] is None  # three hours of history make no range
    assert [(row["hour"], row["hours_compared"]) for row in utc["hours"][:3]] == [(0, 1), (1, 1), (2, 1)]
    assert utc["hours"][0]["wape"] == pytest.approx(0.1) and utc["hours"][1]["wape"] == pytest.approx(0.5)
    lines = csv.text.splitlines()
    assert lines[0] == "hour,hours_compared,mape,wape,bias,coverage_80,coverage_95" and len(lines) == 25
    assert lines[3].startswith("2,2,0.3") and lines[1] == "0,0,,,,,"


async def test_hour_of_day_has_no_danish_two_oclock_on_the_spring_forward_day(tmp_path, serve_bucket):
    # UTC 00:00 is 01:00 CET, UTC 01:00 is 03:00 CEST: no hour starts at 02:00 that day.
    compared = {SPRING_FORWARD: (100.0, 120.0), SPRING_FORWARD + 1: (200.0, 190.0), SPRING_FORWARD + 2: (80.0, 80.0)}
    async with serve_bucket(compared_bucket(tmp_path, compared)) as (_, client):
        danish = strict_json(await client.get(f"{V2}/monitoring/hour_of_day", params={"tz": "Europe/Copenhagen"}))
    counts = {row["hour"]: row["hours_compared"] for row in danish["hours"] if row["hours_compared"]}
    assert counts == {1: 1, 3: 1, 4: 1}
    assert danish["hours"][1]["bias"] == pytest.approx(0.2) and danish["hours"][3]["bias"] == pytest.approx(-0.05)
    assert danish["hours"][4]["wape"] == 0.0 and danish["hours"][2]["wape"] is None


async def test_trailing_day_figures_pool_the_24_hours_ending_at_each_hour(tmp_path, serve_bucket):
    # 30 compared hours from an even hour: y is 100 on even hours and 10 on odd ones, every forecast 5 too high.
    first = SPRING_FORWARD - 100
    compared = {hour: (100.0, 105.0) if hour % 2 == 0 else (10.0, 15.0) for hour in range(first, first + 30)}
    async with serve_bucket(compared_bucket(tmp_path, compared)) as (_, client):
        hourly = strict_json(await client.get(f"{V2}/monitoring/hourly"))["hours"]
        csv = await client.get(f"{V2}/monitoring/hourly", params={"format": "csv"})
    by_hour = {utc_hour(row["time"]) - first: row for row in hourly}
    assert by_hour[10]["wape_24h"] is None and by_hour[10]["mape_24h"] is None  # 11 hours: too few
    assert by_hour[11]["wape_24h"] == pytest.approx(60 / 660)  # 6 even and 6 odd hours
    assert by_hour[12]["wape_24h"] == pytest.approx(65 / 760)  # 7 even, 6 odd
    assert by_hour[29]["wape_24h"] == pytest.approx(120 / 1320)  # hours 6..29; a mean of ratios would be 0.275
    assert by_hour[29]["bias_24h"] == pytest.approx(120 / 1320)
    assert by_hour[29]["mape_24h"] == pytest.approx((12 * 0.05 + 12 * 0.5) / 24)  # ours, not the pipeline's 0.5
    assert by_hour[29]["mape"] == 0.5  # the hourly figure stays the pipeline's
    header = csv.text.splitlines()[0].split(",")
    assert header[-3:] == ["mape_24h", "wape_24h", "bias_24h"]


async def test_a_monitored_series_carries_its_percentage_errors_and_hour_counts(tmp_path, serve_bucket):
    # LAST-3 is in neither file, LAST-1 is predicted but not observed; LAST+1 and LAST+2 are awaited.
    observed = {(1, LAST - 5): 100.0, (1, LAST - 4): 0.0, (1, LAST - 2): 200.0, (1, LAST): 50.0}
    predicted = {(1, LAST - 5): 110.0, (1, LAST - 4): 5.0, (1, LAST - 2): 150.0, (1, LAST - 1): 70.0}
    predicted |= {(1, LAST): 60.0, (1, LAST + 1): 1.0, (1, LAST + 2): 2.0}
    async with serve_bucket(figures_bucket(tmp_path, observed, predicted), **HOURS_FROM_1970) as (_, client):
        body = strict_json(await client.get(f"{V2}/monitoring/series/1/111"))
        csv = await client.get(f"{V2}/monitoring/series/1/111", params={"format": "csv"})
    assert (body["hours_compared"], body["hours_awaiting_observation"], body["hours_missing"]) == (4, 2, 2)
    ape = {hour_of(row["time"]) - LAST: row["absolute_percentage_error"] for row in body["hours"]}
    assert ape == {-5: pytest.approx(0.1), -4: None, -2: 0.25, -1: None, 0: pytest.approx(0.2), 1: None, 2: None}
    header, *rows = csv.text.splitlines()
    assert header.split(",")[-1] == "absolute_percentage_error" and rows[0].endswith(",0.1")


async def test_the_coverage_floors_are_served_and_are_the_alert_rules_numbers(serve_bucket):
    from support import BUCKET_PANDAS15

    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        summary = strict_json(await client.get(f"{V2}/monitoring/summary"))
    assert summary["coverage_floors"] == {"coverage_80": 0.65, "coverage_95": 0.85} == COVERAGE_FLOORS
    rules = yaml.safe_load((REPO_ROOT / "deploy" / "prometheus" / "alerts.yml").read_text())
    floors = {}
    for rule in (rule for group in rules["groups"] for rule in group["rules"]):
        if rule.get("alert", "").endswith("NotCovering"):
            metric, comparison, number = rule["expr"].split()
            assert metric.startswith("energy_forecast_coverage_") and comparison == "<", rule["alert"]
            floors[metric.removeprefix("energy_forecast_")] = float(number)
    assert floors == COVERAGE_FLOORS


def week_bucket(folder, end: int):
    """(1, 111): 50 kWh every hour for two weeks up to `end`, except two hours exactly a week before the third
    and fourth forecast hours; (2, 111): observed only for the last 3 days. Both forecast 60 kWh for 24 hours."""
    gap = {end + 3 - 168, end + 4 - 168}
    rows = [(1, 111, hour, 50.0) for hour in range(end - 335, end + 1) if hour not in gap]
    rows += [(2, 111, hour, 50.0) for hour in range(end - 71, end + 1)]
    forecast = [(area, 111, hour, 60.0) for area in (1, 2) for hour in range(end + 1, end + 25)]
    return write_bucket(
        folder,
        {
            "X.parquet": frame([row[:3] for row in rows], value=None),
            "y.parquet": frame(rows),
            "predictions.parquet": frame(forecast),
        },
    )


async def test_the_forecast_total_compares_with_the_hours_observed_a_week_earlier(tmp_path, serve_bucket):
    async with serve_bucket(week_bucket(tmp_path, SPRING_FORWARD)) as (_, client):
        one = strict_json(await client.get(f"{V2}/series/1/111"))["forecast_total"]["week_earlier"]
        ranged = strict_json(await client.get(f"{V2}/series/1/111", params={"tz": "Europe/Copenhagen"}))
        short = strict_json(await client.get(f"{V2}/series/2/111"))["forecast_total"]["week_earlier"]
        total = strict_json(await client.get(f"{V2}/series/all/111"))["forecast_total"]["week_earlier"]
    assert one == {"hours": 22, "observed_kwh": 1100.0, "forecast_kwh": 1320.0, "change": pytest.approx(0.2)}
    assert ranged["forecast_total"]["week_earlier"] == one
    assert short == {"hours": 0, "observed_kwh": None, "forecast_kwh": None, "change": None}
    # The total has an hour only where both members do: (2, 111) was not observed a week earlier.
    assert total == {"hours": 0, "observed_kwh": None, "forecast_kwh": None, "change": None}


async def test_status_says_when_the_bucket_was_last_read_without_error(serve_bucket):
    from support import BUCKET_PANDAS15

    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        ready = (await client.get("ready")).json()
        status = strict_json(await client.get(f"{V2}/status", params={"tz": "Europe/Copenhagen"}))
    last = datetime.fromisoformat(status["last_successful_refresh_at"])
    assert last == datetime.fromisoformat(ready["last_successful_refresh_at"])
    assert last.utcoffset() == ZoneInfo("Europe/Copenhagen").utcoffset(last.replace(tzinfo=None))
    assert datetime.fromisoformat(status["loaded_at"]) <= last <= datetime.now(UTC)
