"""The one Plotly look of both dashboards: a dark template that stays readable on a light page.

Figures carry their own dark background, so they read the same whatever Streamlit theme the
viewer has; draw them with `dashboard_common.charts.plotly_chart`, which Streamlit does not restyle.
"""

import plotly.graph_objects as go
import plotly.io as pio

TEMPLATE_NAME = "energy_dark"

BACKGROUND = "#0e1117"
PLOT_BACKGROUND = "#161a23"
GRID = "#2a3040"
TEXT = "#e6e9ef"
MUTED_TEXT = "#a0a7b4"

OBSERVED = "#4c9be8"
FORECAST = "#f5a524"
ERROR = "#ef5b5b"
THRESHOLD = "#9aa5b1"
GOOD = "#3ecf8e"
COLORWAY = [OBSERVED, FORECAST, GOOD, ERROR, "#b07cf0", "#2ec4c6", THRESHOLD]

FONT_FAMILY = "Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif"


def _template() -> go.layout.Template:
    axis = {
        "gridcolor": GRID,
        "linecolor": GRID,
        "zerolinecolor": GRID,
        "tickcolor": GRID,
        "title": {"font": {"color": MUTED_TEXT}},
        "automargin": True,
    }
    return go.layout.Template(
        layout={
            "paper_bgcolor": BACKGROUND,
            "plot_bgcolor": PLOT_BACKGROUND,
            "font": {"family": FONT_FAMILY, "color": TEXT, "size": 13},
            "colorway": COLORWAY,
            "xaxis": axis,
            "yaxis": axis,
            "hoverlabel": {"bgcolor": BACKGROUND, "bordercolor": GRID, "font": {"color": TEXT}},
            "legend": {
                "bgcolor": "rgba(0,0,0,0)",
                "orientation": "h",
                "y": 1.02,
                "yanchor": "bottom",
            },
            "margin": {"l": 60, "r": 20, "t": 50, "b": 40},
            "hovermode": "x unified",
        }
    )


def apply_theme() -> str:
    """Register the template and make it Plotly's default, once per process; returns its name.

    Pages call it on every run; building the template each time was a tenth of a forecast page's
    server time under load (BENCHMARKS.md, "Capacity"), and it rewrote a process-wide default while
    other sessions' scripts were drawing with it.
    """
    if pio.templates.default != TEMPLATE_NAME or TEMPLATE_NAME not in pio.templates:
        pio.templates[TEMPLATE_NAME] = _template()
        pio.templates.default = TEMPLATE_NAME
    return TEMPLATE_NAME
