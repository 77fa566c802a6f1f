"""The forecast page in Streamlit's AppTest, against the real API as a process (no canned answers).

Expected figures come from the same API the page talks to, so every check holds for the data the
API really serves: the fixture bucket, and demo buckets around a daylight-saving change.
"""

import shutil
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from conftest import MAIN_SCRIPT
from devtools.apptest import plotly_figures
from frontend.keyfigures import format_change, format_kwh, format_range
from frontend.series import series_view
from streamlit.testing.v1 import AppTest
from support import BUCKET_PANDAS15, running_api

pytestmark = pytest.mark.e2e


def open_page(query: dict[str, str] | None = None) -> AppTest:
    app = AppTest.from_file(str(MAIN_SCRIPT), default_timeout=60)
    for name, value in (query or {}).items():
        app.query_params[name] = value
    return app.run()


def charts(app: AppTest) -> list[dict]:
    return plotly_figures(app)


def trace_names(app: AppTest) -> list[str]:
    return [trace.get("name") for trace in charts(app)[0]["data"]]


def metric_values(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def url_query(app: AppTest) -> dict[str, str]:
    return {name: app.query_params[name] for name in app.query_params}


def texts(elements) -> list[str]:
    return [element.value for element in elements]


def status_line(app: AppTest) -> str:
    """The status widget's line: the forecast window in the page's zone, then the data's age."""
    (line,) = [text for text in texts(app.caption) if " · data loaded " in text]
    return line


def api_series(api_url: str, area: str, consumer_type: str, tz: str = "Europe/Copenhagen") -> dict:
    v2 = api_url.removesuffix("/v1") + "/v2"
    return httpx.get(f"{v2}/series/{area}/{consumer_type}", params={"tz": tz}, timeout=10).raise_for_status().json()


def forecast_total(body: dict) -> str:
    return format_kwh(body["forecast_total"]["kwh"])


def series_requests(sent: list[str], area: str, consumer_type: str) -> list[str]:
    return [path for path in sent if path.startswith(f"/api/v2/series/{area}/{consumer_type}")]


def test_page_opens_on_all_of_denmark_in_danish_time_and_puts_that_in_the_link(
    page_on: Callable[[str], None], api_on_fixture_bucket: str, sent_requests: list[str]
) -> None:
    page_on(api_on_fixture_bucket)
    expected = api_series(api_on_fixture_bucket, "all", "all")

    app = open_page()

    assert not app.exception
    assert app.title[0].value == "Hourly electricity consumption forecast"
    assert app.selectbox(key="area").value == "all"
    assert app.selectbox(key="area").options[:3] == [
        "All of Denmark (DK1 + DK2)",
        "DK1 (west of the Great Belt)",
        "DK2 (east)",
    ]
    assert app.selectbox(key="consumer_type").value == "all"
    assert app.radio(key="zone").value == "Europe/Copenhagen"
    assert url_query(app) == {"area": "all", "consumer_type": "all", "tz": "dk"}
    assert metric_values(app)["Forecast, next 24 h"] == forecast_total(expected)
    week_earlier = expected["forecast_total"]["week_earlier"]
    assert week_earlier["hours"] > 0, "the fixture has forecast hours observed a week earlier"
    assert metric_values(app)["Change vs same hours a week earlier"] == format_change(week_earlier["change"])
    assert metric_values(app)["Peak hour (Danish time)"].endswith("CEST")
    assert status_line(app).startswith("Forecast for Thu 15 Jun 02:00 CEST – Fri 16 Jun 01:00 CEST · data loaded ")
    assert any("tz=Europe/Copenhagen" in path for path in series_requests(sent_requests, "all", "all"))
    assert "Observed" in trace_names(app) and "Forecast (next 24 h)" in trace_names(app)


def test_ranges_are_drawn_and_their_measured_coverage_stated(
    page_on: Callable[[str], None], api_on_fixture_bucket: str
) -> None:
    page_on(api_on_fixture_bucket)
    body = api_series(api_on_fixture_bucket, "1", "111")

    app = open_page({"area": "1", "consumer_type": "111"})

    names = trace_names(app)
    assert "80 % range: 80 % of past errors fall inside" in names
    assert "95 % range: 95 % of past errors fall inside" in names
    interval = body["interval"]
    captions = " ".join(texts(app.caption))
    if interval["coverage_80"] is None:
        assert "too little history" in captions
    else:
        assert f"the 80 % range contained {interval['coverage_80']:.0%}" in captions
        assert f"the 95 % range {interval['coverage_95']:.0%}" in captions
    view = series_view(body)
    peak = view.forecast["kwh"].idxmax()
    peak_row = view.forecast.loc[peak]
    assert metric_values(app)["Peak hour (Danish time)"] == f"{peak:%a %H:%M} {peak.tzname()}"
    assert f"80 % range {peak_row['lower_80']:,.0f} – {peak_row['upper_80']:,.0f} kWh" in captions


def test_utc_link_shows_utc_everywhere(
    page_on: Callable[[str], None], api_on_fixture_bucket: str, sent_requests: list[str]
) -> None:
    page_on(api_on_fixture_bucket)

    app = open_page({"area": "2", "consumer_type": "all", "tz": "utc"})

    assert not app.exception
    assert app.radio(key="zone").value == "UTC"
    assert metric_values(app)["Peak hour (UTC)"].endswith("UTC")
    assert status_line(app).startswith("Forecast for Thu 15 Jun 00:00 UTC – Thu 15 Jun 23:00 UTC · data loaded ")
    assert any("tz=UTC" in path for path in series_requests(sent_requests, "2", "all"))
    assert url_query(app) == {"area": "2", "consumer_type": "all", "tz": "utc"}
    assert metric_values(app)["Forecast, next 24 h"] == forecast_total(
        api_series(api_on_fixture_bucket, "2", "all", tz="UTC")
    )


def test_switching_to_utc_updates_the_link_and_asks_the_api_in_utc(
    page_on: Callable[[str], None], api_on_fixture_bucket: str, sent_requests: list[str]
) -> None:
    page_on(api_on_fixture_bucket)
    app = open_page()

    app.radio(key="zone").set_value("UTC").run()

    assert url_query(app)["tz"] == "utc"
    assert metric_values(app)["Peak hour (UTC)"].endswith("UTC")
    assert any("tz=UTC" in path for path in series_requests(sent_requests, "all", "all"))


def test_changing_the_selection_shows_that_series_and_updates_the_link(
    page_on: Callable[[str], None], api_on_fixture_bucket: str, sent_requests: list[str]
) -> None:
    page_on(api_on_fixture_bucket)
    app = open_page()

    app.selectbox(key="area").select("2")
    app.selectbox(key="consumer_type").select("462")
    app.run()

    assert not app.exception
    assert len(series_requests(sent_requests, "2", "462")) == 1
    assert metric_values(app)["Forecast, next 24 h"] == forecast_total(api_series(api_on_fixture_bucket, "2", "462"))
    assert url_query(app) == {"area": "2", "consumer_type": "462", "tz": "dk"}


def test_going_back_to_a_series_already_seen_does_not_ask_the_api_again(
    page_on: Callable[[str], None], api_on_fixture_bucket: str, sent_requests: list[str]
) -> None:
    page_on(api_on_fixture_bucket)
    app = open_page()
    app.selectbox(key="consumer_type").select("462").run()
    app.selectbox(key="consumer_type").select("all").run()

    assert len(charts(app)) == 1
    assert len(series_requests(sent_requests, "all", "all")) == 1
    assert len([path for path in sent_requests if path.startswith("/api/v2/status")]) == 1


@pytest.mark.parametrize(
    ("query", "notices"),
    [
        ({"area": "9", "consumer_type": "abc"}, ["area `9`", "consumer type `abc`"]),
        ({"area": "DK1", "consumer_type": "12345", "tz": "Mars/Olympus"}, ["area `DK1`", "time zone `Mars/Olympus`"]),
    ],
)
def test_link_with_invalid_values_falls_back_to_the_defaults_with_a_notice(
    page_on: Callable[[str], None], api_on_fixture_bucket: str, query: dict[str, str], notices: list[str]
) -> None:
    page_on(api_on_fixture_bucket)

    app = open_page(query)

    assert not app.exception
    assert app.selectbox(key="area").value == "all"
    assert app.selectbox(key="consumer_type").value == "all"
    assert app.radio(key="zone").value == "Europe/Copenhagen"
    shown = " ".join(texts(app.info))
    for notice in notices:
        assert notice in shown
    assert url_query(app) == {"area": "all", "consumer_type": "all", "tz": "dk"}
    assert len(charts(app)) == 1


def test_link_to_an_area_total_opens_it(page_on: Callable[[str], None], api_on_fixture_bucket: str) -> None:
    page_on(api_on_fixture_bucket)

    app = open_page({"area": "1", "consumer_type": "all"})

    assert app.selectbox(key="area").value == "1"
    assert app.selectbox(key="consumer_type").value == "all"
    assert charts(app)[0]["layout"]["title"]["text"].startswith("DK1 · All consumer types")
    assert metric_values(app)["Forecast, next 24 h"] == forecast_total(api_series(api_on_fixture_bucket, "1", "all"))
    assert not app.info


def test_past_forecasts_are_drawn_over_the_observed_week_on_request(
    page_on: Callable[[str], None], api_on_fixture_bucket: str
) -> None:
    page_on(api_on_fixture_bucket)
    app = open_page({"area": "1", "consumer_type": "111"})
    assert "What the model had predicted for these hours" not in trace_names(app)

    app.toggle(key="past_forecasts").set_value(True).run()

    assert "What the model had predicted for these hours" in trace_names(app)
    assert not app.exception


def test_compare_mode_overlays_consumer_types_and_shows_them_as_shares(
    page_on: Callable[[str], None], api_on_fixture_bucket: str
) -> None:
    page_on(api_on_fixture_bucket)
    app = open_page({"area": "1", "consumer_type": "all"})

    app.toggle(key="compare").set_value(True).run()

    picked = app.multiselect(key="compare_types").value
    assert len(picked) == 3
    legend = [t["name"] for t in charts(app)[0]["data"] if t.get("showlegend") is not False and t.get("name")]
    assert legend[-3:] == picked
    assert not app.metric

    app.toggle(key="compare_share").set_value(True).run()
    assert charts(app)[0]["layout"]["yaxis"]["tickformat"] == ".0%"

    app.radio(key="compare_layout").set_value("small multiples").run()
    assert {"yaxis", "yaxis2", "yaxis3"} <= set(charts(app)[0]["layout"])


def test_compare_mode_shows_both_areas(page_on: Callable[[str], None], api_on_fixture_bucket: str) -> None:
    page_on(api_on_fixture_bucket)
    app = open_page({"area": "all", "consumer_type": "111"})
    app.toggle(key="compare").set_value(True).run()

    app.radio(key="compare_by").set_value("areas").run()

    names = [t.get("name") for t in charts(app)[0]["data"]]
    assert "DK1 (west of the Great Belt)" in names and "DK2 (east)" in names


def test_compare_choices_live_in_the_link_and_a_shared_link_reopens_them(
    page_on: Callable[[str], None], api_on_fixture_bucket: str
) -> None:
    page_on(api_on_fixture_bucket)
    app = open_page({"area": "1", "consumer_type": "all"})
    app.toggle(key="compare").set_value(True).run()
    picked = app.multiselect(key="compare_types").value[:2]
    app.multiselect(key="compare_types").set_value(picked).run()
    app.toggle(key="compare_share").set_value(True).run()
    app.radio(key="compare_layout").set_value("small multiples").run()
    link = app.query_params.to_dict() if hasattr(app.query_params, "to_dict") else dict(app.query_params)
    link = {key: value[0] if isinstance(value, list) else value for key, value in link.items()}
    assert link == {
        "area": "1",
        "consumer_type": "all",
        "tz": "dk",
        "compare": "types",
        "types": ",".join(picked),
        "share": "1",
        "layout": "multiples",
    }

    shared = open_page(link)  # what the receiver of the link sees
    assert shared.toggle(key="compare").value is True
    assert shared.multiselect(key="compare_types").value == picked
    assert shared.toggle(key="compare_share").value is True
    assert shared.radio(key="compare_layout").value == "small multiples"
    assert charts(shared)[0]["layout"]["yaxis"]["tickformat"] == ".0%"
    assert not shared.info and not shared.exception


def test_compare_link_values_without_data_fall_back_with_a_note(
    page_on: Callable[[str], None], api_on_fixture_bucket: str
) -> None:
    page_on(api_on_fixture_bucket)
    app = open_page({"area": "1", "consumer_type": "all", "compare": "types", "types": "99999", "layout": "grid"})
    assert app.toggle(key="compare").value is True
    assert len(app.multiselect(key="compare_types").value) == 3  # the page's default
    notes = " ".join(info.value for info in app.info)
    assert "99999" in notes and "layout `grid`" in notes
    assert charts(app) and not app.exception


def test_data_table_and_csv_are_built_only_when_the_expander_is_open(
    page_on: Callable[[str], None], api_on_fixture_bucket: str
) -> None:
    page_on(api_on_fixture_bucket)
    body = api_series(api_on_fixture_bucket, "1", "111")
    app = open_page({"area": "1", "consumer_type": "111"})

    assert not app.dataframe
    app.session_state["data_behind_chart"] = True
    app.run()

    table = app.dataframe[0].value
    assert len(table) == len(series_view(body).observed) + len(series_view(body).forecast)
    assert table["time"].iloc[0].endswith("CEST")
    assert len(app.get("download_button")) == 1


def test_a_spring_forward_week_has_a_23_hour_day_and_marks_the_holiday(
    page_on: Callable[[str], None], api_on_spring_forward_bucket: str
) -> None:
    page_on(api_on_spring_forward_bucket)
    app = open_page({"area": "1", "consumer_type": "111"})
    app.session_state["data_behind_chart"] = True
    app.run()

    hours_shown = list(app.dataframe[0].value["time"])
    march_29 = [hour for hour in hours_shown if hour.startswith("Sun 29 Mar")]
    assert len(march_29) == 23
    assert "Sun 29 Mar 01:00 CET" in march_29 and "Sun 29 Mar 03:00 CEST" in march_29
    assert not any("02:00" in hour for hour in march_29)
    assert len(hours_shown) == len(set(hours_shown))
    assert "Public holidays in this window: Maundy Thursday (Thursday 2 April)." in " ".join(texts(app.caption))
    assert any("Maundy Thursday" in a["text"] for a in charts(app)[0]["layout"]["annotations"])


def test_a_fall_back_week_shows_the_repeated_hour_twice_with_its_offsets(
    page_on: Callable[[str], None], api_on_fall_back_bucket: str
) -> None:
    page_on(api_on_fall_back_bucket)
    app = open_page({"area": "all", "consumer_type": "all"})
    app.session_state["data_behind_chart"] = True
    app.run()

    october_25 = [hour for hour in app.dataframe[0].value["time"] if hour.startswith("Sun 25 Oct")]
    assert len(october_25) == 25
    assert "Sun 25 Oct 02:00 CEST" in october_25 and "Sun 25 Oct 02:00 CET" in october_25


def test_the_total_and_its_range_are_the_apis(page_on: Callable[[str], None], api_on_fall_back_bucket: str) -> None:
    page_on(api_on_fall_back_bucket)
    api_total = api_series(api_on_fall_back_bucket, "all", "all")["forecast_total"]

    app = open_page({"area": "all", "consumer_type": "all"})

    assert metric_values(app)["Forecast, next 24 h"] == format_kwh(api_total["kwh"])
    expected = f"80 % range {format_range((api_total['lower_80'], api_total['upper_80']))}"
    if api_total["lower_95"] is not None:
        expected += f"; 95 % range {format_range((api_total['lower_95'], api_total['upper_95']))}"
    assert expected in texts(app.caption)


def test_api_down_shows_a_warning_naming_the_url_and_retry_recovers(
    page_on: Callable[[str], None], closed_port_url: str, api_on_fixture_bucket: str
) -> None:
    page_on(closed_port_url)

    app = open_page()

    assert not app.exception
    assert closed_port_url.removesuffix("/v1") + "/v2/status" in app.warning[0].value
    assert not charts(app)

    page_on(api_on_fixture_bucket)
    app.button(key="retry_api").click().run()

    assert not app.warning
    assert len(charts(app)) == 1


def test_a_hung_api_gives_a_warning_after_the_timeout_not_a_traceback(
    page_on: Callable[[str], None], silent_api_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import frontend.data

    monkeypatch.setattr(frontend.data, "REQUEST_TIMEOUT_SECONDS", 0.5)
    page_on(silent_api_url)

    app = open_page()

    assert not app.exception
    assert "/api/v2/status" in app.warning[0].value
    assert "Timeout" in app.warning[0].value
    assert app.title[0].value == "Hourly electricity consumption forecast"
    assert not charts(app)


def test_api_going_down_after_load_warns_in_place_of_the_chart(page_on: Callable[[str], None]) -> None:
    with running_api(BUCKET_PANDAS15) as api_url:
        page_on(api_url)
        app = open_page()
    app.selectbox(key="consumer_type").select("462").run()

    assert not app.exception
    assert app.title[0].value == "Hourly electricity consumption forecast"
    assert "/api/v2/series/all/462" in app.warning[0].value
    assert not charts(app)


def test_without_monitoring_files_the_page_shows_the_forecast_and_says_what_is_missing(
    page_on: Callable[[str], None], tmp_path: Path
) -> None:
    for name in ("X.parquet", "y.parquet", "predictions.parquet"):
        shutil.copy(BUCKET_PANDAS15 / name, tmp_path / name)
    with running_api(tmp_path) as api_url:
        page_on(api_url)
        app = open_page({"area": "1", "consumer_type": "111"})
        app.toggle(key="past_forecasts").set_value(True).run()

    assert not app.exception
    assert len(charts(app)) == 1
    assert "What the model had predicted for these hours" not in trace_names(app)
    assert any("past forecasts are not available" in notice.lower() for notice in texts(app.info))
    assert metric_values(app)["Forecast, next 24 h"] != "—"


def test_pair_without_data_shows_a_message_and_the_page_keeps_working(
    page_on: Callable[[str], None], api_on_fixture_bucket: str
) -> None:
    page_on(api_on_fixture_bucket)
    app = open_page({"area": "2", "consumer_type": "999"})

    if app.selectbox(key="consumer_type").value != "999":
        pytest.skip("999 is not a consumer type of the fixture bucket")
    assert not app.exception
    assert "No observations for DK2 (east) · 999" in app.info[0].value
    assert not charts(app)


def test_demo_data_is_flagged(page_on: Callable[[str], None], api_on_spring_forward_bucket: str) -> None:
    page_on(api_on_spring_forward_bucket)

    app = open_page()

    assert any("Demo data" in markdown.value for markdown in app.markdown)
    assert len(charts(app)) == 1
