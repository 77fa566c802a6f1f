"""The monitoring page's link, as `dashboard_common.links` parameters: the series, the threshold and
the chosen figures live in the URL query so a view can be shared.

`?view=One+series&area=1&consumer_type=111&threshold=10&rank=bias&figure=mape`: `view` is the chosen
view, `rank` the figure the table is ranked and the heatmap coloured by, `figure` the one the hourly
chart shows (both by API field name). `view` is the view's English name in either language, so a
link opens the same view for everyone (a widget bound to the URL would write the name it shows,
which changes with the language); it is left out for the first view. The threshold is always in
the link; the series once one is chosen; the figures only when they are not the defaults. Area 0
(all Denmark) is a real value: values are compared with `is None`, never by truthiness.
"""

import math
from collections.abc import Sequence
from functools import partial
from typing import Any

from dashboard_common.i18n import N_, Translate
from dashboard_common.labels import area_label
from dashboard_common.links import LinkParam, Parsed, Raw
from dashboard_common.linktext import quoted

from monitoring.aggregate import DEFAULT_THRESHOLD_PERCENT
from monitoring.measures import ALL_MEASURES, HOURLY_MEASURES, Measure

VIEW_PARAM = "view"
# The views' English names are their keys and their link values (a link means the same view in
# either language); the chooser shows them translated.
OVER_TIME, BY_SERIES, ONE_SERIES = VIEWS = (N_("Over time"), N_("By series"), N_("One series"))
MAX_THRESHOLD_PERCENT = 1000.0

SeriesKey = tuple[int, int]


def _parse_int(raw: str | None) -> int | None:
    if raw is None:
        return None
    try:
        return int(raw.strip())
    except ValueError:
        return None


def parse_view(_: Translate, raw: Raw) -> Parsed:
    """The view the link names (its English name, as written), else the first and a notice."""
    (text,) = raw
    if text in VIEWS:
        return text, ()
    notice = _("The link's view {value} is not one of {views}; showing {default} instead.")
    return None, (notice.format(value=quoted(text), views=", ".join(VIEWS), default=_(VIEWS[0])),)


def parse_threshold(_: Translate, raw: Raw) -> Parsed:
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
    notice = _(
        "The link's threshold {value} is not a percentage above 0 and at most {maximum}; using {default} % instead."
    )
    maximum, default = f"{MAX_THRESHOLD_PERCENT:g}", f"{DEFAULT_THRESHOLD_PERCENT:g}"
    return None, (notice.format(value=quoted(text), maximum=maximum, default=default),)


def parse_series(_: Translate, available: Sequence[SeriesKey], raw: Raw) -> Parsed:
    """The series the URL names if the monitoring data has it, else None and a notice."""
    raw_area, raw_type = raw
    area, consumer_type = _parse_int(raw_area), _parse_int(raw_type)
    if area is None or consumer_type is None:
        notice = _(
            "The link's series (area {area}, consumer type {consumer_type}) needs two whole numbers; "
            "showing the worst series instead."
        )
        return None, (notice.format(area=quoted(raw_area), consumer_type=quoted(raw_type)),)
    if (area, consumer_type) not in available:
        notice = _(
            "There is no monitoring data for {area}, consumer type {consumer_type}; showing the worst series instead."
        )
        return None, (notice.format(area=area_label(area, _), consumer_type=consumer_type),)
    return (area, consumer_type), ()


def parse_measure(_: Translate, offered: Sequence[Measure], what: str, raw: Raw) -> Parsed:
    """The figure a link names (by API field name, any case), else the first offered and a notice."""
    (text,) = raw
    if text.strip() == "":
        return None, ()
    for measure in offered:
        if text.strip().lower() == measure.field:
            return measure, ()
    names = ", ".join(measure.field for measure in offered)
    notice = _("The link's {what} {value} is not one of {names}; using {default} instead.")
    return None, (notice.format(what=_(what), value=quoted(text), names=names, default=offered[0].name(_)),)


def _series(series: SeriesKey) -> tuple[str, str]:
    return str(series[0]), str(series[1])


def _threshold(threshold: float) -> tuple[str]:
    return (f"{threshold:g}",)


def _field(measure: Measure) -> tuple[str]:
    return (measure.field,)


def link_params(available: Sequence[SeriesKey], _: Translate = N_) -> list[LinkParam]:
    """The page's link parameters, for the series the monitoring data lists; notices in the page's
    language (`_`)."""
    ranking, hourly = (
        partial(parse_measure, _, ALL_MEASURES, N_("ranking figure")),
        partial(parse_measure, _, HOURLY_MEASURES, N_("hourly figure")),
    )
    return [
        LinkParam("view", (VIEW_PARAM,), OVER_TIME, partial(parse_view, _), lambda view: (view,)),
        LinkParam(
            "threshold", ("threshold",), DEFAULT_THRESHOLD_PERCENT, partial(parse_threshold, _), _threshold, always=True
        ),
        LinkParam("series", ("area", "consumer_type"), None, partial(parse_series, _, available), _series),
        LinkParam("rank", ("rank",), ALL_MEASURES[0], ranking, _field),
        LinkParam("figure", ("figure",), HOURLY_MEASURES[0], hourly, _field),
    ]


def link_values(
    series: SeriesKey | None, threshold: float, rank: Measure, chart: Measure, view: str = OVER_TIME
) -> dict[str, Any]:
    """What the link should say for the page's choices."""
    return {"view": view, "series": series, "threshold": threshold, "rank": rank, "figure": chart}
