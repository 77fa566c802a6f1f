"""The page's two views below its controls: one series (key figures, chart, data table) or several
compared. Each takes what the page loaded as a `PageContext` and the chosen series and zone, so a
view reads no module state and can be run on its own in a test. Every text is in the page's language
(`PageContext.language`, its `_`).
"""

from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st
from babel.dates import format_datetime
from babel.numbers import format_percent
from dashboard_common.charts import ChartData, chart_data, plotly_chart
from dashboard_common.client import ApiError, DataVersionMismatch
from dashboard_common.freshness import render_api_unavailable
from dashboard_common.hours import time_label
from dashboard_common.i18n import ENGLISH, LOCALES, N_, Translate, long_date, number, translator
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
from frontend.describe import compare_chart_text, forecast_chart_text
from frontend.figures import CompareMember, compare_figure, forecast_figure, share_of_weekly_mean
from frontend.keyfigures import (
    BiasWarning,
    ForecastKeyFigures,
    bias_warning,
    format_change,
    format_kwh,
    format_range,
    key_figures,
    recent_bias,
)
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
    language: str = ENGLISH
    """The page's language (`da`/`en`)."""
    browser_language: str | None = None
    """The browser's preferred language: the link's `lang` default (None: the link has no `lang`)."""
    link: list[LinkParam] = field(init=False)

    def __post_init__(self) -> None:
        params = link_params(self.area_options, self.consumer_type_options, _=self._, language=self.browser_language)
        object.__setattr__(self, "link", params)

    @property
    def _(self) -> Translate:
        """The page's texts in its language."""
        return translator(self.language, "frontend")

    def series(self, area: str, consumer_type: str, zone: str) -> dict[str, Any] | None:
        return data.series(self.api_url, area, consumer_type, zone, self.data_version)

    def view(self, area: str, consumer_type: str, zone: str) -> SeriesView | None:
        """The series as hourly pandas data, shared by every session (`shared_view`); None: no such series.
        Should the API have moved on to new data since the page's last full run, the page reruns on it."""
        try:
            return shared_view(
                api_url=self.api_url, area=area, consumer_type=consumer_type, zone=zone, data_version=self.data_version
            )
        except DataVersionMismatch:
            data.follow_new_version(self.api_url, self.data_version)
            raise

    def past_forecasts(self, area: str, consumer_type: str, zone: str) -> "PastForecasts | None":
        """`shared_past_forecasts` of the series; reruns the page on new data as `view` does."""
        try:
            return shared_past_forecasts(
                api_url=self.api_url, area=area, consumer_type=consumer_type, zone=zone, data_version=self.data_version
            )
        except DataVersionMismatch:
            data.follow_new_version(self.api_url, self.data_version)
            raise


SHARED_ENTRIES = 1024
"""Entries kept per process by the caches below, per data version and choices: every series of the
demo and the real bucket (3 areas x ~39 consumer types x 2 zones = ~234 views; charts x 2 languages
x past on/off = ~936), so a viewer stepping through the choices never cycles an LRU. A forecast
chart's JSON is ~60-130 KB: at most ~100 MB if every variant is drawn within the hour's TTL."""


@st.cache_resource(ttl=data.DATA_TTL_SECONDS, max_entries=SHARED_ENTRIES, show_spinner=False)
def shared_view(api_url: str, area: str, consumer_type: str, zone: str, data_version: str) -> SeriesView | None:
    """`series_view` of a series once per data version for the whole process, not per run (ISO
    parsing and the hourly reindex were ~5 % of a view's server time: BENCHMARKS.md, "Capacity").
    The same object is handed to every session without a copy, so nothing may change it in place
    (no page code does: every table and figure is built from new frames)."""
    body = data.series(api_url, area, consumer_type, zone, data_version)
    return None if body is None else series_view(body)


@dataclass(frozen=True)
class ForecastChart:
    """What the single-series chart sends and says: its JSON, its text alternative, the holidays noted,
    and the notes below it (how far the ranges held, the holidays in the window)."""

    chart: ChartData
    text: str
    holidays: tuple[Holiday, ...]
    notes: str = ""


