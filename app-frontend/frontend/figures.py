"""The charts as pure functions: data in, Plotly figure out (testable without Streamlit).

Time axis: Plotly.js has no time zones, and a zone's wall clock folds an hour on a fall-back day
(two 02:00) and skips one on a spring-forward day. So every point is placed at its real instant
(UTC, naive for Plotly), and the day ticks and hover titles are written in the zone the page shows:
23, 24 or 25 evenly spaced hours per day, each labelled with its own offset.

Figures are built the one way both pages build them (`dashboard_common.figures`): plain dicts, one
constructor call, without per-property validation.

Language: every text a reader sees (names in the legend, hover rows, titles, ticks) is in the
page's language (`_`, `language`), and numbers use its grouping and decimal signs (Plotly's
`separators`); the hover box's title is the hour in the page's zone (`HOVER_TITLE_META`).

Never colour alone: observed is a solid line, the forecast a dashed line with markers, past
forecasts a dotted line, the ranges filled bands of two strengths; the colours are told apart
under simulated colour-vision deficiency too (`tests/common/test_chart_colours.py`).
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dashboard_common import theme
from dashboard_common.charts import HOVER_TITLE_META
from dashboard_common.figures import LEGEND_BELOW, band, figure, rgba, scatter, span, title
from dashboard_common.hours import HALF_HOUR, hour_axis, instants, time_label
from dashboard_common.i18n import DANISH, ENGLISH, N_, Translate, number

from frontend.calendar_days import Holiday
from frontend.series import SeriesView

ONE_WEEK_HOURS = 168
RANGE_80_TEXT = N_("80 % range: 80 % of past errors fall inside")
RANGE_95_TEXT = N_("95 % range: 95 % of past errors fall inside")
PAST_FORECAST_COLOR = theme.LAVENDER  # was #b07cf0: next to the observed blue under deuteranopia (ΔE 1.8)
HOLIDAY_COLOR = theme.GOOD
COMPARE_COLORS = [theme.OBSERVED, theme.FORECAST, theme.GOOD, theme.ERROR, theme.YELLOW, theme.LAVENDER, theme.MINT]
COMPARE_COLORS += [theme.MAUVE]
COMPARE_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "cross", "star", "hexagon"]
COMPARE_MARKERS_SHOWN = 16
SEPARATORS = {DANISH: ",.", ENGLISH: ".,"}
"""Plotly's decimal and thousands signs per language: hover values and axis ticks read 1.234.567 in Danish."""


def _labels(index: pd.DatetimeIndex, language: str | None = None) -> np.ndarray:
    return np.asarray([time_label(hour, language) for hour in index], dtype=object)


def _title(text: str, zone_name: str, _: Translate = N_) -> dict:
    """The chart's title, naming the zone of its hours (in place of an axis title the legend would crowd)."""
    return title(text, _("Hours in {zone}").format(zone=zone_name))


def _time_axis(index: pd.DatetimeIndex, zone_name: str, language: str = ENGLISH) -> dict:
    # The hover box's title can only format x (a UTC instant here); the chart component replaces it
    # with the hour in the page's zone and language from `_time_row` (HOVER_TITLE_META). If the
    # script cannot, the title still says which hour it is, in UTC and saying so.
    return {"unifiedhovertitle": {"text": "%{x|%a %d %b %H:%M} UTC"}, "tickangle": 0} | hour_axis(index, language)


def _holiday_marks(holidays: list[Holiday], y_top: float = 1.0, _: Translate = N_) -> tuple[list[dict], list[dict]]:
    shapes, annotations = [], []
    for holiday in holidays:
        start, end = instants(pd.DatetimeIndex([holiday.start, holiday.end]))
        shapes.append(span(start - HALF_HOUR, end - HALF_HOUR, HOLIDAY_COLOR, y_top=y_top, opacity=0.10))
        annotations.append(
            {
                "x": start - HALF_HOUR,
                "y": 0.02,
                "xref": "x",
                "yref": "paper",
                "text": _("{name} (public holiday)").format(name=holiday.name),
                "textangle": -90,
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "bottom",
                "font": {"color": HOLIDAY_COLOR, "size": 11},
            }
        )
    return shapes, annotations


