"""The monitoring page in `AppTest`, against the real API in-process (see `inprocess_api`).

Each test names the state of the API (down, no monitoring data yet, a series with figures that
cannot be computed) or of the link (threshold, series) and checks what the page shows, never a
traceback. Expected numbers are read from the same API's answers, never written down by hand.
"""

import base64

import numpy as np
import pytest
import requests
from buckets import ALL_ZERO, GAP_HOURS, SHORT, WITH_GAP
from devtools.apptest import plotly_figures
from inprocess_api import API_URL
from monitoring.links import BY_SERIES, ONE_SERIES, OVER_TIME
from monitoring.measures import ALL_MEASURES, BIAS, COVERAGE_80, MAPE, MASE, WAPE
from streamlit.proto.Metric_pb2 import Metric

SUMMARY = "/api/v2/monitoring/summary"
HOURLY = "/api/v2/monitoring/hourly"
STATUS = "/api/v2/status"
# Only the open view is drawn; its charts' titles start with these.
VIEW_CHARTS = {
    OVER_TIME: ["WAPE over all series, per hour", "Error by hour of day"],
    BY_SERIES: ["WAPE by consumer type and area"],
    ONE_SERIES: [" · consumer type "],  # the series (with its error distribution)
}


def charts(app_test) -> list[dict]:
    """The Plotly figures on the page, top to bottom, as the JSON the browser receives."""
    return plotly_figures(app_test)


def chart_titled(app_test, start: str) -> dict:
    (chart,) = [figure for figure in charts(app_test) if figure["layout"]["title"]["text"].startswith(start)]
    return chart


def series_chart(app_test) -> dict:
    (chart,) = [figure for figure in charts(app_test) if " · consumer type " in figure["layout"]["title"]["text"]]
    return chart


def array(values: list | dict) -> np.ndarray:
    """A trace's values; Plotly sends numeric arrays as base64 typed arrays."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return np.array(values, dtype=float)


def chart_titles(app_test) -> list[str]:
    return [figure["layout"]["title"]["text"] for figure in charts(app_test)]


def shows_view(app_test, view: str) -> bool:
    """The page draws that view's charts, and no other view's."""
    titles = chart_titles(app_test)
    return len(titles) == len(VIEW_CHARTS[view]) and all(
        part in title for part, title in zip(VIEW_CHARTS[view], titles, strict=True)
    )


def open_view(app_test, view: str):
    """Choose a view, as a click on it does: the chooser's state, and the URL the browser sends back."""
    app_test.session_state["view"] = view
    app_test.query_params.pop("view", None)  # AppTest sends its own query on every run
    return app_test.run()


def metrics(app_test) -> list[tuple[str, str]]:
    return [(metric.label, metric.value) for metric in app_test.metric]


def texts(elements) -> str:
    return "\n".join(str(element.value) for element in elements)


def worst_by_wape(summary: dict) -> tuple[int, int]:
    entry = max((e for e in summary["series"] if e["wape"] is not None), key=lambda e: e["wape"])
    return entry["area"], entry["consumer_type"]


def shown_text(field: str, fraction: float | None) -> str:
    """How the page writes an API figure, stated here rather than taken from `Measure.text`:
    percent with two decimals, a sign on bias only, MASE as a plain ratio, a dash when unknown."""
    if fraction is None:
        return "–"
    if field == "mase":
        return f"{fraction:.2f}"
    return f"{fraction * 100:+.2f} %" if field == "bias" else f"{fraction * 100:.2f} %"


def series_path(series: tuple[int, int]) -> str:
    return f"/api/v2/monitoring/series/{series[0]}/{series[1]}"


def test_api_down_shows_a_warning_naming_the_url_and_a_retry_button(app, page_api):
    page_api.injected[STATUS] = requests.ConnectionError("connection refused")
    page = app().run()
    assert not page.exception
    assert f"{API_URL}/api/v2/status?tz=UTC" in texts(page.warning)
    assert [button.label for button in page.button] == ["Retry"]
    assert not plotly_figures(page)


def test_an_address_naming_api_v1_still_works_and_the_page_asks_only_v2(app, page_api, monkeypatch):
    monkeypatch.setenv("APP_MONITORING_API_URL", f"{API_URL}/api/v1")  # as deployments were configured
    page = app().run()
    assert not page.exception
    assert shows_view(page, OVER_TIME)
    assert "/api/v2/status?tz=UTC" in page_api.requested
    assert all(path.startswith("/api/v2/") for path in page_api.requested)


