"""What the monitoring page's views and report read, passed to them explicitly (no module globals).

`PageData` is what one full run of the page loaded and derived (status, summary, hourly frame,
breakdown table, the link's reading); `ViewChoice` is what the widgets above the open view chose
(threshold, figures, the ranked table). `main.py` builds the first, the views fragment the second
(`view_choice`, a pure function), and both are handed to each view and to the report. A fragment
rerun gets the `PageData` of the run that drew it (Streamlit keeps a fragment's call arguments).
"""

from dataclasses import dataclass
from typing import Any

import pandas as pd
from dashboard_common.i18n import ENGLISH, N_
from dashboard_common.labels import area_label, consumer_type_label
from dashboard_common.links import LinkParam, LinkReading, read_link

from monitoring import breakdown, comparison
from monitoring.aggregate import hourly_frame
from monitoring.clock import UTC
from monitoring.language import texts
from monitoring.links import SeriesKey, link_params
from monitoring.measures import BY_LABEL, Measure

PAGE_TITLE = N_("Forecast monitoring")
# Widget keys (AppTest, the browser tests, the measure scripts and the load tool find widgets by them).
SERIES_KEY = "series"
THRESHOLD_KEY = "threshold"
TABLE_KEY = "breakdown_table"
NOTICES_KEY = "link_notices"
CHART_MEASURE_KEY = "chart_measure"
RANK_MEASURE_KEY = "rank_measure"
LANGUAGE_KEY = "language"  # the Dansk / English switch (the link's `lang`)
VIEW_KEY = "view"  # the view chooser (the link's `view`)
ZONE_KEY = "zone"  # the Danish time / UTC switch (the link's `tz`)


@dataclass(frozen=True)
class PageData:
    """The API's answers for one data version and what the page derives from them once per run."""

    api_url: str
    language: str  # `da` or `en`: every text the views and the report write
    zone: str  # the page's clock (`clock.DANISH_TIME` or `clock.UTC`): the API's answers are in it
    status: dict[str, Any]
    version: str
    summary: dict[str, Any]
    frame: pd.DataFrame  # `/monitoring/hourly` on every hour, display units
    table: pd.DataFrame  # the breakdown, in the API's order
    summary_by_series: dict[SeriesKey, dict[str, Any]]
    floors: dict[str, float]  # the API's coverage floors, display units
    last_week: dict[str, Any] | None
    comparison_table: pd.DataFrame
    params: list[LinkParam]
    link: LinkReading


def page_data(
    api_url: str,
    status: dict,
    version: str,
    summary: dict,
    hourly: dict,
    query: Any,
    language: str = ENGLISH,
    zone: str = UTC,
) -> PageData:
    """Everything the views read, from the API's answers (asked in `zone`) and the page's link
    (`st.query_params`), for a page in `language`."""
    table = breakdown.breakdown_table(summary, language)
    params = link_params(breakdown.series_of_rows(table), texts(language))
    return PageData(
        api_url=api_url,
        language=language,
        zone=zone,
        status=status,
        version=version,
        summary=summary,
        frame=hourly_frame(hourly, zone),
        table=table,
        summary_by_series={(entry["area"], entry["consumer_type"]): entry for entry in summary["series"]},
        floors=breakdown.coverage_floors(summary),
        last_week=comparison.period_figures(summary, "last_7d"),
        comparison_table=comparison.comparison_table(summary),
        params=params,
        link=read_link(query, params),
    )


@dataclass(frozen=True)
class ViewChoice:
    """The widgets' choices above the open view, and the table ranked by them."""

    threshold: float
    chart_measure: Measure
    rank_measure: Measure
    ranked: pd.DataFrame
    series_by_row: list[SeriesKey]


def view_choice(page: PageData, threshold: float, chart_label: str, rank_label: str) -> ViewChoice:
    """The series ranked worst first by the chosen figure and flagged against the threshold."""
    rank_measure = BY_LABEL[rank_label]
    ranked = breakdown.flag_beyond_threshold(
        breakdown.rank(page.table, rank_measure), rank_measure, threshold, page.floors
    )
    return ViewChoice(
        threshold=threshold,
        chart_measure=BY_LABEL[chart_label],
        rank_measure=rank_measure,
        ranked=ranked,
        series_by_row=breakdown.series_of_rows(ranked),
    )


def series_name(series: SeriesKey, language: str = ENGLISH) -> str:
    """'DK1 (west of the Great Belt) · consumer type 111': how the page names a series, in its language."""
    _ = texts(language)
    area, consumer_type = series
    return _("{area} · consumer type {consumer_type}").format(
        area=area_label(area, _), consumer_type=consumer_type_label(consumer_type)
    )
