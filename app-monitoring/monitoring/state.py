"""What the monitoring page's views and report read, passed to them explicitly (no module globals).

`PageData` is what one full run of the page loaded and derived (status, summary, hourly frame,
breakdown table, the link's reading); `ViewChoice` is what the widgets above the open view chose
(threshold, figures, the ranked table). `main.py` builds the first, the views fragment the second
(`view_choice`, a pure function), and both are handed to each view and to the report. A fragment
rerun gets the `PageData` of the run that drew it (Streamlit keeps a fragment's call arguments).

Most of a `PageData` is the same for every viewer of a data version in a zone and a language (the
frames, the tables, the link's parameters): `data.shared_version_data` loads and derives it once
per process for them (`st.cache_resource`: one read-only object, no copy per run) and `page_from`
adds what is the session's own (the status it shows, the reading of its link). `shared_view_choice`
does the same for the ranked table of a (ranking figure, threshold). These derivations were ~45 % of a By series open
(BENCHMARKS.md, "Capacity"). Nothing here or in the views writes into these frames.
"""

from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st
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


@dataclass(frozen=True)
class VersionData:
    """The part of `PageData` that is the same for every viewer of one data version, zone and language."""

    summary: dict[str, Any]
    frame: pd.DataFrame
    table: pd.DataFrame
    summary_by_series: dict[SeriesKey, dict[str, Any]]
    floors: dict[str, float]
    last_week: dict[str, Any] | None
    comparison_table: pd.DataFrame
    params: list[LinkParam]


def version_data(summary: dict, hourly: dict, language: str = ENGLISH, zone: str = UTC) -> VersionData:
    """What the page derives from the API's answers (asked in `zone`) for a page in `language`."""
    table = breakdown.breakdown_table(summary, language)
    return VersionData(
        summary=summary,
        frame=hourly_frame(hourly, zone),
        table=table,
        summary_by_series={(entry["area"], entry["consumer_type"]): entry for entry in summary["series"]},
        floors=breakdown.coverage_floors(summary),
        last_week=comparison.period_figures(summary, "last_7d"),
        comparison_table=comparison.comparison_table(summary),
        params=link_params(breakdown.series_of_rows(table), texts(language)),
    )


SHARED_VERSIONS = 16
"""Entries of the per-process caches of a data version's page data and headline: its 2 zones x 2
languages, with room for the version before (sessions still showing it) and replicas briefly out
of step."""
SHARED_CHOICES = 512
"""Ranked tables kept: 7 ranking figures x a few thresholds x 2 zones x 2 languages per data version
(thresholds are typed by viewers, so with room to spare); each is a copy of a ~76-row table."""


def page_from(
    api_url: str, status: dict, version: str, query: Any, language: str, zone: str, derived: VersionData
) -> PageData:
    """The page data of a run: `derived` (the version's, shared) with the session's status and link."""
    return PageData(
        api_url=api_url,
        language=language,
        zone=zone,
        status=status,
        version=version,
        summary=derived.summary,
        frame=derived.frame,
        table=derived.table,
        summary_by_series=derived.summary_by_series,
        floors=derived.floors,
        last_week=derived.last_week,
        comparison_table=derived.comparison_table,
        params=derived.params,
        link=read_link(query, derived.params),
    )


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
    (`st.query_params`), for a page in `language`: derived directly."""
    return page_from(api_url, status, version, query, language, zone, version_data(summary, hourly, language, zone))


@dataclass(frozen=True)
class ViewChoice:
    """The widgets' choices above the open view, and the table ranked by them."""

    threshold: float
    chart_measure: Measure
    rank_measure: Measure
    ranked: pd.DataFrame
    series_by_row: list[SeriesKey]
    # `ranked` as the Arrow table `st.dataframe` would convert it to on every run (`shared_view_choice`
    # converts it once per choice; the data grid's bytes are the same), or None: the grid converts it.
    ranked_arrow: pa.Table | None = None


def ranked_table(page: PageData, threshold: float, rank_label: str) -> tuple[pd.DataFrame, list[SeriesKey]]:
    """The breakdown ranked worst first by a figure and flagged against the threshold, and its rows' series."""
    rank_measure = BY_LABEL[rank_label]
    ranked = breakdown.flag_beyond_threshold(
        breakdown.rank(page.table, rank_measure), rank_measure, threshold, page.floors
    )
    return ranked, breakdown.series_of_rows(ranked)


def view_choice(page: PageData, threshold: float, chart_label: str, rank_label: str) -> ViewChoice:
    """The series ranked worst first by the chosen figure and flagged against the threshold."""
    return _choice(threshold, chart_label, rank_label, *ranked_table(page, threshold, rank_label))


def _choice(
    threshold: float,
    chart_label: str,
    rank_label: str,
    ranked: pd.DataFrame,
    series_by_row: list[SeriesKey],
    ranked_arrow: pa.Table | None = None,
) -> ViewChoice:
    return ViewChoice(
        threshold=threshold,
        chart_measure=BY_LABEL[chart_label],
        rank_measure=BY_LABEL[rank_label],
        ranked=ranked,
        series_by_row=series_by_row,
        ranked_arrow=ranked_arrow,
    )


@st.cache_resource(max_entries=SHARED_CHOICES, show_spinner=False)
def _shared_ranked_table(
    api_url: str, version: str, language: str, zone: str, threshold: float, rank_label: str, _page: PageData
) -> tuple[pd.DataFrame, list[SeriesKey], pa.Table]:
    """`ranked_table` once per (API, data version, language, zone, threshold, ranking figure), with
    its Arrow table (the pandas-to-Arrow conversion was ~20 % of a By series change); `_page` (not
    hashed) is page data of that version, language and zone."""
    ranked, series_by_row = ranked_table(_page, threshold, rank_label)
    return ranked, series_by_row, pa.Table.from_pandas(ranked)


def shared_view_choice(page: PageData, threshold: float, chart_label: str, rank_label: str) -> ViewChoice:
    """`view_choice` with the ranked table shared by every viewer of the same choices (read-only)."""
    shared = _shared_ranked_table(page.api_url, page.version, page.language, page.zone, threshold, rank_label, page)
    return _choice(threshold, chart_label, rank_label, *shared)


def series_name(series: SeriesKey, language: str = ENGLISH) -> str:
    """'DK1 (west of the Great Belt) · consumer type 111': how the page names a series, in its language."""
    _ = texts(language)
    area, consumer_type = series
    return _("{area} · consumer type {consumer_type}").format(
        area=area_label(area, _), consumer_type=consumer_type_label(consumer_type)
    )
