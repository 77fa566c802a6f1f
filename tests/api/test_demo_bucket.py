"""The built-in demo bucket: realistic, complete, current, and always recognisable as a demo."""

from datetime import UTC, datetime

import numpy as np
import pytest
from api.demo import build_demo_frames, demo_is_outdated, write_demo_bucket
from api.loading import FILE_SPECS, parse_file

NOW = datetime(2026, 11, 22, 10, 30, tzinfo=UTC)
CURRENT_HOUR = int(NOW.timestamp() // 3600)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    write_demo_bucket(str(folder), now=NOW)
    return {name: parse_file((folder / name).read_bytes(), name) for name in FILE_SPECS}, folder


def test_all_six_files_and_the_demo_marker_are_written(demo):
    frames, folder = demo
    assert sorted(path.name for path in folder.iterdir()) == sorted([*FILE_SPECS, "DEMO_BUCKET.json"])
    assert all(not frame.empty for frame in frames.values())


def test_observations_end_just_before_now_and_the_forecast_covers_the_next_24_hours(demo):
    frames, _ = demo
    assert frames["y.parquet"]["datetime_utc"].max() == CURRENT_HOUR - 1
    forecast_hours = frames["predictions.parquet"].query("area == 1 and consumer_type == 111")["datetime_utc"]
    assert forecast_hours.tolist() == list(range(CURRENT_HOUR, CURRENT_HOUR + 24))
    assert len(frames["X.parquet"]) == 76


def test_consumption_has_daily_and_weekly_cycles_and_a_scale_per_type(demo):
    frames, _ = demo
    y = frames["y.parquet"]
    one = y.query("area == 1 and consumer_type == 111")
    by_hour = one.groupby(one["datetime_utc"] % 24)["value"].mean()
    assert by_hour.max() / by_hour.min() > 1.3
    weekday = (one["datetime_utc"] // 24 + 3) % 7
    assert one[weekday >= 5]["value"].mean() < 0.9 * one[weekday < 5]["value"].mean()
    scales = y.groupby("consumer_type")["value"].mean()
    assert scales.max() / scales.min() > 5


def test_forecast_error_is_plausible_and_uneven_across_series(demo):
    frames, _ = demo
    mape = frames["metrics_monitoring.parquet"]["value"]
    assert 0.01 < mape.mean() < 0.2
    joined = frames["y_monitoring.parquet"].merge(
        frames["predictions_monitoring.parquet"], on=["area", "consumer_type", "datetime_utc"], suffixes=("_y", "_p")
    )
    ape = (joined["value_p"] - joined["value_y"]).abs() / joined["value_y"]
    per_series = ape.groupby([joined["area"], joined["consumer_type"]]).mean()
    assert per_series.max() > 2 * per_series.min()


def test_a_holiday_five_days_ago_pushes_some_hours_and_business_series_above_a_10_percent_threshold(demo):
    frames, _ = demo
    mape = frames["metrics_monitoring.parquet"].set_index("datetime_utc")["value"]
    holiday = [(CURRENT_HOUR // 24 - 5) * 24 + hour for hour in range(7, 17)]
    assert (mape.loc[holiday] > 0.10).all()
    assert (mape.drop(holiday) < 0.10).mean() > 0.95
    y = frames["y_monitoring.parquet"].set_index(["area", "consumer_type", "datetime_utc"])["value"]
    predicted = frames["predictions_monitoring.parquet"].set_index(["area", "consumer_type", "datetime_utc"])["value"]
    ape = ((predicted - y).abs() / y).dropna()
    on_holiday = ape[ape.index.get_level_values("datetime_utc").isin(holiday)]
    by_type = on_holiday.groupby(level="consumer_type").mean()
    assert by_type.loc[111] > 0.15  # a business type: a fifth less than expected is 25 % off
    assert by_type.loc[310] < 0.15  # a household type is untouched


def test_the_demo_is_rewritten_once_the_hour_it_was_made_in_is_over(demo):
    _, folder = demo
    assert not demo_is_outdated(folder, now=NOW.replace(minute=59))
    assert demo_is_outdated(folder, now=NOW.replace(hour=11, minute=0))
    assert demo_is_outdated(folder / "missing")


def test_the_same_seed_and_hour_give_the_same_data():
    first, second = build_demo_frames(NOW), build_demo_frames(NOW)
    assert np.array_equal(first["y"]["energy_consumption"].to_numpy(), second["y"]["energy_consumption"].to_numpy())


def test_python_m_api_writes_one_demo_bucket_and_serves_it(tmp_path):
    """`python -m api` with no bucket writes the demo once and the app serves that same folder."""
    import httpx
    from support import running_api

    with running_api("", extra_env={"TMPDIR": str(tmp_path)}) as base_url:
        freshness = httpx.get(f"{base_url}/freshness").json()
    written = [path for path in tmp_path.iterdir() if path.name.startswith("energy-demo-bucket-")]
    assert freshness["is_demo"] is True
    assert len(written) == 1
    assert (written[0] / "DEMO_BUCKET.json").exists()


def test_workers_sharing_a_demo_folder_write_it_once_per_hour(tmp_path, monkeypatch):
    """Two storages on one folder (two workers) list it at once: the lock lets one write, the other finds it new."""
    import threading

    import api.demo
    from api.demo import DemoStorage
    from api.loading import FILE_SPECS, parse_file
    from api.store import DEMO_MARKER

    writes = []
    real_writer = api.demo.write_demo_bucket

    def counting_writer(destination: str) -> None:
        writes.append(destination)
        real_writer(destination)

    monkeypatch.setattr(api.demo, "write_demo_bucket", counting_writer)
    folder = tmp_path / "demo"
    listings: list[dict] = []
    start = threading.Barrier(2)

    def list_bucket() -> None:
        start.wait()
        listings.append(DemoStorage(folder).versions([*FILE_SPECS, DEMO_MARKER]))

    threads = [threading.Thread(target=list_bucket) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert writes == [str(folder)]
    assert len(listings) == 2 and listings[0] == listings[1] and set(listings[0]) == {*FILE_SPECS, DEMO_MARKER}
    for name in FILE_SPECS:
        assert not parse_file((folder / name).read_bytes(), name).empty
