"""The forecast dashboard: pick a price area and consumer type, see last week and the next 24 hours.

Run from `app-frontend/` with `streamlit run frontend/main.py`. The page reads top to bottom:
header and freshness, then the selectors, key figures, chart and data table. The selection part
is a fragment, so changing the selection reruns and redraws only that part.
"""

from functools import partial

import streamlit as st
from dashboard_common.client import ApiError, api_base_url
from dashboard_common.freshness import render_api_unavailable, render_freshness
from dashboard_common.labels import area_label, consumer_type_label
from dashboard_common.theme import apply_theme
from dashboard_common.versions import data_version, keep_newest

from frontend import data
from frontend.figures import forecast_figure
from frontend.keyfigures import format_change, format_kwh, key_figures
from frontend.selection import choice_from_query
from frontend.series import chart_csv, chart_table, forecast_series

st.set_page_config(page_title="Energy consumption forecast", page_icon="⚡", layout="wide")
apply_theme()
api_url = api_base_url(data.API_URL_VARIABLE)

st.title("Hourly electricity consumption forecast")
st.markdown(
    "Observed consumption over the last week and the model's forecast for the next 24 hours, "
    "per Danish price area and consumer type (DE35 industry code)."
)

try:
    freshness = keep_newest(data.freshness(api_url))  # never older data after newer, whichever replica answers
    version = data_version(freshness)
    areas = data.area_values(api_url, version)
    consumer_types = data.consumer_type_values(api_url, version)
except ApiError as error:
    render_api_unavailable(error)
    st.stop()

render_freshness(freshness)
if not areas or not consumer_types:
    st.info("The API serves no series yet. Come back once the batch pipeline has written data.")
    st.stop()


def _start_from_deep_link(key: str, options: list[int], describe) -> None:
    """On the first run (or when the data changed), take the selection from the URL query."""
    if st.session_state.get(key) in options:
        return
    raw = st.query_params.get(key)
    value, fell_back = choice_from_query(raw, options)
    st.session_state[key] = value
    if fell_back:
        st.session_state.setdefault("deep_link_notices", []).append(
            f"The link asks for {key.replace('_', ' ')} `{raw}`, which has no data; showing {describe(value)} instead."
        )


@st.fragment
def forecast_section() -> None:
    _start_from_deep_link("area", areas, area_label)
    _start_from_deep_link("consumer_type", consumer_types, consumer_type_label)
    for notice in st.session_state.pop("deep_link_notices", []):
        st.info(notice, icon=":material/link_off:")

    area_column, consumer_type_column = st.columns(2)
    area = area_column.selectbox("Price area", areas, format_func=area_label, key="area")
    consumer_type = consumer_type_column.selectbox(
        "Consumer type (DE35 code, type to search)",
        consumer_types,
        format_func=consumer_type_label,
        key="consumer_type",
    )
    selection = {"area": str(area), "consumer_type": str(consumer_type)}
    if st.query_params.to_dict() != selection:
        st.query_params.from_dict(selection)

    try:
        body = data.predictions(api_url, area, consumer_type, version)
    except ApiError as error:
        render_api_unavailable(error, key="retry_predictions")
        return
    if body is None:
        st.info(
            f"No observations for {area_label(area)}, consumer type "
            f"{consumer_type_label(consumer_type)}: this combination has no data to show. "
            "Pick another one above.",
            icon=":material/search_off:",
        )
        return

    series = forecast_series(body)
    figures = key_figures(series.observed, series.forecast)
    total, peak_hour, peak, change = st.columns(4)
    total.metric("Forecast, next 24 h", format_kwh(figures.forecast_total_kwh))
    peak_hour.metric(
        "Peak hour (UTC)",
        "—" if figures.peak_hour is None else f"{figures.peak_hour:%a %d %b %H:00}",
    )
    peak.metric("Peak consumption", format_kwh(figures.peak_kwh))
    change.metric(
        "Change vs same hours a week earlier",
        format_change(figures.change_vs_week_before),
        help=(
            f"Forecast against {format_kwh(figures.week_before_total_kwh)} observed in the same "
            f"{figures.hours_compared} hours one week earlier."
        ),
    )

    title = f"{area_label(area)} · consumer type {consumer_type_label(consumer_type)}"
    st.plotly_chart(
        forecast_figure(series.observed, series.forecast, title=title),
        theme=None,
        width="stretch",
        config={"displaylogo": False},
    )

    # The table is built only while the expander is open: its grid code is a large download the
    # browser would otherwise parse on every page load, competing with the chart.
    with st.expander("Data behind the chart", key="data_behind_chart", on_change="rerun") as data_panel:
        if data_panel.open:
            st.dataframe(
                chart_table(series),
                hide_index=True,
                column_config={
                    "hour_utc": st.column_config.DatetimeColumn("Hour (UTC)", format="YYYY-MM-DD HH:mm"),
                    "observed_kwh": st.column_config.NumberColumn("Observed (kWh)", format="%.1f"),
                    "forecast_kwh": st.column_config.NumberColumn("Forecast (kWh)", format="%.1f"),
                },
            )
            st.download_button(
                "Download CSV",
                data=partial(chart_csv, series),
                file_name=f"forecast_area{area}_consumer_type{consumer_type}.csv",
                mime="text/csv",
                on_click="ignore",
                icon=":material/download:",
            )


forecast_section()
