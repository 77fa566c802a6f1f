"""The top of the monitoring page, above the views: the last 7 days' figures against the 7 days
before, what each figure means, and this week against last week (all the API's pooled figures),
in the page's language and on its clock.

What it shows is the same for every viewer of a data version in a zone and a language, so it is
derived once per process (`shared_headline`, read-only) and each run only emits the elements.
"""

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from monitoring import comparison
from monitoring.explanations import FIGURE_MEANINGS, WHEN_MAPE_MISLEADS
from monitoring.language import decimal, texts
from monitoring.measures import ALL_MEASURES, BIAS, BY_LABEL, Measure
from monitoring.state import SHARED_VERSIONS, PageData


def delta_colour(measure: Measure) -> str:
    """An error going up is bad (red), coverage going up is good; a bias change has no good side."""
    if measure is BIAS:
        return "off"
    return "normal" if measure.target is not None else "inverse"


def meanings_markdown(language: str) -> str:
    """One Markdown bullet per figure: its name in bold and what it means, in the page's language."""
    _ = texts(language)
    return "\n".join(f"- **{BY_LABEL[name].name(_)}**: {_(line)}" for name, line in FIGURE_MEANINGS.items())


@dataclass(frozen=True)
class HeadlineFigure:
    """One `st.metric` of the headline: the figure's name, value, change against the week before."""

    name: str
    value: str
    delta: str | None
    delta_color: str
    help: str


@dataclass(frozen=True)
class Headline:
    """What the top of the page shows, as text: `figures` is empty when the last 7 days have no
    compared hour (the page then says so instead of the caption and the figures)."""

    caption: str
    figures: tuple[HeadlineFigure, ...]
    meanings: str
    comparison: pd.DataFrame  # `comparison.formatted`: text in the page's language


def headline(page: PageData) -> Headline:
    """The headline's texts from the page data, built directly (what `shared_headline` keeps)."""
    language = page.language
    _ = texts(language)
    last_week = page.last_week
    caption, figures = "", []
    if last_week is not None and last_week.get("hours_compared"):
        span = comparison.period_span(page.summary, "last_7d", page.zone, language)
        caption = _(
            "Last 7 days ({span}), pooled over all series; the small figures compare with the 7 days before. "
            "A dash: the figure cannot be computed from these hours."
        ).format(span=span)
        for measure in ALL_MEASURES:
            moved = comparison.change(page.summary, measure, "last_7d", "previous_7d")
            unit = " " + _("pp") if measure.percent else ""
            figures.append(
                HeadlineFigure(
                    name=measure.name(_),
                    value=measure.text(last_week.get(measure.field), language),
                    delta=None if moved is None else decimal(moved, language, signed=True) + unit,
                    delta_color=delta_colour(measure),
                    help=measure.meaning_in(_),
                )
            )
    return Headline(
        caption=caption,
        figures=tuple(figures),
        meanings=meanings_markdown(language),
        comparison=comparison.formatted(page.comparison_table, language),
    )


@st.cache_resource(max_entries=SHARED_VERSIONS, show_spinner=False)
def shared_headline(api_url: str, version: str, language: str, zone: str, _page: PageData) -> Headline:
    """`headline` once per (API, data version, language, zone) for the process; `_page` (not hashed)
    is page data of that version, language and zone."""
    return headline(_page)


def render_headline(page: PageData) -> None:
    """Headline figures (last 7 days pooled over all series, against the 7 days before), their
    meanings, and the period comparison table."""
    _ = texts(page.language)
    shown = shared_headline(page.api_url, page.version, page.language, page.zone, page)
    st.header(_("Headline figures"))
    if not shown.figures:
        st.info(
            _("No hour of the last 7 days has both a prediction and an observation yet."),
            icon=":material/hourglass_empty:",
        )
    else:
        st.caption(shown.caption)
        for column, figure in zip(st.columns(len(shown.figures)), shown.figures, strict=True):
            column.metric(
                figure.name, figure.value, delta=figure.delta, delta_color=figure.delta_color, help=figure.help
            )
    with st.expander(_("What the figures mean, and when MAPE misleads"), expanded=True):
        st.markdown(shown.meanings)
        st.caption(_(WHEN_MAPE_MISLEADS))
    st.subheader(_("This week against last week"))
    # A static table: six rows need no grid, and a data grid is among the costliest elements to draw.
    st.table(shown.comparison)
