"""Plotly figures of the monitoring page: pure functions from data to `go.Figure`, no Streamlit.

Built the one way both pages build figures (`dashboard_common.figures`): traces and layout as plain
dicts, each figure composed from small panel builders and handed to Plotly once. Colours come from
the shared theme so both dashboards draw observations, predictions, errors and thresholds the same way.

Every text is in the page's language (`language`), numbers with its separators (`layout.separators`);
hours are drawn on the page's clock (`monitoring.clock`: the frames' index is in the zone the API
was asked for). Colour is never the only difference between series: lines differ in dash, markers
in symbol, ranges in fill, and the heatmap marks the cells beyond the threshold with a cross
(`tests/monitoring/test_colour_vision.py` checks the colours under colour-vision deficiency).
"""

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dashboard_common import theme
from dashboard_common.figures import band, figure, heatmap, histogram, hline, scatter, span
from dashboard_common.hours import instants
from dashboard_common.i18n import ENGLISH, N_
from dashboard_common.labels import area_label, consumer_type_label

from monitoring.aggregate import beyond_threshold
from monitoring.clock import DANISH_TIME, clock_trace, time_axis, zone_name
from monitoring.language import separators, texts
from monitoring.measures import HOURLY_MEASURES, THRESHOLDED, Measure
from monitoring.series import APE, AWAITING, ERROR, OBSERVATION, PREDICTION, awaiting_spans, compared_errors

AWAITING_FILL = "rgba(245, 165, 36, 0.14)"
AWAITING_LABEL = N_("awaiting observations")
# The ranges differ in the density of their fill: far enough apart (and from the plot) to be told
# apart under colour-vision deficiency (tests/monitoring/test_colour_vision.py).
RANGE_95_FILL = "rgba(245, 165, 36, 0.16)"
RANGE_80_FILL = "rgba(245, 165, 36, 0.42)"
HALF_HOUR = pd.Timedelta(minutes=30)
TOP_PANEL = (0.37, 1.0)
BOTTOM_PANEL = (0.0, 0.31)
TIME_PANELS = (0.0, 0.8)  # the two time panels; the error distribution sits to their right
DISTRIBUTION_PANEL = (0.84, 1.0)
DIVERGING = [[0.0, theme.OBSERVED], [0.5, "#1f3b57"], [1.0, theme.ERROR]]
SEQUENTIAL = [[0.0, "#1f3b57"], [0.5, theme.FORECAST], [1.0, theme.ERROR]]
SEQUENTIAL_REVERSED = [[0.0, theme.ERROR], [0.5, theme.FORECAST], [1.0, "#1f3b57"]]
# Below the x axis and its title: above the plot, a phone's narrow width made the legend wrap under
# the chart's title.
LEGEND_UNDER_AXIS_TITLE = {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.3, "yanchor": "top"}
ROLLING_NAME = N_("24 h pooled (click to show)")
# Markers told apart by shape as well as colour (hour-of-day chart).
SYMBOLS = {"wape": "circle", "mape": "square", "bias": "diamond"}
DASHES = {"wape": "solid", "mape": "dash", "bias": "dot"}


def _value_format(measure: Measure) -> str:
    return "%{y:.2f} %" if measure.percent else "%{y:.2f}"


def _threshold_text(level: float, language: str) -> str:
    """A threshold as the page writes it ('7,5' in Danish); whole numbers without decimals."""
    return f"{level:g}".replace(".", separators(language)[0]) + " %"


def _hourly_traces(
    values: pd.Series, measure: Measure, threshold: float, rolling: pd.Series | None, language: str
) -> list[dict]:
    """The hour on the page's clock (hover only), the figure per hour, the hours beyond the threshold
    as markers, and the 24 h line (hidden, dashed)."""
    _ = texts(language)
    beyond = values[beyond_threshold(values, measure, threshold)]
    sign = "±" if measure.signed else ""
    traces = [
        clock_trace(values.index, values.to_numpy(), language),
        scatter(
            x=instants(values.index),
            y=values.to_numpy(),
            name=_("{figure} per hour").format(figure=measure.name(_)),
            mode="lines",
            line={"color": theme.OBSERVED, "width": 1.6, "dash": "solid"},
            hovertemplate=_value_format(measure) + f"<extra>{measure.name(_)}</extra>",
        ),
        scatter(
            x=instants(beyond.index),
            y=beyond.to_numpy(),
            name=_("beyond {threshold}").format(threshold=sign + _threshold_text(threshold, language)),
            mode="markers",
            marker={"color": theme.ERROR, "size": 8, "symbol": "x", "line": {"width": 1, "color": theme.ERROR}},
            hovertemplate=_value_format(measure) + "<extra>" + _("beyond threshold") + "</extra>",
        ),
    ]
    if rolling is not None:
        traces.append(
            scatter(
                x=instants(rolling.index),
                y=rolling.to_numpy(),
                name=_(ROLLING_NAME),
                visible="legendonly",
                mode="lines",
                line={"color": theme.FORECAST, "width": 2.2, "dash": "dash"},
                hovertemplate=_value_format(measure) + "<extra>" + _("24 h pooled") + "</extra>",
            )
        )
    return traces


