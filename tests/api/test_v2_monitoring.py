"""`/api/v2/monitoring`: the contract's error figures, awaited observations, and buckets that lack things."""

import json

import pytest
from conftest import HOURS_FROM_1970, frame, metrics_frame, write_bucket
from test_v2_series import V2, hour_of, strict_json

pytestmark = pytest.mark.anyio

WEEK = 168
FIRST, LAST = 10_000, 10_000 + 2 * WEEK  # y covers two weeks and one hour; the naive difference is 16.8


def slope(hour: int) -> float:
    return 100.0 + 0.1 * (hour - FIRST)


def figures_bucket(folder, monitored_y: dict, monitored_predictions: dict, extra_y_gap: set[int] | None = None):
    """Series (1, 111) and (2, 111) observed over [FIRST, LAST]; monitoring as given, per series."""
    gap = extra_y_gap or set()
    rows = [(a, 111, h, slope(h)) for a in (1, 2) for h in range(FIRST, LAST + 1) if h not in gap]
    forecast = [(a, 111, h, 100.0) for a in (1, 2) for h in range(LAST + 1, LAST + 25)]
    y_monitoring = [(a, 111, h, v) for (a, h), v in monitored_y.items()]
    predictions_monitoring = [(a, 111, h, v) for (a, h), v in monitored_predictions.items()]
    return write_bucket(
        folder,
        {
            "X.parquet": frame([r[:3] for r in rows], value=None),
            "y.parquet": frame(rows),
            "predictions.parquet": frame(forecast),
            "y_monitoring.parquet": frame(y_monitoring),
            "predictions_monitoring.parquet": frame(predictions_monitoring),
            "metrics_monitoring.parquet": metrics_frame(sorted({h for _, h in monitored_y}), mape=0.5),
        },
    )


async def test_figures_follow_the_contract_formulas(tmp_path, serve_bucket):
    observed = {(1, LAST - 1): 100.0, (1, LAST): 200.0, (2, LAST - 1): 50.0, (2, LAST): 0.0}
    predicted = {(1, LAST - 1): 110.0, (1, LAST): 150.0, (2, LAST - 1): 60.0, (2, LAST): 5.0}
    async with serve_bucket(figures_bucket(tmp_path, observed, predicted), **HOURS_FROM_1970) as (_, client):
        summary = strict_json(await client.get(f"{V2}/monitoring/summary"))
        hourly = strict_json(await client.get(f"{V2}/monitoring/hourly"))
    one, two = summary["series"]
    assert one["hours_compared"] == 2
    assert one["mape"] == pytest.approx((10 / 100 + 50 / 200) / 2)
    assert one["wape"] == pytest.approx(60 / 300)
    assert one["bias"] == pytest.approx(-40 / 300)
    assert one["mase"] == pytest.approx(30 / 16.8)  # mean |error| over mean |y(t) - y(t - 168)|
    assert two["mape"] == pytest.approx(10 / 50)  # the hour with y = 0 is left out of MAPE only
    assert two["wape"] == pytest.approx(15 / 50) and two["bias"] == pytest.approx(15 / 50)
    overall = summary["overall"]
    assert overall["hours_compared"] == 4
    assert overall["wape"] == pytest.approx(75 / 350) and overall["bias"] == pytest.approx(-25 / 350)
    assert overall["mape"] == pytest.approx((0.1 + 0.25 + 0.2) / 3)
    assert overall["mase"] == pytest.approx((75 / 4) / 16.8)
    assert overall["coverage_80"] is None  # two hours of history cannot make a range
    assert {area["area"] for area in summary["areas"]} == {"1", "2", "all"}
    last_hour = {hour_of(h["time"]): h for h in hourly["hours"]}[LAST]
    assert last_hour["mape"] == 0.5  # the pipeline's own figure
    assert last_hour["wape"] == pytest.approx(55 / 200) and last_hour["series_compared"] == 2
    assert hour_of(summary["periods"]["last_24h"]["to"]) == LAST
    assert hour_of(summary["periods"]["week_before"]["to"]) == LAST - WEEK


async def test_figures_that_cannot_be_computed_are_null_never_nan(tmp_path, serve_bucket):
    observed = {(1, LAST): 0.0, (2, LAST): 0.0}
    predicted = {(1, LAST): 3.0, (2, LAST): 4.0}
    flat = tmp_path / "flat"
    async with serve_bucket(figures_bucket(flat, observed, predicted), **HOURS_FROM_1970) as (_, client):
        response = await client.get(f"{V2}/monitoring/summary")
        csv = await client.get(f"{V2}/monitoring/summary", params={"format": "csv"})
    summary = strict_json(response)
    for figures in [*summary["series"], summary["overall"]]:
        assert figures["mape"] is None and figures["wape"] is None and figures["bias"] is None
    assert "nan" not in csv.text.lower() and "inf" not in csv.text.lower()


