"""Plotly figures of the monitoring page: pure functions from data to `go.Figure`, no Streamlit.

Built the one way both pages build figures (`dashboard_common.figures`): traces and layout as plain
dicts, each figure composed from small panel builders and handed to Plotly once. Colours come from
the shared theme so both dashboards draw observations, predictions, errors and thresholds the same way.
"""

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dashboard_common import theme
from dashboard_common.figures import band, figure, heatmap, histogram, hline, scatter, span
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
ROLLING_NAME = "24 h pooled (click to show)"


def _value_format(measure: Measure) -> str:
    return "%{y:.2f} %" if measure.percent else "%{y:.2f}"


def _hourly_traces(values: pd.Series, measure: Measure, threshold: float, rolling: pd.Series | None) -> list[dict]:
    """The figure per hour, the hours beyond the threshold as markers, and the 24 h line (hidden)."""
    beyond = values[beyond_threshold(values, measure, threshold)]
    traces = [
        scatter(
            x=values.index,
            y=values.to_numpy(),
            name=f"{measure.label} per hour",
            mode="lines",
            line={"color": theme.OBSERVED, "width": 1.6},
            hovertemplate=_value_format(measure) + f"<extra>{measure.label}</extra>",
        ),
        scatter(
            x=beyond.index,
            y=beyond.to_numpy(),
            name=f"beyond {'±' if measure.signed else ''}{threshold:g} %",
            mode="markers",
            marker={"color": theme.ERROR, "size": 7, "symbol": "circle"},
            hovertemplate=_value_format(measure) + "<extra>beyond threshold</extra>",
        ),
    ]
    if rolling is not None:
        traces.append(
            scatter(
                x=rolling.index,
                y=rolling.to_numpy(),
                name=ROLLING_NAME,
                visible="legendonly",
                mode="lines",
                line={"color": theme.FORECAST, "width": 2.2},
                hovertemplate=_value_format(measure) + "<extra>24 h pooled</extra>",
            )
        )
    return traces


def _threshold_lines(measure: Measure, threshold: float) -> tuple[list[dict], list[dict]]:
    """The threshold as dashed lines (both signs for bias), each labelled at its left end."""
    shapes, annotations = [], []
    for level in [threshold, -threshold] if measure.signed else [threshold]:
        line, labels = hline(level, theme.THRESHOLD, f"threshold {level:g} %")
        shapes.append(line)
        annotations += labels
    return shapes, annotations


def _hourly_yaxis(values: pd.Series, measure: Measure, threshold: float) -> dict:
    """Room for the largest value and the threshold; symmetric around zero for bias."""
    largest = float(values.abs().max()) if values.notna().any() else threshold
    top = max(threshold, largest) * 1.15
    yaxis = {"title": {"text": measure.unit_label}, "range": [-top, top] if measure.signed else [0, top]}
    if measure.signed:
        yaxis |= {"zeroline": True, "zerolinecolor": theme.TEXT}
    return yaxis


def hourly_figure(
    values: pd.Series, measure: Measure, threshold: float, rolling_mean: pd.Series | None = None
) -> go.Figure:
    """One hourly figure over all series, the threshold line(s), and the hours beyond it marked.

    `rolling_mean` is the API's figure pooled over the 24 hours ending at each hour (`<figure>_24h`).
    It starts hidden: a click on its legend entry shows it (no extra widget to load).
    """
    shapes, annotations = _threshold_lines(measure, threshold)
    layout = {
        "title": {"text": f"{measure.label} over all series, per hour"},
        "yaxis": _hourly_yaxis(values, measure, threshold),
        "xaxis": {"title": {"text": "Hour (UTC)"}},
        "height": 400,
        "margin": {"t": 90},
        "legend": {"y": 1.06},
        "shapes": shapes,
        "annotations": annotations,
    }
    return figure(_hourly_traces(values, measure, threshold, rolling_mean), layout)


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


def heatmap_figure(matrix: pd.DataFrame, measure: Measure, threshold: float) -> go.Figure:
    """`measure` per consumer type (rows) and area (columns); blank cells could not be computed."""
    values = matrix.to_numpy(dtype=float)
    unit = " %" if measure.percent else ""
    cells = heatmap(
        z=values,
        x=[area_label(area) for area in matrix.columns],
        y=[consumer_type_label(code) for code in matrix.index],
        colorbar={"title": {"text": measure.unit_label}},
        hovertemplate=f"%{{x}}<br>consumer type %{{y}}<br>{measure.label} %{{z:.2f}}{unit}<extra></extra>",
        xgap=2,
        ygap=1,
        **_colour_scale(values, measure, threshold),
    )
    layout = {
        "title": {"text": f"{measure.label} by consumer type and area", "y": 0.99, "yanchor": "top"},
        "xaxis": {"title": {"text": ""}, "side": "top", "showgrid": False},
        "yaxis": {
            "title": {"text": "Consumer type (DE35)"},
            "type": "category",
            "autorange": "reversed",
            "showgrid": False,
        },
        "height": max(320, 18 * len(matrix.index) + 150),
        "hovermode": "closest",
        "margin": {"t": 100},
    }
    return figure([cells], layout)