def _threshold_lines(measure: Measure, threshold: float, language: str) -> tuple[list[dict], list[dict]]:
    """The threshold as dashed lines (both signs for bias), each labelled at its left end."""
    _ = texts(language)
    shapes, annotations = [], []
    for level in [threshold, -threshold] if measure.signed else [threshold]:
        text = _("threshold {value}").format(value=_threshold_text(level, language))
        line, labels = hline(level, theme.THRESHOLD, text)
        shapes.append(line)
        annotations += labels
    return shapes, annotations


def _hourly_yaxis(values: pd.Series, measure: Measure, threshold: float, language: str) -> dict:
    """Room for the largest value and the threshold; symmetric around zero for bias."""
    largest = float(values.abs().max()) if values.notna().any() else threshold
    top = max(threshold, largest) * 1.15
    title = measure.unit_name(texts(language))
    yaxis = {"title": {"text": title}, "range": [-top, top] if measure.signed else [0, top]}
    if measure.signed:
        yaxis |= {"zeroline": True, "zerolinecolor": theme.TEXT}
    return yaxis


def hourly_figure(
    values: pd.Series,
    measure: Measure,
    threshold: float,
    rolling_mean: pd.Series | None = None,
    language: str = ENGLISH,
) -> go.Figure:
    """One hourly figure over all series, the threshold line(s), and the hours beyond it marked.

    `rolling_mean` is the API's figure pooled over the 24 hours ending at each hour (`<figure>_24h`).
    It starts hidden: a click on its legend entry shows it (no extra widget to load). The hours are
    drawn on the clock of `values`' index (the page's zone).
    """
    _ = texts(language)
    shapes, annotations = _threshold_lines(measure, threshold, language)
    layout = {
        "title": {"text": _("{figure} over all series, per hour").format(figure=measure.name(_))},
        "yaxis": _hourly_yaxis(values, measure, threshold, language),
        "xaxis": time_axis(values.index, str(values.index.tz or "UTC"), language),
        "separators": separators(language),
        "height": 430,
        "margin": {"t": 50, "b": 110},
        "legend": LEGEND_UNDER_AXIS_TITLE,
        "shapes": shapes,
        "annotations": annotations,
    }
    return figure(_hourly_traces(values, measure, threshold, rolling_mean, language), layout)


def _finite_extent(values: np.ndarray) -> float:
    finite = np.abs(values[np.isfinite(values)])
    return float(finite.max()) if finite.size else 0.0


def _colour_scale(values: np.ndarray, measure: Measure, threshold: float) -> dict:
    """Red is bad whatever the figure: high errors, large |bias| either way, low coverage."""
    extent = _finite_extent(values)
    if measure.signed:
        bound = max(threshold, extent)
        return {"colorscale": DIVERGING, "zmin": -bound, "zmax": bound}
    if measure.target is not None:
        return {"colorscale": SEQUENTIAL_REVERSED, "zmin": min(50.0, extent), "zmax": 100.0}
    if measure.field in THRESHOLDED:
        return {"colorscale": SEQUENTIAL, "zmin": 0, "zmax": max(2 * threshold, extent)}
    return {"colorscale": SEQUENTIAL, "zmin": 0, "zmax": max(2.0, extent)}  # MASE: 1 = "same hour last week"


