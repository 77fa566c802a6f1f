"""A text alternative for every chart of the monitoring page: one or two sentences a screen reader
reads (what is shown, the worst or peak value and when, the range), in the page's language.

Each is built from the same data the chart is built from (the same frames and the same choices,
passed by the views and the report to both), so the sentence and the chart cannot disagree; the
page places it right under its chart and the report under the chart's heading. Numbers and hours
are written as the rest of the page writes them (`monitoring.language`, `monitoring.clock`).
"""

import pandas as pd
from dashboard_common.i18n import ENGLISH
from dashboard_common.labels import area_label, consumer_type_label

from monitoring.aggregate import HourlyOverview
from monitoring.clock import hour_text, span_text, zone_name
from monitoring.language import decimal, percent, texts
from monitoring.measures import HOURLY_MEASURES, Measure
from monitoring.series import AWAITING, OBSERVATION, compared_errors


def hourly_description(
    values: pd.Series, measure: Measure, threshold: float, overview: HourlyOverview, language: str = ENGLISH
) -> str:
    """The hourly chart: the figure per hour over the window, its worst hour, its range, and how many
    hours are beyond the threshold."""
    _ = texts(language)
    measured = values.dropna()
    sign = "±" if measure.signed else ""
    first = _("Chart of {figure} over all series for each hour from {start} to {end}.").format(
        figure=measure.name(_), start=hour_text(values.index[0], language), end=hour_text(values.index[-1], language)
    )
    second = _(
        "The worst hour is {worst_hour} at {worst}; values range from {low} to {high}; "
        "{beyond} of {hours} hours are beyond the threshold of {threshold}."
    ).format(
        worst_hour=hour_text(overview.worst_hour, language),
        worst=measure.shown_text(overview.worst, language),
        low=measure.shown_text(float(measured.min()), language),
        high=measure.shown_text(float(measured.max()), language),
        beyond=overview.hours_beyond_threshold,
        hours=overview.hours_measured,
        threshold=sign + percent(threshold, language, decimals=1),
    )
    return f"{first} {second}"


def hour_of_day_description(profile: pd.DataFrame, zone: str, language: str = ENGLISH) -> str:
    """The hour-of-day chart: per figure, the hour of the day where it is worst and its range."""
    _ = texts(language)
    parts = []
    for measure in HOURLY_MEASURES:
        column = profile[measure.field].dropna()
        if column.empty:
            continue
        worst = column.abs().idxmax() if measure.signed else column.idxmax()
        parts.append(
            _("{figure} is worst at {hour}:00 ({value}), from {low} to {high}").format(
                figure=measure.name(_),
                hour=f"{int(worst):02d}",
                value=measure.shown_text(float(column.loc[worst]), language),
                low=measure.shown_text(float(column.min()), language),
                high=measure.shown_text(float(column.max()), language),
            )
        )
    first = _("Chart of WAPE, MAPE and bias for each hour of the day ({zone}), pooled over the window.").format(
        zone=zone_name(zone, _)
    )
    if not parts:
        return first + " " + _("No hour of the day has a measured error yet.")
    return f"{first} {'; '.join(parts)}."


def heatmap_description(matrix: pd.DataFrame, measure: Measure, language: str = ENGLISH) -> str:
    """The heatmap: how many series, the worst cell (by the figure's badness) and the range."""
    _ = texts(language)
    cells = matrix.stack().dropna()  # (consumer type, area) -> value
    first = _("Heatmap of {figure} for {count} series, by consumer type (rows) and area (columns).").format(
        figure=measure.name(_), count=len(cells)
    )
    not_computed = int(matrix.isna().sum().sum())
    if cells.empty:
        return first + " " + _("No figure could be computed.")
    badness = cells.map(measure.badness)
    consumer_type, area = badness.idxmax()
    second = _("The worst is {area}, consumer type {consumer_type}, at {value}; values range from {low} to {high}.")
    second = second.format(
        area=area_label(area, _),
        consumer_type=consumer_type_label(consumer_type),
        value=measure.shown_text(float(cells.loc[(consumer_type, area)]), language),
        low=measure.shown_text(float(cells.min()), language),
        high=measure.shown_text(float(cells.max()), language),
    )
    if not_computed:
        second += " " + _("{count} cells cannot be computed and are blank.").format(count=not_computed)
    return f"{first} {second}"


def series_description(frame: pd.DataFrame, series: tuple[int, int], language: str = ENGLISH) -> str:
    """The series chart: the span, the observed range and peak, the largest error and when, and the
    hours awaiting observations."""
    _ = texts(language)
    area, consumer_type = series
    name = _("{area} · consumer type {consumer_type}").format(
        area=area_label(area, _), consumer_type=consumer_type_label(consumer_type)
    )
    first = _("Chart of predictions and observations for {series}, {span}, with the error per hour below.")
    first = first.format(series=name, span=span_text(frame.index[0], frame.index[-1], language))
    observed = frame[OBSERVATION].dropna()
    errors = compared_errors(frame)
    awaiting = int(frame[AWAITING].sum())
    if observed.empty or errors.empty:
        second = _("No hour has an observation to compare yet.")
    else:
        peak = observed.idxmax()
        worst = errors.abs().idxmax()
        second = _(
            "Observed consumption ranges from {low} to {high} kWh, highest at {peak_hour}; the largest error "
            "is {error} kWh at {error_hour}."
        ).format(
            low=decimal(float(observed.min()), language, 0),
            high=decimal(float(observed.max()), language, 0),
            peak_hour=hour_text(peak, language),
            error=decimal(float(errors.loc[worst]), language, 0, signed=True),
            error_hour=hour_text(worst, language),
        )
    if awaiting:
        second += " " + _("{hours} hours await observations (shaded).").format(hours=awaiting)
    return f"{first} {second}"
