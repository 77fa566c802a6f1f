"""The self-contained HTML report: one file, plotly.js inlined once, every section in it."""

import re

import pandas as pd
import plotly.graph_objects as go
from monitoring.explanations import FIGURE_MEANINGS, WHEN_MAPE_MISLEADS
from monitoring.report import ReportSection, html_report


def report(sections) -> str:
    return html_report(
        title="Forecast monitoring <test>",
        captions=["Data version abc"],
        key_figures={"WAPE": "2.35 %", "MASE": "–"},
        meanings=FIGURE_MEANINGS,
        caveat=WHEN_MAPE_MISLEADS,
        sections=sections,
        generated="Generated 02 Dec 2026 08:00 UTC",
    ).decode("utf-8")


def test_report_inlines_plotly_once_and_loads_nothing_from_the_network():
    charts = [go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name=f"chart {n}")) for n in range(3)]
    text = report([ReportSection(f"Section {n}", figure=chart) for n, chart in enumerate(charts)])
    assert text.count("plotly.js v") == 1  # the library's banner, inlined once
    assert not re.search(r"<script[^>]+src=", text)
    assert text.count('class="plotly-graph-div"') == 3
    assert all(f"chart {n}" in text for n in range(3))


def test_report_has_title_key_figures_meanings_tables_and_escapes_text():
    table = pd.DataFrame({"Area": ["DK1"], "WAPE (%)": [2.345], "MASE": [float("nan")]})
    text = report([ReportSection("Breakdown", text="worst first", table=table)])
    assert "<title>Forecast monitoring &lt;test&gt;</title>" in text
    assert "2.35 %" in text and "Generated 02 Dec 2026 08:00 UTC" in text
    assert all(name in text for name in FIGURE_MEANINGS)
    assert "When MAPE misleads" in text
    assert "<td>2.35</td>" in text and "<td>–</td>" in text