def _beyond_marks(beyond: Sequence[tuple[int, int]], language: str) -> list[dict]:
    """A cross on each cell beyond the threshold (white with a dark outline, visible on any colour of
    the scale), named in the legend: what is bad does not rest on colour alone."""
    if not beyond:
        return []
    _ = texts(language)
    name = _("beyond threshold")
    return [
        scatter(
            x=[area_label(area, _) for area, _code in beyond],
            y=[consumer_type_label(code) for _area, code in beyond],
            name=name,
            mode="markers",
            marker={"symbol": "x", "size": 9, "color": theme.TEXT, "line": {"width": 1.2, "color": theme.BACKGROUND}},
            hoverinfo="skip",
            showlegend=True,
        )
    ]


def heatmap_figure(
    matrix: pd.DataFrame,
    measure: Measure,
    threshold: float,
    language: str = ENGLISH,
    beyond: Sequence[tuple[int, int]] = (),
) -> go.Figure:
    """`measure` per consumer type (rows) and area (columns); blank cells could not be computed.
    The cells of `beyond` (the series flagged beyond the threshold, `breakdown.beyond_cells`) carry
    a cross, so the worst cells are told by shape as well as colour; every value is in the hover and
    in the table beside the heatmap."""
    _ = texts(language)
    values = matrix.to_numpy(dtype=float)
    unit = " %" if measure.percent else ""
    hover = "%{x}<br>" + _("consumer type") + " %{y}<br>" + measure.name(_) + " %{z:.2f}" + unit
    cells = heatmap(
        z=values,
        x=[area_label(area, _) for area in matrix.columns],
        y=[consumer_type_label(code) for code in matrix.index],
        colorbar={"title": {"text": measure.unit_name(_)}},
        hovertemplate=hover + "<extra></extra>",
        xgap=2,
        ygap=1,
        **_colour_scale(values, measure, threshold),
    )
    layout = {
        "title": {
            "text": _("{figure} by consumer type and area").format(figure=measure.name(_)),
            "y": 0.99,
            "yanchor": "top",
        },
        "separators": separators(language),
        "xaxis": {"title": {"text": ""}, "side": "top", "showgrid": False},
        "yaxis": {
            "title": {"text": _("Consumer type (DE35)")},
            "type": "category",
            "autorange": "reversed",
            "showgrid": False,
        },
        "height": max(320, 18 * len(matrix.index) + 150),
        "hovermode": "closest",
        "margin": {"t": 100},
        "showlegend": bool(beyond),
        "legend": {"orientation": "h", "x": 0, "y": 0, "yanchor": "top", "xanchor": "left"},
    }
    return figure([cells, *_beyond_marks(beyond, language)], layout)


# Bias in the text colour rather than green: green and blue look alike under tritanopia.
HOUR_OF_DAY_COLOURS = {"wape": theme.OBSERVED, "mape": theme.FORECAST, "bias": theme.TEXT}


def hour_of_day_figure(profile: pd.DataFrame, zone: str = DANISH_TIME, language: str = ENGLISH) -> go.Figure:
    """WAPE, MAPE and bias per hour of the day on the clocks of `zone`, pooled by the API over the window
    (`/monitoring/hour_of_day?tz=...`, see `aggregate.hour_of_day_frame`): when in the day the model
    goes wrong. The three lines differ in dash and marker as well as colour."""
    _ = texts(language)
    clock = zone_name(zone, _)
    traces = [
        scatter(
            x=profile.index,
            y=profile[measure.field].to_numpy(),
            name=measure.name(_),
            mode="lines+markers",
            line={"color": HOUR_OF_DAY_COLOURS[measure.field], "width": 2, "dash": DASHES[measure.field]},
            marker={"symbol": SYMBOLS[measure.field], "size": 7},
            hovertemplate="%{x}:00 " + clock + f" · %{{y:.2f}} %<extra>{measure.name(_)}</extra>",
        )
        for measure in HOURLY_MEASURES
    ]
    layout = {
        "title": {"text": _("Error by hour of day")},
        "separators": separators(language),
        "xaxis": {
            "title": {"text": _("Hour of day ({zone})").format(zone=clock)},
            "unifiedhovertitle": {"text": "%{x}:00 " + clock},
            "tickmode": "linear",
            "dtick": 3,
            "range": [-0.5, 23.5],
        },
        "yaxis": {"title": {"text": "%"}, "zeroline": True, "zerolinecolor": theme.THRESHOLD},
        "height": 390,
        "margin": {"t": 50, "b": 110},
        "legend": LEGEND_UNDER_AXIS_TITLE,
    }
    return figure(traces, layout)


