"""The `/api/v1` contract, value for value against what the existing service answers for the fixture bucket."""

import json

import pytest
from support import BUCKET_PANDAS3, BUCKET_PANDAS15, RESPONSES

pytestmark = pytest.mark.anyio

GOLDEN = [
    ("health", "health.json"),
    ("area_values", "area_values.json"),
    ("predictions/1/111", "predictions_1_111.json"),
    ("predictions/2/462", "predictions_2_462.json"),
    ("monitoring/metrics", "monitoring_metrics.json"),
    ("monitoring/values/1/111", "monitoring_values_1_111.json"),
    ("monitoring/values/2/462", "monitoring_values_2_462.json"),
]


def assert_same_values(actual: object, expected: object, path: str = "") -> None:
    """Equal structure, equal ints, floats equal to 1e-9 relative."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), path
        for key, value in expected.items():
            assert key in actual, f"{path}.{key} missing"
            assert_same_values(actual[key], value, f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{path}: length differs"
        for index, (left, right) in enumerate(zip(actual, expected, strict=True)):
            assert_same_values(left, right, f"{path}[{index}]")
    elif isinstance(expected, float):
        assert actual == pytest.approx(expected, rel=1e-9, abs=1e-12), path
    else:
        assert actual == expected and type(actual) is type(expected), path


@pytest.mark.parametrize("bucket", [BUCKET_PANDAS15, BUCKET_PANDAS3], ids=["pandas15", "pandas3"])
@pytest.mark.parametrize(("path", "golden"), GOLDEN)
async def test_answers_equal_the_existing_service(serve_bucket, bucket, path, golden):
    async with serve_bucket(bucket) as (_, client):
        response = await client.get(path)
    assert response.status_code == 200
    assert_same_values(response.json(), json.loads((RESPONSES / golden).read_text()))


@pytest.mark.parametrize("bucket", [BUCKET_PANDAS15, BUCKET_PANDAS3], ids=["pandas15", "pandas3"])
async def test_consumer_types_are_the_same_set_in_ascending_order(serve_bucket, bucket):
    expected = json.loads((RESPONSES / "consumer_type_values.json").read_text())["values"]
    async with serve_bucket(bucket) as (_, client):
        values = (await client.get("consumer_type_values")).json()["values"]
    assert values == sorted(expected)


@pytest.mark.parametrize(
    ("path", "golden"),
    [
        ("predictions/2/999", "error_404_predictions_2_999.json"),
        ("predictions/0/111", "error_404_predictions_0_111.json"),
        ("monitoring/values/2/999", "error_404_monitoring_values_2_999.json"),
    ],
)
async def test_unknown_series_returns_404_with_the_same_reason(serve_bucket, path, golden):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        response = await client.get(path)
    assert response.status_code == 404
    assert response.json() == json.loads((RESPONSES / golden).read_text())


@pytest.mark.parametrize(
    "path", ["predictions/x/111", "predictions/1/1.5", "monitoring/values/one/111", "monitoring/errors/1/abc"]
)
async def test_non_integer_path_parameters_return_422(serve_bucket, path):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        response = await client.get(path)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "path"


async def test_monitoring_values_carry_the_historical_and_the_corrected_field(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        body = (await client.get("monitoring/values/1/111")).json()
    assert body["predictions_monitoring_energy_consumptionc"] == body["predictions_monitoring_energy_consumption"]
    assert len(body["predictions_monitoring_datetime_utc"]) == 360


async def test_predictions_keep_the_latest_168_hours_sorted(serve_bucket):
    async with serve_bucket(BUCKET_PANDAS15) as (_, client):
        body = (await client.get("predictions/1/111")).json()
    hours = body["datetime_utc"]
    assert hours == sorted(hours) and len(hours) == 168 and hours[-1] == 468551
    assert body["preds_datetime_utc"] == list(range(468552, 468576))
