"""The forecast page in Streamlit's AppTest: selection, deep links, API down, no data, caching."""

import pytest
from frontend.keyfigures import format_kwh, key_figures
from frontend.series import forecast_series
from frontend_fakes import MAIN_SCRIPT, FakeApi, golden
from streamlit.testing.v1 import AppTest


def open_page(query: dict[str, str] | None = None) -> AppTest:
    app = AppTest.from_file(str(MAIN_SCRIPT), default_timeout=30)
    for name, value in (query or {}).items():
        app.query_params[name] = value
    return app.run()


def charts(app: AppTest) -> list:
    return app.get("plotly_chart")


def metric_values(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def url_query(app: AppTest) -> dict[str, str]:
    return {name: app.query_params[name] for name in app.query_params}


def forecast_total(body_name: str) -> str:
    series = forecast_series(golden(body_name))
    return format_kwh(key_figures(series.observed, series.forecast).forecast_total_kwh)


def test_page_opens_on_the_first_series_and_puts_it_in_the_url(fake_api: FakeApi) -> None:
    app = open_page()

    assert not app.exception
    assert app.title[0].value == "Hourly electricity consumption forecast"
    assert app.selectbox(key="area").value == 1
    assert app.selectbox(key="area").options == ["DK1 (west of the Great Belt)", "DK2 (east)"]
    assert app.selectbox(key="consumer_type").value == 111
    assert len(charts(app)) == 1
    assert metric_values(app)["Forecast, next 24 h"] == forecast_total("predictions_1_111.json")
    assert url_query(app) == {"area": "1", "consumer_type": "111"}
    assert "Forecast for 15 Jun 2023 00:00 – 23:00 UTC · data loaded 1 min ago" in [c.value for c in app.caption]


def test_changing_the_selection_shows_that_series_and_updates_the_url(fake_api: FakeApi) -> None:
    app = open_page()

    app.selectbox(key="area").select(2)
    app.selectbox(key="consumer_type").select(462)
    app.run()

    assert not app.exception
    assert fake_api.count("predictions/2/462") == 1
    assert metric_values(app)["Forecast, next 24 h"] == forecast_total("predictions_2_462.json")
    assert metric_values(app)["Forecast, next 24 h"] != forecast_total("predictions_1_111.json")
    assert url_query(app) == {"area": "2", "consumer_type": "462"}


def test_going_back_to_a_series_already_seen_does_not_ask_the_api_again(fake_api: FakeApi) -> None:
    app = open_page()
    app.selectbox(key="consumer_type").select(462).run()
    app.selectbox(key="area").select(2).run()
    app.selectbox(key="area").select(1).run()
    app.selectbox(key="consumer_type").select(111).run()

    assert len(charts(app)) == 1
    assert fake_api.count("predictions/1/111") == 1
    assert fake_api.count("freshness") == 1
    assert fake_api.count("area_values") == 1


def test_deep_link_opens_that_series(fake_api: FakeApi) -> None:
    app = open_page({"area": "2", "consumer_type": "462"})

    assert not app.exception
    assert app.selectbox(key="area").value == 2
    assert app.selectbox(key="consumer_type").value == 462
    assert fake_api.count("predictions/1/111") == 0
    assert metric_values(app)["Forecast, next 24 h"] == forecast_total("predictions_2_462.json")
    assert not app.info


@pytest.mark.parametrize(("area", "consumer_type"), [("9", "abc"), ("DK1", "12345")])
def test_deep_link_with_invalid_values_falls_back_to_the_first_options_with_a_notice(
    fake_api: FakeApi, area: str, consumer_type: str
) -> None:
    app = open_page({"area": area, "consumer_type": consumer_type})

    assert not app.exception
    assert app.selectbox(key="area").value == 1
    assert app.selectbox(key="consumer_type").value == 111
    notices = [info.value for info in app.info]
    assert any(f"area `{area}`" in notice and "DK1 (west of the Great Belt)" in notice for notice in notices)
    assert any(f"consumer type `{consumer_type}`" in notice for notice in notices)
    assert url_query(app) == {"area": "1", "consumer_type": "111"}
    assert len(charts(app)) == 1


def test_area_0_is_a_real_choice_and_gets_plotted(fake_api: FakeApi) -> None:
    fake_api.bodies["area_values"] = (200, {"values": [2, 0, 1]})
    fake_api.bodies["predictions/0/111"] = (200, golden("predictions_1_111.json"))

    app = open_page()

    assert app.selectbox(key="area").value == 0
    assert app.selectbox(key="area").options[0] == "DK (all Denmark)"
    assert fake_api.count("predictions/0/111") == 1
    assert len(charts(app)) == 1


def test_api_down_shows_a_warning_naming_the_url_and_retry_recovers(fake_api: FakeApi) -> None:
    fake_api.down = True

    app = open_page()

    assert not app.exception
    assert "http://api.test:8001/api/v1/freshness" in app.warning[0].value
    # Once through the fake session: the one retry is the transport's (urllib3's Retry under the
    # session), below what this fake replaces; tests/common/test_common_client.py covers it.
    assert fake_api.count("freshness") == 1
    assert not charts(app)

    fake_api.down = False
    app.button(key="retry_api").click().run()

    assert not app.warning
    assert len(charts(app)) == 1


def test_api_going_down_after_load_warns_in_place_of_the_chart(fake_api: FakeApi) -> None:
    app = open_page()
    fake_api.down = True

    app.selectbox(key="consumer_type").select(462).run()

    assert not app.exception
    assert app.title[0].value == "Hourly electricity consumption forecast"
    assert "http://api.test:8001/api/v1/predictions/1/462" in app.warning[0].value
    assert not charts(app)


def test_pair_without_data_shows_a_message_and_the_page_keeps_working(fake_api: FakeApi) -> None:
    app = open_page({"area": "2", "consumer_type": "999"})

    assert not app.exception
    assert "No observations for DK2 (east), consumer type 999" in app.info[0].value
    assert not charts(app)
    assert not app.metric

    app.selectbox(key="consumer_type").select(462).run()

    assert len(charts(app)) == 1


def test_no_series_at_all_says_so(fake_api: FakeApi) -> None:
    fake_api.bodies["area_values"] = (200, {"values": []})

    app = open_page()

    assert not app.exception
    assert "no series yet" in app.info[0].value
    assert not app.selectbox


def test_demo_data_and_stale_snapshot_are_flagged(fake_api: FakeApi) -> None:
    status, freshness = fake_api.bodies["freshness"]
    fake_api.bodies["freshness"] = (status, {**freshness, "is_demo": True, "stale": True})

    app = open_page()

    assert any("Demo data" in markdown.value for markdown in app.markdown)
    assert "not been able to refresh" in app.warning[0].value
    assert len(charts(app)) == 1


def test_data_table_and_csv_are_built_only_when_the_expander_is_open(fake_api: FakeApi) -> None:
    app = open_page()

    assert not app.dataframe
    assert not app.get("download_button")

    app.session_state["data_behind_chart"] = True
    app.run()

    assert len(app.dataframe[0].value) == 192
    assert len(app.get("download_button")) == 1
