"""Plotly figures of the monitoring page: pure functions from data to `go.Figure`, no Streamlit.

Colours come from the shared theme so both dashboards draw observations, predictions, errors and
thresholds the same way.
"""

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dashboard_common import theme
from dashboard_common.labels import area_label, consumer_type_label

from monitoring.aggregate import beyond_threshold
from monitoring.measures import HOURLY_MEASURES, THRESHOLDED, Measure
from monitoring.series import APE, AWAITING, ERROR, OBSERVATION, PREDICTION, awaiting_spans, compared_errors

AWAITING_FILL = "rgba(245, 165, 36, 0.14)"
AWAITING_LABEL = "awaiting observations"
RANGE_95_FILL = "rgba(245, 165, 36, 0.12)"
RANGE_80_FILL = "rgba(245, 165, 36, 0.24)"
HALF_HOUR = pd.Timedelta(minutes=30)
TOP_PANEL = (0.37, 1.0)
BOTTOM_PANEL = (0.0, 0.31)
TIME_PANELS = (0.0, 0.8)  # the two time panels; the error distribution sits to their right
DISTRIBUTION_PANEL = (0.84, 1.0)
DIVERGING = [[0.0, theme.OBSERVED], [0.5, "#1f3b57"], [1.0, theme.ERROR]]
SEQUENTIAL = [[0.0, "#1f3b57"], [0.5, theme.FORECAST], [1.0, theme.ERROR]]
SEQUENTIAL_REVERSED = [[0.0, theme.ERROR], [0.5, theme.FORECAST], [1.0, "#1f3b57"]]


def _value_format(measure: Measure) -> str:
    return "%{y:.2f} %" if measure.percent else "%{y:.2f}"


def hourly_figure(
    values: pd.Series, measure: Measure, threshold: float, rolling_mean: pd.Series | None = None
) -> go.Figure:
    """One hourly figure over all series, the threshold line(s), and the hours beyond it marked.

    The rolling mean starts hidden: a click on its legend entry shows it (no extra widget to load).
    """
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=values.index,
            y=values.to_numpy(),
            name=f"{measure.label} per hour",
            mode="lines",
            line={"color": theme.OBSERVED, "width": 1.6},
            hovertemplate=_value_format(measure) + f"<extra>{measure.label}</extra>",
        )
    )
    beyond = values[beyond_threshold(values, measure, threshold)]
    figure.add_trace(
        go.Scatter(
            x=beyond.index,
            y=beyond.to_numpy(),
            name=f"beyond {'±' if measure.signed else ''}{threshold:g} %",
            mode="markers",
            marker={"color": theme.ERROR, "size": 7, "symbol": "circle"},
            hovertemplate=_value_format(measure) + "<extra>beyond threshold</extra>",
        )
    )
    if rolling_mean is not None:
        figure.add_trace(
            go.Scatter(
                x=rolling_mean.index,
                y=rolling_mean.to_numpy(),
                name="24 h rolling mean (click to show)",
                visible="legendonly",
                mode="lines",
                line={"color": theme.FORECAST, "width": 2.2},
                hovertemplate=_value_format(measure) + "<extra>24 h mean</extra>",
            )
        )
    lines = [threshold, -threshold] if measure.signed else [threshold]
    for level in lines:
        figure.add_hline(
            y=level,
            line={"color": theme.THRESHOLD, "dash": "dash", "width": 1.5},
            annotation={"text": f"threshold {level:g} %", "font": {"color": theme.THRESHOLD}},
            annotation_position="top left",
        )
    largest = float(values.abs().max()) if values.notna().any() else threshold
    top = max(threshold, largest) * 1.15
    yaxis = {"title": measure.unit_label, "range": [-top, top] if measure.signed else [0, top]}
    if measure.signed:
        yaxis |= {"zeroline": True, "zerolinecolor": theme.TEXT}
    figure.update_layout(
        title=f"{measure.label} over all series, per hour",
        yaxis=yaxis,
        xaxis={"title": "Hour (UTC)"},
        height=400,
        margin={"t": 90},
        legend={"y": 1.06},
    )
    return figure


def _finite_extent(values: np.ndarray) -> float:
    finite = np.abs(values[np.isfinite(values)])
    return float(finite.max()) if finite.size else 0.0