def hour_of_day_figure(profile: pd.DataFrame) -> go.Figure:
    """WAPE, MAPE and bias per hour of the day on Danish clocks, pooled by the API over the window
    (`/monitoring/hour_of_day`, see `aggregate.hour_of_day_frame`): when in the day the model goes wrong."""
    colours = {"wape": theme.OBSERVED, "mape": theme.FORECAST, "bias": theme.GOOD}
    traces = [
        scatter(
            x=profile.index,
            y=profile[measure.field].to_numpy(),
            name=measure.label,
            mode="lines+markers",
            line={"color": colours[measure.field], "width": 2, "dash": "dot" if measure.signed else "solid"},
            hovertemplate=f"%{{x}}:00 Danish time · %{{y:.2f}} %<extra>{measure.label}</extra>",
        )
        for measure in HOURLY_MEASURES
    ]
    layout = {
        "title": {"text": "Error by hour of day (pooled over the window)"},
        "xaxis": {
            "title": {"text": "Hour of day (Danish time)"},
            "tickmode": "linear",
            "dtick": 3,
            "range": [-0.5, 23.5],
        },
        "yaxis": {"title": {"text": "%"}, "zeroline": True, "zerolinecolor": theme.THRESHOLD},
        "height": 360,
        "margin": {"t": 90},
        "legend": {"y": 1.06},
    }
    return figure(traces, layout)


def _range_bands(frame: pd.DataFrame) -> list[dict]:
    """The backtested 95 % and 80 % ranges under the lines, where the API has them."""
    traces = []
    for level, fill in ((95, RANGE_95_FILL), (80, RANGE_80_FILL)):
        if frame[f"upper_{level}"].notna().any():
            lower, upper = frame[f"lower_{level}"].to_numpy(), frame[f"upper_{level}"].to_numpy()
            name = f"{level} % range"
            traces += band(frame.index, lower, upper, name, fill, lower_name=f"{name} low", xaxis="x", yaxis="y")
    return traces


def _value_traces(frame: pd.DataFrame) -> list[dict]:
    """Observations (solid) and predictions (dotted) in the top panel."""
    common = {"x": frame.index, "mode": "lines", "xaxis": "x", "yaxis": "y"}
    return [
        scatter(
            y=frame[OBSERVATION].to_numpy(),
            name="observed",
            line={"color": theme.OBSERVED, "width": 2},
            hovertemplate="%{y:,.0f} kWh<extra>observed</extra>",
            **common,
        ),
        scatter(
            y=frame[PREDICTION].to_numpy(),
            name="predicted",
            line={"color": theme.FORECAST, "width": 2, "dash": "dot"},
            hovertemplate="%{y:,.0f} kWh<extra>predicted</extra>",
            **common,
        ),
    ]


def _error_trace(frame: pd.DataFrame) -> dict:
    """The error per hour in the bottom panel: one filled step line rather than a bar per hour (the
    same picture, one SVG path to draw)."""
    return scatter(
        x=frame.index,
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
    )


def _distribution_trace(frame: pd.DataFrame) -> dict:
    """The compared hours' errors as a histogram on the error panel's kWh axis."""
    return histogram(
        y=compared_errors(frame).to_numpy(),
        name="error distribution",
        nbinsy=30,
        marker={"color": theme.ERROR, "line": {"color": theme.BACKGROUND, "width": 1}},
        opacity=0.85,
        hovertemplate="%{y} kWh: %{x} hours<extra>error distribution</extra>",
        showlegend=False,
        xaxis="x3",
        yaxis="y3",
    )


def _awaiting_marks(frame: pd.DataFrame) -> tuple[list[dict], list[dict]]:
    """Each run of awaited hours shaded in both time panels, and labelled once above the top one."""
    shapes, annotations = [], []
    for first, last in awaiting_spans(frame):
        shapes += [span(first - HALF_HOUR, last + HALF_HOUR, AWAITING_FILL, yref=y) for y in ("y domain", "y2 domain")]
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


PANEL_TITLES = [
    _panel_title("Predictions and observations", TOP_PANEL[1], TIME_PANELS),
    _panel_title("Error per hour (prediction − observation)", BOTTOM_PANEL[1], TIME_PANELS),
    _panel_title("Distribution", BOTTOM_PANEL[1], DISTRIBUTION_PANEL),
]


def _series_layout(title_text: str, shapes: list[dict], annotations: list[dict]) -> dict:
    """Three panels laid out by hand (axis domains): values on top, errors below, their distribution
    beside the errors on the same kWh axis."""
    return {
        "title": {"text": title_text},
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
        "annotations": [*PANEL_TITLES, *annotations],
    }


def series_figure(frame: pd.DataFrame, series: tuple[int, int]) -> go.Figure:
    """Predictions (with their backtested ranges) against observations on top, the error per hour below,
    and beside the errors their distribution (a histogram on the same kWh axis: a skew is bias, a long
    tail outliers).

    Hours the API marks as awaiting observation are shaded and labelled in both time panels; the
    error panel draws nothing there instead of a zero. The distribution is a panel of this figure
    rather than a chart of its own: this figure is rebuilt on every series change, and each chart on
    the page costs the browser a Plotly instance to draw.
    """
    area, consumer_type = series
    traces = [*_range_bands(frame), *_value_traces(frame), _error_trace(frame), _distribution_trace(frame)]
    shapes, annotations = _awaiting_marks(frame)
    awaiting_hours = int(frame[AWAITING].sum())
    subtitle = f" · {awaiting_hours} h awaiting observations" if awaiting_hours else ""
    title_text = f"{area_label(area)} · consumer type {consumer_type_label(consumer_type)}{subtitle}"
    return figure(traces, _series_layout(title_text, shapes, annotations))
