"""This week against last week: the headline figures over the API's periods, side by side.

`/api/v2/monitoring/summary` computes every figure for the last 24 hours, the same 24 hours one
week earlier, the last 7 days and the 7 days before (pooled over all series); the page only
lays them out and says how much each moved.
"""

import pandas as pd
from dashboard_common.hours import parse_times
from dashboard_common.i18n import ENGLISH, N_

from monitoring.clock import UTC, span_text
from monitoring.language import decimal, texts
from monitoring.measures import ALL_MEASURES, BY_LABEL, Measure

PERIOD_LABELS = {
    "last_24h": N_("Last 24 h"),
    "week_before": N_("Same 24 h a week earlier"),
    "last_7d": N_("Last 7 days"),
    "previous_7d": N_("7 days before"),
}
WINDOW_LABEL = N_("Whole window")
FIGURE = N_("Figure")


def period_figures(summary: dict, period: str) -> dict | None:
    """The pooled figures of `period` over all series, or None when the API has no such period."""
    found = (summary.get("periods") or {}).get(period)
    return None if found is None else found.get("overall")


def comparison_table(summary: dict) -> pd.DataFrame:
    """Rows: figures; columns: the periods (display units), the window's figures last."""
    columns = {label: period_figures(summary, period) for period, label in PERIOD_LABELS.items()}
    columns[WINDOW_LABEL] = summary.get("overall")
    rows = []
    for measure in ALL_MEASURES:
        row = {FIGURE: measure.unit_label}
        for label, figures in columns.items():
            row[label] = None if figures is None else measure.display(figures.get(measure.field))
        rows.append(row)
    table = pd.DataFrame(rows, columns=[FIGURE, *columns])
    return table.astype(dict.fromkeys(columns, "float64"))


def change(summary: dict, measure: Measure, period: str, earlier: str) -> float | None:
    """`period` minus `earlier` in display units, or None when either figure is unknown."""
    now, before = period_figures(summary, period), period_figures(summary, earlier)
    if now is None or before is None:
        return None
    current, previous = measure.display(now.get(measure.field)), measure.display(before.get(measure.field))
    if current is None or previous is None:
        return None
    return current - previous


def translated(table: pd.DataFrame, language: str = ENGLISH) -> pd.DataFrame:
    """The table with its headers and figure names in the page's language (values untouched)."""
    _ = texts(language)
    figure_names = {measure.unit_label: measure.unit_name(_) for measure in BY_LABEL.values()}
    headers = {column: _(column) for column in table.columns}
    return table.assign(**{FIGURE: table[FIGURE].map(figure_names)}).rename(columns=headers)


def formatted(table: pd.DataFrame, language: str = ENGLISH) -> pd.DataFrame:
    """The table as text in the page's language: two decimals in its number format, a dash where a
    figure is unknown, figures (translated) as the index."""
    shown = translated(table, language).set_index(texts(language)(FIGURE))
    return shown.apply(lambda column: column.map(lambda value: decimal(None if pd.isna(value) else value, language)))


def period_span(summary: dict, name: str, zone: str = UTC, language: str = ENGLISH) -> str:
    """A summary period's hours in `zone` and the page's language ('tir. 6. jun. 02:00 CEST – ...'),
    or '' when it has none."""
    period = (summary.get("periods") or {}).get(name)
    if not period or not period.get("from") or not period.get("to"):
        return ""
    start, end = parse_times([period["from"], period["to"]], zone)
    return span_text(start, end, language)
