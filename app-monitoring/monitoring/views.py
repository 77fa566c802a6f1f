"""The monitoring page's views below the headline: the threshold and view chooser, then one of
"Over time", "By series" and "One series", each drawn from explicit inputs (`state.PageData` from the
page's run, `state.ViewChoice` from the widgets above the view).

`views(page)` is one fragment: choosing a view, a figure, the threshold or a table row reruns only
this part, not the headline above (BENCHMARKS.md, "Monitoring page in three views"). The series
detail is a nested fragment, so choosing another series reruns only that.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

import pandas as pd
import streamlit as st
from dashboard_common.charts import ChartData, chart_data, plotly_chart
from dashboard_common.client import ApiError, DataVersionMismatch, SeriesNotFound
from dashboard_common.freshness import render_api_unavailable
from dashboard_common.links import write_link

from monitoring import breakdown
from monitoring.aggregate import HourlyOverview, hour_of_day_frame, hourly_overview, trailing_day
from monitoring.clock import hour_text, span_text
from monitoring.data import (
    MONITORING_TTL_SECONDS,
    SERIES_ENTRIES,
    follow_new_data,
    load_hour_of_day,
    series_chart,
    shared_hour_of_day,
    shared_series,
    shared_series_description,
)
from monitoring.descriptions import (
    heatmap_description,
    hour_of_day_description,
    hourly_description,
)
from monitoring.figures import heatmap_figure, hour_of_day_figure, hourly_figure
from monitoring.language import percent, texts
from monitoring.links import ONE_SERIES, VIEWS, SeriesKey, link_values
from monitoring.measures import ALL_MEASURES, BY_LABEL, HOURLY_MEASURES, Measure
from monitoring.report import page_report
from monitoring.series import series_csv
from monitoring.state import (
    CHART_MEASURE_KEY,
    NOTICES_KEY,
    RANK_MEASURE_KEY,
    SERIES_KEY,
    TABLE_KEY,
    THRESHOLD_KEY,
    VIEW_KEY,
    PageData,
    ViewChoice,
    series_name,
    shared_view_choice,
)


def figure_formats(language: str) -> dict:
    """The table's figure columns: named in the page's language, two decimals in its number format
    (the data grid's `localized` format follows the browser's locale, so the page formats them)."""
    _ = texts(language)
    return {
        measure.unit_label: st.column_config.NumberColumn(
            measure.name(_) + (" %" if measure.percent else ""),
            format="%.2f" if language == "en" else "localized",
            width="small",
            help=measure.meaning_in(_),
        )
        for measure in ALL_MEASURES
    }


def chart_description(text: str) -> None:
    """A chart's text alternative, right under it: what a screen reader reads for the chart (and a
    summary anyone can read)."""
    st.caption(text)


def forget_link_notices() -> None:
    """Once the user changes the view, what the link asked for no longer matters."""
    st.session_state[NOTICES_KEY] = []


def select_series_from_table(series_by_row: list[SeriesKey]) -> None:
    """Runs before the rerun when a table row is chosen: that series, in the "One series" view."""
    rows = st.session_state[TABLE_KEY].selection.rows
    if rows:
        st.session_state[SERIES_KEY] = series_by_row[rows[0]]
        st.session_state[VIEW_KEY] = ONE_SERIES
        forget_link_notices()


def measure_radio(label: str, measures: Sequence[Measure], key: str, language: str, help: str | None = None) -> Measure:
    """A row of figures to choose from (the English labels are the options, shown translated); the chosen one."""
    _ = texts(language)
    labels = [measure.label for measure in measures]
    chosen = st.radio(
        label,
        labels,
        key=key,
        on_change=forget_link_notices,
        horizontal=True,
        help=help,
        format_func=lambda label: BY_LABEL[label].name(_),
    )
    return BY_LABEL[chosen]


def update_link(page: PageData, choice: ViewChoice, series: SeriesKey | None) -> None:
    """The chosen view and its parameters in the URL."""
    state = st.session_state
    view = state.get(VIEW_KEY) or VIEWS[0]
    chosen = link_values(series, state[THRESHOLD_KEY], choice.rank_measure, choice.chart_measure, view)
    write_link(st.query_params, page.params, chosen)


SHARED_CHARTS = 256
"""Entries kept per process by the chart caches below, per data version: every (figure, threshold,
zone, language) a page offers with room to spare (the thresholds are typed by viewers)."""


def build_hourly_chart(
    values: pd.Series,
    measure: Measure,
    threshold: float,
    trailing: pd.Series | None,
    overview: HourlyOverview,
    language: str,
) -> tuple[ChartData, str]:
    """The hourly chart's JSON and its text alternative, built directly (what `shared_hourly_chart` keeps)."""
    figure = hourly_figure(values, measure, threshold, trailing, language)
    return chart_data(figure), hourly_description(values, measure, threshold, overview, language)


