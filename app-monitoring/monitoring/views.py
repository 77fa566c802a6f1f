"""The monitoring page's views below the headline: the threshold and view chooser, then one of
"Over time", "By series" and "One series", each drawn from explicit inputs (`state.PageData` from the
page's run, `state.ViewChoice` from the widgets above the view).

`views(page)` is one fragment: choosing a view, a figure, the threshold or a table row reruns only
this part, not the headline above (BENCHMARKS.md, "Monitoring page in three views"). The series
detail is a nested fragment, so choosing another series reruns only that.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from functools import partial

import streamlit as st
from dashboard_common.charts import plotly_chart
from dashboard_common.client import ApiError, SeriesNotFound
from dashboard_common.freshness import render_api_unavailable
from dashboard_common.links import write_link

from monitoring import breakdown
from monitoring.aggregate import hour_of_day_frame, hourly_overview, trailing_day
from monitoring.data import load_hour_of_day, load_monitored_series, series_chart
from monitoring.figures import heatmap_figure, hour_of_day_figure, hourly_figure
from monitoring.links import ONE_SERIES, VIEW_PARAM, VIEWS, SeriesKey, link_values
from monitoring.measures import ALL_MEASURES, BY_LABEL, HOURLY_MEASURES, Measure
from monitoring.report import page_report
from monitoring.series import series_csv, series_frame
from monitoring.state import (
    CHART_MEASURE_KEY,
    NOTICES_KEY,
    RANK_MEASURE_KEY,
    SERIES_KEY,
    TABLE_KEY,
    THRESHOLD_KEY,
    PageData,
    ViewChoice,
    series_name,
    view_choice,
)

TIME_FORMAT = "%d %b %Y %H:%M UTC"
VIEW_KEY = VIEW_PARAM  # the view chooser keeps the chosen view in the URL under its key
FIGURE_FORMATS = {
    measure.unit_label: st.column_config.NumberColumn(
        measure.label + (" %" if measure.percent else ""), format="%.2f", width="small", help=measure.meaning
    )
    for measure in ALL_MEASURES
}


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


def measure_radio(label: str, measures: Sequence[Measure], key: str, help: str | None = None) -> Measure:
    """A row of figures to choose from; the chosen one."""
    labels = [measure.label for measure in measures]
    return BY_LABEL[st.radio(label, labels, key=key, on_change=forget_link_notices, horizontal=True, help=help)]


def update_link(page: PageData, choice: ViewChoice, series: SeriesKey | None) -> None:
    """The view's own parameters in the URL; the chosen view's (`view`) is the chooser's."""
    chosen = link_values(series, st.session_state[THRESHOLD_KEY], choice.rank_measure, choice.chart_measure)
    write_link(st.query_params, page.params, chosen)


def hour_of_day_profile(page: PageData):
    """The API's hour-of-day profile in Danish time, or None when the API cannot give it now."""
    try:
        return hour_of_day_frame(load_hour_of_day(page.api_url, page.version))
    except ApiError as error:
        render_api_unavailable(error, key="retry_profile")
        return None


def _overview_metrics(page: PageData, measure: Measure, overview, threshold: float) -> None:
    """Latest and worst hour, the whole window pooled by the API, and how often beyond the threshold."""
    latest, window, worst, share = st.columns(4)
    latest.metric(f"Latest {measure.label}", f"{overview.latest:.2f} %", help=f"{overview.latest_hour:{TIME_FORMAT}}")
    window.metric(
        "Whole window (pooled)",
        measure.text(page.summary.get("overall", {}).get(measure.field)),
        help=f"Pooled by the API over every compared series-hour of the window ({overview.hours_measured} hours).",
    )
    worst.metric("Worst hour", f"{overview.worst:.2f} %", help=f"{overview.worst_hour:{TIME_FORMAT}}")
    share.metric(
        "Hours beyond threshold",
        f"{overview.share_beyond_threshold:.0%}",
        help=f"{overview.hours_beyond_threshold} of {overview.hours_measured} hours beyond {threshold:g} %",
    )


