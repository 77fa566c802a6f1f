"""What the monitoring page shares across sessions once per data version (issue 24) is what it
derived per run before: page data, headline, ranked tables, on the real API's answers.

The direct path is the page's code before the sharing (`page_data`, `headline`, `view_choice`);
the shared one is what the page now runs (`shared_version_data`, `shared_headline`, `shared_view_choice`,
`shared_series`, `shared_series_description`, `shared_series_counts`).
Each is checked on its first call and on a cache hit, and the cache keys on every choice: a shared
result asked with other choices right after is still the directly built one for those choices.
"""

from dataclasses import fields

import pandas as pd
import pytest
import streamlit as st
from dashboard_common.i18n import DANISH, ENGLISH
from inprocess_api import API_URL
from monitoring.aggregate import hour_of_day_frame
from monitoring.clock import DANISH_TIME, UTC
from monitoring.data import shared_hour_of_day, shared_series, shared_series_description, shared_version_data
from monitoring.descriptions import series_description
from monitoring.headline import headline, shared_headline
from monitoring.measures import BIAS, COVERAGE_80, MAPE, WAPE
from monitoring.series import series_frame
from monitoring.state import PageData, page_data, page_from, shared_view_choice, view_choice
from monitoring.views import series_counts, shared_series_counts
from streamlit import dataframe_util

CHOICES = [(language, zone) for language in (ENGLISH, DANISH) for zone in (UTC, DANISH_TIME)]


@pytest.fixture(autouse=True)
def empty_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def answers(api, zone: str) -> tuple[dict, dict, dict]:
    query = "" if zone == UTC else "?tz=Europe/Copenhagen"
    status = api.answer("/api/v2/status")[1]
    summary = api.answer(f"/api/v2/monitoring/summary{query}")[1]
    return status, summary, api.answer(f"/api/v2/monitoring/hourly{query}")[1]


def pages(api, language: str, zone: str, query: dict | None = None) -> tuple[PageData, PageData]:
    """(directly derived from the API's answers, shared as the page loads it through its client)
    page data for the same link; `api` is routed to (`page_api`)."""
    status, summary, hourly = answers(api, zone)
    version = status["data_version"]
    direct = page_data(API_URL, status, version, summary, hourly, query or {}, language, zone)
    shared = shared_version_data(API_URL, version, language, zone)
    return direct, page_from(API_URL, status, version, query or {}, language, zone, shared)


def assert_same(left: object, right: object) -> None:
    if isinstance(left, pd.DataFrame):
        pd.testing.assert_frame_equal(left, right)
    else:
        assert left == right


def assert_same_page(direct: PageData, shared: PageData) -> None:
    for field in fields(PageData):
        if field.name == "params":  # their parsers are closures, equal only in what they do
            described = [[(p.key, p.names, p.default, p.always) for p in page.params] for page in (direct, shared)]
            assert described[0] == described[1]
            continue
        assert_same(getattr(direct, field.name), getattr(shared, field.name))


def test_shared_page_data_is_the_directly_derived_one_for_every_language_and_zone(page_api) -> None:
    for _round in range(2):  # derived, then from the cache
        for language, zone in CHOICES:  # one after another: a key missing the language or zone would hit
            direct, shared = pages(page_api, language, zone, {"view": "By series", "threshold": "12"})
            assert_same_page(direct, shared)
            assert shared.link.values["threshold"] == 12.0


def test_shared_page_data_is_one_object_per_version_with_each_sessions_own_link(page_api) -> None:
    _direct, first = pages(page_api, ENGLISH, UTC, {"view": "One series"})
    _direct, second = pages(page_api, ENGLISH, UTC, {"view": "By series", "threshold": "oops"})
    assert first.table is second.table and first.frame is second.frame  # no copy per run
    assert first.link.values["view"] == "One series" and second.link.values["view"] == "By series"
    assert second.link.notices_for() and not first.link.notices_for()


def test_shared_headline_is_the_directly_built_one(page_api) -> None:
    for _round in range(2):
        for language, zone in CHOICES:
            direct_page, shared_page = pages(page_api, language, zone)
            direct = headline(direct_page)
            shared = shared_headline(API_URL, shared_page.version, language, zone, shared_page)
            texts = (shared.caption, shared.figures, shared.meanings)
            assert texts == (direct.caption, direct.figures, direct.meanings)
            assert direct.figures and direct.caption
            pd.testing.assert_frame_equal(shared.comparison, direct.comparison)


