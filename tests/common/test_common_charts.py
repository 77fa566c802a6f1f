"""`dashboard_common.charts`: figures drawn by plotly.js's cartesian bundle served from the app itself.

The bundle must be the plotly.js the Python package writes figures for, both dashboards must serve
it, and in a real browser the charts must draw (every trace type the dashboards use), redraw in
place on a rerun, never pull Streamlit's own plotly.js chunk, and say so in the page when the
bundle cannot be loaded.
"""

import json
import re
import tomllib
from pathlib import Path

import plotly.offline
import pytest
from dashboard_common.charts import BUNDLE, STATIC_DIR
from devtools.paths import REPO_ROOT
from devtools.processes import running_streamlit
from playwright.sync_api import expect

DASHBOARDS = {"app-frontend": "frontend", "app-monitoring": "monitoring"}

APP = """
import plotly.graph_objects as go
import streamlit as st
from dashboard_common.charts import chart_data, plotly_chart


@st.cache_data
def histogram():  # built once, kept as the JSON the browser draws: a rerun only sends it
    return chart_data(go.Figure(go.Histogram(x=[1, 1, 2, 3, 3, 3]), layout={"title": "histogram", "height": 300}))


st.session_state.setdefault("round", 0)
st.button("Next", on_click=lambda: st.session_state.update(round=st.session_state["round"] + 1))
title = f"scatter {st.session_state['round']}"
plotly_chart(go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2]), layout={"title": title}), key="scatter")
plotly_chart(go.Figure(go.Heatmap(z=[[1, 2], [3, 4]]), layout={"title": "heatmap"}), key="heatmap")
plotly_chart(histogram(), key="histogram")
"""
DRAWN = """count => {
    const plots = [...document.querySelectorAll('.js-plotly-plot')];
    return plots.length === count && plots.every(plot => plot.querySelector('.cartesianlayer .mlayer > *'));
}"""
TITLES = "() => [...document.querySelectorAll('.js-plotly-plot .gtitle')].map(title => title.textContent)"
LOADED = "() => performance.getEntriesByType('resource').map(entry => entry.name)"


def test_the_bundle_is_the_plotly_js_the_python_package_writes_figures_for():
    header = (STATIC_DIR / BUNDLE).read_text(encoding="utf-8")[:300]
    found = re.search(r"plotly\.js \(cartesian - minified\) v(\S+)", header)
    assert found, header
    # After upgrading plotly, run scripts/vendor_plotly.py.
    assert found.group(1) == plotly.offline.get_plotlyjs_version()
    assert "MIT License" in (STATIC_DIR / "plotly.js-LICENSE.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("app_dir", sorted(DASHBOARDS))
def test_each_dashboard_serves_the_shared_bundle(app_dir: str):
    static = REPO_ROOT / app_dir / DASHBOARDS[app_dir] / "static"
    assert static.is_symlink() and not Path(static.readlink()).is_absolute()  # resolves in the image too
    assert (static / BUNDLE).resolve() == (STATIC_DIR / BUNDLE).resolve()
    config = tomllib.loads((REPO_ROOT / app_dir / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableStaticServing"] is True


def test_a_figure_and_its_chart_data_send_the_same_element():
    from streamlit.testing.v1 import AppTest

    def page():
        import plotly.graph_objects as go
        from dashboard_common.charts import chart_data, plotly_chart

        figure = go.Figure(go.Scatter(x=[1, 2], y=[2, 1]), layout={"height": 250})
        plotly_chart(figure, key="figure")
        plotly_chart(chart_data(figure), key="data")

    app_test = AppTest.from_function(page).run()
    first, second = app_test.get("bidi_component")
    assert first.proto.bytes == second.proto.bytes and json.loads(first.proto.bytes)["data"]  # height: in the browser


def _app(folder: Path, static_serving: bool) -> Path:
    (folder / "app.py").write_text(APP, encoding="utf-8")
    (folder / "static").symlink_to(STATIC_DIR)
    (folder / ".streamlit").mkdir()
    (folder / ".streamlit" / "config.toml").write_text(
        f"[server]\nenableStaticServing = {'true' if static_serving else 'false'}\n", encoding="utf-8"
    )
    return folder


@pytest.mark.e2e
@pytest.mark.browser
def test_charts_draw_with_the_cartesian_bundle_and_redraw_in_place(tmp_path: Path, page):
    with running_streamlit(_app(tmp_path, static_serving=True), "app.py", {}) as url:
        page.goto(url)
        page.wait_for_function(DRAWN, arg=3, timeout=60_000, polling=100)
        assert page.evaluate(TITLES) == ["scatter 0", "heatmap", "histogram"]
        assert page.locator(".js-plotly-plot").nth(2).bounding_box()["height"] == 300
        loaded = page.evaluate(LOADED)
        assert any(name.endswith(f"/app/static/{BUNDLE}") for name in loaded)
        assert not any("PlotlyChart" in name for name in loaded), "Streamlit's own plotly.js chunk was loaded too"

        page.locator(".js-plotly-plot").first.evaluate("chart => { chart.dataset.before = 'rerun'; }")
        page.get_by_role("button", name="Next").click()
        page.wait_for_function(f"() => ({TITLES})()[0] === 'scatter 1'", timeout=30_000, polling=50)
        # The same chart element, redrawn by Plotly.react, not a new one.
        assert page.locator(".js-plotly-plot").first.get_attribute("data-before") == "rerun"
        expect(page.locator(".js-plotly-plot")).to_have_count(3)


@pytest.mark.e2e
@pytest.mark.browser
def test_a_missing_bundle_says_so_in_place_of_each_chart(tmp_path: Path, page):
    with running_streamlit(_app(tmp_path, static_serving=False), "app.py", {}) as url:
        page.goto(url)
        alerts = page.get_by_role("alert").filter(has_text="This chart could not be drawn")
        alerts.first.wait_for(timeout=60_000)
        page.wait_for_function("() => document.querySelectorAll('[role=alert]').length === 3", timeout=30_000)
        assert "app/static/plotly-cartesian.min.js" in alerts.first.text_content()
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)


BROKEN_APP = """
import streamlit as st
from dashboard_common.charts import ChartData, plotly_chart

plotly_chart(ChartData('{"data": [', 200), key="cut_short")  # a figure's JSON cut off mid-way
st.write("after the chart")
"""


@pytest.mark.e2e
@pytest.mark.browser
def test_a_figure_the_browser_cannot_read_says_so_in_place_of_the_chart(tmp_path: Path, page):
    app = _app(tmp_path, static_serving=True)
    (app / "app.py").write_text(BROKEN_APP, encoding="utf-8")
    with running_streamlit(app, "app.py", {}) as url:
        page.goto(url)
        alert = page.get_by_role("alert").filter(has_text="This chart could not be drawn")
        alert.wait_for(timeout=60_000)
        assert "JSON" in alert.text_content()  # the parser's own words, e.g. "Unexpected end of JSON input"
        expect(page.get_by_text("after the chart")).to_be_visible()
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