@st.cache_data(ttl=MONITORING_TTL_SECONDS, max_entries=SHARED_CHARTS, show_spinner=False)
def shared_hourly_chart(
    api_url: str, version: str, zone: str, language: str, measure_label: str, threshold: float, _page: PageData
) -> tuple[ChartData, str]:
    """`build_hourly_chart` once per (data version, zone, language, figure, threshold) for the whole
    process: the figure and its JSON were ~40 % of an Over time view's server time (BENCHMARKS.md,
    "Capacity"). `_page` (not hashed) is the page data of that version, zone and language."""
    measure = BY_LABEL[measure_label]
    values = _page.frame[measure.field]
    overview = hourly_overview(values, measure, threshold)
    return build_hourly_chart(values, measure, threshold, trailing_day(_page.frame, measure), overview, language)


def build_hour_of_day_chart(profile: pd.DataFrame, zone: str, language: str) -> tuple[ChartData, str]:
    """The hour-of-day chart's JSON and its text alternative, built directly."""
    return chart_data(hour_of_day_figure(profile, zone, language)), hour_of_day_description(profile, zone, language)


@st.cache_data(ttl=MONITORING_TTL_SECONDS, max_entries=SHARED_CHARTS, show_spinner=False)
def shared_hour_of_day_chart(
    api_url: str, version: str, zone: str, language: str, _profile: pd.DataFrame
) -> tuple[ChartData, str]:
    """`build_hour_of_day_chart` once per (data version, zone, language); `_profile` is that version's."""
    return build_hour_of_day_chart(_profile, zone, language)


def build_heatmap_chart(
    ranked: pd.DataFrame, rank_measure: Measure, threshold: float, language: str
) -> tuple[ChartData, str]:
    """The heatmap's JSON and its text alternative, built directly from the ranked table."""
    matrix = breakdown.heatmap_matrix(ranked, rank_measure)
    beyond = breakdown.beyond_cells(ranked)
    figure = heatmap_figure(matrix, rank_measure, threshold, language, beyond)
    return chart_data(figure), heatmap_description(matrix, rank_measure, language)


@st.cache_data(ttl=MONITORING_TTL_SECONDS, max_entries=SHARED_CHARTS, show_spinner=False)
def shared_heatmap_chart(
    api_url: str, version: str, zone: str, language: str, rank_label: str, threshold: float, _ranked: pd.DataFrame
) -> tuple[ChartData, str]:
    """`build_heatmap_chart` once per (data version, zone, language, ranking figure, threshold);
    `_ranked` is the table ranked and flagged by them."""
    return build_heatmap_chart(_ranked, BY_LABEL[rank_label], threshold, language)


def hour_of_day_profile(page: PageData) -> pd.DataFrame | None:
    """The API's hour-of-day profile on the page's clock, or None when the API cannot give it now."""
    try:
        return shared_hour_of_day(page.api_url, page.version, page.zone)
    except ApiError as error:
        if isinstance(error, DataVersionMismatch):
            follow_new_data(page.api_url, page.version, ask_again=True)
        render_api_unavailable(error, key="retry_profile", _=texts(page.language))
        return None