def build_forecast_chart(
    view: SeriesView, area: str, consumer_type: str, zone: str, language: str, past: pd.Series | None
) -> ForecastChart:
    """The chart of one series built directly (what `shared_forecast_chart` keeps)."""
    _ = translator(language, "frontend")
    holidays = _holidays(view, language)
    title = chart_title(area, consumer_type, _)
    figure = forecast_figure(
        view, title, zone_label(zone, _), holidays=holidays, past_forecast=past, _=_, language=language
    )
    notes = [
        coverage_text(view.interval, _, language) if view.has_ranges else _("The API gives no range for this forecast.")
    ]
    if holidays:
        days = ", ".join(f"{h.name} ({long_date(h.start, language)})" for h in holidays)
        notes.append(_("Public holidays in this window: {days}.").format(days=days))
    return ForecastChart(
        chart_data(figure), forecast_chart_text(view, title, _, language), tuple(holidays), " ".join(notes)
    )


@st.cache_resource(ttl=data.DATA_TTL_SECONDS, max_entries=SHARED_ENTRIES, show_spinner=False)
def shared_forecast_chart(
    api_url: str,
    area: str,
    consumer_type: str,
    zone: str,
    data_version: str,
    language: str,
    with_past: bool,
    _view: SeriesView,
    _past: pd.Series | None,
) -> ForecastChart:
    """`build_forecast_chart` once per (series, zone, data version, language, past forecasts shown or
    not) for the whole process: building the figure and its JSON were ~35-45 % of a view's server
    time. `_view` and `_past` (not hashed) are what the key names: the view of that series and
    version, and its past forecasts when `with_past`. Kept as one immutable object handed to every
    session (`st.cache_resource`): a hit copies nothing (`st.cache_data` unpickled it on every run)."""
    return build_forecast_chart(_view, area, consumer_type, zone, language, _past if with_past else None)


def series_title(area: str, consumer_type: str, _: Translate) -> str:
    return f"{area_choice_label(area, _)} · {consumer_type_choice_label(consumer_type, _)}"


def chart_title(area: str, consumer_type: str, _: Translate) -> str:
    return f"{area_short_label(area, _)} · {consumer_type_choice_label(consumer_type, _)}"


@dataclass(frozen=True)
class PastForecasts:
    """What the page uses of a series' past predictions: them on an hourly axis, and last week's bias."""

    predicted: pd.Series
    bias: float | None


@st.cache_resource(ttl=data.DATA_TTL_SECONDS, max_entries=SHARED_ENTRIES, show_spinner=False)
def shared_past_forecasts(
    api_url: str, area: str, consumer_type: str, zone: str, data_version: str
) -> PastForecasts | None:
    """`past_forecast` and `recent_bias` of a series once per data version for the whole process (the
    body's copy out of `st.cache_data` and these passes over it ran on every view); None when the
    API has none. Errors are raised, not cached. Shared without a copy: read-only."""
    body = data.monitoring_series(api_url, area, consumer_type, zone, data_version)
    if body is None or not body.get("hours"):
        return None
    return PastForecasts(past_forecast(body, zone), recent_bias(body))


@st.cache_resource(ttl=data.DATA_TTL_SECONDS, max_entries=SHARED_ENTRIES, show_spinner=False)
def shared_key_figures(
    api_url: str, area: str, consumer_type: str, zone: str, data_version: str, language: str, _view: SeriesView
) -> "tuple[ForecastKeyFigures, KeyFigureTexts]":
    """`key_figures` of the series' view (`_view`, not hashed: the view of the key's series and version)
    and their texts in `language`, once per data version for the whole process."""
    figures = key_figures(_view.forecast, _view.forecast_total)
    return figures, key_figure_texts(figures, zone, translator(language, "frontend"), language)


def _monitoring(
    context: PageContext, area: str, consumer_type: str, zone: str
) -> tuple[PastForecasts | None, str | None]:
    """Past predictions of the series, or None and why there are none (the page goes on without)."""
    _ = context._
    try:
        past = context.past_forecasts(area, consumer_type, zone)
    except ApiError as error:
        return None, _("Past forecasts are not available: {reason}.").format(reason=error.message)
    if past is None:
        return None, _("The API has no past forecasts for this series yet.")
    return past, None


