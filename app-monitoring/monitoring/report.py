"""The monitoring view as one self-contained HTML file: charts stay interactive with no network.

`report_sections` decides what goes in from explicit inputs (the page's data, the widgets' choices,
the chosen series, the hour-of-day profile); `html_report` writes any sections as HTML.

Plotly's JavaScript is inlined once (`include_plotlyjs=True` on the first chart, the others reuse
it), so the file opens from an e-mail attachment or a ticket on a machine that cannot reach a CDN.
Built only when someone presses the download button: inlining plotly.js makes it ~5 MB.
"""

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import plotly.graph_objects as go
from dashboard_common import theme
from dashboard_common.i18n import ENGLISH, long_date

from monitoring import breakdown, comparison
from monitoring.aggregate import hourly_overview, trailing_day
from monitoring.clock import hour_text
from monitoring.descriptions import (
    heatmap_description,
    hour_of_day_description,
    hourly_description,
    series_description,
)
from monitoring.explanations import FIGURE_MEANINGS, WHEN_MAPE_MISLEADS
from monitoring.figures import heatmap_figure, hour_of_day_figure, hourly_figure, series_figure
from monitoring.language import decimal, percent, texts
from monitoring.measures import ALL_MEASURES, BY_LABEL
from monitoring.state import PAGE_TITLE, PageData, SeriesKey, ViewChoice, series_name

CHART_CONFIG = {"displaylogo": False, "responsive": True}
STYLE = f"""
body {{ background: {theme.BACKGROUND}; color: {theme.TEXT}; font-family: {theme.FONT_FAMILY};
       margin: 2rem auto; max-width: 1300px; padding: 0 1rem; }}
h1, h2 {{ font-weight: 600; }}
.caption, .meaning {{ color: {theme.MUTED_TEXT}; }}
.figures {{ display: flex; flex-wrap: wrap; gap: 1.5rem; margin: 1rem 0; }}
.figure {{ background: {theme.PLOT_BACKGROUND}; border-radius: 6px; padding: 0.6rem 1rem; min-width: 9rem; }}
.figure .label {{ color: {theme.MUTED_TEXT}; font-size: 0.85rem; }}
.figure .value {{ font-size: 1.6rem; }}
table {{ border-collapse: collapse; font-size: 0.85rem; }}
th, td {{ border-bottom: 1px solid {theme.GRID}; padding: 0.25rem 0.6rem; text-align: right; }}
th {{ color: {theme.MUTED_TEXT}; }}
"""


@dataclass(frozen=True)
class ReportSection:
    """One heading of the report with what sits under it: text, a chart, a table (each optional);
    `description` is the chart's text alternative (read by a screen reader, shown under the chart)."""

    heading: str
    text: str = ""
    figure: go.Figure | None = None
    table: pd.DataFrame | None = None
    description: str = ""


def _figures_html(key_figures: Mapping[str, str]) -> str:
    cells = "".join(
        f'<div class="figure"><div class="label">{html.escape(label)}</div>'
        f'<div class="value">{html.escape(value)}</div></div>'
        for label, value in key_figures.items()
    )
    return f'<div class="figures">{cells}</div>'


def _meanings_html(meanings: Mapping[str, str], caveat: str) -> str:
    items = "".join(f"<li><b>{html.escape(name)}</b>: {html.escape(line)}</li>" for name, line in meanings.items())
    return f'<ul class="meaning">{items}</ul><p class="meaning">{html.escape(caveat)}</p>'


def html_report(
    title: str,
    captions: Sequence[str],
    key_figures: Mapping[str, str],
    meanings: Mapping[str, str],
    caveat: str,
    sections: Sequence[ReportSection],
    generated: str,
    language: str = ENGLISH,
) -> bytes:
    """The whole report as UTF-8 HTML in `language` (`<html lang>` too); the first chart carries
    plotly.js for all of them. Each chart is a figure whose caption is its text alternative."""
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{html.escape(language)}"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="caption">{html.escape(generated)}</p>',
        *(f'<p class="caption">{html.escape(caption)}</p>' for caption in captions),
        _figures_html(key_figures),
        _meanings_html(meanings, caveat),
    ]
    plotly_js_included = False
    for section in sections:
        parts.append(f"<h2>{html.escape(section.heading)}</h2>")
        if section.text:
            parts.append(f'<p class="caption">{html.escape(section.text)}</p>')
        if section.figure is not None:
            chart = section.figure.to_html(
                full_html=False, include_plotlyjs=not plotly_js_included, config=CHART_CONFIG
            )
            caption = f'<figcaption class="caption">{html.escape(section.description)}</figcaption>'
            parts.append(f"<figure>{chart}{caption if section.description else ''}</figure>")
            plotly_js_included = True
        if section.table is not None:
            parts.append(
                section.table.to_html(index=False, na_rep="–", float_format=lambda value: decimal(value, language))
            )
    parts.append("</body></html>")
    return "\n".join(parts).encode("utf-8")


