"""Plotly charts drawn with plotly.js's cartesian bundle rather than Streamlit's full one.

`st.plotly_chart` loads Streamlit's plotly.js chunk: every trace type there is (4.6 MB of
JavaScript that each new visitor's browser downloads, compiles and runs before the first chart
appears). The dashboards draw scatter, heatmap and histogram traces only, which plotly.js's
cartesian bundle (1.5 MB, same plotly.js version as the Python package, fetched by
`scripts/vendor_plotly.py`) covers. `plotly_chart` mounts a small Streamlit component (components
v2, in the page's DOM, no iframe) that loads that bundle once per page from the app's static files
and draws the figure with `Plotly.react`: the same plotly.js, interactions, hover and mode bar.

Each dashboard serves the bundle through Streamlit's static file serving
(`server.enableStaticServing` in its `.streamlit/config.toml`; `<package>/static` links to
`dashboard_common/static`). If the bundle cannot be loaded, the chart's place says so.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go
import plotly.io
import streamlit as st

STATIC_DIR = Path(__file__).resolve().with_name("static")
BUNDLE = "plotly-cartesian.min.js"
# Relative to the page, so it works under `server.baseUrlPath` too.
BUNDLE_URL = f"app/static/{BUNDLE}"
CONFIG = {"responsive": True, "displaylogo": False}
HOVER_TITLE_META = "hover-title"
"""A trace whose `meta` is this gives the unified hover box its title: the hovered point's
`customdata` (plotly.js formats the title from x alone, so it cannot write a zone's wall clock)."""

_JS = """
const BUNDLE_URL = "__BUNDLE_URL__";
const CONFIG = __CONFIG__;
const HOVER_TITLE_META = "__HOVER_TITLE_META__";

function loadPlotly() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  window.__energyForecastPlotly ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = new URL(BUNDLE_URL, document.baseURI).href;
    const failed = () => {
      window.__energyForecastPlotly = undefined;  // the next chart tries again
      reject(new Error('could not load ' + script.src));
    };
    // A server without the file may answer with a page instead: loaded, but no Plotly.
    script.onload = () => (window.Plotly ? resolve(window.Plotly) : failed());
    script.onerror = failed;
    document.head.appendChild(script);
  });
  return window.__energyForecastPlotly;
}

export default async function (component) {
  const { data, parentElement } = component;
  let chart = parentElement.querySelector(':scope > div.energy-forecast-chart');
  if (!chart) {
    chart = document.createElement('div');
    chart.className = 'energy-forecast-chart';
    parentElement.appendChild(chart);
  }
  try {
    // The figure's JSON comes as UTF-8 bytes (see `plotly_chart`); a string or an object is read too.
    const text = data instanceof Uint8Array || data instanceof ArrayBuffer ? new TextDecoder().decode(data) : data;
    const figure = typeof text === 'string' ? JSON.parse(text) : text;
    const Plotly = await loadPlotly();
    await Plotly.react(chart, figure.data || [], figure.layout || {}, CONFIG);
    if (!chart.__energyForecastHoverTitle) {
      chart.__energyForecastHoverTitle = true;
      // The unified hover box's title can only format x (a UTC instant): write the hovered hour of
      // the trace marked HOVER_TITLE_META there instead (the hour in the page's zone and language).
      chart.on('plotly_hover', (event) => {
        const point = (event.points || []).find((p) => p.data && p.data.meta === HOVER_TITLE_META);
        const title = chart.querySelector('.hoverlayer .legendtitletext');
        if (point && title && point.customdata != null) title.textContent = String(point.customdata);
      });
    }
  } catch (error) {
    chart.textContent = 'This chart could not be drawn (' + error.message + '); reload the page to try again.';
    chart.setAttribute('role', 'alert');
  }
}
"""
_JS = _JS.replace("__BUNDLE_URL__", BUNDLE_URL).replace("__CONFIG__", json.dumps(CONFIG))
_JS = _JS.replace("__HOVER_TITLE_META__", HOVER_TITLE_META)

COMPONENT_NAME = "energy_forecast_plotly_chart"
_component = st.components.v2.component(COMPONENT_NAME, js=_JS, isolate_styles=False)


@dataclass(frozen=True)
class ChartData:
    """What `plotly_chart` sends for a figure: its JSON and height. Small and picklable, so a page can
    keep it in `st.cache_data` and skip building and serialising a figure it has drawn before."""

    json: str
    height: int | None


def figure_json(figure: go.Figure) -> str:
    """The figure as plotly.js reads it (what `st.plotly_chart` sends too)."""
    return plotly.io.to_json(figure, validate=False)


def chart_data(figure: go.Figure) -> ChartData:
    height = figure.layout.height
    return ChartData(figure_json(figure), int(height) if height else None)


def plotly_chart(figure: go.Figure | ChartData, *, key: str) -> None:
    """Draw `figure` where the call is made (in the current container), full width.

    The element reserves the figure's height before plotly.js has loaded, so the page does not
    jump when the chart appears.
    """
    data = figure if isinstance(figure, ChartData) else chart_data(figure)
    # As bytes, the JSON goes into the message as it is. A `str` is JSON-encoded again by Streamlit
    # (every quote escaped) and encoded once more, sorted, for the element's identity: two passes over
    # 40-130 KB per chart and per view, on the one core a dashboard process has (BENCHMARKS.md, "Capacity").
    _component(data=data.json.encode(), key=key, height=data.height or "content")