def percent(fraction: float, language: str, decimals: int = 0) -> str:
    """'83%' / '4.7%' in English, '83 %' / '4,7 %' in Danish (Babel's percent format per language),
    to `decimals` places."""
    return format_percent(round(fraction, decimals + 2), locale=LOCALES[language], decimal_quantization=False)


def coverage_text(interval: dict, _: Translate = str, language: str = ENGLISH) -> str:
    coverage_80, coverage_95 = interval.get("coverage_80"), interval.get("coverage_95")
    if coverage_80 is None or coverage_95 is None:
        return _(
            "This series has too little history to measure how often its ranges held; "
            "they are learnt from all series pooled."
        )
    return _(
        "Measured on past days, the 80 % range contained {coverage_80} and the 95 % range "
        "{coverage_95} of what was then observed."
    ).format(coverage_80=percent(coverage_80, language), coverage_95=percent(coverage_95, language))


def _ranges_text(
    range_80: tuple[float, float] | None, range_95: tuple[float, float] | None, _: Translate, language: str
) -> str:
    text = _("80 % range {range}").format(range=format_range(range_80, language))
    if range_95:
        text += "; " + _("95 % range {range}").format(range=format_range(range_95, language))
    return text


BIAS_SENTENCES = {
    # (running low?, what is known): the sentence
    (True, "both"): N_(
        "The model has been running low: over the last week its forecasts were {bias} below what was "
        "observed, and this forecast lies {gap} below its own 80 % range, which is learnt from those errors."
    ),
    (True, "bias"): N_(
        "The model has been running low: over the last week its forecasts were {bias} below what was observed."
    ),
    (True, "range"): N_(
        "The model has been running low: this forecast lies {gap} below its own 80 % range, which is "
        "learnt from the model's past errors."
    ),
    (False, "both"): N_(
        "The model has been running high: over the last week its forecasts were {bias} above what was "
        "observed, and this forecast lies {gap} above its own 80 % range, which is learnt from those errors."
    ),
    (False, "bias"): N_(
        "The model has been running high: over the last week its forecasts were {bias} above what was observed."
    ),
    (False, "range"): N_(
        "The model has been running high: this forecast lies {gap} above its own 80 % range, which is "
        "learnt from the model's past errors."
    ),
}
RANGE_ONLY = {
    "below": N_("This forecast lies {gap} below its own 80 % range."),
    "above": N_("This forecast lies {gap} above its own 80 % range."),
}


def bias_text(warning: BiasWarning, figures: ForecastKeyFigures, _: Translate, language: str) -> str:
    """One plain sentence: the model is running low (or high), by how much, and where this forecast lies
    against its own 80 % range. Should last week's bias and the range point different ways, the bias
    sentence comes first and the range's own fact follows, so neither is left unsaid."""
    gap = None
    if warning.outside_range is not None and figures.total_range_80 is not None and figures.total_kwh is not None:
        low, high = figures.total_range_80
        below = warning.outside_range == "below"
        gap = format_kwh(low - figures.total_kwh if below else figures.total_kwh - high, language)
    bias = None if warning.bias is None else percent(abs(warning.bias), language, decimals=1)
    agrees = warning.outside_range is None or (warning.outside_range == "below") == warning.running_low
    if bias is not None and gap is not None and agrees:
        return _(BIAS_SENTENCES[warning.running_low, "both"]).format(bias=bias, gap=gap)
    if bias is None:
        return _(BIAS_SENTENCES[warning.running_low, "range"]).format(gap=gap)
    text = _(BIAS_SENTENCES[warning.running_low, "bias"]).format(bias=bias)
    if gap is not None:
        text += " " + _(RANGE_ONLY[warning.outside_range]).format(gap=gap)
    return text


@dataclass(frozen=True)
class KeyFigureTexts:
    """Every text of the key figures row, in the page's language and zone (None: that caption or help
    is not drawn). Formatting them (Babel) was ~5 % of a change's server time; they depend only on
    the series, its data version, the zone and the language, so they are made once (`shared_key_figures`)."""

    total_label: str
    total_value: str
    total_caption: str | None
    total_caption_help: str | None
    peak_hour_label: str
    peak_hour_value: str
    peak_hour_help: str | None
    peak_label: str
    peak_value: str
    peak_caption: str | None
    change_label: str
    change_value: str
    change_help: str