def _forecast_marks(forecast_index: pd.DatetimeIndex, _: Translate = N_) -> tuple[list[dict], list[dict]]:
    """The forecast hours shaded, a dotted line where they start, and a label left of it."""
    if not len(forecast_index):
        return [], []
    drawn = instants(forecast_index)
    boundary = drawn[0] - HALF_HOUR
    boundary_line = {"type": "line", "xref": "x", "yref": "paper", "x0": boundary, "x1": boundary, "y0": 0, "y1": 1}
    boundary_line["line"] = {"color": theme.THRESHOLD, "width": 1.5, "dash": "dot"}
    shapes = [span(boundary, drawn[-1] + HALF_HOUR, theme.FORECAST, opacity=0.06), boundary_line]
    annotations = [
        {
            "x": boundary,
            "y": 1.0,
            "xref": "x",
            "yref": "paper",
            # Left of the boundary, where the observed week leaves room: on a phone the 24 forecast
            # hours are too narrow to hold the label.
            "text": _("forecast › "),
            "showarrow": False,
            "xanchor": "right",
            "yanchor": "top",
            "font": {"color": theme.MUTED_TEXT, "size": 12},
        }
    ]
    return shapes, annotations


def _time_row(index: pd.DatetimeIndex, values: np.ndarray, zone_name: str, language: str | None = None) -> list[dict]:
    """An invisible trace carrying each hour in the page's zone and language ('søn. 29. okt. 02:00 CET').

    Plotly.js cannot show a zone's wall clock in the hover box's title, so the chart component
    writes this trace's hour there (`HOVER_TITLE_META`); it sits at the drawn values so that it is
    hovered wherever the lines are, and gives no row of its own (`hoverinfo: none`).
    """
    if not len(index):
        return []
    return [
        scatter(
            x=instants(index),
            y=values,
            customdata=_labels(index, language),
            name=zone_name,
            meta=HOVER_TITLE_META,
            mode="lines",
            line={"width": 0},
            showlegend=False,
            hoverinfo="none",
        )
    ]


def _band(forecast: pd.DataFrame, level: int, alpha: float, text: str) -> list[dict]:
    """A range as a filled band (its strength, not only its colour, tells the 80 % from the 95 %)."""
    lower, upper = forecast[f"lower_{level}"].to_numpy(), forecast[f"upper_{level}"].to_numpy()
    fill = rgba(theme.FORECAST, alpha)
    return band(instants(forecast.index), lower, upper, text, fill, legendgroup=f"r{level}", connectgaps=False)


def _range_text(lower: np.ndarray, upper: np.ndarray, language: str = ENGLISH) -> np.ndarray:
    return np.asarray(
        [
            "—" if np.isnan(low) or np.isnan(high) else f"{number(low, language)} – {number(high, language)} kWh"
            for low, high in zip(lower, upper, strict=True)
        ],
        dtype=object,
    )


def _observed_trace(observed: pd.Series, _: Translate = N_) -> dict:
    return scatter(
        x=instants(observed.index),
        y=observed.to_numpy(),
        name=_("Observed"),
        mode="lines",
        line={"color": theme.OBSERVED, "width": 2},
        connectgaps=False,
        hovertemplate="%{y:,.0f} kWh",
    )