def over_time(page: PageData, choice: ViewChoice) -> None:
    """The aggregated error per hour over the monitoring window, and by hour of day (Danish time)."""
    st.header("Aggregated error over time")
    frame = page.frame
    if len(frame):
        st.caption(
            f"Monitoring window {frame.index[0]:{TIME_FORMAT}} – {frame.index[-1]:{TIME_FORMAT}}: past predictions "
            "compared with the observations that have arrived since, over all series."
        )
    measure = measure_radio("Figure per hour", HOURLY_MEASURES, CHART_MEASURE_KEY)
    values = frame.get(measure.field)
    overview = None if values is None else hourly_overview(values, measure, choice.threshold)
    if overview is None:
        st.info("The monitoring window has no hour with a measured error yet.", icon=":material/hourglass_empty:")
        return
    _overview_metrics(page, measure, overview, choice.threshold)
    figure = hourly_figure(values, measure, choice.threshold, trailing_day(frame, measure))
    plotly_chart(figure, key="hourly_chart")
    profile = hour_of_day_profile(page)
    if profile is not None:
        plotly_chart(hour_of_day_figure(profile), key="hour_of_day_chart")


def series_table(choice: ViewChoice) -> None:
    """Every series with its figures, worst first; choosing a row picks the series shown below."""
    st.dataframe(
        choice.ranked,
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
            breakdown.AREA_LABEL: st.column_config.TextColumn(width="medium"),
            breakdown.CONSUMER_TYPE_LABEL: st.column_config.TextColumn("Type", width="small"),
            **FIGURE_FORMATS,
            breakdown.HOURS_COMPARED: st.column_config.NumberColumn("Compared (h)", width="small"),
            breakdown.BEYOND_THRESHOLD: st.column_config.CheckboxColumn("Beyond", width="small"),
        },
    )
    st.download_button(
        "Download the table (CSV)",
        partial(breakdown.breakdown_csv, choice.ranked),
        file_name="monitoring_breakdown.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
    )


def by_series(page: PageData, choice: ViewChoice) -> None:
    """Every series ranked by one figure: the table (a row opens that series) and the heatmap."""
    st.header("Breakdown by series")
    measure_radio(
        "Rank and colour by",
        ALL_MEASURES,
        RANK_MEASURE_KEY,
        help="Orders the table worst first and colours the heatmap. Click a column header to sort by any figure.",
    )
    ranked, rank_measure = choice.ranked, choice.rank_measure
    st.caption(
        f"{len(ranked)} series, worst {rank_measure.label} first; {int(ranked[breakdown.BEYOND_THRESHOLD].sum())} "
        f"beyond the line for {rank_measure.label}. Choose a row to see that series in detail. Blank cells: "
        "the figure cannot be computed (nothing compared, all observations zero, no week-earlier pairs)."
    )
    table_column, heatmap_column = st.columns([3, 2])
    with table_column:
        series_table(choice)
    with heatmap_column:
        matrix = breakdown.heatmap_matrix(ranked, rank_measure)
        plotly_chart(heatmap_figure(matrix, rank_measure, choice.threshold), key="heatmap")


def _series_counts(page: PageData, series: SeriesKey, monitored: dict) -> None:
    """The series' figures (the summary's) and its hour counts (the API's), or why there are none."""
    compared = monitored.get("hours_compared", 0)
    awaiting = monitored.get("hours_awaiting_observation", 0)
    missing = monitored.get("hours_missing", 0)
    if compared == 0:
        st.info(
            f"No observation to compare yet for this series ({awaiting} predicted hours await observations), "
            "so there is no error to show.",
            icon=":material/hourglass_empty:",
        )
        return
    figures = page.summary_by_series.get(series, {})
    columns = st.columns(len(ALL_MEASURES) + 1)
    for column, measure in zip(columns[:-1], ALL_MEASURES, strict=True):
        column.metric(measure.label, measure.text(figures.get(measure.field)), help=measure.meaning)
    columns[-1].metric(
        "Hours compared",
        compared,
        help=f"{awaiting} hours await observations; {missing} hours inside the window have no observation",
    )
    if missing:
        st.caption(f"{missing} hours inside the window have no observation: drawn as gaps, not as awaited.")