def _range_bands(frame: pd.DataFrame, language: str) -> list[dict]:
    """The backtested 95 % and 80 % ranges under the lines, where the API has them (told apart by
    the density of their fill, and named in the legend)."""
    _ = texts(language)
    traces = []
    for level, fill in ((95, RANGE_95_FILL), (80, RANGE_80_FILL)):
        if frame[f"upper_{level}"].notna().any():
            lower, upper = frame[f"lower_{level}"].to_numpy(), frame[f"upper_{level}"].to_numpy()
            name = _("{level} % range").format(level=level)
            low_name = _("{level} % range low").format(level=level)
            x = instants(frame.index)
            traces += band(x, lower, upper, name, fill, lower_name=low_name, xaxis="x", yaxis="y")
    return traces


def _value_traces(frame: pd.DataFrame, language: str) -> list[dict]:
    """Observations (solid) and predictions (dotted) in the top panel."""
    _ = texts(language)
    common = {"x": instants(frame.index), "mode": "lines", "xaxis": "x", "yaxis": "y"}
    observed, predicted = _("observed"), _("predicted")
    return [
        scatter(
            y=frame[OBSERVATION].to_numpy(),
            name=observed,
            line={"color": theme.OBSERVED, "width": 2, "dash": "solid"},
            hovertemplate=f"%{{y:,.0f}} kWh<extra>{observed}</extra>",
            **common,
        ),
        scatter(
            y=frame[PREDICTION].to_numpy(),
            name=predicted,
            line={"color": theme.FORECAST, "width": 2, "dash": "dot"},
            hovertemplate=f"%{{y:,.0f}} kWh<extra>{predicted}</extra>",
            **common,
        ),
    ]


def _error_trace(frame: pd.DataFrame, language: str) -> dict:
    """The error per hour in the bottom panel: one filled step line rather than a bar per hour (the
    same picture, one SVG path to draw)."""
    _ = texts(language)
    error = _("error")
    return scatter(
        x=instants(frame.index),
        y=frame[ERROR].to_numpy(),
        name=error,
        mode="lines",
        line={"color": theme.ERROR, "width": 1, "shape": "hvh"},
        fill="tozeroy",
        fillcolor="rgba(239, 91, 91, 0.45)",
        customdata=frame[APE].to_numpy(),
        hovertemplate=f"%{{y:,.0f}} kWh (%{{customdata:.1f}} %)<extra>{error}</extra>",
        showlegend=False,
        xaxis="x2",
        yaxis="y2",
    )


def _distribution_trace(frame: pd.DataFrame, language: str) -> dict:
    """The compared hours' errors as a histogram on the error panel's kWh axis."""
    _ = texts(language)
    name = _("error distribution")
    return histogram(
        y=compared_errors(frame).to_numpy(),
        name=name,
        nbinsy=30,
        marker={"color": theme.ERROR, "line": {"color": theme.BACKGROUND, "width": 1}},
        opacity=0.85,
        hovertemplate="%{y} kWh: %{x} " + _("hours") + f"<extra>{name}</extra>",
        showlegend=False,
        xaxis="x3",
        yaxis="y3",
    )


def _awaiting_marks(frame: pd.DataFrame, language: str) -> tuple[list[dict], list[dict]]:
    """Each run of awaited hours shaded in both time panels, and labelled once above the top one
    (the label says what the shade means: not colour alone)."""
    shapes, annotations = [], []
    for first, last in awaiting_spans(frame):
        x0, x1 = instants(pd.DatetimeIndex([first, last]))
        shapes += [span(x0 - HALF_HOUR, x1 + HALF_HOUR, AWAITING_FILL, yref=y) for y in ("y domain", "y2 domain")]
        annotations.append(
            {
                "x": x0 + (x1 - x0) / 2,
                "y": 1.0,
                "xref": "x",
                "yref": "y domain",
                "text": texts(language)(AWAITING_LABEL),
                "showarrow": False,
                "yanchor": "bottom",
                "font": {"color": theme.FORECAST, "size": 12},
            }
        )
    return shapes, annotations