def heatmap_figure(matrix: pd.DataFrame, measure: Measure, threshold: float) -> go.Figure:
    """`measure` per consumer type (rows) and area (columns); blank cells could not be computed.

    Colours say bad in red whatever the figure: high errors, large |bias| either way, low coverage.
    """
    values = matrix.to_numpy(dtype=float)
    extent = _finite_extent(values)
    if measure.signed:
        bound = max(threshold, extent)
        scale = {"colorscale": DIVERGING, "zmin": -bound, "zmax": bound}
    elif measure.target is not None:
        scale = {"colorscale": SEQUENTIAL_REVERSED, "zmin": min(50.0, extent), "zmax": 100.0}
    elif measure.field in THRESHOLDED:
        scale = {"colorscale": SEQUENTIAL, "zmin": 0, "zmax": max(2 * threshold, extent)}
    else:  # MASE: 1 means as good as "same hour last week"
        scale = {"colorscale": SEQUENTIAL, "zmin": 0, "zmax": max(2.0, extent)}
    unit = " %" if measure.percent else ""
    figure = go.Figure(
        go.Heatmap(
            z=values,
            x=[area_label(area) for area in matrix.columns],
            y=[consumer_type_label(code) for code in matrix.index],
            colorbar={"title": {"text": measure.unit_label}},
            hovertemplate=f"%{{x}}<br>consumer type %{{y}}<br>{measure.label} %{{z:.2f}}{unit}<extra></extra>",
            xgap=2,
            ygap=1,
            **scale,
        )
    )
    figure.update_layout(
        title={"text": f"{measure.label} by consumer type and area", "y": 0.99, "yanchor": "top"},
        xaxis={"title": "", "side": "top", "showgrid": False},
        yaxis={"title": "Consumer type (DE35)", "type": "category", "autorange": "reversed", "showgrid": False},
        height=max(320, 18 * len(matrix.index) + 150),
        hovermode="closest",
        margin={"t": 100},
    )
    return figure


def hour_of_day_figure(profile: pd.DataFrame) -> go.Figure:
    """Mean WAPE, MAPE and bias per hour of the day: when in the day the model goes wrong."""
    colours = {"wape": theme.OBSERVED, "mape": theme.FORECAST, "bias": theme.GOOD}
    figure = go.Figure(
        [
            go.Scatter(
                x=profile.index,
                y=profile[measure.field].to_numpy(),
                name=measure.label,
                mode="lines+markers",
                line={"color": colours[measure.field], "width": 2, "dash": "dot" if measure.signed else "solid"},
                hovertemplate=f"%{{x}}:00 UTC · %{{y:.2f}} %<extra>{measure.label}</extra>",
            )
            for measure in HOURLY_MEASURES
        ]
    )
    figure.update_layout(
        title="Error by hour of day (mean over the window)",
        xaxis={"title": "Hour of day (UTC)", "tickmode": "linear", "dtick": 3, "range": [-0.5, 23.5]},
        yaxis={"title": "%", "zeroline": True, "zerolinecolor": theme.THRESHOLD},
        height=360,
        margin={"t": 90},
        legend={"y": 1.06},
    )
    return figure


def _band(frame: pd.DataFrame, lower: str, upper: str, fill: str, name: str) -> list[go.Scatter]:
    """A shaded range between two columns (drawn as lower, then upper filled down to it)."""
    common = {"x": frame.index, "mode": "lines", "line": {"width": 0}, "xaxis": "x", "yaxis": "y"}
    return [
        go.Scatter(y=frame[lower].to_numpy(), showlegend=False, hoverinfo="skip", name=f"{name} low", **common),
        go.Scatter(y=frame[upper].to_numpy(), fill="tonexty", fillcolor=fill, name=name, hoverinfo="skip", **common),
    ]