def _past_forecast_traces(past_forecast: pd.Series | None, observed: pd.Series, _: Translate = N_) -> list[dict]:
    """What the model had predicted for the observed hours, drawn over them (only over them)."""
    if past_forecast is None or past_forecast.dropna().empty or not len(observed):
        return []
    shown = past_forecast[(past_forecast.index >= observed.index[0]) & (past_forecast.index <= observed.index[-1])]
    return [
        scatter(
            x=instants(shown.index),
            y=shown.to_numpy(),
            name=_("What the model had predicted for these hours"),
            mode="lines",
            line={"color": PAST_FORECAST_COLOR, "width": 1.5, "dash": "dot"},
            connectgaps=False,
            hovertemplate="%{y:,.0f} kWh",
        )
    ]


def _forecast_trace(view: SeriesView, _: Translate = N_, language: str = ENGLISH) -> dict:
    """The forecast line; its hover gives each hour's ranges when there are any."""
    forecast = view.forecast
    customdata, ranges_hover = None, ""
    if view.has_ranges:
        customdata = np.column_stack(
            [
                _range_text(forecast["lower_80"].to_numpy(), forecast["upper_80"].to_numpy(), language),
                _range_text(forecast["lower_95"].to_numpy(), forecast["upper_95"].to_numpy(), language),
            ]
        )
        ranges_hover = "<br>" + _("80 % range: {range}").format(range="%{customdata[0]}")
        ranges_hover += "<br>" + _("95 % range: {range}").format(range="%{customdata[1]}")
    return scatter(
        x=instants(forecast.index),
        y=forecast["kwh"].to_numpy(),
        customdata=customdata,
        name=_("Forecast (next 24 h)"),
        mode="lines+markers",
        line={"color": theme.FORECAST, "width": 2.5, "dash": "dash"},
        marker={"size": 4},
        connectgaps=False,
        hovertemplate="%{y:,.0f} kWh" + ranges_hover,
    )


def _forecast_layout(
    view: SeriesView, title_text: str, zone_name: str, holidays: list[Holiday], _: Translate, language: str
) -> dict:
    shapes, annotations = _forecast_marks(view.forecast.index, _)
    holiday_shapes, holiday_annotations = _holiday_marks(holidays, _=_)
    return {
        "title": _title(title_text, zone_name, _),
        "height": 500,
        "margin": {"t": 70, "l": 10, "r": 10},
        "separators": SEPARATORS[language],
        "xaxis": _time_axis(view.observed.index.union(view.forecast.index), zone_name, language),
        "yaxis": {"title": {"text": _("Consumption (kWh)")}, "tickformat": ",.0f", "rangemode": "tozero"},
        "legend": LEGEND_BELOW,
        "shapes": holiday_shapes + shapes,
        "annotations": holiday_annotations + annotations,
    }


def forecast_figure(
    view: SeriesView,
    title: str,
    zone_name: str,
    holidays: list[Holiday] = (),
    past_forecast: pd.Series | None = None,
    *,
    _: Translate = N_,
    language: str = ENGLISH,
) -> go.Figure:
    """Observed week (solid), forecast (dashed) with its 80 % and 95 % ranges, holidays, past forecasts.

    Missing hours are NaN and stay gaps. `past_forecast`, if given, is what the model had predicted
    for the observed hours, drawn over them so a reader sees how far to trust today's line. Texts in
    the page's language (`_`, `language`).
    """
    observed, forecast = view.observed, view.forecast
    all_hours = observed.index.union(forecast.index)
    line_values = pd.concat([observed, forecast["kwh"]]).groupby(level=0).first().reindex(all_hours)
    traces = _time_row(all_hours, line_values.to_numpy(), zone_name, language)
    if view.has_ranges:
        traces += _band(forecast, 95, 0.22, _(RANGE_95_TEXT)) + _band(forecast, 80, 0.45, _(RANGE_80_TEXT))
    traces += [
        _observed_trace(observed, _),
        *_past_forecast_traces(past_forecast, observed, _),
        _forecast_trace(view, _, language),
    ]
    return figure(traces, _forecast_layout(view, title, zone_name, list(holidays), _, language))


@dataclass(frozen=True)
class CompareMember:
    label: str
    observed: pd.Series
    forecast: pd.Series


