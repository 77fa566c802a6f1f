"""The model-monitoring dashboard: can the forecasts be trusted, and which series fail?

Run from `app-monitoring/`: `python -m monitoring` (API address from `APP_MONITORING_API_URL`).
The page reads top to bottom: status, headline figures (this week against last week), then one of
three views (a chooser): the aggregated error over time, the breakdown by series (a row opens that
series), one series in detail. Links carry the view, the series, the
threshold and the chosen figures, e.g. `?view=One+series&area=1&consumer_type=111&threshold=10`.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from functools import partial

import streamlit as st
from dashboard_common.charts import plotly_chart
from dashboard_common.client import ApiError, SeriesNotFound
from dashboard_common.freshness import render_api_unavailable, render_status
from dashboard_common.hours import parse_times
from dashboard_common.labels import area_label, consumer_type_label
from dashboard_common.links import read_link, write_link
from dashboard_common.status import data_version
from dashboard_common.theme import apply_theme

from monitoring import breakdown, comparison
from monitoring.aggregate import (
    daily_rolling_mean,
    hour_of_day_profile,
    hourly_frame,
    hourly_overview,
)
from monitoring.data import api_root, load_hourly, load_monitored_series, load_status, load_summary, series_chart
from monitoring.explanations import FIGURE_MEANINGS, WHEN_MAPE_MISLEADS
from monitoring.figures import (
    heatmap_figure,
    hour_of_day_figure,
    hourly_figure,
    series_figure,
)
from monitoring.links import ONE_SERIES, VIEW_PARAM, VIEWS, SeriesKey, link_params, link_values
from monitoring.measures import ALL_MEASURES, BIAS, BY_LABEL, HOURLY_MEASURES, Measure
from monitoring.report import ReportSection, html_report
from monitoring.series import hours_awaiting, hours_compared, hours_missing, series_csv, series_frame

TIME_FORMAT = "%d %b %Y %H:%M UTC"
SERIES_KEY = "series"
THRESHOLD_KEY = "threshold"
TABLE_KEY = "breakdown_table"
NOTICES_KEY = "link_notices"
CHART_MEASURE_KEY = "chart_measure"
RANK_MEASURE_KEY = "rank_measure"
PAGE_TITLE = "Forecast monitoring"
VIEW_KEY = VIEW_PARAM  # the view chooser keeps the chosen view in the URL under its key


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


def series_name(series: SeriesKey) -> str:
    area, consumer_type = series
    return f"{area_label(area)} · consumer type {consumer_type_label(consumer_type)}"


def render_monitoring_unavailable(error: ApiError) -> None:
    st.info(
        f"No monitoring data to show yet: {error.message}. Monitoring data appears after the "
        "pipeline's first monitoring run has compared predictions with observations.",
        icon=":material/hourglass_empty:",
    )
    st.button("Check again", key="retry_monitoring", on_click=st.cache_data.clear, icon=":material/refresh:")


def delta_colour(measure: Measure) -> str:
    """An error going up is bad (red), coverage going up is good; a bias change has no good side."""
    if measure is BIAS:
        return "off"
    return "normal" if measure.target is not None else "inverse"


def period_span(name: str) -> str:
    period = (summary.get("periods") or {}).get(name)
    if not period or not period.get("from") or not period.get("to"):
        return ""
    start, end = parse_times([period["from"], period["to"]])
    return f"{start:%d %b %H:%M} – {end:%d %b %H:%M} UTC"


st.set_page_config(page_title=PAGE_TITLE, page_icon=":material/monitoring:", layout="wide")
apply_theme()
st.title(PAGE_TITLE)
st.caption(
    "How far the hourly consumption forecasts were from what was observed afterwards, "
    "over all series and per area and consumer type."
)

api_url = api_root()
try:
    status = load_status(api_url)  # never older data after newer, whichever replica answers
except ApiError as error:
    render_api_unavailable(error)
    st.stop()
render_status(status)

version = data_version(status)
try:
    summary = load_summary(api_url, version)
    hourly = load_hourly(api_url, version)
except ApiError as error:
    render_monitoring_unavailable(error)
    st.stop()

table = breakdown.breakdown_table(summary)
summary_by_series = {(entry["area"], entry["consumer_type"]): entry for entry in summary["series"]}

# The URL holds the view: it initialises whatever the session does not know yet (first visit, or
# state dropped while the API was away); its notices are shown until the user changes the view.
listed = [breakdown.series_of_row(table, row) for row in range(len(table))]
params = link_params(listed)
link = read_link(st.query_params, params)
st.session_state.setdefault(NOTICES_KEY, link.notices_for())
st.session_state.setdefault(THRESHOLD_KEY, link.values["threshold"])
st.session_state.setdefault(RANK_MEASURE_KEY, link.values["rank"].label)
st.session_state.setdefault(CHART_MEASURE_KEY, link.values["figure"].label)

# Headline figures: the last 7 days pooled over all series, against the 7 days before.
st.header("Headline figures")
last_week = comparison.period_figures(summary, "last_7d")
if last_week is None or not last_week.get("hours_compared"):
    st.info(
        "No hour of the last 7 days has both a prediction and an observation yet.", icon=":material/hourglass_empty:"
    )
else:
    st.caption(
        f"Last 7 days ({period_span('last_7d')}), pooled over all series; the small figures compare "
        "with the 7 days before. A dash: the figure cannot be computed from these hours."
    )
    for column, measure in zip(st.columns(len(ALL_MEASURES)), ALL_MEASURES, strict=True):
        moved = comparison.change(summary, measure, "last_7d", "previous_7d")
        unit = " pp" if measure.percent else ""
        column.metric(
            measure.label,
            measure.text(last_week.get(measure.field)),
            delta=None if moved is None else f"{moved:+.2f}{unit}",
            delta_color=delta_colour(measure),
            help=measure.meaning,
        )
with st.expander("What the figures mean, and when MAPE misleads", expanded=True):
    st.markdown("\n".join(f"- **{name}**: {line}" for name, line in FIGURE_MEANINGS.items()))
    st.caption(WHEN_MAPE_MISLEADS)

st.subheader("This week against last week")
comparison_table = comparison.comparison_table(summary)
# A static table: six rows need no grid, and a data grid is among the costliest elements to draw.
st.table(comparison.formatted(comparison_table))

frame = hourly_frame(hourly)


def measure_radio(label: str, measures: Sequence[Measure], key: str, help: str | None = None) -> Measure:
    """A row of figures to choose from; the chosen one."""
    labels = [measure.label for measure in measures]
    return BY_LABEL[st.radio(label, labels, key=key, on_change=forget_link_notices, horizontal=True, help=help)]


def hourly_values(measure: Measure):
    return frame[measure.field] if len(frame) else frame.get(measure.field)


def over_time() -> None:
    """The aggregated error per hour over the monitoring window, and by hour of day."""
    st.header("Aggregated error over time")
    if len(frame):
        st.caption(
            f"Monitoring window {frame.index[0]:{TIME_FORMAT}} – {frame.index[-1]:{TIME_FORMAT}}: past predictions "
            "compared with the observations that have arrived since, over all series."
        )
    measure = measure_radio("Figure per hour", HOURLY_MEASURES, CHART_MEASURE_KEY)
    values = hourly_values(measure)
    overview = None if values is None else hourly_overview(values, measure, threshold)
    if overview is None:
        st.info("The monitoring window has no hour with a measured error yet.", icon=":material/hourglass_empty:")
        return
    latest, mean, worst, share = st.columns(4)
    unit = " %"
    latest.metric(
        f"Latest {measure.label}", f"{overview.latest:.2f}{unit}", help=f"{overview.latest_hour:{TIME_FORMAT}}"
    )
    mean.metric("Mean over the window", f"{overview.mean:.2f}{unit}", help=f"{overview.hours_measured} hours")
    worst.metric("Worst hour", f"{overview.worst:.2f}{unit}", help=f"{overview.worst_hour:{TIME_FORMAT}}")
    share.metric(
        "Hours beyond threshold",
        f"{overview.share_beyond_threshold:.0%}",
        help=f"{overview.hours_beyond_threshold} of {overview.hours_measured} hours beyond {threshold:g} %",
    )
    plotly_chart(hourly_figure(values, measure, threshold, daily_rolling_mean(values)), key="hourly_chart")
    plotly_chart(hour_of_day_figure(hour_of_day_profile(frame)), key="hour_of_day_chart")


FIGURE_FORMATS = {
    measure.unit_label: st.column_config.NumberColumn(
        measure.label + (" %" if measure.percent else ""), format="%.2f", width="small", help=measure.meaning
    )
    for measure in ALL_MEASURES
}


def series_table() -> None:
    """Every series with its figures, worst first; choosing a row picks the series shown below."""
    st.dataframe(
        ranked,
        key=TABLE_KEY,
        on_select=partial(select_series_from_table, series_by_row),
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
        partial(breakdown.breakdown_csv, ranked),
        file_name="monitoring_breakdown.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
    )


def build_report(series: SeriesKey, detail) -> bytes:
    """All three views as one self-contained HTML file (runs only when the button is pressed)."""
    key_figures = {} if last_week is None else {m.label: m.text(last_week.get(m.field)) for m in ALL_MEASURES}
    values = hourly_values(chart_measure)
    measured = values is not None and hourly_overview(values, chart_measure, threshold) is not None
    sections = [
        ReportSection("This week against last week", table=comparison_table),
        ReportSection(
            "Aggregated error over time",
            figure=hourly_figure(values, chart_measure, threshold, daily_rolling_mean(values)) if measured else None,
        ),
        ReportSection(
            "Error by hour of day", figure=hour_of_day_figure(hour_of_day_profile(frame)) if measured else None
        ),
        ReportSection(
            "Breakdown by series",
            text=f"Worst {rank_measure.label} first.",
            figure=heatmap_figure(breakdown.heatmap_matrix(ranked, rank_measure), rank_measure, threshold),
            table=ranked.drop(columns=[breakdown.AREA, breakdown.CONSUMER_TYPE]),
        ),
        ReportSection(series_name(series), figure=series_figure(detail, series)),
    ]
    return html_report(
        title=f"{PAGE_TITLE} · {datetime.now(UTC):%d %b %Y}",
        captions=[
            f"Data version {version} from {status.get('source', 'the API')}",
            f"Headline figures: last 7 days ({period_span('last_7d')}), pooled over all series.",
            f"Threshold {threshold:g} %.",
        ],
        key_figures=key_figures,
        meanings=FIGURE_MEANINGS,
        caveat=WHEN_MAPE_MISLEADS,
        sections=[section for section in sections if section.figure is not None or section.table is not None],
        generated_at=datetime.now(UTC),
    )


def update_link(series: SeriesKey | None) -> None:
    """The view's own parameters in the URL; the chosen view's (`view`) is the chooser's."""
    chosen = link_values(series, st.session_state[THRESHOLD_KEY], rank_measure, chart_measure)
    write_link(st.query_params, params, chosen)


