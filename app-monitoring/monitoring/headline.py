"""The top of the monitoring page, above the views: the last 7 days' figures against the 7 days
before, what each figure means, and this week against last week (all the API's pooled figures)."""

import streamlit as st

from monitoring import comparison
from monitoring.explanations import FIGURE_MEANINGS, WHEN_MAPE_MISLEADS
from monitoring.measures import ALL_MEASURES, BIAS, Measure
from monitoring.state import PageData


def delta_colour(measure: Measure) -> str:
    """An error going up is bad (red), coverage going up is good; a bias change has no good side."""
    if measure is BIAS:
        return "off"
    return "normal" if measure.target is not None else "inverse"


def render_headline(page: PageData) -> None:
    """Headline figures (last 7 days pooled over all series, against the 7 days before), their
    meanings, and the period comparison table."""
    st.header("Headline figures")
    last_week = page.last_week
    if last_week is None or not last_week.get("hours_compared"):
        st.info(
            "No hour of the last 7 days has both a prediction and an observation yet.",
            icon=":material/hourglass_empty:",
        )
    else:
        span = comparison.period_span(page.summary, "last_7d")
        st.caption(
            f"Last 7 days ({span}), pooled over all series; the small figures "
            "compare with the 7 days before. A dash: the figure cannot be computed from these hours."
        )
        for column, measure in zip(st.columns(len(ALL_MEASURES)), ALL_MEASURES, strict=True):
            moved = comparison.change(page.summary, measure, "last_7d", "previous_7d")
            unit = " pp" if measure.percent else ""
            column.metric(
                measure.label,
                measure.text(last_week.get(measure.field)),
                delta=None if moved is None else f"{moved:+.2f}{unit}",
                delta_color=delta_colour(measure),
                help=measure.meaning,
            )
    with st.expander("What the figures mean, and when MAPE misleads", expanded=True):
        st.markdown("\n".join(f"- **{name}**: {line}" for name, line in FIGURE_MEANINGS.items()))
        st.caption(WHEN_MAPE_MISLEADS)
    st.subheader("This week against last week")
    # A static table: six rows need no grid, and a data grid is among the costliest elements to draw.
    st.table(comparison.formatted(page.comparison_table))
