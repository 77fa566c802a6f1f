"""The top of the monitoring page, above the views: the last 7 days' figures against the 7 days
before, what each figure means, and this week against last week (all the API's pooled figures),
in the page's language and on its clock."""

import streamlit as st

from monitoring import comparison
from monitoring.explanations import FIGURE_MEANINGS, WHEN_MAPE_MISLEADS
from monitoring.language import decimal, texts
from monitoring.measures import ALL_MEASURES, BIAS, BY_LABEL, Measure
from monitoring.state import PageData


def delta_colour(measure: Measure) -> str:
    """An error going up is bad (red), coverage going up is good; a bias change has no good side."""
    if measure is BIAS:
        return "off"
    return "normal" if measure.target is not None else "inverse"


def meanings_markdown(language: str) -> str:
    """One Markdown bullet per figure: its name in bold and what it means, in the page's language."""
    _ = texts(language)
    return "\n".join(f"- **{BY_LABEL[name].name(_)}**: {_(line)}" for name, line in FIGURE_MEANINGS.items())


def render_headline(page: PageData) -> None:
    """Headline figures (last 7 days pooled over all series, against the 7 days before), their
    meanings, and the period comparison table."""
    language = page.language
    _ = texts(language)
    st.header(_("Headline figures"))
    last_week = page.last_week
    if last_week is None or not last_week.get("hours_compared"):
        st.info(
            _("No hour of the last 7 days has both a prediction and an observation yet."),
            icon=":material/hourglass_empty:",
        )
    else:
        span = comparison.period_span(page.summary, "last_7d", page.zone, language)
        st.caption(
            _(
                "Last 7 days ({span}), pooled over all series; the small figures compare with the 7 days before. "
                "A dash: the figure cannot be computed from these hours."
            ).format(span=span)
        )
        for column, measure in zip(st.columns(len(ALL_MEASURES)), ALL_MEASURES, strict=True):
            moved = comparison.change(page.summary, measure, "last_7d", "previous_7d")
            unit = " " + _("pp") if measure.percent else ""
            column.metric(
                measure.name(_),
                measure.text(last_week.get(measure.field), language),
                delta=None if moved is None else decimal(moved, language, signed=True) + unit,
                delta_color=delta_colour(measure),
                help=measure.meaning_in(_),
            )
    with st.expander(_("What the figures mean, and when MAPE misleads"), expanded=True):
        st.markdown(meanings_markdown(language))
        st.caption(_(WHEN_MAPE_MISLEADS))
    st.subheader(_("This week against last week"))
    # A static table: six rows need no grid, and a data grid is among the costliest elements to draw.
    st.table(comparison.formatted(page.comparison_table, language))