async def test_only_hours_after_the_last_observation_are_awaited(tmp_path, serve_bucket):
    observed = {(1, h): 100.0 for h in range(LAST - 5, LAST + 1) if h != LAST - 3}  # a gap inside the window
    predicted = {(1, h): 101.0 for h in range(LAST - 5, LAST + 3)}
    async with serve_bucket(figures_bucket(tmp_path, observed, predicted), **HOURS_FROM_1970) as (_, client):
        hours = strict_json(await client.get(f"{V2}/monitoring/series/1/111"))["hours"]
        tz_hours = strict_json(await client.get(f"{V2}/monitoring/series/1/111", params={"tz": "Europe/Copenhagen"}))
    awaited = {hour_of(h["time"]): h["awaiting_observation"] for h in hours}
    assert awaited[LAST - 3] is False  # missing, not awaited
    assert [h for h, flag in awaited.items() if flag] == [LAST + 1, LAST + 2]
    gap = next(h for h in hours if hour_of(h["time"]) == LAST - 3)
    assert gap["observed_kwh"] is None and gap["error_kwh"] is None and gap["predicted_kwh"] == 101.0
    assert tz_hours["tz"] == "Europe/Copenhagen" and len(tz_hours["hours"]) == len(hours)


async def test_without_monitoring_files_monitoring_is_503_and_forecasts_have_no_ranges(tmp_path, serve_bucket):
    rows = [(1, 111, h, 10.0) for h in range(100, 200)]
    bucket = write_bucket(
        tmp_path,
        {
            "X.parquet": frame([r[:3] for r in rows], value=None),
            "y.parquet": frame(rows),
            "predictions.parquet": frame([(1, 111, 200, 11.0)]),
        },
    )
    async with serve_bucket(bucket, **HOURS_FROM_1970) as (_, client):
        monitoring = [await client.get(f"{V2}/monitoring/{p}") for p in ("summary", "hourly", "series/1/111")]
        series = strict_json(await client.get(f"{V2}/series/1/111"))
    for response in monitoring:
        assert response.status_code == 503 and "not available" in response.json()["detail"]
    assert series["forecast"][0]["upper_95"] is None and series["interval"]["coverage_80"] is None
    assert "monitoring" in series["interval"]["method"]


async def test_a_messy_bucket_keeps_working_on_every_v2_path(tmp_path, serve_bucket):
    from test_messy_bucket import messy_frames

    frames = messy_frames()
    frames["y_monitoring.parquet"] = frame([(1, 111, 1198, 100.0), (1, 111, 1199, float("nan")), (1, 111, 1198, 90.0)])
    frames["predictions_monitoring.parquet"] = frame([(1, 111, 1198, 110.0), (2, 999, 1200, 1.0), (0, 111, 1199, 7.0)])
    frames["metrics_monitoring.parquet"] = metrics_frame([1198], mape=0.1)
    async with serve_bucket(write_bucket(tmp_path, frames), **HOURS_FROM_1970) as (_, client):
        paths = ["series", "forecasts", "monitoring/summary", "monitoring/hourly", "series/all/all", "series/0/111"]
        paths += ["monitoring/series/1/111", "monitoring/series/all/111", "series/1/111?start=1970-01-01T00:00Z"]
        for path in paths:
            for form in ("json", "csv", "parquet"):
                separator = "&" if "?" in path else "?"
                response = await client.get(f"{V2}/{path}{separator}format={form}&tz=Europe/Copenhagen")
                assert response.status_code == 200, (path, form, response.text)
                if form == "json":
                    strict_json(response)
        gap = strict_json(await client.get(f"{V2}/series/1/111?start=1970-01-01T00:00Z"))
    hours = [hour_of(row["time"]) for row in gap["observations"]]
    assert 1105 not in hours and 1150 not in hours and hours == sorted(hours)


def test_strict_json_refuses_nan():
    class Fake:
        text = json.dumps({"x": float("nan")})

    with pytest.raises(AssertionError):
        strict_json(Fake())


async def test_a_series_observed_but_never_compared_is_listed_with_null_figures(tmp_path, serve_bucket):
    """Series (2, 111) is observed, but the monitoring data has no prediction for it: it is listed
    (a reader sees it exists and why it has no figures) and leaves every pooled figure alone."""
    observed = {(1, LAST - 1): 100.0, (1, LAST): 200.0}
    predicted = {(1, LAST - 1): 110.0, (1, LAST): 150.0}
    async with serve_bucket(figures_bucket(tmp_path, observed, predicted), **HOURS_FROM_1970) as (_, client):
        summary = strict_json(await client.get(f"{V2}/monitoring/summary"))
        table = await client.get(f"{V2}/monitoring/summary", params={"format": "csv"})
    assert [(entry["area"], entry["consumer_type"]) for entry in summary["series"]] == [(1, 111), (2, 111)]
    never = summary["series"][1]
    assert never["hours_compared"] == 0
    assert [never[name] for name in ("mape", "wape", "bias", "mase", "coverage_80", "coverage_95")] == [None] * 6
    assert summary["overall"]["hours_compared"] == 2
    assert summary["overall"]["mase"] == pytest.approx(summary["series"][0]["mase"])  # only (1, 111)'s scale
    assert {area["area"] for area in summary["areas"]} == {"1", "all"}
    assert table.status_code == 200 and table.text.count("\n") == 3  # header and both series
