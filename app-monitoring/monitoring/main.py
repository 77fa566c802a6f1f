"""The model-monitoring dashboard: can the forecasts be trusted, and which series fail?

Run from `app-monitoring/`: `streamlit run monitoring/main.py` (API address from
`APP_MONITORING_API_URL`). The page reads top to bottom: freshness, the aggregated error over time,
the per-series breakdown, then one series in detail. Links carry the series and the threshold,
for example `?area=1&consumer_type=111&threshold=10`.
"""

from functools import partial

import streamlit as st
from dashboard_common.client import ApiError, SeriesNotFound, api_base_url
from dashboard_common.freshness import format_hour_window, render_api_unavailable, render_freshness
from dashboard_common.labels import area_label, consumer_type_label
from dashboard_common.theme import apply_theme
from dashboard_common.versions import data_version, keep_newest

from monitoring import breakdown
from monitoring.aggregate import daily_rolling_mean, key_figures, mape_percent
from monitoring.data import load_freshness, load_metrics, load_series_errors, load_summary
from monitoring.deeplink import Series, link_params, parse_link
from monitoring.figures import heatmap_figure, mape_figure, series_figure
from monitoring.series import hours_awaiting, hours_compared, series_csv, series_frame

TIME_FORMAT = "%d %b %Y %H:%M UTC"
SERIES_KEY = "series"
THRESHOLD_KEY = "threshold"
TABLE_KEY = "breakdown_table"
NOTICES_KEY = "link_notices"


def forget_link_notices() -> None:
    """Once the user changes the view, what the link asked for no longer matters."""
    st.session_state[NOTICES_KEY] = []


def select_series_from_table(series_by_row: list[Series]) -> None:
    """Runs before the rerun when a table row is chosen, so the selectbox can follow it."""
    rows = st.session_state[TABLE_KEY].selection.rows
    if rows:
        st.session_state[SERIES_KEY] = series_by_row[rows[0]]
        forget_link_notices()


def series_name(series: Series) -> str:
    area, consumer_type = series
    return f"{area_label(area)} · consumer type {consumer_type_label(consumer_type)}"


def render_monitoring_unavailable(error: ApiError) -> None:
    st.info(
        f"No monitoring data to show yet: {error.message}. Monitoring data appears after the "
        "pipeline's first monitoring run has compared predictions with observations.",
        icon=":material/hourglass_empty:",
    )
    st.button("Check again", key="retry_monitoring", on_click=st.cache_data.clear, icon=":material/refresh:")


st.set_page_config(page_title="Forecast monitoring", page_icon=":material/monitoring:", layout="wide")
apply_theme()
st.title("Forecast monitoring")
st.caption(
    "How far the hourly consumption forecasts were from what was observed afterwards, "
    "over all series and per area and consumer type."
)

api_url = api_base_url("APP_MONITORING_API_URL")
try:
    freshness = keep_newest(load_freshness(api_url))  # never older data after newer, whichever replica answers
except ApiError as error:
    render_api_unavailable(error)
    st.stop()
render_freshness(freshness)

version = data_version(freshness)
try:
    metrics = load_metrics(api_url, version)
    summary = load_summary(api_url, version)
except ApiError as error:
    render_monitoring_unavailable(error)
    st.stop()

table = breakdown.breakdown_table(summary)
series_by_row = [breakdown.series_of_row(table, row) for row in range(len(table))]

# The URL holds the view: it initialises whatever the session does not know yet (first visit, or
# state dropped while the API was away); its notices are shown until the user changes the view.
link = parse_link(st.query_params.to_dict(), series_by_row)
st.session_state.setdefault(NOTICES_KEY, link.notices)
st.session_state.setdefault(THRESHOLD_KEY, link.threshold)
if series_by_row and st.session_state.get(SERIES_KEY) not in series_by_row:
    st.session_state[SERIES_KEY] = link.series if link.series is not None else series_by_row[0]
for notice in st.session_state[NOTICES_KEY]:
    st.warning(notice, icon=":material/link_off:")

st.header("Aggregated error over time")
if summary["window_from"] is not None and summary["window_to"] is not None:
    st.caption(
        "Monitoring window "
        + format_hour_window(summary["window_from"], summary["window_to"])
        + ": past predictions compared with the observations that have arrived since."
    )
threshold = st.number_input(
    "Threshold (MAPE, %)",
    min_value=0.1,
    max_value=1000.0,
    step=0.5,
    format="%.1f",
    key=THRESHOLD_KEY,
    on_change=forget_link_notices,
    help="Hours and series whose MAPE is above this are highlighted.",
    width=240,
)

mape = mape_percent(metrics)
figures = key_figures(mape, threshold)
if figures is None:
    st.info("The monitoring window has no hour with a measured MAPE yet.", icon=":material/hourglass_empty:")