def key_figure_texts(
    figures: ForecastKeyFigures, zone: str, _: Translate = str, language: str = ENGLISH
) -> KeyFigureTexts:
    """The texts `key_figures_row` draws for `figures`."""
    total_caption, total_caption_help = None, None
    if figures.total_range_80 is not None:
        total_caption = _ranges_text(figures.total_range_80, figures.total_range_95, _, language)
        total_caption_help = _(
            "The API's range for the 24-hour sum, learnt from how far the model's sums over as many "
            "hours were from what was observed in {windows} past windows (not the sum "
            "of the hourly ranges, which would be far too wide)."
        ).format(windows=figures.total_range_windows)
    elif figures.total_kwh is not None:
        total_caption = _("The API gives no range for this total (too little history).")
    peak_text = "—"
    if figures.peak_hour is not None:
        peak_text = f"{format_datetime(figures.peak_hour, 'EEE HH:mm', locale=LOCALES[language])} "
        peak_text += str(figures.peak_hour.tzname())
    return KeyFigureTexts(
        total_label=_("Forecast, next 24 h"),
        total_value=format_kwh(figures.total_kwh, language),
        total_caption=total_caption,
        total_caption_help=total_caption_help,
        peak_hour_label=_("Peak hour ({zone})").format(zone=zone_label(zone, _)),
        peak_hour_value=peak_text,
        peak_hour_help=None if figures.peak_hour is None else time_label(figures.peak_hour, language),
        peak_label=_("Peak consumption"),
        peak_value=format_kwh(figures.peak_kwh, language),
        peak_caption=None
        if figures.peak_range_80 is None
        else _ranges_text(figures.peak_range_80, figures.peak_range_95, _, language),
        change_label=_("Change vs same hours a week earlier"),
        change_value=format_change(figures.change_vs_week_before, language),
        change_help=_("Forecast against {observed} observed in the same {hours} hours one week earlier.").format(
            observed=format_kwh(figures.week_before_total_kwh, language), hours=figures.hours_compared
        ),
    )


def key_figures_row(
    figures: ForecastKeyFigures,
    zone: str,
    _: Translate = str,
    language: str = ENGLISH,
    texts: KeyFigureTexts | None = None,
) -> None:
    """The forecast's total, peak hour, peak and week-earlier change, with their ranges (`texts`: those
    of `figures` made already, as `key_figure_texts` makes them)."""
    texts = texts or key_figure_texts(figures, zone, _, language)
    total, peak_hour, peak, change = st.columns(4)
    total.metric(texts.total_label, texts.total_value)
    if texts.total_caption is not None:
        total.caption(texts.total_caption, help=texts.total_caption_help)
    peak_hour.metric(texts.peak_hour_label, texts.peak_hour_value, help=texts.peak_hour_help)
    peak.metric(texts.peak_label, texts.peak_value)
    if texts.peak_caption is not None:
        peak.caption(texts.peak_caption)
    change.metric(texts.change_label, texts.change_value, help=texts.change_help)


def _holidays(view: SeriesView, language: str) -> list[Holiday]:
    all_hours = view.observed.index.union(view.forecast.index)
    return holidays_between(all_hours[0], all_hours[-1], language) if len(all_hours) else []


def forecast_chart(
    context: PageContext,
    view: SeriesView,
    area: str,
    consumer_type: str,
    zone: str,
    monitoring: PastForecasts | None,
    monitoring_note: str | None,
) -> None:
    """The chart with its text alternative right below it, then its notes: how far the ranges held,
    the holidays in the window, past forecasts."""
    _, language = context._, context.language
    past = monitoring.predicted if monitoring is not None else None
    chart = shared_forecast_chart(
        api_url=context.api_url,
        area=area,
        consumer_type=consumer_type,
        zone=zone,
        data_version=context.data_version,
        language=language,
        with_past=past is not None,
        _view=view,
        _past=past,
    )
    plotly_chart(chart.chart, key="forecast_chart")
    with st.container(key="forecast_chart_text"):  # the chart's text alternative, right below it
        st.caption(chart.text)
    st.caption(chart.notes)
    if monitoring_note:
        st.info(monitoring_note, icon=":material/history:")