def report_sections(
    page: PageData, choice: ViewChoice, series: SeriesKey, detail: pd.DataFrame, profile: pd.DataFrame | None
) -> list[ReportSection]:
    """The three views' tables and charts for the chosen figures, threshold and series, each chart
    with its text alternative, in the page's language; a section with nothing to show (no measured
    hour yet) is left out."""
    language = page.language
    _ = texts(language)
    measure, threshold = choice.chart_measure, choice.threshold
    values = page.frame.get(measure.field)
    overview = None if values is None else hourly_overview(values, measure, threshold)
    rolling = trailing_day(page.frame, measure)
    rank_measure = choice.rank_measure
    matrix = breakdown.heatmap_matrix(choice.ranked, rank_measure)
    table = choice.ranked.drop(columns=[breakdown.AREA, breakdown.CONSUMER_TYPE])
    sections = [
        ReportSection(_("This week against last week"), table=comparison.translated(page.comparison_table, language)),
        ReportSection(
            _("Aggregated error over time"),
            figure=None if overview is None else hourly_figure(values, measure, threshold, rolling, language),
            description="" if overview is None else hourly_description(values, measure, threshold, overview, language),
        ),
        ReportSection(
            _("Error by hour of day"),
            figure=hour_of_day_figure(profile, page.zone, language) if overview and profile is not None else None,
            description="" if profile is None else hour_of_day_description(profile, page.zone, language),
        ),
        ReportSection(
            _("Breakdown by series"),
            text=_("Worst {figure} first.").format(figure=rank_measure.name(_)),
            figure=heatmap_figure(matrix, rank_measure, threshold, language, breakdown.beyond_cells(choice.ranked)),
            description=heatmap_description(matrix, rank_measure, language),
            table=table.rename(columns=breakdown.headers(language)),
        ),
        ReportSection(
            series_name(series, language),
            figure=series_figure(detail, series, language),
            description=series_description(detail, series, language),
        ),
    ]
    return [section for section in sections if section.figure is not None or section.table is not None]


def page_report(
    page: PageData,
    choice: ViewChoice,
    series: SeriesKey,
    detail: pd.DataFrame,
    profile: pd.DataFrame | None,
    now: datetime,
) -> bytes:
    """All three views as one self-contained HTML file (built only when the button is pressed), in
    the page's language and on its clock."""
    language = page.language
    _ = texts(language)
    local_now = pd.Timestamp(now).tz_convert(page.zone)
    last_week = page.last_week
    span = comparison.period_span(page.summary, "last_7d", page.zone, language)
    key_figures = (
        {} if last_week is None else {m.name(_): m.text(last_week.get(m.field), language) for m in ALL_MEASURES}
    )
    meanings = {BY_LABEL[name].name(_): _(line) for name, line in FIGURE_MEANINGS.items()}
    return html_report(
        title=f"{_(PAGE_TITLE)} · {long_date(local_now, language)}",
        captions=[
            _("Data version {version} from {source}").format(
                version=page.version, source=page.status.get("source", _("the API"))
            ),
            _("Headline figures: last 7 days ({span}), pooled over all series.").format(span=span),
            _("Threshold {threshold}.").format(threshold=percent(choice.threshold, language, decimals=1)),
        ],
        key_figures=key_figures,
        meanings=meanings,
        caveat=_(WHEN_MAPE_MISLEADS),
        sections=report_sections(page, choice, series, detail, profile),
        generated=_("Generated {time}").format(time=hour_text(local_now, language)),
        language=language,
    )