def _overview_metrics(page: PageData, measure: Measure, overview, threshold: float) -> None:
    """Latest and worst hour, the whole window pooled by the API, and how often beyond the threshold."""
    language = page.language
    _ = texts(language)
    latest, window, worst, share = st.columns(4)
    latest.metric(
        _("Latest {figure}").format(figure=measure.name(_)),
        measure.shown_text(overview.latest, language),
        help=hour_text(overview.latest_hour, language),
    )
    window.metric(
        _("Whole window (pooled)"),
        measure.text(page.summary.get("overall", {}).get(measure.field), language),
        help=_("Pooled by the API over every compared series-hour of the window ({hours} hours).").format(
            hours=overview.hours_measured
        ),
    )
    worst.metric(
        _("Worst hour"), measure.shown_text(overview.worst, language), help=hour_text(overview.worst_hour, language)
    )
    share.metric(
        _("Hours beyond threshold"),
        percent(overview.share_beyond_threshold * 100, language, decimals=0),
        help=_("{beyond} of {hours} hours beyond {threshold}").format(
            beyond=overview.hours_beyond_threshold,
            hours=overview.hours_measured,
            threshold=percent(threshold, language, decimals=1),
        ),
    )


def over_time(page: PageData, choice: ViewChoice) -> None:
    """The aggregated error per hour over the monitoring window, and by hour of day (the page's clock)."""
    language = page.language
    _ = texts(language)
    st.header(_("Aggregated error over time"))
    frame = page.frame
    if len(frame):
        st.caption(
            _(
                "Monitoring window {span}: past predictions compared with the observations that have arrived "
                "since, over all series."
            ).format(span=span_text(frame.index[0], frame.index[-1], language))
        )
    measure = measure_radio(_("Figure per hour"), HOURLY_MEASURES, CHART_MEASURE_KEY, language)
    values = frame.get(measure.field)
    overview = None if values is None else hourly_overview(values, measure, choice.threshold)
    if overview is None:
        st.info(_("The monitoring window has no hour with a measured error yet."), icon=":material/hourglass_empty:")
        return
    _overview_metrics(page, measure, overview, choice.threshold)
    chart, text = shared_hourly_chart(
        page.api_url, page.version, page.zone, language, measure.label, choice.threshold, page
    )
    plotly_chart(chart, key="hourly_chart")
    chart_description(text)
    profile = hour_of_day_profile(page)
    if profile is not None:
        chart, text = shared_hour_of_day_chart(page.api_url, page.version, page.zone, language, profile)
        plotly_chart(chart, key="hour_of_day_chart")
        chart_description(text)


def series_table(choice: ViewChoice, language: str) -> None:
    """Every series with its figures, worst first; choosing a row picks the series shown below."""
    _ = texts(language)
    st.dataframe(
        choice.ranked if choice.ranked_arrow is None else choice.ranked_arrow,
        key=TABLE_KEY,
        on_select=partial(select_series_from_table, choice.series_by_row),
        selection_mode="single-row",
        hide_index=True,
        height=640,
        placeholder="–",
        column_order=[
            breakdown.AREA_LABEL,
            breakdown.CONSUMER_TYPE_LABEL,
            *breakdown.FIGURE_COLUMNS,
            breakdown.HOURS_COMPARED,
            breakdown.BEYOND_THRESHOLD,
        ],
        column_config={
            breakdown.AREA_LABEL: st.column_config.TextColumn(_(breakdown.AREA_LABEL), width="medium"),
            breakdown.CONSUMER_TYPE_LABEL: st.column_config.TextColumn(_("Type"), width="small"),
            **figure_formats(language),
            breakdown.HOURS_COMPARED: st.column_config.NumberColumn(_("Compared (h)"), width="small"),
            breakdown.BEYOND_THRESHOLD: st.column_config.CheckboxColumn(_("Beyond"), width="small"),
        },
    )
    st.download_button(
        _("Download the table (CSV)"),
        partial(breakdown.breakdown_csv, choice.ranked, language),
        file_name="monitoring_breakdown.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
    )


def by_series(page: PageData, choice: ViewChoice) -> None:
    """Every series ranked by one figure: the table (a row opens that series) and the heatmap."""
    language = page.language
    _ = texts(language)
    st.header(_("Breakdown by series"))
    measure_radio(
        _("Rank and colour by"),
        ALL_MEASURES,
        RANK_MEASURE_KEY,
        language,
        help=_("Orders the table worst first and colours the heatmap. Click a column header to sort by any figure."),
    )
    ranked, rank_measure = choice.ranked, choice.rank_measure
    st.caption(
        _(
            "{count} series, worst {figure} first; {beyond} beyond the line for {figure}. Choose a row to see that "
            "series in detail. Blank cells: the figure cannot be computed (nothing compared, all observations "
            "zero, no week-earlier pairs)."
        ).format(count=len(ranked), figure=rank_measure.name(_), beyond=int(ranked[breakdown.BEYOND_THRESHOLD].sum()))
    )
    table_column, heatmap_column = st.columns([3, 2])
    with table_column:
        series_table(choice, language)
    with heatmap_column:
        chart, text = shared_heatmap_chart(
            page.api_url, page.version, page.zone, language, rank_measure.label, choice.threshold, ranked
        )
        plotly_chart(chart, key="heatmap")
        chart_description(text)


