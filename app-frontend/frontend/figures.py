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
    vertical line marks where observations end and the forecast begins.
    """
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=_naive_utc(observed.index),
            y=observed.to_numpy(),
            name="Observed",
            mode="lines",
            line={"color": theme.OBSERVED, "width": 2},
            connectgaps=False,
            hovertemplate="%{y:,.0f} kWh",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=_naive_utc(forecast.index),
            y=forecast.to_numpy(),
            name="Forecast (next 24 h)",
            mode="lines+markers",
            line={"color": theme.FORECAST, "width": 2.5, "dash": "dash"},
            marker={"size": 4},
            connectgaps=False,
            hovertemplate="%{y:,.0f} kWh",
        )
    )
    if not forecast.empty:
        boundary = _naive_utc(forecast.index[:1])[0] - HALF_HOUR
        figure.add_vrect(
            x0=boundary,
            x1=_naive_utc(forecast.index[-1:])[0] + HALF_HOUR,
            fillcolor=theme.FORECAST,
            opacity=0.08,
            line_width=0,
            layer="below",
        )
        figure.add_vline(x=boundary, line={"color": theme.THRESHOLD, "width": 1.5, "dash": "dot"})
        figure.add_annotation(
            x=boundary,
            y=1.0,
            yref="paper",
            text=" forecast ›",
            showarrow=False,
            xanchor="left",
            yanchor="top",
            font={"color": theme.MUTED_TEXT, "size": 12},
        )
    hours = observed.index.union(forecast.index)
    x_range = [_naive_utc(hours[:1])[0] - HALF_HOUR, _naive_utc(hours[-1:])[0] + HALF_HOUR] if len(hours) else None
    figure.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        height=460,
        xaxis={
            "title": {"text": "Hour (UTC)"},
            "hoverformat": "%a %d %b %Y %H:%M UTC",
            "range": x_range,
        },
        yaxis={"title": {"text": "Consumption (kWh)"}, "tickformat": ",.0f", "rangemode": "tozero"},
        legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1.02, "yanchor": "bottom"},
    )
    return figure