def _series_downloads(page: PageData, choice: ViewChoice, series: SeriesKey, monitored: dict) -> None:
    """The series as CSV, and all three views as one HTML report (each built only when pressed)."""
    area, consumer_type = series
    detail = series_frame(monitored)
    csv_column, report_column = st.columns(2)
    csv_column.download_button(
        "Download this series (CSV)",
        partial(series_csv, detail),
        file_name=f"monitoring_{area}_{consumer_type}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
    )
    report_column.download_button(
        "Download this view (HTML report)",
        partial(_report, page, choice, series, detail),
        file_name=f"monitoring_report_{area}_{consumer_type}.html",
        mime="text/html",
        on_click="ignore",
        icon=":material/download:",
        help="One file with the figures, tables and charts of all three views; the charts stay interactive offline.",
    )


def _report(page: PageData, choice: ViewChoice, series: SeriesKey, detail) -> bytes:
    try:
        profile = hour_of_day_frame(load_hour_of_day(page.api_url, page.version))
    except ApiError:
        profile = None  # the report leaves the hour-of-day section out
    return page_report(page, choice, series, detail, profile, datetime.now(UTC))


@st.fragment
def series_detail(page: PageData, choice: ViewChoice) -> None:
    """One series in detail: the one chosen in the selectbox or in the breakdown table.

    A fragment, so choosing another series in the selectbox reruns only this part.
    """
    if not choice.series_by_row:
        st.info("The monitoring data lists no series yet.", icon=":material/hourglass_empty:")
        return
    series = st.selectbox(
        f"Series (worst {choice.rank_measure.label} first)",
        choice.series_by_row,
        format_func=series_name,
        key=SERIES_KEY,
        on_change=forget_link_notices,
    )
    update_link(page, choice, series)
    area, consumer_type = series
    try:
        monitored = load_monitored_series(page.api_url, page.version, area, consumer_type)
    except SeriesNotFound:
        st.info(f"The API has no monitoring data for {series_name(series)}.", icon=":material/search_off:")
        return
    except ApiError as error:
        render_api_unavailable(error, key="retry_series")
        return
    _series_counts(page, series, monitored)
    plotly_chart(series_chart(page.api_url, page.version, area, consumer_type), key="series_chart")
    _series_downloads(page, choice, series, monitored)


def one_series(page: PageData, choice: ViewChoice) -> None:
    st.header("One series")
    series_detail(page, choice)


def _threshold() -> float:
    threshold_column, _ = st.columns([1, 3])
    return threshold_column.number_input(
        "Threshold (%)",
        min_value=0.1,
        max_value=1000.0,
        step=0.5,
        format="%.1f",
        key=THRESHOLD_KEY,
        on_change=forget_link_notices,
        help="Hours and series whose MAPE, WAPE or |bias| is beyond this are highlighted, in every view below.",
    )


@st.fragment
def views(page: PageData) -> None:
    """The threshold and the view chooser, then the open view (see the module's docstring)."""
    # The closed views' widgets are not drawn, and Streamlit forgets the state of widgets a run does
    # not draw: writing the values back keeps the choices made in another view.
    for widget_key in (CHART_MEASURE_KEY, RANK_MEASURE_KEY, SERIES_KEY):
        if widget_key in st.session_state:
            st.session_state[widget_key] = st.session_state[widget_key]
    for notice in st.session_state[NOTICES_KEY]:
        st.warning(notice, icon=":material/link_off:")
    threshold = _threshold()
    # One view at a time: only the chosen view runs and is drawn, so a page load draws one or two
    # charts rather than four and a data grid. The chosen view is in the link (`view=`).
    open_view = st.segmented_control(
        "View",
        list(VIEWS),
        default=VIEWS[0],
        required=True,
        key=VIEW_KEY,
        bind="query-params",
        on_change=forget_link_notices,
        label_visibility="collapsed",
    )
    state = st.session_state
    choice = view_choice(page, threshold, state[CHART_MEASURE_KEY], state[RANK_MEASURE_KEY])
    if choice.series_by_row and state.get(SERIES_KEY) not in choice.series_by_row:
        linked = page.link.values["series"]
        state[SERIES_KEY] = linked if linked is not None else choice.series_by_row[0]
    dict(zip(VIEWS, (over_time, by_series, one_series), strict=True))[open_view](page, choice)
    update_link(page, choice, state.get(SERIES_KEY))