@dataclass(frozen=True)
class SeriesCounts:
    """What the One series view writes above its chart, as text: a notice when nothing is compared
    yet, else one metric per figure (name, value, meaning), the hour counts and a caption on gaps."""

    notice: str | None
    metrics: tuple[tuple[str, str, str], ...]
    compared: int
    counts_help: str
    missing_caption: str | None


def series_counts(page: PageData, series: SeriesKey, monitored: dict) -> SeriesCounts:
    """The series' figures (the summary's) and its hour counts (the API's), or why there are none."""
    language = page.language
    _ = texts(language)
    compared = monitored.get("hours_compared", 0)
    awaiting = monitored.get("hours_awaiting_observation", 0)
    missing = monitored.get("hours_missing", 0)
    if compared == 0:
        notice = _(
            "No observation to compare yet for this series ({awaiting} predicted hours await observations), "
            "so there is no error to show."
        ).format(awaiting=awaiting)
        return SeriesCounts(notice, (), compared, "", None)
    figures = page.summary_by_series.get(series, {})
    metrics = tuple(
        (measure.name(_), measure.text(figures.get(measure.field), language), measure.meaning_in(_))
        for measure in ALL_MEASURES
    )
    counts_help = _(
        "{awaiting} hours await observations; {missing} hours inside the window have no observation"
    ).format(awaiting=awaiting, missing=missing)
    caption = (
        _("{missing} hours inside the window have no observation: drawn as gaps, not as awaited.").format(
            missing=missing
        )
        if missing
        else None
    )
    return SeriesCounts(None, metrics, compared, counts_help, caption)


@st.cache_resource(ttl=MONITORING_TTL_SECONDS, max_entries=SERIES_ENTRIES, show_spinner=False)
def shared_series_counts(
    api_url: str, version: str, zone: str, language: str, series: SeriesKey, _page: PageData, _monitored: dict
) -> SeriesCounts:
    """`series_counts` once per (data version, zone, language, series); `_page` and `_monitored`
    (not hashed) are that version's page data and the API's answer for the series."""
    return series_counts(_page, series, _monitored)


def _series_counts(page: PageData, series: SeriesKey, monitored: dict) -> None:
    """The series' figures and hour counts (`shared_series_counts`), or why there are none."""
    _ = texts(page.language)
    shown = shared_series_counts(page.api_url, page.version, page.zone, page.language, series, page, monitored)
    if shown.notice is not None:
        st.info(shown.notice, icon=":material/hourglass_empty:")
        return
    columns = st.columns(len(shown.metrics) + 1)
    for column, (name, value, meaning) in zip(columns[:-1], shown.metrics, strict=True):
        column.metric(name, value, help=meaning)
    columns[-1].metric(_("Hours compared"), shown.compared, help=shown.counts_help)
    if shown.missing_caption:
        st.caption(shown.missing_caption)


def _series_downloads(page: PageData, choice: ViewChoice, series: SeriesKey, detail: pd.DataFrame) -> None:
    """The series as CSV, and all three views as one HTML report (each built only when pressed)."""
    _ = texts(page.language)
    area, consumer_type = series
    csv_column, report_column = st.columns(2)
    csv_column.download_button(
        _("Download this series (CSV)"),
        partial(series_csv, detail),
        file_name=f"monitoring_{area}_{consumer_type}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
    )
    report_column.download_button(
        _("Download this view (HTML report)"),
        partial(_report, page, choice, series, detail),
        file_name=f"monitoring_report_{area}_{consumer_type}.html",
        mime="text/html",
        on_click="ignore",
        icon=":material/download:",
        help=_("One file with the figures, tables and charts of all three views; the charts stay interactive offline."),
    )


