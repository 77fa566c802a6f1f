"""Deep links: the selected series, the threshold and the chosen figures live in the URL query so a
view can be shared.

Links are typed by hand and outlive the data they point at, so every value is checked; a bad one
falls back to the default and says so instead of failing
(`?view=One+series&area=1&consumer_type=111&threshold=10&rank=bias&figure=mape`: `view` is the chosen
view, `rank` the figure the table is ranked and the heatmap coloured by, `figure` the one the hourly
chart shows; both by API field name). `view` belongs to the page's view chooser (a widget bound to
the URL: Streamlit keeps it there and ignores a value that is not a view's name); this module only
explains an ignored one.
Area 0 (all Denmark) is a real value: values are compared with `is None`, never by truthiness.
"""

import math
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field

from dashboard_common.labels import area_label
from dashboard_common.linktext import quoted

from monitoring.aggregate import DEFAULT_THRESHOLD_PERCENT
from monitoring.measures import ALL_MEASURES, HOURLY_MEASURES, Measure

AREA_PARAM = "area"
CONSUMER_TYPE_PARAM = "consumer_type"
THRESHOLD_PARAM = "threshold"
RANK_PARAM = "rank"
CHART_PARAM = "figure"
VIEW_PARAM = "view"
OVER_TIME, BY_SERIES, ONE_SERIES = VIEWS = ("Over time", "By series", "One series")
MAX_THRESHOLD_PERCENT = 1000.0

SeriesKey = tuple[int, int]


@dataclass
class LinkedView:
    """What the URL asks for, after checking; `notices` explain every value that was ignored."""

    series: SeriesKey | None
    threshold: float
    notices: list[str] = field(default_factory=list)
    rank: Measure = ALL_MEASURES[0]
    chart: Measure = HOURLY_MEASURES[0]


def _parse_int(raw: str | None) -> int | None:
    if raw is None:
        return None
    try:
        return int(raw.strip())
    except ValueError:
        return None


def parse_threshold(raw: str | None) -> tuple[float, str | None]:
    """The threshold in percent from the URL, or the default and a notice when it is unusable."""
    if raw is None or raw.strip() == "":
        return DEFAULT_THRESHOLD_PERCENT, None
    try:
        value = float(raw.strip())
    except ValueError:
        value = math.nan
    if math.isfinite(value) and 0 < value <= MAX_THRESHOLD_PERCENT:
        return value, None
    return DEFAULT_THRESHOLD_PERCENT, (
        f"The link's threshold {quoted(raw)} is not a percentage above 0 and at most "
        f"{MAX_THRESHOLD_PERCENT:g}; using {DEFAULT_THRESHOLD_PERCENT:g} % instead."
    )


def parse_series(params: Mapping[str, str], available: Sequence[SeriesKey]) -> tuple[SeriesKey | None, str | None]:
    """The series the URL names if the monitoring data has it, else None and (if asked) a notice."""
    raw_area = params.get(AREA_PARAM)
    raw_type = params.get(CONSUMER_TYPE_PARAM)
    if raw_area is None and raw_type is None:
        return None, None
    area, consumer_type = _parse_int(raw_area), _parse_int(raw_type)
    if area is None or consumer_type is None:
        return None, (
            f"The link's series (area {quoted(raw_area)}, consumer type {quoted(raw_type)}) needs two whole "
            "numbers; showing the worst series instead."
        )
    if (area, consumer_type) not in available:
        return None, (
            f"There is no monitoring data for {area_label(area)}, consumer type {consumer_type}; "
            "showing the worst series instead."
        )
    return (area, consumer_type), None


def parse_measure(raw: str | None, offered: Sequence[Measure], what: str) -> tuple[Measure, str | None]:
    """The figure a link names (by API field name, any case), else the first offered and a notice."""
    if raw is None or raw.strip() == "":
        return offered[0], None
    for measure in offered:
        if raw.strip().lower() == measure.field:
            return measure, None
    names = ", ".join(measure.field for measure in offered)
    return offered[0], f"The link's {what} {quoted(raw)} is not one of {names}; using {offered[0].label} instead."


def parse_view(raw: str | None) -> str | None:
    """A notice when the link names a view the page does not have (the view chooser ignores it)."""
    if raw is None or raw in VIEWS:
        return None
    return f"The link's view {quoted(raw)} is not one of {', '.join(VIEWS)}; showing {VIEWS[0]} instead."


def parse_link(params: Mapping[str, str], available: Sequence[SeriesKey]) -> LinkedView:
    """Read the whole view from the URL query parameters."""
    view_notice = parse_view(params.get(VIEW_PARAM))
    series, series_notice = parse_series(params, available)
    threshold, threshold_notice = parse_threshold(params.get(THRESHOLD_PARAM))
    rank, rank_notice = parse_measure(params.get(RANK_PARAM), ALL_MEASURES, "ranking figure")
    chart, chart_notice = parse_measure(params.get(CHART_PARAM), HOURLY_MEASURES, "hourly figure")
    notices = [
        notice
        for notice in (view_notice, series_notice, threshold_notice, rank_notice, chart_notice)
        if notice is not None
    ]
    return LinkedView(series=series, threshold=threshold, notices=notices, rank=rank, chart=chart)


def link_params(
    series: SeriesKey | None,
    threshold: float,
    rank: Measure = ALL_MEASURES[0],
    chart: Measure = HOURLY_MEASURES[0],
) -> dict[str, str]:
    """The query parameters that reproduce this view (figures left out when they are the defaults)."""
    params = {THRESHOLD_PARAM: f"{threshold:g}"}
    if series is not None:
        params[AREA_PARAM] = str(series[0])
        params[CONSUMER_TYPE_PARAM] = str(series[1])
    if rank is not ALL_MEASURES[0]:
        params[RANK_PARAM] = rank.field
    if chart is not HOURLY_MEASURES[0]:
        params[CHART_PARAM] = chart.field
    return params


VIEW_PARAMS = (THRESHOLD_PARAM, AREA_PARAM, CONSUMER_TYPE_PARAM, RANK_PARAM, CHART_PARAM)


def sync_link(query: MutableMapping[str, str], params: Mapping[str, str]) -> None:
    """Make `query` (the page's query parameters) carry `params`, changing only this module's parameters.

    Other parameters stay: the chosen view's is bound to the view chooser and may not be touched. Only
    values that differ are written, so a run that changes nothing sends nothing to the browser.
    """
    for key in VIEW_PARAMS:
        if key in params:
            if query.get(key) != params[key]:
                query[key] = params[key]
        elif key in query:
            del query[key]
