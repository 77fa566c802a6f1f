"""The forecast dashboard: a price area (or all of Denmark) and a consumer type (or all), the last
week and the next 24 hours with how far the forecast can be trusted, in Danish time or UTC.

Run from `app-frontend/` with `python -m frontend` (warms up, then serves this page) or
`streamlit run frontend/main.py`. The page reads top to bottom: header and freshness, then the
controls, key figures, chart and data table. Everything below the freshness line is a fragment,
so changing a control reruns and redraws only that part. Ranges, totals and time zones come from
the API (`/api/v2`); the page only draws them.
"""

from functools import partial

import streamlit as st
from dashboard_common.charts import plotly_chart
from dashboard_common.client import ApiError
from dashboard_common.freshness import render_api_unavailable, render_freshness
from dashboard_common.hours import time_label
from dashboard_common.linktext import quoted
from dashboard_common.theme import apply_theme
from dashboard_common.versions import data_version as version_of
from dashboard_common.versions import keep_newest

from frontend import data
from frontend.calendar_days import holidays_between
from frontend.figures import CompareMember, compare_figure, forecast_figure
from frontend.keyfigures import format_change, format_kwh, format_range, key_figures
from frontend.links import (
    DANISH_TIME,
    LINK_VALUE_BY_ZONE,
    TOTAL,
    UTC,
    ViewOptions,
    area_choice_label,
    area_short_label,
    choice_from_link,
    choices,
    consumer_type_choice_label,
    view_options_from_link,
    view_options_link,
    zone_from_link,
    zone_label,
)
from frontend.series import (
    chart_csv,
    chart_table,
    forecast_window_text,
    past_forecast,
    series_view,
)

# Below 640 px Streamlit already stacks columns; these rules keep the rest inside a phone's width.
PHONE_CSS = """
<style>
@media (max-width: 640px) {
  .block-container { padding-left: 0.75rem; padding-right: 0.75rem; }
  [data-testid="stMetricValue"] { font-size: 1.5rem; }
  h1 { font-size: 1.7rem !important; }
}
</style>
"""
MAX_COMPARED = 8
DEFAULT_COMPARED = 3
COMPARE_BY = ["consumer types", "areas"]  # indexed by "compare areas?"
LAYOUTS = ["overlaid", "small multiples"]  # indexed by "small multiples?"

st.set_page_config(page_title="Energy consumption forecast", page_icon="⚡", layout="wide")
apply_theme()
st.markdown(PHONE_CSS, unsafe_allow_html=True)
api_url = data.api_base_url()

st.title("Hourly electricity consumption forecast")
st.markdown(
    "Observed consumption over the last week and the model's forecast for the next 24 hours, with the "
    "range it usually stays within, for Denmark, a price area, or one consumer type (DE35 industry code)."
)

try:
    status = keep_newest(data.status(api_url))  # never older data after newer, whichever replica answers
    data_version = version_of(status)
    listed = data.series_list(api_url, data_version)
except ApiError as error:
    render_api_unavailable(error)
    st.stop()

# The shared freshness line (and any rejected upload) without its UTC window: the window is written
# below, in the page's zone.
render_freshness(status, show_window=False)
if not listed:
    st.info("The API serves no series yet. Come back once the batch pipeline has written data.")
    st.stop()

area_options = choices([entry["area"] for entry in listed])
consumer_type_options = choices([entry["consumer_type"] for entry in listed])


def _start_from_link() -> None:
    """On the first run (or when the options changed), take the choices from the link's query."""
    notices = []
    for key, options, describe in (
        ("area", area_options, area_choice_label),
        ("consumer_type", consumer_type_options, consumer_type_choice_label),
    ):
        if st.session_state.get(key) in options:
            continue
        raw = st.query_params.get(key)
        chosen = choice_from_link(raw, options)
        st.session_state[key] = chosen.value
        if chosen.fell_back:
            notices.append(
                f"The link asks for {key.replace('_', ' ')} {quoted(raw)}, which has no data; "
                f"showing {describe(chosen.value)} instead."
            )
    if "zone" not in st.session_state:
        raw = st.query_params.get("tz")
        chosen = zone_from_link(raw)
        st.session_state["zone"] = chosen.value
        if chosen.fell_back:
            notices.append(
                f"The link asks for time zone {quoted(raw)}, which this page does not offer; "
                "showing Danish time instead."
            )
    if "compare" not in st.session_state:
        codes = [choice for choice in consumer_type_options if choice != TOTAL]
        options, option_notices = view_options_from_link(st.query_params.to_dict(), codes, MAX_COMPARED)
        st.session_state["compare"] = options.compare
        st.session_state["compare_by"] = COMPARE_BY[options.by_area]
        st.session_state["compare_types"] = list(options.types or codes[:DEFAULT_COMPARED])
        st.session_state["compare_share"] = options.as_share
        st.session_state["compare_layout"] = LAYOUTS[options.small_multiples]
        st.session_state["past_forecasts"] = options.show_past
        notices.extend(option_notices)
    for notice in notices:
        st.info(notice, icon=":material/link_off:")