def _report(page: PageData, choice: ViewChoice, series: SeriesKey, detail: pd.DataFrame) -> bytes:
    try:
        profile = hour_of_day_frame(load_hour_of_day(page.api_url, page.version, page.zone))
    except ApiError:
        profile = None  # the report leaves the hour-of-day section out
    return page_report(page, choice, series, detail, profile, datetime.now(UTC))


@st.fragment
def series_detail(page: PageData, choice: ViewChoice) -> None:
    """One series in detail: the one chosen in the selectbox or in the breakdown table.

    A fragment, so choosing another series in the selectbox reruns only this part (the whole page
    when the API's data changed since: `follow_new_data`).
    """
    follow_new_data(page.api_url, page.version)
    language = page.language
    _ = texts(language)
    if not choice.series_by_row:
        st.info(_("The monitoring data lists no series yet."), icon=":material/hourglass_empty:")
        return
    series = st.selectbox(
        _("Series (worst {figure} first)").format(figure=choice.rank_measure.name(_)),
        choice.series_by_row,
        format_func=lambda series: series_name(series, language),
        key=SERIES_KEY,
        on_change=forget_link_notices,
    )
    update_link(page, choice, series)
    area, consumer_type = series
    try:
        monitored, detail = shared_series(page.api_url, page.version, area, consumer_type, page.zone)
    except SeriesNotFound:
        st.info(
            _("The API has no monitoring data for {series}.").format(series=series_name(series, language)),
            icon=":material/search_off:",
        )
        return
    except ApiError as error:
        if isinstance(error, DataVersionMismatch):
            follow_new_data(page.api_url, page.version, ask_again=True)
        render_api_unavailable(error, key="retry_series", _=_)
        return
    _series_counts(page, series, monitored)
    plotly_chart(series_chart(page.api_url, page.version, area, consumer_type, page.zone, language), key="series_chart")
    chart_description(shared_series_description(page.api_url, page.version, area, consumer_type, page.zone, language))
    _series_downloads(page, choice, series, detail)


def one_series(page: PageData, choice: ViewChoice) -> None:
    _ = texts(page.language)
    st.header(_(ONE_SERIES))
    series_detail(page, choice)


def _threshold(language: str) -> float:
    _ = texts(language)
    threshold_column, _unused = st.columns([1, 3])
    return threshold_column.number_input(
        _("Threshold (%)"),
        min_value=0.1,
        max_value=1000.0,
        step=0.5,
        format="%.1f",
        key=THRESHOLD_KEY,
        on_change=forget_link_notices,
        help=_("Hours and series whose MAPE, WAPE or |bias| is beyond this are highlighted, in every view below."),
    )


@st.fragment
def views(page: PageData) -> None:
    """The threshold and the view chooser, then the open view (see the module's docstring); the
    whole page instead when the API's data changed since the run that drew it (`follow_new_data`)."""
    follow_new_data(page.api_url, page.version)
    _ = texts(page.language)
    # The closed views' widgets are not drawn, and Streamlit forgets the state of widgets a run does
    # not draw: writing the values back keeps the choices made in another view.
    for widget_key in (CHART_MEASURE_KEY, RANK_MEASURE_KEY, SERIES_KEY):
        if widget_key in st.session_state:
            st.session_state[widget_key] = st.session_state[widget_key]
    for notice in st.session_state[NOTICES_KEY]:
        st.warning(notice, icon=":material/link_off:")
    threshold = _threshold(page.language)
    # One view at a time: only the chosen view runs and is drawn, so a page load draws one or two
    # charts rather than four and a data grid. The chosen view is in the link (`view=`), by its
    # English name in either language (the chooser shows it translated; `update_link` writes it:
    # a chooser bound to the URL would write the translated name).
    open_view = st.segmented_control(
        _("View"),
        list(VIEWS),
        format_func=_,
        required=True,
        key=VIEW_KEY,
        on_change=forget_link_notices,
        label_visibility="collapsed",
    )
    state = st.session_state
    choice = shared_view_choice(page, threshold, state[CHART_MEASURE_KEY], state[RANK_MEASURE_KEY])
    if choice.series_by_row and state.get(SERIES_KEY) not in choice.series_by_row:
        linked = page.link.values["series"]
        state[SERIES_KEY] = linked if linked is not None else choice.series_by_row[0]
    dict(zip(VIEWS, (over_time, by_series, one_series), strict=True))[open_view](page, choice)
    update_link(page, choice, state.get(SERIES_KEY))