def test_retry_asks_the_api_again_and_shows_the_page_once_it_is_back(app, page_api):
    page_api.injected[STATUS] = requests.ConnectionError("connection refused")
    page = app().run()
    del page_api.injected[STATUS]
    page.button[0].click().run()
    assert not page.exception
    assert not page.warning
    assert shows_view(page, OVER_TIME)


def test_no_monitoring_data_yet_is_explained_with_the_apis_reason(app, serve_page, no_monitoring_api):
    serve_page(no_monitoring_api)
    status, body = no_monitoring_api.answer(SUMMARY)
    assert status == 503
    page = app().run()
    assert not page.exception
    assert "No monitoring data to show yet" in texts(page.info)
    assert body["detail"] in texts(page.info)
    assert "data loaded" in texts(page.caption)
    assert not page.warning
    assert not plotly_figures(page)


def test_headline_figures_are_the_apis_last_7_days_with_the_change_since_the_7_before(app, page_api):
    summary = page_api.answer(SUMMARY)[1]
    last, before = summary["periods"]["last_7d"]["overall"], summary["periods"]["previous_7d"]["overall"]
    page = app().run()
    assert not page.exception
    headline = page.metric[: len(ALL_MEASURES)]
    assert [metric.label for metric in headline] == [measure.label for measure in ALL_MEASURES]
    for metric, measure in zip(headline, ALL_MEASURES, strict=True):
        assert metric.value == shown_text(measure.field, last[measure.field])
        factor = 1 if measure is MASE else 100
        moved = (last[measure.field] - before[measure.field]) * factor
        assert metric.proto.delta.startswith(f"{moved:+.2f}")
        # Red for worse: an error or MASE up, coverage down; a bias change is neither.
        worse = moved < 0 if measure.target is not None else moved > 0
        expected = "GRAY" if measure is BIAS else ("RED" if worse else "GREEN")
        assert Metric.MetricColor.Name(metric.proto.color) == expected


def test_page_says_what_each_figure_means_and_when_mape_misleads(app):
    page = app().run()
    explained = texts(page.markdown) + texts(page.caption)
    for measure in ALL_MEASURES:
        assert f"**{measure.label}**: {measure.meaning}" in explained
    assert "When MAPE misleads" in explained


def test_this_week_against_last_week_table_shows_the_apis_periods(app, page_api):
    summary = page_api.answer(SUMMARY)[1]
    page = app().run()
    table = page.table[0].value
    last_7d = summary["periods"]["last_7d"]["overall"]
    assert table.loc[WAPE.unit_label, "Last 7 days"] == f"{last_7d['wape'] * 100:.2f}"
    assert table.loc[BIAS.unit_label, "Same 24 h a week earlier"] == (
        f"{summary['periods']['week_before']['overall']['bias'] * 100:.2f}"
    )


def test_the_aggregated_chart_shows_the_chosen_figure_per_hour(app, page_api):
    hours = page_api.answer(HOURLY)[1]["hours"]
    page = app().run()
    assert chart_titled(page, "WAPE over all series")
    page.radio(key="chart_measure").set_value("Bias").run()
    assert not page.exception
    chart = chart_titled(page, "Bias over all series, per hour")
    drawn = array(chart["data"][0]["y"])
    assert drawn[0] == pytest.approx(hours[0]["bias"] * 100)
    assert len(drawn) == len(hours)
    assert chart_titled(page, "Error by hour of day")


def test_threshold_from_the_url_sets_the_input_the_line_and_the_share_beyond(app, page_api):
    wape = np.array([row["wape"] * 100 for row in page_api.answer(HOURLY)[1]["hours"]])
    threshold = float(np.round(np.median(wape), 1))
    page = app(threshold=f"{threshold:g}").run()
    assert not page.exception
    assert page.number_input(key="threshold").value == threshold
    share = dict(metrics(page))["Hours beyond threshold"]
    assert share == f"{(wape > threshold).mean() * 100:.0f} %"
    chart = chart_titled(page, "WAPE over all series")
    assert [(shape["y0"], shape["y1"]) for shape in chart["layout"]["shapes"]] == [(threshold, threshold)]
    assert not page.warning