def series_figure(frame: pd.DataFrame, series: tuple[int, int]) -> go.Figure:
    """Predictions (with their backtested ranges) against observations on top, the error per hour below,
    and beside the errors their distribution (a histogram on the same kWh axis: a skew is bias, a long
    tail outliers).

    Hours the API marks as awaiting observation are shaded and labelled in both time panels; the
    error panel draws nothing there instead of a zero. The panels are laid out by hand (axis domains)
    rather than with `make_subplots` (a third of the build time), and the distribution is a panel of
    this figure rather than a chart of its own: this figure is rebuilt on every series change, and
    each chart on the page costs the browser a Plotly instance to draw.
    """
    area, consumer_type = series
    hours = frame.index
    data = []
    if frame["upper_95"].notna().any():
        data += _band(frame, "lower_95", "upper_95", RANGE_95_FILL, "95 % range")
    if frame["upper_80"].notna().any():
        data += _band(frame, "lower_80", "upper_80", RANGE_80_FILL, "80 % range")
    data += [
        go.Scatter(
            x=hours,
            y=frame[OBSERVATION].to_numpy(),
            name="observed",
            mode="lines",
            line={"color": theme.OBSERVED, "width": 2},
            hovertemplate="%{y:,.0f} kWh<extra>observed</extra>",
            xaxis="x",
            yaxis="y",
        ),
        go.Scatter(
            x=hours,
            y=frame[PREDICTION].to_numpy(),
            name="predicted",
            mode="lines",
            line={"color": theme.FORECAST, "width": 2, "dash": "dot"},
            hovertemplate="%{y:,.0f} kWh<extra>predicted</extra>",
            xaxis="x",
            yaxis="y",
        ),
        # One filled step line rather than a bar per hour: the same picture, one SVG path to draw.
        go.Scatter(
            x=hours,
            y=frame[ERROR].to_numpy(),
            name="error",
            mode="lines",
            line={"color": theme.ERROR, "width": 1, "shape": "hvh"},
            fill="tozeroy",
            fillcolor="rgba(239, 91, 91, 0.45)",
            customdata=frame[APE].to_numpy(),
            hovertemplate="%{y:,.0f} kWh (%{customdata:.1f} %)<extra>error</extra>",
            showlegend=False,
            xaxis="x2",
            yaxis="y2",
        ),
        go.Histogram(
            y=compared_errors(frame).to_numpy(),
            name="error distribution",
            nbinsy=30,
            marker={"color": theme.ERROR, "line": {"color": theme.BACKGROUND, "width": 1}},
            opacity=0.85,
            hovertemplate="%{y} kWh: %{x} hours<extra>error distribution</extra>",
            showlegend=False,
            xaxis="x3",
            yaxis="y3",
        ),
    ]
    shapes = []
    annotations = [
        _panel_title("Predictions and observations", TOP_PANEL[1], TIME_PANELS),
        _panel_title("Error per hour (prediction − observation)", BOTTOM_PANEL[1], TIME_PANELS),
        _panel_title("Distribution", BOTTOM_PANEL[1], DISTRIBUTION_PANEL),
    ]
    for first, last in awaiting_spans(frame):
        for y_domain in ("y domain", "y2 domain"):
            shapes.append(
                {
                    "type": "rect",
                    "xref": "x",
                    "yref": y_domain,
                    "x0": first - HALF_HOUR,
                    "x1": last + HALF_HOUR,
                    "y0": 0,
                    "y1": 1,
                    "fillcolor": AWAITING_FILL,
                    "line": {"width": 0},
                    "layer": "below",
                }
            )
        annotations.append(
            {
                "x": first + (last - first) / 2,
                "y": 1.0,
                "xref": "x",
                "yref": "y domain",
                "text": AWAITING_LABEL,
                "showarrow": False,
                "yanchor": "bottom",
                "font": {"color": theme.FORECAST, "size": 12},
            }
        )
    awaiting_hours = int(frame[AWAITING].sum())
    subtitle = f" · {awaiting_hours} h awaiting observations" if awaiting_hours else ""
    layout = {
        "title": {"text": f"{area_label(area)} · consumer type {consumer_type_label(consumer_type)}{subtitle}"},
        "height": 600,
        "margin": {"t": 110},
        "legend": {"y": 1.08},
        "xaxis": {"anchor": "y", "matches": "x2", "showticklabels": False, "domain": list(TIME_PANELS)},
        "xaxis2": {"anchor": "y2", "title": {"text": "Hour (UTC)"}, "domain": list(TIME_PANELS)},
        "xaxis3": {"anchor": "y3", "title": {"text": "hours"}, "domain": list(DISTRIBUTION_PANEL)},
        "yaxis": {"domain": list(TOP_PANEL), "title": {"text": "kWh"}},
        "yaxis2": {
            "domain": list(BOTTOM_PANEL),
            "title": {"text": "kWh"},
            "zeroline": True,
            "zerolinecolor": theme.THRESHOLD,
        },
        "yaxis3": {"domain": list(BOTTOM_PANEL), "anchor": "x3", "matches": "y2", "showticklabels": False},
        "shapes": shapes,
        "annotations": annotations,
    }
    return go.Figure(data=data, layout=layout)


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