def data_table(
    view: SeriesView, area: str, consumer_type: str, zone: str, _: Translate = str, language: str = ENGLISH
) -> None:
    """The hours behind the chart and their CSV, built only while the expander is open: the grid's code
    is a large download the browser would otherwise parse on every page load, competing with the chart."""
    with st.expander(_("Data behind the chart"), key="data_behind_chart", on_change="rerun") as data_panel:
        if not data_panel.open:
            return
        table = chart_table(view)
        table["time"] = table["time"].map(partial(time_label, language=language))
        kwh = partial(st.column_config.NumberColumn, format="%.1f")
        if language != ENGLISH:
            # The grid's number formats are printf patterns (a decimal point) or the browser's locale,
            # not the page's language: in Danish the values are shown as Babel writes them.
            for column in table.columns.drop("time"):
                table[column] = [None if pd.isna(value) else number(value, language, 1) for value in table[column]]
            kwh = partial(st.column_config.TextColumn)
        st.dataframe(
            table,
            hide_index=True,
            placeholder="–",
            column_config={
                "time": st.column_config.TextColumn(_("Hour ({zone})").format(zone=zone_label(zone, _))),
                "observed_kwh": kwh(_("Observed (kWh)")),
                "forecast_kwh": kwh(_("Forecast (kWh)")),
                "lower_80": kwh(_("80 % low")),
                "upper_80": kwh(_("80 % high")),
                "lower_95": kwh(_("95 % low")),
                "upper_95": kwh(_("95 % high")),
            },
        )
        st.download_button(
            _("Download CSV"),
            data=partial(chart_csv, view),
            file_name=f"forecast_area-{area}_consumer-type-{consumer_type}_{LINK_VALUE_BY_ZONE[zone]}.csv",
            mime="text/csv",
            on_click="ignore",
            icon=":material/download:",
        )


def single_series(context: PageContext, area: str, consumer_type: str, zone: str, show_past: bool) -> None:
    """One series: its key figures (saying so when the model runs low or high), the chart (with past
    forecasts if asked) and the data behind it."""
    _, language = context._, context.language
    try:
        view = context.view(area, consumer_type, zone)
    except ApiError as error:
        render_api_unavailable(error, key="retry_series", _=_)
        return
    if view is None:
        st.info(
            _("No observations for {series}: this combination has no data to show. Pick another one above.").format(
                series=series_title(area, consumer_type, _)
            ),
            icon=":material/search_off:",
        )
        return
    # Past forecasts give last week's bias (cached like the series); drawn only when asked for.
    monitoring, monitoring_note = _monitoring(context, area, consumer_type, zone)
    figures, texts = shared_key_figures(
        api_url=context.api_url,
        area=area,
        consumer_type=consumer_type,
        zone=zone,
        data_version=context.data_version,
        language=language,
        _view=view,
    )
    key_figures_row(figures, zone, _, language, texts)
    warning = bias_warning(figures, None if monitoring is None else monitoring.bias)
    if warning is not None:
        st.warning(bias_text(warning, figures, _, language), icon=":material/trending_flat:")
    if not show_past:
        monitoring, monitoring_note = None, None
    forecast_chart(context, view, area, consumer_type, zone, monitoring, monitoring_note)
    data_table(view, area, consumer_type, zone, _, language)


def _compared_members(context: PageContext, area: str, consumer_type: str) -> tuple[bool, list[tuple[str, str]]]:
    """(comparing areas?, the (area, consumer type) pairs to compare), from the compare widgets."""
    _ = context._
    by_area = st.radio(_("Compare"), COMPARE_BY, format_func=_, horizontal=True, key="compare_by") == COMPARE_BY[True]
    if by_area:
        st.caption(
            _("Both price areas, {consumer_type}.").format(consumer_type=consumer_type_choice_label(consumer_type, _))
        )
        return True, [(choice, consumer_type) for choice in context.area_options if choice != TOTAL]
    codes = codes_only(context.consumer_type_options)
    # Streamlit forgets a widget's state while it is not drawn: back to the default few.
    st.session_state.setdefault("compare_types", codes[:DEFAULT_COMPARED])
    picked = st.multiselect(
        _("Consumer types to compare in {area} (up to {limit})").format(
            area=area_choice_label(area, _), limit=MAX_COMPARED
        ),
        codes,
        max_selections=MAX_COMPARED,
        format_func=partial(consumer_type_choice_label, _=_),
        key="compare_types",
    )
    return False, [(area, code) for code in picked]