def share_of_weekly_mean(observed: pd.Series, forecast: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Both series divided by the mean of the latest week observed (168 h), so a series of any size
    reads as '1.2 = 20 % above its usual level'. Without observations the values become NaN."""
    week = observed.iloc[-ONE_WEEK_HOURS:]
    mean = float(week.mean()) if week.notna().any() else float("nan")
    if not np.isfinite(mean) or mean == 0:
        return observed * np.nan, forecast * np.nan
    return observed / mean, forecast / mean


def compare_figure(
    members: list[CompareMember],
    title: str,
    zone_name: str,
    as_share: bool,
    small_multiples: bool,
    *,
    _: Translate = N_,
    language: str = ENGLISH,
) -> go.Figure:
    """Several series together: overlaid on one axis, or one row each (small multiples) sharing x."""
    members = [
        CompareMember(m.label, *share_of_weekly_mean(m.observed, m.forecast)) if as_share else m for m in members
    ]
    rows = len(members) if small_multiples else 1
    traces = []
    if members:
        first = pd.concat([members[0].observed, members[0].forecast]).groupby(level=0).first()
        traces += _time_row(first.index, first.to_numpy(), zone_name, language)
    all_hours = pd.DatetimeIndex([])
    for position, member in enumerate(members):
        color = COMPARE_COLORS[position % len(COMPARE_COLORS)]
        symbol = COMPARE_SYMBOLS[position % len(COMPARE_SYMBOLS)]
        axis = {"xaxis": "x", "yaxis": f"y{position + 1 if small_multiples and position else ''}"}
        all_hours = all_hours.union(member.observed.index).union(member.forecast.index)
        value = "%{y:.0%}" if as_share else "%{y:,.0f} kWh"
        parts = (
            (member.label, _("{name} observed: {value}"), member.observed, None),
            (_("{name} (forecast)").format(name=member.label), _("{name} forecast: {value}"), member.forecast, "dash"),
        )
        for name, hover, series, dash in parts:
            traces.append(
                scatter(
                    x=instants(series.index),
                    y=series.to_numpy(),
                    name=name,
                    legendgroup=member.label,
                    showlegend=dash is None,
                    mode="lines+markers",
                    line={"color": color, "width": 2, "dash": dash},
                    # Never colour alone: each compared series also has its own marker shape (a few
                    # per line, and in the legend), so overlaid lines are told apart without colour.
                    marker={"symbol": symbol, "size": 7, "maxdisplayed": COMPARE_MARKERS_SHOWN},
                    connectgaps=False,
                    hovertemplate=hover.format(name=member.label, value=value) + "<extra></extra>",
                    **axis,
                )
            )
    y_title = _("Share of its own weekly mean") if as_share else _("Consumption (kWh)")
    y_axis = {"tickformat": ".0%" if as_share else ",.0f", "rangemode": "tozero"}
    gap = 0.04
    height = (1.0 - gap * (rows - 1)) / rows
    axes = {}
    for row in range(rows):
        top = 1.0 - row * (height + gap)
        name = "yaxis" if row == 0 else f"yaxis{row + 1}"
        axes[name] = {**y_axis, "domain": [max(0.0, top - height), top], "anchor": "x"}
        if small_multiples:
            axes[name]["title"] = {"text": members[row].label, "font": {"size": 11}}
    if not small_multiples:
        axes["yaxis"]["title"] = {"text": y_title}
    layout = dict(
        title=_title(title, zone_name, _),
        separators=SEPARATORS[language],
        height=max(500, 160 * rows + 120) if small_multiples else 500,
        margin={"t": 70, "l": 10, "r": 10},
        xaxis={**_time_axis(all_hours, zone_name, language), "anchor": f"y{rows if rows > 1 else ''}"},
        legend=LEGEND_BELOW,
        shapes=_forecast_marks(members[0].forecast.index, _)[0] if members else [],
        **axes,
    )
    return figure(traces, layout)