def _keep_choice_in_link(area: str, consumer_type: str, zone: str) -> None:
    """The link follows every choice on the page (run after the widgets, so it sees their values)."""
    state = st.session_state
    options = ViewOptions(
        compare=bool(state.get("compare")),
        by_area=state.get("compare_by") == COMPARE_BY[True],
        types=tuple(state.get("compare_types") or ()),
        as_share=bool(state.get("compare_share")),
        small_multiples=state.get("compare_layout") == LAYOUTS[True],
        show_past=bool(state.get("past_forecasts")),
    )
    selection = {
        "area": area,
        "consumer_type": consumer_type,
        "tz": LINK_VALUE_BY_ZONE[zone],
        **view_options_link(options),
    }
    if st.query_params.to_dict() != selection:
        st.query_params.from_dict(selection)


def _series_title(area: str, consumer_type: str) -> str:
    return f"{area_choice_label(area)} · {consumer_type_choice_label(consumer_type)}"


def _chart_title(area: str, consumer_type: str) -> str:
    return f"{area_short_label(area)} · {consumer_type_choice_label(consumer_type)}"


def _monitoring(area: str, consumer_type: str, zone: str) -> tuple[dict | None, str | None]:
    """Past predictions of the series, or None and why there are none (the page goes on without)."""
    try:
        body = data.monitoring_series(api_url, area, consumer_type, zone, data_version)
    except ApiError as error:
        return None, f"Past forecasts are not available: {error.message}."
    if body is None or not body.get("hours"):
        return None, "The API has no past forecasts for this series yet."
    return body, None


def _coverage_text(interval: dict) -> str:
    coverage_80, coverage_95 = interval.get("coverage_80"), interval.get("coverage_95")
    if coverage_80 is None or coverage_95 is None:
        return (
            "This series has too little history to measure how often its ranges held; "
            "they are learnt from all series pooled."
        )
    return (
        f"Measured on past days, the 80 % range contained {coverage_80:.0%} and the 95 % range "
        f"{coverage_95:.0%} of what was then observed."
    )


def single_series(area: str, consumer_type: str, zone: str, show_past: bool) -> None:
    try:
        body = data.series(api_url, area, consumer_type, zone, data_version)
    except ApiError as error:
        render_api_unavailable(error, key="retry_series")
        return
    if body is None:
        st.info(
            f"No observations for {_series_title(area, consumer_type)}: this combination has no data to show. "
            "Pick another one above.",
            icon=":material/search_off:",
        )
        return
    view = series_view(body)
    monitoring, monitoring_note = _monitoring(area, consumer_type, zone) if show_past else (None, None)
    figures = key_figures(view.observed, view.forecast, view.forecast_total)

    total, peak_hour, peak, change = st.columns(4)
    total.metric("Forecast, next 24 h", format_kwh(figures.total_kwh))
    if figures.total_range_80 is not None:
        total.caption(
            f"80 % range {format_range(figures.total_range_80)}"
            + (f"; 95 % range {format_range(figures.total_range_95)}" if figures.total_range_95 else ""),
            help=(
                "The API's range for the 24-hour sum, learnt from how far the model's sums over as many "
                f"hours were from what was observed in {figures.total_range_windows} past windows (not the sum "
                "of the hourly ranges, which would be far too wide)."
            ),
        )
    elif figures.total_kwh is not None:
        total.caption("The API gives no range for this total (too little history).")
    peak_hour.metric(
        f"Peak hour ({zone_label(zone)})",
        "—" if figures.peak_hour is None else f"{figures.peak_hour:%a %H:%M} {figures.peak_hour.tzname()}",
        help=None if figures.peak_hour is None else time_label(figures.peak_hour),
    )
    peak.metric("Peak consumption", format_kwh(figures.peak_kwh))
    if figures.peak_range_80 is not None:
        peak.caption(
            f"80 % range {format_range(figures.peak_range_80)}"
            + (f"; 95 % range {format_range(figures.peak_range_95)}" if figures.peak_range_95 else "")
        )
    change.metric(
        "Change vs same hours a week earlier",
        format_change(figures.change_vs_week_before),
        help=(
            f"Forecast against {format_kwh(figures.week_before_total_kwh)} observed in the same "
            f"{figures.hours_compared} hours one week earlier."
        ),
    )

    all_hours = view.observed.index.union(view.forecast.index)
    holidays = holidays_between(all_hours[0], all_hours[-1]) if len(all_hours) else []
    past = past_forecast(monitoring, zone) if monitoring is not None else None
    plotly_chart(
        forecast_figure(
            view, _chart_title(area, consumer_type), zone_label(zone), holidays=holidays, past_forecast=past
        ),
        key="forecast_chart",
    )
    notes = [_coverage_text(view.interval) if view.has_ranges else "The API gives no range for this forecast."]
    if holidays:
        notes.append(
            "Public holidays in this window: " + ", ".join(f"{h.name} ({h.start:%a %d %b})" for h in holidays) + "."
        )
    st.caption(" ".join(notes))
    if monitoring_note:
        st.info(monitoring_note, icon=":material/history:")

    # The table is built only while the expander is open: its grid code is a large download the
    # browser would otherwise parse on every page load, competing with the chart.
    with st.expander("Data behind the chart", key="data_behind_chart", on_change="rerun") as data_panel:
        if data_panel.open:
            table = chart_table(view)
            table["time"] = table["time"].map(time_label)
            kwh = partial(st.column_config.NumberColumn, format="%.1f")
            st.dataframe(
                table,
                hide_index=True,
                placeholder="–",
                column_config={
                    "time": st.column_config.TextColumn(f"Hour ({zone_label(zone)})"),
                    "observed_kwh": kwh("Observed (kWh)"),
                    "forecast_kwh": kwh("Forecast (kWh)"),
                    "lower_80": kwh("80 % low"),
                    "upper_80": kwh("80 % high"),
                    "lower_95": kwh("95 % low"),
                    "upper_95": kwh("95 % high"),
                },
            )
            st.download_button(
                "Download CSV",
                data=partial(chart_csv, view),
                file_name=f"forecast_area-{area}_consumer-type-{consumer_type}_{LINK_VALUE_BY_ZONE[zone]}.csv",
                mime="text/csv",
                on_click="ignore",
                icon=":material/download:",
            )