def compared_series(context: PageContext, area: str, consumer_type: str, zone: str) -> None:
    """Several series on one chart: both areas, or chosen consumer types, overlaid or one row each."""
    _, language = context._, context.language
    by_area, members = _compared_members(context, area, consumer_type)
    share_column, layout_column = st.columns(2)
    as_share = share_column.toggle(_("Each as a share of its own weekly mean"), key="compare_share")
    layout = layout_column.radio(_("Layout"), LAYOUTS, format_func=_, horizontal=True, key="compare_layout")
    small_multiples = layout == LAYOUTS[True]
    if not members:
        st.info(_("Pick at least one consumer type to compare."))
        return
    compared, missing = [], []
    for member_area, member_type in members:
        label = area_choice_label(member_area, _) if by_area else consumer_type_choice_label(member_type, _)
        try:
            view = context.view(member_area, member_type, zone)
        except ApiError as error:
            render_api_unavailable(error, key="retry_compare", _=_)
            return
        if view is None:
            missing.append(label)
            continue
        compared.append(CompareMember(label, view.observed, view.forecast["kwh"]))
    if missing:
        st.info(_("No data for {series}; left out of the comparison.").format(series=", ".join(missing)))
    if not compared:
        return
    title = (
        _("Both areas · {consumer_type}").format(consumer_type=consumer_type_choice_label(consumer_type, _))
        if by_area
        else _("{area} · {count} consumer types").format(area=area_short_label(area, _), count=len(compared))
    )
    chart, text = shared_compare_chart(
        api_url=context.api_url,
        data_version=context.data_version,
        language=language,
        zone=zone,
        members=tuple(members),
        by_area=by_area,
        title=title,
        as_share=as_share,
        small_multiples=small_multiples,
        _compared=compared,
    )
    plotly_chart(chart, key="compare_chart")
    with st.container(key="compare_chart_text"):  # the chart's text alternative, right below it
        st.caption(text)
    if as_share:
        st.caption(_("100 % is each series' own mean over its latest observed week."))


def build_compare_chart(
    compared: list[CompareMember], title: str, zone: str, as_share: bool, small_multiples: bool, language: str
) -> tuple[ChartData, str]:
    """The compare chart built directly (what `shared_compare_chart` keeps): its JSON and text alternative."""
    _ = translator(language, "frontend")
    figure = compare_figure(
        compared, title, zone_label(zone, _), as_share=as_share, small_multiples=small_multiples, _=_, language=language
    )
    labels = [member.label for member in compared]
    forecasts = [member.forecast for member in compared]
    if as_share:
        forecasts = [share_of_weekly_mean(member.observed, member.forecast)[1] for member in compared]
    return chart_data(figure), compare_chart_text(labels, forecasts, title, as_share, _, language)


@st.cache_resource(ttl=data.DATA_TTL_SECONDS, max_entries=SHARED_ENTRIES, show_spinner=False)
def shared_compare_chart(
    api_url: str,
    data_version: str,
    language: str,
    zone: str,
    members: tuple[tuple[str, str], ...],
    by_area: bool,
    title: str,
    as_share: bool,
    small_multiples: bool,
    _compared: list[CompareMember],
) -> tuple[ChartData, str]:
    """`build_compare_chart` once per (compared series, data version, language, zone, title, share,
    layout) for the whole process. `_compared` (not hashed) is what the key names: the members'
    views of that version, labelled as `by_area` and `language` say. Immutable, so shared without a
    copy (`st.cache_resource`)."""
    return build_compare_chart(_compared, title, zone, as_share, small_multiples, language)
