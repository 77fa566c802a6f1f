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

# Chart colours, told apart by people with any common colour-vision deficiency: every pair is at least
# `MIN_CVD_DELTA_E` apart in CAM02-UCS after simulating deuteranopia, protanopia and tritanopia
# (`tests/common/test_chart_colours.py`, colorspacious), and at least 4.5:1 against the plot.
# The palette's purple (#b07cf0) and cyan (#2ec4c6) of before were not: purple next to OBSERVED under
# deuteranopia (ΔE 1.8), cyan next to GOOD under tritanopia (2.9) and next to THRESHOLD (5.9).
OBSERVED = "#4c9be8"
FORECAST = "#f5a524"
ERROR = "#ef5b5b"
THRESHOLD = "#9aa5b1"
GOOD = "#3ecf8e"
YELLOW = "#fefc80"
LAVENDER = "#d6bdf8"
MINT = "#c1f6ed"
MAUVE = "#b17486"
COLORWAY = [OBSERVED, FORECAST, GOOD, ERROR, LAVENDER, YELLOW, THRESHOLD]
MIN_CVD_DELTA_E = 12.0
"""The least CAM02-UCS colour difference between two chart colours drawn together, under each
simulated colour-vision deficiency (severity 100)."""

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
