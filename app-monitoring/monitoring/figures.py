"""Plotly figures of the monitoring page: pure functions from data to `go.Figure`, no Streamlit.

Colours come from the shared theme so both dashboards draw observations, predictions, errors and
thresholds the same way.
"""

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dashboard_common import theme
from dashboard_common.labels import area_label, consumer_type_label

from monitoring.series import APE, AWAITING, ERROR, OBSERVATION, PREDICTION, awaiting_spans

AWAITING_FILL = "rgba(245, 165, 36, 0.14)"
AWAITING_LABEL = "awaiting observations"
HALF_HOUR = pd.Timedelta(minutes=30)
TOP_PANEL = (0.37, 1.0)
BOTTOM_PANEL = (0.0, 0.31)


def mape_figure(mape: pd.Series, threshold: float, rolling_mean: pd.Series | None = None) -> go.Figure:
    """MAPE (%) per hour with the threshold line and the hours above it marked.

    The rolling mean starts hidden: a click on its legend entry shows it (no extra widget to load).
    """
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=mape.index,
            y=mape.to_numpy(),
            name="MAPE per hour",
            mode="lines",
            line={"color": theme.OBSERVED, "width": 1.6},
            hovertemplate="%{y:.2f} %<extra>MAPE</extra>",
        )
    )
    above = mape[mape > threshold]
    figure.add_trace(
        go.Scatter(
            x=above.index,
            y=above.to_numpy(),
            name=f"above {threshold:g} %",
            mode="markers",
            marker={"color": theme.ERROR, "size": 7, "symbol": "circle"},
            hovertemplate="%{y:.2f} %<extra>above threshold</extra>",
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
                hovertemplate="%{y:.2f} %<extra>24 h mean</extra>",
            )
        )
    figure.add_hline(
        y=threshold,
        line={"color": theme.THRESHOLD, "dash": "dash", "width": 1.5},
        annotation={"text": f"threshold {threshold:g} %", "font": {"color": theme.THRESHOLD}},
        annotation_position="top left",
    )
    top = max(threshold, float(mape.max()) if mape.notna().any() else threshold)
    figure.update_layout(
        title="Aggregated MAPE over all series, per hour",
        yaxis={"title": "MAPE (%)", "rangemode": "tozero", "range": [0, top * 1.15]},
        xaxis={"title": "Hour (UTC)"},
        height=400,
        margin={"t": 90},
        legend={"y": 1.06},
    )
    return figure


def _highest(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return float(finite.max()) if finite.size else 0.0


def heatmap_figure(matrix: pd.DataFrame, threshold: float) -> go.Figure:
    """MAPE (%) per consumer type (rows) and area (columns); blank cells have no measured hour."""
    figure = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy(),
            x=[area_label(area) for area in matrix.columns],
            y=[consumer_type_label(code) for code in matrix.index],
            colorscale=[[0.0, "#1f3b57"], [0.5, theme.FORECAST], [1.0, theme.ERROR]],
            zmin=0,
            zmax=max(2 * threshold, _highest(matrix.to_numpy())),
            colorbar={"title": {"text": "MAPE (%)"}},
            hovertemplate="%{x}<br>consumer type %{y}<br>MAPE %{z:.2f} %<extra></extra>",
            xgap=2,
            ygap=1,
        )
    )
    figure.update_layout(
        title={"text": "MAPE by consumer type and area", "y": 0.99, "yanchor": "top"},
        xaxis={"title": "", "side": "top", "showgrid": False},
        yaxis={
            "title": "Consumer type (DE35)",
            "type": "category",
            "autorange": "reversed",
            "showgrid": False,
        },
        height=max(320, 18 * len(matrix.index) + 150),
        hovermode="closest",
        margin={"t": 100},
    )
    return figure


def series_figure(frame: pd.DataFrame, series: tuple[int, int]) -> go.Figure:
    """Predictions against observations on top, the error per hour below, on one time axis.

    Hours with a prediction but no observation yet are shaded and labelled "awaiting observations"
    in both panels; the error panel draws nothing there instead of a zero. The two panels are laid
    out by hand (axis domains) rather than with `make_subplots`: a third of the build time, and
    this figure is rebuilt on every series change.
    """
    area, consumer_type = series
    hours = frame.index
    data = [
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
    ]
    shapes = []
    annotations = [
        _panel_title("Predictions and observations", TOP_PANEL[1]),
        _panel_title("Error per hour (prediction − observation)", BOTTOM_PANEL[1]),
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
        "xaxis": {"anchor": "y", "matches": "x2", "showticklabels": False},
        "xaxis2": {"anchor": "y2", "title": {"text": "Hour (UTC)"}},
        "yaxis": {"domain": list(TOP_PANEL), "title": {"text": "kWh"}},
        "yaxis2": {
            "domain": list(BOTTOM_PANEL),
            "title": {"text": "kWh"},
            "zeroline": True,
            "zerolinecolor": theme.THRESHOLD,
        },
        "shapes": shapes,
        "annotations": annotations,
    }
    return go.Figure(data=data, layout=layout)


def _panel_title(text: str, top: float) -> dict:
    return {
        "text": text,
        "x": 0.5,
        "y": top,
        "xref": "paper",
        "yref": "paper",
        "xanchor": "center",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 14},
    }