@st.fragment
def series_detail() -> None:
    """One series in detail: the one chosen in the selectbox or in the breakdown table.

    A fragment, so choosing another series in the selectbox reruns only this part.
    """
    if not series_by_row:
        st.info("The monitoring data lists no series yet.", icon=":material/hourglass_empty:")
        return
    series = st.selectbox(
        f"Series (worst {rank_measure.label} first)",
        series_by_row,
        format_func=series_name,
        key=SERIES_KEY,
        on_change=forget_link_notices,
    )
    update_link(series)
    area, consumer_type = series
    try:
        monitored = load_monitored_series(api_url, version, area, consumer_type)
    except SeriesNotFound:
        st.info(f"The API has no monitoring data for {series_name(series)}.", icon=":material/search_off:")
        return
    except ApiError as error:
        render_api_unavailable(error, key="retry_series")
        return
    detail = series_frame(monitored)
    compared, awaiting, missing = hours_compared(detail), hours_awaiting(detail), hours_missing(detail)
    if compared == 0:
        st.info(
            f"No observation to compare yet for this series ({awaiting} predicted hours await observations), "
            "so there is no error to show.",
            icon=":material/hourglass_empty:",
        )
    else:
        figures = summary_by_series[series]
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
    plotly_chart(series_chart(api_url, version, area, consumer_type), key="series_chart")
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
        partial(build_report, series, detail),
        file_name=f"monitoring_report_{area}_{consumer_type}.html",
        mime="text/html",
        on_click="ignore",
        icon=":material/download:",
        help="One file with the figures, tables and charts of all three views; the charts stay interactive offline.",
    )