@pytest.mark.parametrize("threshold", ["ten", "-1", "0"])
def test_unusable_threshold_in_the_url_falls_back_to_10_percent_with_a_notice(app, threshold):
    page = app(threshold=threshold).run()
    assert not page.exception
    assert page.number_input(key="threshold").value == 10.0
    assert f"threshold `{threshold}`" in texts(page.warning)
    assert page.query_params["threshold"] == "10"


def test_the_page_opens_on_the_view_over_time_and_draws_no_other_view(app):
    page = app().run()
    assert not page.exception
    assert page.button_group(key="view").options == [OVER_TIME, BY_SERIES, ONE_SERIES]
    assert page.button_group(key="view").value == OVER_TIME
    assert shows_view(page, OVER_TIME)
    assert not page.dataframe and not page.selectbox


@pytest.mark.parametrize("view", [BY_SERIES, ONE_SERIES])
def test_a_link_opens_its_view_and_a_click_the_others(app, view):
    page = app(view=view).run()
    assert not page.exception and not page.warning
    assert shows_view(page, view)
    for other in (OVER_TIME, BY_SERIES, ONE_SERIES):
        assert shows_view(open_view(page, other), other)
        assert not page.exception


def test_unknown_view_in_the_link_opens_the_first_with_a_notice(app):
    page = app(view="Everything").run()
    assert not page.exception
    assert shows_view(page, OVER_TIME)
    assert "view `Everything` is not one of Over time, By series, One series" in texts(page.warning)


def test_the_worst_series_by_wape_is_shown_by_default_and_ranking_follows_the_chosen_figure(app, page_api):
    summary = page_api.answer(SUMMARY)[1]
    page = app(view=ONE_SERIES).run()
    assert page.selectbox(key="series").value == worst_by_wape(summary)
    assert page.query_params["area"] == str(worst_by_wape(summary)[0])
    page = open_view(page, BY_SERIES)
    assert page.dataframe[0].value[WAPE.unit_label].iloc[0] == pytest.approx(
        max(e["wape"] for e in summary["series"] if e["wape"] is not None) * 100
    )
    page.radio(key="rank_measure").set_value(COVERAGE_80.label).run()
    assert not page.exception
    table = page.dataframe[0].value
    lowest = min(e["coverage_80"] for e in summary["series"] if e["coverage_80"] is not None)
    assert table[COVERAGE_80.unit_label].iloc[0] == pytest.approx(lowest * 100)
    assert chart_titled(page, "Coverage 80 % by consumer type and area")


def test_the_chosen_figures_live_in_the_link_and_a_shared_link_reopens_them(app):
    page = app().run()
    assert "rank" not in page.query_params and "figure" not in page.query_params  # defaults stay out
    page.radio(key="chart_measure").set_value(MAPE.label).run()
    page = open_view(page, BY_SERIES)  # the hourly figure's radio is not drawn here, its choice stays
    page.radio(key="rank_measure").set_value(BIAS.label).run()
    assert (page.query_params["rank"], page.query_params["figure"]) == ("bias", "mape")
    assert open_view(page, OVER_TIME).radio(key="chart_measure").value == MAPE.label
    assert page.query_params["rank"] == "bias"

    shared = app(**{key: page.query_params[key] for key in page.query_params}).run()
    assert shared.radio(key="chart_measure").value == MAPE.label
    assert chart_titled(shared, "MAPE over all series")
    shared = open_view(shared, BY_SERIES)
    assert shared.radio(key="rank_measure").value == BIAS.label
    assert chart_titled(shared, "Bias by consumer type and area")
    assert not shared.warning and not shared.exception


def test_unknown_figures_in_the_link_fall_back_with_notices(app):
    page = app(rank="accuracy", figure="coverage_80").run()  # coverage has no hourly series
    assert page.radio(key="chart_measure").value == WAPE.label
    warnings = texts(page.warning)
    assert open_view(page, BY_SERIES).radio(key="rank_measure").value == WAPE.label
    assert "ranking figure `accuracy`" in warnings and "hourly figure `coverage_80`" in warnings
    assert not page.exception


