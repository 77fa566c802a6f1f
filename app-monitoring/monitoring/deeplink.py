"""Deep links: the selected series and the threshold live in the URL query so a view can be shared.

Links are typed by hand and outlive the data they point at, so every value is checked; a bad one
falls back to the default and says so instead of failing (`?area=1&consumer_type=111&threshold=10`).
Area 0 (all Denmark) is a real value: values are compared with `is None`, never by truthiness.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from dashboard_common.labels import area_label

from monitoring.aggregate import DEFAULT_THRESHOLD_PERCENT

AREA_PARAM = "area"
CONSUMER_TYPE_PARAM = "consumer_type"
THRESHOLD_PARAM = "threshold"
MAX_THRESHOLD_PERCENT = 1000.0

SeriesKey = tuple[int, int]


@dataclass
class LinkedView:
    """What the URL asks for, after checking; `notices` explain every value that was ignored."""

    series: SeriesKey | None
    threshold: float
    notices: list[str] = field(default_factory=list)


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
        f"The link's threshold `{raw}` is not a percentage above 0 and at most "
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
            f"The link's series (area `{raw_area}`, consumer type `{raw_type}`) needs two whole "
            "numbers; showing the worst series instead."
        )
    if (area, consumer_type) not in available:
        return None, (
            f"There is no monitoring data for {area_label(area)}, consumer type {consumer_type}; "
            "showing the worst series instead."
        )
    return (area, consumer_type), None


def parse_link(params: Mapping[str, str], available: Sequence[SeriesKey]) -> LinkedView:
    """Read the whole view from the URL query parameters."""
    series, series_notice = parse_series(params, available)
    threshold, threshold_notice = parse_threshold(params.get(THRESHOLD_PARAM))
    notices = [notice for notice in (series_notice, threshold_notice) if notice is not None]
    return LinkedView(series=series, threshold=threshold, notices=notices)


def link_params(series: SeriesKey | None, threshold: float) -> dict[str, str]:
    """The query parameters that reproduce this view."""
    params = {THRESHOLD_PARAM: f"{threshold:g}"}
    if series is not None:
        params[AREA_PARAM] = str(series[0])
        params[CONSUMER_TYPE_PARAM] = str(series[1])
    return params
