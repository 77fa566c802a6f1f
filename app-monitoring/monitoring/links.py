"""The monitoring page's link, as `dashboard_common.links` parameters: the series, the threshold and
the chosen figures live in the URL query so a view can be shared.

`?view=One+series&area=1&consumer_type=111&threshold=10&rank=bias&figure=mape`: `view` is the chosen
view, `rank` the figure the table is ranked and the heatmap coloured by, `figure` the one the hourly
chart shows (both by API field name). `view` belongs to the page's view chooser (a widget bound to
the URL: Streamlit keeps it there and ignores a value that is not a view's name); it is only read
here, to explain an ignored value. The threshold is always in the link; the series once one is
chosen; the figures only when they are not the defaults. Area 0 (all Denmark) is a real value:
values are compared with `is None`, never by truthiness.
"""

import math
from collections.abc import Sequence
from functools import partial
from typing import Any

from dashboard_common.labels import area_label
from dashboard_common.links import LinkParam, Parsed, Raw
from dashboard_common.linktext import quoted

from monitoring.aggregate import DEFAULT_THRESHOLD_PERCENT
from monitoring.measures import ALL_MEASURES, HOURLY_MEASURES, Measure

VIEW_PARAM = "view"
OVER_TIME, BY_SERIES, ONE_SERIES = VIEWS = ("Over time", "By series", "One series")
MAX_THRESHOLD_PERCENT = 1000.0

SeriesKey = tuple[int, int]


def _parse_int(raw: str | None) -> int | None:
    if raw is None:
        return None
    try:
        return int(raw.strip())
    except ValueError:
        return None


def parse_view(raw: Raw) -> Parsed:
    """A notice when the link names a view the page does not have (the view chooser ignores it)."""
    (text,) = raw
    if text in VIEWS:
        return None, ()
    return None, (f"The link's view {quoted(text)} is not one of {', '.join(VIEWS)}; showing {VIEWS[0]} instead.",)


def parse_threshold(raw: Raw) -> Parsed:
    """The threshold in percent from the URL, or the default and a notice when it is unusable."""
    (text,) = raw
    if text.strip() == "":
        return None, ()
    try:
        value = float(text.strip())
    except ValueError:
        value = math.nan
    if math.isfinite(value) and 0 < value <= MAX_THRESHOLD_PERCENT:
        return value, ()
    return None, (
        f"The link's threshold {quoted(text)} is not a percentage above 0 and at most "
        f"{MAX_THRESHOLD_PERCENT:g}; using {DEFAULT_THRESHOLD_PERCENT:g} % instead.",
    )


def parse_series(available: Sequence[SeriesKey], raw: Raw) -> Parsed:
    """The series the URL names if the monitoring data has it, else None and a notice."""
    raw_area, raw_type = raw
    area, consumer_type = _parse_int(raw_area), _parse_int(raw_type)
    if area is None or consumer_type is None:
        return None, (
            f"The link's series (area {quoted(raw_area)}, consumer type {quoted(raw_type)}) needs two whole "
            "numbers; showing the worst series instead.",
        )
    if (area, consumer_type) not in available:
        return None, (
            f"There is no monitoring data for {area_label(area)}, consumer type {consumer_type}; "
            "showing the worst series instead.",
        )
    return (area, consumer_type), ()


def parse_measure(offered: Sequence[Measure], what: str, raw: Raw) -> Parsed:
    """The figure a link names (by API field name, any case), else the first offered and a notice."""
    (text,) = raw
    if text.strip() == "":
        return None, ()
    for measure in offered:
        if text.strip().lower() == measure.field:
            return measure, ()
    names = ", ".join(measure.field for measure in offered)
    return None, (f"The link's {what} {quoted(text)} is not one of {names}; using {offered[0].label} instead.",)


def _series(series: SeriesKey) -> tuple[str, str]:
    return str(series[0]), str(series[1])


def _threshold(threshold: float) -> tuple[str]:
    return (f"{threshold:g}",)


def _field(measure: Measure) -> tuple[str]:
    return (measure.field,)


def link_params(available: Sequence[SeriesKey]) -> list[LinkParam]:
    """The page's link parameters, for the series the monitoring data lists."""
    return [
        LinkParam("view", (VIEW_PARAM,), None, parse_view),
        LinkParam("threshold", ("threshold",), DEFAULT_THRESHOLD_PERCENT, parse_threshold, _threshold, always=True),
        LinkParam("series", ("area", "consumer_type"), None, partial(parse_series, available), _series),
        LinkParam("rank", ("rank",), ALL_MEASURES[0], partial(parse_measure, ALL_MEASURES, "ranking figure"), _field),
        LinkParam(
            "figure", ("figure",), HOURLY_MEASURES[0], partial(parse_measure, HOURLY_MEASURES, "hourly figure"), _field
        ),
    ]


def link_values(series: SeriesKey | None, threshold: float, rank: Measure, chart: Measure) -> dict[str, Any]:
    """What the link should say for the page's choices."""
    return {"series": series, "threshold": threshold, "rank": rank, "figure": chart}
