"""The forecast chart as a pure function: series in, Plotly figure out (testable without Streamlit)."""

import pandas as pd
import plotly.graph_objects as go
from dashboard_common import theme

HALF_HOUR = pd.Timedelta(minutes=30)


def _naive_utc(index: pd.Index) -> pd.DatetimeIndex:
    """Plotly.js has no time zones: hand it wall-clock UTC so the axis shows UTC hours."""
    return pd.DatetimeIndex(index).tz_convert("UTC").tz_localize(None)


def forecast_figure(observed: pd.Series, forecast: pd.Series, title: str) -> go.Figure:
    """Observed week (solid) and forecast (dashed, shaded) on one hourly UTC axis.

    Missing hours are NaN in the series and stay gaps (no line drawn across them). A dotted
    vertical line marks where observations end and the forecast begins. The figure is built in
    one constructor call: Plotly's incremental helpers (add_vline, update_layout) cost ~10x more.
    """
    observed_hours, forecast_hours = _naive_utc(observed.index), _naive_utc(forecast.index)
    all_hours = observed_hours.union(forecast_hours)
    shapes, annotations = [], []
    if len(forecast_hours):
        boundary = forecast_hours[0] - HALF_HOUR
        shapes = [
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": boundary,
                "x1": forecast_hours[-1] + HALF_HOUR,
                "y0": 0,
                "y1": 1,
                "fillcolor": theme.FORECAST,
                "opacity": 0.08,
                "line": {"width": 0},
                "layer": "below",
            },
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": boundary,
                "x1": boundary,
                "y0": 0,
                "y1": 1,
                "line": {"color": theme.THRESHOLD, "width": 1.5, "dash": "dot"},
            },
        ]
        annotations = [
            {
                "x": boundary,
                "y": 1.0,
                "xref": "x",
                "yref": "paper",
                "text": " forecast ›",
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "top",
                "font": {"color": theme.MUTED_TEXT, "size": 12},
            }
        ]
    observed_trace = go.Scatter(
        x=observed_hours,
        y=observed.to_numpy(),
        name="Observed",
        mode="lines",
        line={"color": theme.OBSERVED, "width": 2},
        connectgaps=False,
        hovertemplate="%{y:,.0f} kWh",
    )
    forecast_trace = go.Scatter(
        x=forecast_hours,
        y=forecast.to_numpy(),
        name="Forecast (next 24 h)",
        mode="lines+markers",
        line={"color": theme.FORECAST, "width": 2.5, "dash": "dash"},
        marker={"size": 4},
        connectgaps=False,
        hovertemplate="%{y:,.0f} kWh",
    )
    layout = go.Layout(
        title={"text": title, "x": 0, "xref": "paper", "xanchor": "left", "y": 0.97, "yanchor": "top"},
        height=480,
        margin={"t": 90},
        xaxis={
            "title": {"text": "Hour (UTC)"},
            "hoverformat": "%a %d %b %Y %H:%M UTC",
            "range": [all_hours[0] - HALF_HOUR, all_hours[-1] + HALF_HOUR] if len(all_hours) else None,
        },
        yaxis={"title": {"text": "Consumption (kWh)"}, "tickformat": ",.0f", "rangemode": "tozero"},
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom"},
        shapes=shapes,
        annotations=annotations,
    )
    return go.Figure(data=[observed_trace, forecast_trace], layout=layout)