def _panel_title(text: str, top: float, across: tuple[float, float] = (0.0, 1.0)) -> dict:
    return {
        "text": text,
        "x": (across[0] + across[1]) / 2,
        "y": top,
        "xref": "paper",
        "yref": "paper",
        "xanchor": "center",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 14},
    }


PANEL_TITLES = (
    (N_("Predictions and observations"), TOP_PANEL[1], TIME_PANELS),
    (N_("Error per hour (prediction − observation)"), BOTTOM_PANEL[1], TIME_PANELS),
    (N_("Distribution"), BOTTOM_PANEL[1], DISTRIBUTION_PANEL),
)


def _series_layout(
    frame: pd.DataFrame, title_text: str, shapes: list[dict], annotations: list[dict], language: str
) -> dict:
    """Three panels laid out by hand (axis domains): values on top, errors below, their distribution
    beside the errors on the same kWh axis."""
    _ = texts(language)
    zone = str(frame.index.tz or "UTC")
    titles = [_panel_title(_(text), top, across) for text, top, across in PANEL_TITLES]
    # The x range is fixed on the top panel's axis only (the error panel's matches it): with a range
    # on the error panel's own axis, plotly.js autoranged that panel's y axis (shared with the
    # histogram's) to the histogram's counts instead of the errors.
    top_axis = time_axis(frame.index, zone, language, with_title=False)
    bottom_axis = time_axis(frame.index, zone, language)
    bottom_axis.pop("range", None)
    return {
        "title": {"text": title_text},
        "separators": separators(language),
        "height": 600,
        "margin": {"t": 110},
        "legend": {"y": 1.08},
        "xaxis": top_axis | {"anchor": "y", "matches": "x2", "showticklabels": False, "domain": list(TIME_PANELS)},
        "xaxis2": bottom_axis | {"anchor": "y2", "domain": list(TIME_PANELS)},
        "xaxis3": {"anchor": "y3", "title": {"text": _("hours")}, "domain": list(DISTRIBUTION_PANEL)},
        "yaxis": {"domain": list(TOP_PANEL), "title": {"text": "kWh"}},
        "yaxis2": {
            "domain": list(BOTTOM_PANEL),
            "title": {"text": "kWh"},
            "zeroline": True,
            "zerolinecolor": theme.THRESHOLD,
        },
        "yaxis3": {"domain": list(BOTTOM_PANEL), "anchor": "x3", "matches": "y2", "showticklabels": False},
        "shapes": shapes,
        "annotations": [*titles, *annotations],
    }


def series_title(frame: pd.DataFrame, series: tuple[int, int], language: str = ENGLISH) -> str:
    """'DK1 (west of the Great Belt) · consumer type 111 · 24 h awaiting observations'."""
    _ = texts(language)
    area, consumer_type = series
    title = _("{area} · consumer type {consumer_type}").format(
        area=area_label(area, _), consumer_type=consumer_type_label(consumer_type)
    )
    awaiting_hours = int(frame[AWAITING].sum())
    if awaiting_hours:
        title += " · " + _("{hours} h awaiting observations").format(hours=awaiting_hours)
    return title


def series_figure(frame: pd.DataFrame, series: tuple[int, int], language: str = ENGLISH) -> go.Figure:
    """Predictions (with their backtested ranges) against observations on top, the error per hour below,
    and beside the errors their distribution (a histogram on the same kWh axis: a skew is bias, a long
    tail outliers).

    Hours the API marks as awaiting observation are shaded and labelled in both time panels; the
    error panel draws nothing there instead of a zero. The distribution is a panel of this figure
    rather than a chart of its own: this figure is rebuilt on every series change, and each chart on
    the page costs the browser a Plotly instance to draw. The first line of the hover box in either
    time panel is the hour on the page's clock (`clock.clock_trace`).
    """
    values = frame[PREDICTION].fillna(frame[OBSERVATION]).to_numpy()
    traces = [
        clock_trace(frame.index, values, language, xaxis="x", yaxis="y"),
        *_range_bands(frame, language),
        *_value_traces(frame, language),
        clock_trace(frame.index, frame[ERROR].to_numpy(), language, xaxis="x2", yaxis="y2"),
        _error_trace(frame, language),
        _distribution_trace(frame, language),
    ]
    shapes, annotations = _awaiting_marks(frame, language)
    title_text = series_title(frame, series, language)
    return figure(traces, _series_layout(frame, title_text, shapes, annotations, language))
