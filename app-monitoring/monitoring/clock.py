"""One clock on the monitoring page: Danish time (the default) or UTC, as on the forecast page.

The zone is in the link (`tz=dk` or `tz=utc`, as the forecast page writes it) and chosen on the
page. The API does the zone's work: every monitoring request carries `tz`, so the hours it sends
carry the zone's offset and its hour-of-day profile is on that zone's clocks; the page only
formats them (Babel, in the page's language).

Charts draw each hour at its UTC instant (without zone), so no hour of a daylight-saving day folds
onto another or goes missing; the ticks sit at the zone's midnights and are labelled with the zone's
day, and the hover box's first line is the hour on the zone's clock (`clock_trace`): Plotly can
format a unified hover title only from x, which is the UTC instant.
"""

import numpy as np
import pandas as pd
from dashboard_common.hours import hour_axis, instants
from dashboard_common.i18n import N_, Translate, short_datetime
from dashboard_common.links import LinkParam, Parsed, Raw
from dashboard_common.linktext import quoted

from monitoring.language import texts

DANISH_TIME = "Europe/Copenhagen"
UTC = "UTC"
ZONES = (DANISH_TIME, UTC)
ZONE_NAMES = {DANISH_TIME: N_("Danish time"), UTC: N_("UTC")}
# The link's short names for the two zones (the forecast page's); IANA names are accepted too.
ZONE_BY_LINK_VALUE = {"dk": DANISH_TIME, "europe/copenhagen": DANISH_TIME, "utc": UTC}
LINK_VALUE_BY_ZONE = {DANISH_TIME: "dk", UTC: "utc"}
MAX_DAY_TICKS = 5  # a phone's width (390 px) holds this many day labels


def zone_name(zone: str, _: Translate = N_) -> str:
    """'Danish time' or 'UTC', in the page's language."""
    return _(ZONE_NAMES[zone])


def parse_zone(_: Translate, raw: Raw) -> Parsed:
    """`tz=dk` (or `Europe/Copenhagen`) is Danish time, `tz=utc` UTC; anything else falls back to
    Danish time with a notice in the page's language."""
    (text,) = raw
    zone = ZONE_BY_LINK_VALUE.get((text or "").strip().lower())
    if zone is None:
        notice = _("The link asks for time zone {value}, which this page does not offer; showing Danish time instead.")
        return None, (notice.format(value=quoted(text)),)
    return zone, ()


def zone_param(_: Translate = N_) -> LinkParam[str]:
    """The link's `tz`, always written (as the forecast page does), Danish time by default."""
    return LinkParam(
        "zone",
        ("tz",),
        DANISH_TIME,
        lambda raw: parse_zone(_, raw),
        lambda zone: (LINK_VALUE_BY_ZONE[zone],),
        always=True,
    )


def hour_text(hour: pd.Timestamp, language: str) -> str:
    """'tir. 13. jun. 14:00 CEST' / 'Tue 13 Jun 14:00 CEST': the zone's abbreviation tells the two
    02:00 of a fall-back day apart."""
    return f"{short_datetime(hour, language)} {hour.tzname()}"


def span_text(first: pd.Timestamp, last: pd.Timestamp, language: str) -> str:
    """Two hours as a span: 'tir. 6. jun. 02:00 CEST – tir. 13. jun. 01:00 CEST'."""
    return f"{hour_text(first, language)} – {hour_text(last, language)}"


def time_axis(index: pd.DatetimeIndex, zone: str, language: str, with_title: bool = True) -> dict:
    """An x axis of hours on the zone's clock: day ticks, the title naming the zone, and the unified
    hover box's title naming the zone (its first line, `clock_trace`, gives the hour)."""
    _ = texts(language)
    axis: dict = {"unifiedhovertitle": {"text": zone_name(zone, _)}, "tickangle": 0}
    if with_title:
        axis["title"] = {"text": _("Hour ({zone})").format(zone=zone_name(zone, _))}
    return axis | hour_axis(index, language, MAX_DAY_TICKS)


def clock_trace(index: pd.DatetimeIndex, y: np.ndarray, language: str, **axes: str) -> dict:
    """An invisible line whose hover is the hour on the zone's clock: the first line of the unified
    hover box (its `y` only decides where it can be hovered; pass the panel's main values)."""
    _ = texts(language)
    labels = np.asarray([hour_text(hour, language) for hour in index], dtype=object)
    return {
        "type": "scatter",
        "x": instants(index),
        "y": y,
        "mode": "lines",
        "line": {"width": 0},
        "customdata": labels,
        "hovertemplate": "%{customdata}<extra></extra>",
        "showlegend": False,
        "name": _("hour"),
        **axes,
    }
