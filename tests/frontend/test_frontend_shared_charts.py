"""The charts shared across sessions (once per data version and choices) are the charts the page drew
directly before: the same JSON, text alternative and holidays, on the real API's answers.

The direct path here is the page's code before the charts were shared (issue 24): `series_view` of
the API's body, `forecast_figure` with the holidays and past forecasts, `chart_data` of it.
"""

import pytest
from dashboard_common.charts import chart_data
from dashboard_common.i18n import DANISH, ENGLISH, translator
from frontend import data
from frontend.choices import DANISH_TIME, UTC, area_short_label, consumer_type_choice_label, zone_label
from frontend.describe import compare_chart_text, forecast_chart_text
from frontend.figures import CompareMember, compare_figure, forecast_figure, share_of_weekly_mean
from frontend.series import past_forecast, series_view
from frontend.views import _holidays, shared_compare_chart, shared_forecast_chart, shared_view


@pytest.fixture(scope="module")
def api(api_on_fixture_bucket: str) -> tuple[str, str, list[tuple[str, str]]]:
    """(the API's URL as the page uses it, its data version, two series it serves)."""
    version = data.status(api_on_fixture_bucket)["data_version"]
    listed = data.series_list(api_on_fixture_bucket, version)
    pairs = [(str(row["area"]), str(row["consumer_type"])) for row in listed][:2]
    assert len(pairs) == 2, listed
    return api_on_fixture_bucket, version, pairs


@pytest.mark.parametrize("language", [ENGLISH, DANISH])
@pytest.mark.parametrize("zone", [DANISH_TIME, UTC])
@pytest.mark.parametrize("with_past", [False, True])
def test_shared_forecast_chart_is_the_directly_built_one(
    api: tuple[str, str, list[tuple[str, str]]], language: str, zone: str, with_past: bool
) -> None:
    api_url, version, pairs = api
    area, consumer_type = pairs[0]
    _ = translator(language, "frontend")
    body = data.series(api_url, area, consumer_type, zone, version)
    direct_view = series_view(body)
    past = None
    if with_past:
        monitoring = data.monitoring_series(api_url, area, consumer_type, zone, version)
        assert monitoring and monitoring.get("hours"), "the fixture bucket has past forecasts"
        past = past_forecast(monitoring, zone)
    title = f"{area_short_label(area, _)} · {consumer_type_choice_label(consumer_type, _)}"
    holidays = _holidays(direct_view, language)
    direct = chart_data(
        forecast_figure(
            direct_view, title, zone_label(zone, _), holidays=holidays, past_forecast=past, _=_, language=language
        )
    )
    direct_text = forecast_chart_text(direct_view, title, _, language)

    view = shared_view(api_url, area, consumer_type, zone, version)
    assert view is shared_view(api_url, area, consumer_type, zone, version), "one view per process, not a copy"
    for _round in range(2):  # built, then from the cache
        shared = shared_forecast_chart(api_url, area, consumer_type, zone, version, language, with_past, view, past)
        assert shared.chart == direct
        assert shared.text == direct_text
        assert list(shared.holidays) == holidays
    # Drawing did not change the shared view: the same chart again, built from it directly.
    assert (
        chart_data(
            forecast_figure(
                view, title, zone_label(zone, _), holidays=holidays, past_forecast=past, _=_, language=language
            )
        )
        == direct
    )
    assert view.has_ranges == direct_view.has_ranges


def test_shared_forecast_chart_keys_on_every_choice(api: tuple[str, str, list[tuple[str, str]]]) -> None:
    """A chart of one choice is never served for another (series, zone, language, past shown or not)."""
    api_url, version, pairs = api
    charts = set()
    for area, consumer_type in pairs:
        for zone in (DANISH_TIME, UTC):
            view = shared_view(api_url, area, consumer_type, zone, version)
            past = past_forecast(data.monitoring_series(api_url, area, consumer_type, zone, version), zone)
            for language in (ENGLISH, DANISH):
                for with_past in (False, True):
                    shared = shared_forecast_chart(
                        api_url, area, consumer_type, zone, version, language, with_past, view, past
                    )
                    charts.add(shared.chart.json)
    assert len(charts) == len(pairs) * 2 * 2 * 2


@pytest.mark.parametrize("as_share", [False, True])
@pytest.mark.parametrize("small_multiples", [False, True])
def test_shared_compare_chart_is_the_directly_built_one(
    api: tuple[str, str, list[tuple[str, str]]], as_share: bool, small_multiples: bool
) -> None:
    api_url, version, pairs = api
    language, zone = DANISH, DANISH_TIME
    _ = translator(language, "frontend")
    members = []
    for area, consumer_type in pairs:
        view = series_view(data.series(api_url, area, consumer_type, zone, version))
        members.append(CompareMember(consumer_type_choice_label(consumer_type, _), view.observed, view.forecast["kwh"]))
    title = "Sammenligning"
    direct = chart_data(
        compare_figure(
            members,
            title,
            zone_label(zone, _),
            as_share=as_share,
            small_multiples=small_multiples,
            _=_,
            language=language,
        )
    )
    forecasts = [m.forecast for m in members]
    if as_share:
        forecasts = [share_of_weekly_mean(m.observed, m.forecast)[1] for m in members]
    direct_text = compare_chart_text([m.label for m in members], forecasts, title, as_share, _, language)
    for _round in range(2):
        chart, text = shared_compare_chart(
            api_url, version, language, zone, tuple(pairs), False, title, as_share, small_multiples, members
        )
        assert chart == direct
        assert text == direct_text