def compared_series(area: str, consumer_type: str, zone: str) -> None:
    by_area = st.radio("Compare", COMPARE_BY, horizontal=True, key="compare_by") == COMPARE_BY[True]
    if by_area:
        members = [(choice, consumer_type) for choice in area_options if choice != TOTAL]
        st.caption(f"Both price areas, {consumer_type_choice_label(consumer_type)}.")
    else:
        codes = [choice for choice in consumer_type_options if choice != TOTAL]
        st.session_state.setdefault("compare_types", codes[:DEFAULT_COMPARED])
        picked = st.multiselect(
            f"Consumer types to compare in {area_choice_label(area)} (up to {MAX_COMPARED})",
            codes,
            max_selections=MAX_COMPARED,
            format_func=consumer_type_choice_label,
            key="compare_types",
        )
        members = [(area, code) for code in picked]
    share_column, layout_column = st.columns(2)
    as_share = share_column.toggle("Each as a share of its own weekly mean", key="compare_share")
    small_multiples = layout_column.radio("Layout", LAYOUTS, horizontal=True, key="compare_layout") == LAYOUTS[True]
    if not members:
        st.info("Pick at least one consumer type to compare.")
        return
    compared, missing = [], []
    for member_area, member_type in members:
        label = area_choice_label(member_area) if by_area else consumer_type_choice_label(member_type)
        try:
            body = data.series(api_url, member_area, member_type, zone, data_version)
        except ApiError as error:
            render_api_unavailable(error, key="retry_compare")
            return
        if body is None:
            missing.append(label)
            continue
        view = series_view(body)
        compared.append(CompareMember(label, view.observed, view.forecast["kwh"]))
    if missing:
        st.info("No data for " + ", ".join(missing) + "; left out of the comparison.")
    if not compared:
        return
    title = (
        f"Both areas · {consumer_type_choice_label(consumer_type)}"
        if by_area
        else f"{area_short_label(area)} · {len(compared)} consumer types"
    )
    plotly_chart(
        compare_figure(compared, title, zone_label(zone), as_share=as_share, small_multiples=small_multiples),
        key="compare_chart",
    )
    if as_share:
        st.caption("100 % is each series' own mean over its latest observed week.")


@st.fragment
def forecast_section() -> None:
    _start_from_link()
    area_column, consumer_type_column, zone_column = st.columns([2, 2, 1])
    area = area_column.selectbox("Price area", area_options, format_func=area_choice_label, key="area")
    consumer_type = consumer_type_column.selectbox(
        "Consumer type (DE35 code, type to search)",
        consumer_type_options,
        format_func=consumer_type_choice_label,
        key="consumer_type",
    )
    zone = zone_column.radio("Times in", [DANISH_TIME, UTC], format_func=zone_label, horizontal=True, key="zone")
    st.caption(forecast_window_text(status.get("forecast_from"), status.get("forecast_to"), zone))
    compare_column, past_column = st.columns(2)
    compare = compare_column.toggle("Compare several series", key="compare")
    show_past = past_column.toggle(
        "Show what the model had predicted for the past week", key="past_forecasts", disabled=compare
    )
    if compare:
        compared_series(area, consumer_type, zone)
    else:
        single_series(area, consumer_type, zone, show_past)
    _keep_choice_in_link(area, consumer_type, zone)


forecast_section()