def by_series() -> None:
    """Every series ranked by one figure: the table (a row opens that series) and the heatmap."""
    st.header("Breakdown by series")
    measure_radio(
        "Rank and colour by",
        ALL_MEASURES,
        RANK_MEASURE_KEY,
        help="Orders the table worst first and colours the heatmap. Click a column header to sort by any figure.",
    )
    st.caption(
        f"{len(ranked)} series, worst {rank_measure.label} first; {int(ranked[breakdown.BEYOND_THRESHOLD].sum())} "
        f"beyond the line for {rank_measure.label}. Choose a row to see that series in detail. Blank cells: "
        "the figure cannot be computed (nothing compared, all observations zero, no week-earlier pairs)."
    )
    table_column, heatmap_column = st.columns([3, 2])
    with table_column:
        series_table()
    with heatmap_column:
        plotly_chart(
            heatmap_figure(breakdown.heatmap_matrix(ranked, rank_measure), rank_measure, threshold), key="heatmap"
        )


def one_series() -> None:
    st.header("One series")
    series_detail()


@st.fragment
def views() -> None:
    """The threshold and the view chooser, then the open view; a fragment, so choosing a view, a
    figure, the threshold or a row reruns only this part, not the headline above.

    The view functions read the view state below as this script's globals; a fragment rerun runs
    only this function, so it sets them again here (`global`) before drawing.
    """
    global threshold, chart_measure, rank_measure, ranked, series_by_row
    # The closed views' widgets are not drawn, and Streamlit forgets the state of widgets a run does
    # not draw: writing the values back keeps the choices made in another view.
    for widget_key in (CHART_MEASURE_KEY, RANK_MEASURE_KEY, SERIES_KEY):
        if widget_key in st.session_state:
            st.session_state[widget_key] = st.session_state[widget_key]
    for notice in st.session_state[NOTICES_KEY]:
        st.warning(notice, icon=":material/link_off:")
    threshold_column, _ = st.columns([1, 3])
    threshold = threshold_column.number_input(
        "Threshold (%)",
        min_value=0.1,
        max_value=1000.0,
        step=0.5,
        format="%.1f",
        key=THRESHOLD_KEY,
        on_change=forget_link_notices,
        help="Hours and series whose MAPE, WAPE or |bias| is beyond this are highlighted, in every view below.",
    )
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
    chart_measure = BY_LABEL[st.session_state[CHART_MEASURE_KEY]]
    rank_measure = BY_LABEL[st.session_state[RANK_MEASURE_KEY]]
    ranked = breakdown.flag_beyond_threshold(breakdown.rank(table, rank_measure), rank_measure, threshold)
    series_by_row = [breakdown.series_of_row(ranked, row) for row in range(len(ranked))]
    if series_by_row and st.session_state.get(SERIES_KEY) not in series_by_row:
        linked = link.values["series"]
        st.session_state[SERIES_KEY] = linked if linked is not None else series_by_row[0]
    dict(zip(VIEWS, (over_time, by_series, one_series), strict=True))[open_view]()
    update_link(st.session_state.get(SERIES_KEY))


views()