def test_shared_view_choice_is_the_directly_built_one_and_keys_on_every_choice(page_api) -> None:
    choices = [(7.5, MAPE), (20.0, MAPE), (7.5, BIAS), (7.5, COVERAGE_80)]
    seen = set()
    for _round in range(2):
        for language, zone in CHOICES:
            page = pages(page_api, language, zone)[1]
            for threshold, rank in choices:
                direct = view_choice(page, threshold, WAPE.label, rank.label)
                shared = shared_view_choice(page, threshold, WAPE.label, rank.label)
                pd.testing.assert_frame_equal(shared.ranked, direct.ranked)
                assert shared.series_by_row == direct.series_by_row
                assert (shared.threshold, shared.rank_measure, shared.chart_measure) == (threshold, rank, WAPE)
                seen.add(shared.ranked.to_csv())
    assert len(seen) == len(choices) * 2  # the choices give different tables; the zone does not change one


def test_shared_series_and_its_description_are_the_directly_built_ones(page_api) -> None:
    """Through the page's real client (routed to the in-process API): each series in each zone and
    language, asked one after another, so a key missing any of them would answer another's."""
    status = page_api.answer("/api/v2/status")[1]
    version = status["data_version"]
    summary = page_api.answer("/api/v2/monitoring/summary")[1]
    several = [(entry["area"], entry["consumer_type"]) for entry in summary["series"][:3]]
    texts, shown_counts = set(), set()
    for _round in range(2):
        for language, zone in CHOICES:
            query = "" if zone == UTC else "?tz=Europe/Copenhagen"
            for area, consumer_type in several:
                body = page_api.answer(f"/api/v2/monitoring/series/{area}/{consumer_type}{query}")[1]
                direct = series_frame(body)
                monitored, detail = shared_series(API_URL, version, area, consumer_type, zone)
                assert monitored == body
                pd.testing.assert_frame_equal(detail, direct)
                text = shared_series_description(API_URL, version, area, consumer_type, zone, language)
                assert text == series_description(direct, (area, consumer_type), language)
                texts.add(text)
                page = pages(page_api, language, zone)[0]
                counts = shared_series_counts(API_URL, version, zone, language, (area, consumer_type), page, monitored)
                assert counts == series_counts(page, (area, consumer_type), body)
                assert counts.metrics and counts.notice is None
                shown_counts.add(repr(counts))
    assert len(texts) == len(several) * len(CHOICES)
    assert len(shown_counts) == len(several) * 2  # the counts name no hour: the same in both zones


def test_the_shared_arrow_table_gives_the_data_grid_the_bytes_of_the_ranked_frame(page_api) -> None:
    """The data grid gets the same Arrow bytes from the shared table as from the frame it converted
    on every run (Streamlit's own conversion of a DataFrame)."""
    for language, zone in CHOICES:
        page = pages(page_api, language, zone)[1]
        for threshold, rank in ((7.5, MAPE), (20.0, COVERAGE_80)):
            choice = shared_view_choice(page, threshold, WAPE.label, rank.label)
            from_frame = dataframe_util.convert_pandas_df_to_arrow_bytes(choice.ranked)
            assert dataframe_util.convert_arrow_table_to_arrow_bytes(choice.ranked_arrow) == from_frame
            pd.testing.assert_frame_equal(choice.ranked_arrow.to_pandas(), choice.ranked)


def test_the_shared_hour_of_day_frame_is_the_directly_built_one(page_api) -> None:
    version = page_api.answer("/api/v2/status")[1]["data_version"]
    frames = []
    for _round in range(2):
        for zone in (UTC, DANISH_TIME):
            query = "" if zone == UTC else "?tz=Europe/Copenhagen"
            direct = hour_of_day_frame(page_api.answer(f"/api/v2/monitoring/hour_of_day{query}")[1])
            shared = shared_hour_of_day(API_URL, version, zone)
            pd.testing.assert_frame_equal(shared, direct)
            frames.append(shared)
    assert not frames[0].equals(frames[1])  # the zones' clocks pool different hours
