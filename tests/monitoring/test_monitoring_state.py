"""The monitoring page's state and report from explicit inputs, without AppTest: `page_data` and
`view_choice` (what the views read) and `report_sections` (what the HTML report holds), all from the
real API's answers in-process."""

import pandas as pd
import pytest
from buckets import ALL_ZERO
from monitoring import breakdown
from monitoring.aggregate import hour_of_day_frame
from monitoring.links import OVER_TIME
from monitoring.measures import BIAS, COVERAGE_80, MAPE, WAPE
from monitoring.report import page_report, report_sections
from monitoring.series import series_frame
from monitoring.state import PageData, page_data, view_choice


def page_of(api, query: dict[str, str] | None = None) -> PageData:
    status = api.answer("/api/v2/status")[1]
    summary, hourly = api.answer("/api/v2/monitoring/summary")[1], api.answer("/api/v2/monitoring/hourly")[1]
    return page_data("http://api", status, status["data_version"], summary, hourly, query or {})


@pytest.fixture(scope="module")
def page(fixture_api) -> PageData:
    return page_of(fixture_api, {"view": OVER_TIME, "threshold": "7.5", "rank": "mape"})


def test_page_data_holds_the_apis_answers_and_the_links_reading(page, fixture_api):
    summary = fixture_api.answer("/api/v2/monitoring/summary")[1]
    assert len(page.table) == len(summary["series"]) == len(page.summary_by_series)
    assert page.floors == {"coverage_80": pytest.approx(65.0), "coverage_95": pytest.approx(85.0)}
    assert page.last_week == summary["periods"]["last_7d"]["overall"]
    assert (page.link.values["threshold"], page.link.values["rank"]) == (7.5, MAPE)
    assert page.frame["wape"].notna().any()


def test_view_choice_ranks_worst_first_and_flags_against_the_threshold(page):
    choice = view_choice(page, 7.5, WAPE.label, MAPE.label)
    assert (choice.threshold, choice.chart_measure, choice.rank_measure) == (7.5, WAPE, MAPE)
    mape = choice.ranked[MAPE.unit_label]
    assert mape.dropna().is_monotonic_decreasing
    assert choice.ranked[breakdown.BEYOND_THRESHOLD].tolist() == (mape > 7.5).tolist()
    assert choice.series_by_row[0] == breakdown.series_of_row(choice.ranked, 0)
    assert len(choice.series_by_row) == len(page.table)


def test_view_choice_flags_coverage_below_the_apis_floor(edge_api):
    page = page_of(edge_api)
    choice = view_choice(page, 10.0, BIAS.label, COVERAGE_80.label)
    coverage = choice.ranked[COVERAGE_80.unit_label]
    assert choice.ranked[breakdown.BEYOND_THRESHOLD].tolist() == (coverage < 65.0).tolist()
    assert ALL_ZERO in choice.series_by_row


def test_report_sections_follow_the_choice_and_leave_out_what_has_nothing(page, fixture_api):
    choice = view_choice(page, 7.5, BIAS.label, MAPE.label)
    series = choice.series_by_row[0]
    detail = series_frame(fixture_api.answer(f"/api/v2/monitoring/series/{series[0]}/{series[1]}")[1])
    profile = hour_of_day_frame(fixture_api.answer("/api/v2/monitoring/hour_of_day?tz=Europe/Copenhagen")[1])
    sections = report_sections(page, choice, series, detail, profile)
    headings = [section.heading for section in sections]
    assert headings[:4] == [
        "This week against last week",
        "Aggregated error over time",
        "Error by hour of day",
        "Breakdown by series",
    ]
    assert sections[1].figure.layout.title.text == "Bias over all series, per hour"
    assert sections[3].text == "Worst MAPE first." and len(sections[3].table) == len(choice.ranked)
    assert " · consumer type " in headings[4]
    without_profile = report_sections(page, choice, series, detail, None)
    assert "Error by hour of day" not in [section.heading for section in without_profile]
    html = page_report(page, choice, series, detail, profile, pd.Timestamp("2026-12-04T12:00Z")).decode()
    assert "Threshold 7.5 %." in html and f"Data version {page.version}" in html
