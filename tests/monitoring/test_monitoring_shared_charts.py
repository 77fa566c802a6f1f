"""The monitoring charts shared across sessions (once per data version and choices) are the charts
the page drew directly before: the same JSON and text alternative, on the real API's answers.

The direct path is the page's code before the charts were shared (issue 24): the figure functions
on the page data, serialised with `chart_data`.
"""

import pytest
from dashboard_common.charts import chart_data
from dashboard_common.i18n import DANISH, ENGLISH
from monitoring import breakdown
from monitoring.aggregate import hour_of_day_frame, hourly_overview, trailing_day
from monitoring.clock import DANISH_TIME, UTC
from monitoring.descriptions import heatmap_description, hour_of_day_description, hourly_description
from monitoring.figures import heatmap_figure, hour_of_day_figure, hourly_figure
from monitoring.measures import BIAS, MAPE, WAPE
from monitoring.state import page_data, view_choice
from monitoring.views import shared_heatmap_chart, shared_hour_of_day_chart, shared_hourly_chart

URL = "http://api"


def page_in(api, language: str, zone: str):
    status = api.answer("/api/v2/status")[1]
    query = "" if zone == UTC else "?tz=Europe/Copenhagen"
    summary = api.answer(f"/api/v2/monitoring/summary{query}")[1]
    hourly = api.answer(f"/api/v2/monitoring/hourly{query}")[1]
    return page_data(URL, status, status["data_version"], summary, hourly, {}, language, zone)


@pytest.mark.parametrize("language", [ENGLISH, DANISH])
@pytest.mark.parametrize("zone", [UTC, DANISH_TIME])
def test_shared_monitoring_charts_are_the_directly_built_ones(fixture_api, language: str, zone: str) -> None:
    page = page_in(fixture_api, language, zone)
    for measure, threshold in ((WAPE, 7.5), (BIAS, 3.0)):
        values = page.frame[measure.field]
        overview = hourly_overview(values, measure, threshold)
        direct = chart_data(hourly_figure(values, measure, threshold, trailing_day(page.frame, measure), language))
        text = hourly_description(values, measure, threshold, overview, language)
        for _round in range(2):  # built, then from the cache
            args = (URL, page.version, zone, language, measure.label, threshold, page)
            assert shared_hourly_chart(*args) == (direct, text)

    query = "" if zone == UTC else "?tz=Europe/Copenhagen"
    profile = hour_of_day_frame(fixture_api.answer(f"/api/v2/monitoring/hour_of_day{query}")[1])
    direct = chart_data(hour_of_day_figure(profile, zone, language)), hour_of_day_description(profile, zone, language)
    for _round in range(2):
        assert shared_hour_of_day_chart(URL, page.version, zone, language, profile) == direct

    for rank, threshold in ((MAPE, 7.5), (WAPE, 20.0)):
        ranked = view_choice(page, threshold, WAPE.label, rank.label).ranked
        matrix = breakdown.heatmap_matrix(ranked, rank)
        figure = heatmap_figure(matrix, rank, threshold, language, breakdown.beyond_cells(ranked))
        direct = chart_data(figure), heatmap_description(matrix, rank, language)
        for _round in range(2):
            assert shared_heatmap_chart(URL, page.version, zone, language, rank.label, threshold, ranked) == direct