else:
    latest, mean, worst, share = st.columns(4)
    latest.metric("Latest MAPE", f"{figures.latest_mape:.2f} %", help=f"{figures.latest_hour:{TIME_FORMAT}}")
    mean.metric("Mean over the window", f"{figures.mean_mape:.2f} %", help=f"{figures.hours_measured} hours")
    worst.metric("Worst hour", f"{figures.worst_mape:.2f} %", help=f"{figures.worst_hour:{TIME_FORMAT}}")
    share.metric(
        "Hours above threshold",
        f"{figures.share_above_threshold:.0%}",
        help=f"{figures.hours_above_threshold} of {figures.hours_measured} hours above {threshold:g} %",
    )
    st.caption(f"Latest hour {figures.latest_hour:{TIME_FORMAT}} · worst hour {figures.worst_hour:{TIME_FORMAT}}")
st.plotly_chart(mape_figure(mape, threshold, daily_rolling_mean(mape)), theme=None, key="mape_chart")


st.header("Breakdown by series")
flagged = breakdown.flag_above_threshold(table, threshold)
st.caption(
    f"{len(flagged)} series, worst MAPE first; {int(flagged[breakdown.ABOVE_THRESHOLD].sum())} above "
    f"{threshold:g} %. Choose a row to see that series below; click a column header to sort. "
    "Blank heatmap cells have no hour compared yet."
)
table_column, heatmap_column = st.columns([3, 2])
# The heatmap depends on the threshold only: drawn here, it is left alone when a series is chosen.
heatmap_column.plotly_chart(heatmap_figure(breakdown.mape_heatmap(flagged), threshold), theme=None, key="heatmap")


def series_table() -> None:
    """Every series with its errors, worst first; choosing a row picks the series shown below."""
    st.dataframe(
        flagged,
        key=TABLE_KEY,
        on_select=partial(select_series_from_table, series_by_row),
        selection_mode="single-row",
        hide_index=True,
        height=640,
        placeholder="–",
        column_order=[
            breakdown.AREA_LABEL,
            breakdown.CONSUMER_TYPE_LABEL,
            breakdown.MAPE,
            breakdown.MAE,
            breakdown.RMSE,
            breakdown.HOURS_COMPARED,
            breakdown.HOURS_AWAITING,
            breakdown.ABOVE_THRESHOLD,
        ],
        column_config={
            breakdown.AREA_LABEL: st.column_config.TextColumn(width="medium"),
            breakdown.CONSUMER_TYPE_LABEL: st.column_config.TextColumn("Type", width="small"),
            breakdown.MAPE: st.column_config.NumberColumn(format="%.2f", width="small"),
            breakdown.MAE: st.column_config.NumberColumn(format="%.0f", width="small"),
            breakdown.RMSE: st.column_config.NumberColumn(format="%.0f", width="small"),
            breakdown.HOURS_COMPARED: st.column_config.NumberColumn("Compared (h)", width="small"),
            breakdown.HOURS_AWAITING: st.column_config.NumberColumn("Awaiting (h)", width="small"),
            breakdown.ABOVE_THRESHOLD: st.column_config.CheckboxColumn("Above", width="small"),
        },
    )
    st.download_button(
        "Download the table (CSV)",
        partial(breakdown.breakdown_csv, flagged),
        file_name="monitoring_breakdown.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
    )


@st.fragment
def series_detail() -> None:
    """One series in detail: the one chosen in the selectbox or the table.

    A fragment of its own inside `table_and_series`, so the selectbox reruns only this part.
    """
    st.header("One series")
    if not series_by_row:
        st.info("The monitoring data lists no series yet.", icon=":material/hourglass_empty:")
        return
    series = st.selectbox(
        "Series (worst first)",
        series_by_row,
        format_func=series_name,
        key=SERIES_KEY,
        on_change=forget_link_notices,
    )
    st.query_params.from_dict(link_params(series, st.session_state[THRESHOLD_KEY]))
    area, consumer_type = series
    try:
        errors = load_series_errors(api_url, version, area, consumer_type)
    except SeriesNotFound:
        st.info(f"The API has no monitoring data for {series_name(series)}.", icon=":material/search_off:")
        return
    except ApiError as error:
        render_api_unavailable(error, key="retry_series")
        return
    frame = series_frame(errors)
    compared, awaiting = hours_compared(frame), hours_awaiting(frame)
    if compared == 0:
        st.info(
            f"No observations yet for this series: all {awaiting} predicted hours are awaiting "
            "observations, so there is no error to show.",
            icon=":material/hourglass_empty:",
        )
    else:
        row = table.iloc[breakdown.row_of_series(table, series)]
        mape_column, mae_column, rmse_column, hours_column = st.columns(4)
        mape_column.metric("MAPE", f"{row[breakdown.MAPE]:.2f} %")
        mae_column.metric("MAE", f"{row[breakdown.MAE]:,.0f} kWh")
        rmse_column.metric("RMSE", f"{row[breakdown.RMSE]:,.0f} kWh")
        hours_column.metric("Hours compared", compared, help=f"{awaiting} more hours await observations")
    st.plotly_chart(series_figure(frame, series), theme=None, key="series_chart")
    st.download_button(
        "Download this series (CSV)",
        partial(series_csv, frame),
        file_name=f"monitoring_{area}_{consumer_type}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
    )


@st.fragment
def table_and_series() -> None:
    """A row chosen in the table reruns the table and the series below, not the page or the heatmap."""
    with table_column:
        series_table()
    series_detail()


table_and_series()
