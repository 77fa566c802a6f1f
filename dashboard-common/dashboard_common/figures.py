"""The one way both pages build figures: traces and layout as plain dicts, and one constructor call.

Plotly validates every property of every trace, shape and annotation it is handed, and its
incremental helpers (`add_trace`, `add_hline`, `update_layout`, `make_subplots`) validate again on
each call: on a page that rebuilds a figure on every rerun that cost more than the rest of the
redraw (BENCHMARKS.md, "Dashboards"). So a page composes plain dicts from the small builders here and
hands them to `figure()` once, without validation. What validation would have caught (a misspelt
property) is caught by the tests instead, which re-create every figure the pages build with
validation on (`tests/common/test_common_figures.py`).
"""

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

# Below the axis: on a phone a legend above the plot wraps into rows that cover the title. Trace
# order "normal": with filled bands Plotly would reverse it, and the hover box follows the legend.
LEGEND_BELOW = {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.14, "yanchor": "top", "traceorder": "normal"}


def scatter(**properties: Any) -> dict:
    return {"type": "scatter", **properties}


def heatmap(**properties: Any) -> dict:
    return {"type": "heatmap", **properties}


def histogram(**properties: Any) -> dict:
    return {"type": "histogram", **properties}


def rgba(hex_color: str, alpha: float) -> str:
    """'#f5a524' at `alpha` opacity, as plotly.js reads it."""
    red, green, blue = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def band(
    x: Any, lower: Any, upper: Any, name: str, fillcolor: str, lower_name: str | None = None, **common: Any
) -> list[dict]:
    """A shaded range: an invisible lower edge, then the upper edge filled down to it. `common` goes
    on both edges (a legend group, the axes of a panel); `lower_name` names the hidden edge."""
    edge = {"x": x, "mode": "lines", "line": {"width": 0}, "hoverinfo": "skip", **common}
    lower_edge = scatter(y=lower, showlegend=False, **edge)
    if lower_name is not None:
        lower_edge["name"] = lower_name
    return [
        lower_edge,
        scatter(y=upper, name=name, fill="tonexty", fillcolor=fillcolor, **edge),
    ]


def hline(y: float, color: str, text: str | None = None, yref: str = "y") -> tuple[dict, list[dict]]:
    """A dashed horizontal line across the plot at `y`, and its label at the left end above it (what
    Plotly's `add_hline(..., annotation_position="top left")` draws)."""
    line = {"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": yref, "y0": y, "y1": y}
    line["line"] = {"color": color, "dash": "dash", "width": 1.5}
    if text is None:
        return line, []
    label = {"text": text, "font": {"color": color}, "showarrow": False, "x": 0, "xanchor": "left", "xref": "x domain"}
    return line, [{**label, "y": y, "yanchor": "bottom", "yref": yref}]


def span(x0: Any, x1: Any, fillcolor: str, yref: str = "paper", y_top: float = 1.0, **style: Any) -> dict:
    """A shaded column from `x0` to `x1`, behind the traces (forecast hours, holidays, awaited hours)."""
    return {
        "type": "rect",
        "xref": "x",
        "yref": yref,
        "x0": x0,
        "x1": x1,
        "y0": 0,
        "y1": y_top,
        "fillcolor": fillcolor,
        "line": {"width": 0},
        "layer": "below",
        **style,
    }


def title(text: str, subtitle: str | None = None) -> dict:
    """A chart title at the top left, with a smaller line under it."""
    shown = text if subtitle is None else f"{text}<br><sup>{subtitle}</sup>"
    return {"text": shown, "x": 0, "xref": "paper", "xanchor": "left", "y": 0.97, "yanchor": "top", "pad": {"t": 4}}


def figure(data: Sequence[dict], layout: dict) -> go.Figure:
    """The figure in one constructor call, without per-property validation (see the module's docstring)."""
    return go.Figure(data=list(data), layout=layout, _validate=False)