def test_series_from_the_url_is_selected_and_its_figures_are_the_apis(app, page_api):
    summary = page_api.answer(SUMMARY)[1]
    entry = next(e for e in summary["series"] if (e["area"], e["consumer_type"]) == (1, 111))
    page = app(view=ONE_SERIES, area="1", consumer_type="111").run()
    assert not page.exception
    assert page.selectbox(key="series").value == (1, 111)
    assert series_chart(page)["layout"]["title"]["text"].startswith("DK1 (west of the Great Belt)")
    detail = metrics(page)[-(len(ALL_MEASURES) + 1) :]
    assert detail[:-1] == [(measure.label, shown_text(measure.field, entry[measure.field])) for measure in ALL_MEASURES]
    assert detail[-1] == ("Hours compared", str(entry["hours_compared"]))
    (distribution,) = [trace for trace in series_chart(page)["data"] if trace["name"] == "error distribution"]
    assert len(array(distribution["y"])) == entry["hours_compared"]


def test_unknown_series_in_the_url_falls_back_to_the_worst_with_a_notice(app, page_api):
    page = app(view=ONE_SERIES, area="2", consumer_type="998").run()
    assert not page.exception
    assert page.selectbox(key="series").value == worst_by_wape(page_api.answer(SUMMARY)[1])
    assert "no monitoring data for DK2 (east), consumer type 998" in texts(page.warning)


def test_series_detail_shades_what_the_api_awaits_and_reports_the_gap_as_missing(app, serve_page, edge_api):
    serve_page(edge_api)
    body = edge_api.answer(series_path(WITH_GAP))[1]
    awaited = sum(row["awaiting_observation"] for row in body["hours"])
    page = app(view=ONE_SERIES, area=str(WITH_GAP[0]), consumer_type=str(WITH_GAP[1])).run()
    assert not page.exception
    figure = series_chart(page)
    assert f"{awaited} h awaiting observations" in figure["layout"]["title"]["text"]
    assert len([shape for shape in figure["layout"]["shapes"] if shape["type"] == "rect"]) == 2
    assert f"{len(GAP_HOURS)} hours inside the window have no observation" in texts(page.caption)


def test_figures_that_cannot_be_computed_show_a_dash_and_the_rest_of_the_page(app, serve_page, edge_api):
    serve_page(edge_api)
    page = app(view=ONE_SERIES, area=str(ALL_ZERO[0]), consumer_type=str(ALL_ZERO[1])).run()
    assert not page.exception
    detail = dict(metrics(page)[-(len(ALL_MEASURES) + 1) :])
    assert detail["MAPE"] == detail["WAPE"] == detail["Bias"] == "–"
    assert shows_view(page, ONE_SERIES)
    page = app(view=ONE_SERIES, area=str(SHORT[0]), consumer_type=str(SHORT[1])).run()
    assert dict(metrics(page)[-(len(ALL_MEASURES) + 1) :])["MASE"] == "–"


def test_choosing_another_series_redraws_the_detail_and_updates_the_link(app):
    page = app(view=ONE_SERIES).run()
    page.selectbox(key="series").set_value((1, 111)).run()
    assert not page.exception
    assert series_chart(page)["layout"]["title"]["text"].startswith("DK1")
    assert page.query_params["area"] == "1"
    assert page.query_params["consumer_type"] == "111"


def test_series_the_api_no_longer_knows_is_reported_not_raised(app, page_api):
    page_api.injected[series_path((1, 111))] = page_api.answer(series_path((2, 998)))
    assert page_api.injected[series_path((1, 111))][0] == 404
    page = app(view=ONE_SERIES, area="1", consumer_type="111").run()
    assert not page.exception
    assert "no monitoring data for DK1 (west of the Great Belt)" in texts(page.info)
    assert not plotly_figures(page)
    assert shows_view(open_view(page, OVER_TIME), OVER_TIME)


def test_series_request_failing_keeps_the_rest_of_the_page(app, page_api):
    page_api.injected[series_path((1, 111))] = requests.Timeout("read timed out")
    page = app(view=ONE_SERIES, area="1", consumer_type="111").run()
    assert not page.exception
    assert "monitoring/series/1/111" in texts(page.warning)
    assert not plotly_figures(page)
    assert shows_view(open_view(page, BY_SERIES), BY_SERIES)


def test_answers_are_cached_between_reruns(app, page_api):
    page = app().run()
    asked = len(page_api.requested)
    page.number_input(key="threshold").set_value(5.0).run()
    assert not page.exception
    assert len(page_api.requested) == asked
    chart = chart_titled(page, "WAPE over all series")
    assert [(shape["y0"], shape["y1"]) for shape in chart["layout"]["shapes"]] == [(5.0, 5.0)]
