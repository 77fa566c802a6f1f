"""The page's two views below its controls: one series (key figures, chart, data table) or several
compared. Each takes what the page loaded as a `PageContext` and the chosen series and zone, so a
view reads no module state and can be run on its own in a test.
"""

from dataclasses import dataclass, field
from functools import partial
from typing import Any

import streamlit as st
from dashboard_common.charts import plotly_chart
from dashboard_common.client import ApiError
from dashboard_common.freshness import render_api_unavailable
from dashboard_common.hours import time_label
from dashboard_common.links import LinkParam

from frontend import data
from frontend.calendar_days import Holiday, holidays_between
from frontend.choices import (
    COMPARE_BY,
    DEFAULT_COMPARED,
    LAYOUTS,
    MAX_COMPARED,
    TOTAL,
    area_choice_label,
    area_short_label,
    codes_only,
    consumer_type_choice_label,
    zone_label,
)
from frontend.figures import CompareMember, compare_figure, forecast_figure
from frontend.keyfigures import ForecastKeyFigures, format_change, format_kwh, format_range, key_figures
from frontend.links import LINK_VALUE_BY_ZONE, link_params
from frontend.series import SeriesView, chart_csv, chart_table, past_forecast, series_view


@dataclass(frozen=True)
class PageContext:
    """What one full run of the page loaded: the API, its status and data version, the choices it serves."""

    api_url: str
    status: dict[str, Any]
    data_version: str
    area_options: list[str]
    consumer_type_options: list[str]
    link: list[LinkParam] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "link", link_params(self.area_options, self.consumer_type_options))

    def series(self, area: str, consumer_type: str, zone: str) -> dict[str, Any] | None:
        return data.series(self.api_url, area, consumer_type, zone, self.data_version)


def series_title(area: str, consumer_type: str) -> str:
    return f"{area_choice_label(area)} · {consumer_type_choice_label(consumer_type)}"


def chart_title(area: str, consumer_type: str) -> str:
    return f"{area_short_label(area)} · {consumer_type_choice_label(consumer_type)}"


def _monitoring(context: PageContext, area: str, consumer_type: str, zone: str) -> tuple[dict | None, str | None]:
    """Past predictions of the series, or None and why there are none (the page goes on without)."""
    try:
        body = data.monitoring_series(context.api_url, area, consumer_type, zone, context.data_version)
    except ApiError as error:
        return None, f"Past forecasts are not available: {error.message}."
    if body is None or not body.get("hours"):
        return None, "The API has no past forecasts for this series yet."
    return body, None


def coverage_text(interval: dict) -> str:
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


def _ranges_text(range_80: tuple[float, float] | None, range_95: tuple[float, float] | None) -> str:
    return f"80 % range {format_range(range_80)}" + (f"; 95 % range {format_range(range_95)}" if range_95 else "")


def key_figures_row(figures: ForecastKeyFigures, zone: str) -> None:
    """The forecast's total, peak hour, peak and week-earlier change, with their ranges."""
    total, peak_hour, peak, change = st.columns(4)
    total.metric("Forecast, next 24 h", format_kwh(figures.total_kwh))
    if figures.total_range_80 is not None:
        total.caption(
            _ranges_text(figures.total_range_80, figures.total_range_95),
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
        peak.caption(_ranges_text(figures.peak_range_80, figures.peak_range_95))
    change.metric(
        "Change vs same hours a week earlier",
        format_change(figures.change_vs_week_before),
        help=(
            f"Forecast against {format_kwh(figures.week_before_total_kwh)} observed in the same "
            f"{figures.hours_compared} hours one week earlier."
        ),
    )


def _holidays(view: SeriesView) -> list[Holiday]:
    all_hours = view.observed.index.union(view.forecast.index)
    return holidays_between(all_hours[0], all_hours[-1]) if len(all_hours) else []


def forecast_chart(view: SeriesView, title: str, zone: str, monitoring: dict | None, monitoring_note: str | None):
    """The chart with its notes: how far the ranges held, the holidays in the window, past forecasts."""
    holidays = _holidays(view)
    past = past_forecast(monitoring, zone) if monitoring is not None else None
    plotly_chart(
        forecast_figure(view, title, zone_label(zone), holidays=holidays, past_forecast=past), key="forecast_chart"
    )
    notes = [coverage_text(view.interval) if view.has_ranges else "The API gives no range for this forecast."]
    if holidays:
        notes.append(
            "Public holidays in this window: " + ", ".join(f"{h.name} ({h.start:%a %d %b})" for h in holidays) + "."
        )
    st.caption(" ".join(notes))
    if monitoring_note:
        st.info(monitoring_note, icon=":material/history:")


def data_table(view: SeriesView, area: str, consumer_type: str, zone: str) -> None:
    """The hours behind the chart and their CSV, built only while the expander is open: the grid's code
    is a large download the browser would otherwise parse on every page load, competing with the chart."""
    with st.expander("Data behind the chart", key="data_behind_chart", on_change="rerun") as data_panel:
        if not data_panel.open:
            return
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


def single_series(context: PageContext, area: str, consumer_type: str, zone: str, show_past: bool) -> None:
    """One series: its key figures, the chart (with past forecasts if asked) and the data behind it."""
    try:
        body = context.series(area, consumer_type, zone)
    except ApiError as error:
        render_api_unavailable(error, key="retry_series")
        return
    if body is None:
        st.info(
            f"No observations for {series_title(area, consumer_type)}: this combination has no data to show. "
            "Pick another one above.",
            icon=":material/search_off:",
        )
        return
    view = series_view(body)
    monitoring, monitoring_note = _monitoring(context, area, consumer_type, zone) if show_past else (None, None)
    key_figures_row(key_figures(view.forecast, view.forecast_total), zone)
    forecast_chart(view, chart_title(area, consumer_type), zone, monitoring, monitoring_note)
    data_table(view, area, consumer_type, zone)


def _compared_members(context: PageContext, area: str, consumer_type: str) -> tuple[bool, list[tuple[str, str]]]:
    """(comparing areas?, the (area, consumer type) pairs to compare), from the compare widgets."""
    by_area = st.radio("Compare", COMPARE_BY, horizontal=True, key="compare_by") == COMPARE_BY[True]
    if by_area:
        st.caption(f"Both price areas, {consumer_type_choice_label(consumer_type)}.")
        return True, [(choice, consumer_type) for choice in context.area_options if choice != TOTAL]
    codes = codes_only(context.consumer_type_options)
    # Streamlit forgets a widget's state while it is not drawn: back to the default few.
    st.session_state.setdefault("compare_types", codes[:DEFAULT_COMPARED])
    picked = st.multiselect(
        f"Consumer types to compare in {area_choice_label(area)} (up to {MAX_COMPARED})",
        codes,
        max_selections=MAX_COMPARED,
        format_func=consumer_type_choice_label,
        key="compare_types",
    )
    return False, [(area, code) for code in picked]


def compared_series(context: PageContext, area: str, consumer_type: str, zone: str) -> None:
    """Several series on one chart: both areas, or chosen consumer types, overlaid or one row each."""
    by_area, members = _compared_members(context, area, consumer_type)
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
            body = context.series(member_area, member_type, zone)
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
