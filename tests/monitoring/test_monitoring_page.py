"""The monitoring page in `AppTest` states, with the HTTP layer of the shared client faked.

Each test names the state of the API (down, no monitoring data yet, a series with nothing observed)
or of the link (threshold, series) and checks what the page shows, never a traceback.
"""

import base64
import json

import monitoring_canned as canned
import numpy as np
import pytest
import requests
from monitoring_fakes import API_URL

NOT_YET = (503, {"detail": "Monitoring data is not available yet: predictions_monitoring.parquet is missing"})


def charts(app_test) -> list[dict]:
    """The Plotly figures on the page, top to bottom, as the JSON the browser receives."""
    return [json.loads(chart.proto.spec) for chart in app_test.get("plotly_chart")]


def series_chart(app_test) -> dict:
    (chart,) = [figure for figure in charts(app_test) if " · consumer type " in figure["layout"]["title"]["text"]]
    return chart


def array(values: list | dict) -> np.ndarray:
    """A trace's values; Plotly sends numeric arrays as base64 typed arrays."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return np.array(values, dtype=float)


def metric_values(app_test) -> dict[str, str]:
    return {metric.label: metric.value for metric in app_test.metric}


def texts(elements) -> str:
    return "\n".join(str(element.value) for element in elements)


def test_api_down_shows_a_warning_naming_the_url_and_a_retry_button(app, fake_api):
    fake_api.answers = {"freshness": requests.ConnectionError("connection refused")}
    page = app().run()
    assert not page.exception
    assert f"{API_URL}/freshness" in texts(page.warning)
    assert [button.label for button in page.button] == ["Retry"]
    assert not page.get("plotly_chart")


def test_retry_asks_the_api_again_and_shows_the_page_once_it_is_back(app, fake_api):
    healthy = dict(fake_api.answers)
    fake_api.answers = {"freshness": requests.ConnectionError("connection refused")}
    page = app().run()
    fake_api.answers = healthy
    page.button[0].click().run()
    assert not page.exception
    assert not page.warning
    assert len(page.get("plotly_chart")) == 3


def test_no_monitoring_data_yet_is_explained_below_the_freshness_line(app, fake_api):
    fake_api.answers["freshness"] = (200, canned.freshness(monitoring_available=False))
    fake_api.answers["monitoring/metrics"] = NOT_YET
    fake_api.answers["monitoring/summary"] = NOT_YET
    page = app().run()
    assert not page.exception
    assert "data loaded 42 s ago" in texts(page.caption)
    assert "No monitoring data to show yet" in texts(page.info)
    assert "predictions_monitoring.parquet is missing" in texts(page.info)
    assert not page.warning
    assert not page.get("plotly_chart")


def test_page_shows_key_figures_three_charts_and_the_worst_series_by_default(app):
    page = app().run()
    assert not page.exception
    figures = metric_values(page)
    assert figures["Latest MAPE"] == "3.95 %"
    assert figures["Mean over the window"] == "3.85 %"
    assert figures["Worst hour"] == "4.94 %"
    assert figures["Hours above threshold"] == "0%"
    assert "Monitoring window 01 Jun 2023 00:00 – 15 Jun 2023 23:00 UTC" in texts(page.caption)
    assert len(charts(page)) == 3
    assert page.selectbox(key="series").value == (2, 462)
    assert page.query_params["area"] == "2"
    assert page.query_params["consumer_type"] == "462"


def test_threshold_from_the_url_sets_the_input_the_line_and_the_share_above(app):
    page = app(threshold="4").run()
    assert not page.exception
    assert page.number_input(key="threshold").value == 4.0
    assert metric_values(page)["Hours above threshold"] == "32%"
    mape_chart = charts(page)[0]
    assert [(shape["y0"], shape["y1"]) for shape in mape_chart["layout"]["shapes"]] == [(4.0, 4.0)]
    marked = [trace for trace in mape_chart["data"] if trace["name"] == "above 4 %"]
    assert len(array(marked[0]["y"])) == 107
    assert array(marked[0]["y"]).min() > 4.0
    assert not page.warning


@pytest.mark.parametrize("threshold", ["ten", "-1", "0"])
def test_unusable_threshold_in_the_url_falls_back_to_10_percent_with_a_notice(app, threshold):
    page = app(threshold=threshold).run()
    assert not page.exception
    assert page.number_input(key="threshold").value == 10.0
    assert f"threshold `{threshold}`" in texts(page.warning)
    assert page.query_params["threshold"] == "10"


def test_changing_the_threshold_updates_the_link_and_clears_the_notice(app):
    page = app(threshold="ten").run()
    page.number_input(key="threshold").set_value(4.5).run()
    assert not page.warning
    assert page.query_params["threshold"] == "4.5"
    assert metric_values(page)["Hours above threshold"] != "0%"


def test_series_from_the_url_is_selected_and_drawn(app):
    page = app(area="1", consumer_type="111").run()
    assert not page.exception
    assert page.selectbox(key="series").value == (1, 111)
    assert series_chart(page)["layout"]["title"]["text"].startswith("DK1 (west of the Great Belt)")
    assert metric_values(page)["Hours compared"] == "336"


def test_unknown_series_in_the_url_falls_back_to_the_worst_with_a_notice(app):
    page = app(area="2", consumer_type="999").run()
    assert not page.exception
    assert page.selectbox(key="series").value == (2, 462)
    assert "no monitoring data for DK2 (east), consumer type 999" in texts(page.warning)


def test_series_without_observations_is_drawn_as_awaiting_not_as_zero(app):
    page = app(area="0", consumer_type="999").run()
    assert not page.exception
    assert page.selectbox(key="series").value == (0, 999)
    assert "all 24 predicted hours are awaiting observations" in texts(page.info)
    figure = series_chart(page)
    assert figure["layout"]["title"]["text"].startswith("DK (all Denmark)")
    assert "awaiting observations" in [annotation["text"] for annotation in figure["layout"]["annotations"]]
    error_trace = next(trace for trace in figure["data"] if trace["name"] == "error")
    assert np.isnan(array(error_trace["y"])).all()
    assert "MAPE" not in metric_values(page)


def test_choosing_another_series_redraws_the_detail_and_updates_the_link(app):
    page = app().run()
    page.selectbox(key="series").set_value((1, 111)).run()
    assert not page.exception
    assert series_chart(page)["layout"]["title"]["text"].startswith("DK1")
    assert page.query_params["area"] == "1"
    assert page.query_params["consumer_type"] == "111"


def test_series_the_api_no_longer_knows_is_reported_not_raised(app, fake_api):
    del fake_api.answers["monitoring/errors/1/111"]
    page = app(area="1", consumer_type="111").run()
    assert not page.exception
    assert "no monitoring data for DK1 (west of the Great Belt)" in texts(page.info)
    assert len(page.get("plotly_chart")) == 2


def test_series_request_failing_keeps_the_rest_of_the_page(app, fake_api):
    fake_api.answers["monitoring/errors/2/462"] = requests.Timeout("read timed out")
    page = app().run()
    assert not page.exception
    assert "monitoring/errors/2/462" in texts(page.warning)
    assert len(page.get("plotly_chart")) == 2


def test_answers_are_cached_between_reruns(app, fake_api):
    page = app().run()
    asked = len(fake_api.requested)
    page.number_input(key="threshold").set_value(5.0).run()
    assert not page.exception
    assert len(fake_api.requested) == asked
    assert [(shape["y0"], shape["y1"]) for shape in charts(page)[0]["layout"]["shapes"]] == [(5.0, 5.0)]
