"""What a link (`?area=1&consumer_type=all&tz=utc`) asks for, read against what the API serves.

Choices are the API's own path segments as strings: an area code, a DE35 code, or `all` (the total).
A value the page cannot show falls back to the default, and the page says so.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from dashboard_common.labels import area_label, consumer_type_label

TOTAL = "all"
DANISH_TIME = "Europe/Copenhagen"
UTC = "UTC"
# The link's short names for the two zones the page offers; IANA names are accepted too.
ZONE_BY_LINK_VALUE = {"dk": DANISH_TIME, "europe/copenhagen": DANISH_TIME, "utc": UTC}
LINK_VALUE_BY_ZONE = {DANISH_TIME: "dk", UTC: "utc"}


@dataclass(frozen=True)
class LinkValue:
    """The value to show, and whether the link asked for something else (then the page says so)."""

    value: str
    fell_back: bool


def area_choice_label(choice: str) -> str:
    return "All of Denmark (DK1 + DK2)" if choice == TOTAL else area_label(int(choice))


def area_short_label(choice: str) -> str:
    """'DK1', 'DK2', 'All Denmark': chart titles must fit a phone's width without wrapping."""
    return "All Denmark" if choice == TOTAL else area_label(int(choice)).split(" ")[0]


def consumer_type_choice_label(choice: str) -> str:
    return "All consumer types" if choice == TOTAL else consumer_type_label(int(choice))


def zone_label(zone: str) -> str:
    return "Danish time" if zone == DANISH_TIME else "UTC"


def choices(codes: Sequence[int]) -> list[str]:
    """The total first (what readers look at first), then the codes in ascending order."""
    return [TOTAL, *(str(code) for code in sorted({int(code) for code in codes}))]


def choice_from_link(raw: str | None, options: Sequence[str]) -> LinkValue:
    """The option a link value names (`all`, or a code: `01` names `1`), else the first option.

    A missing value is not a fallback: the page simply opens on the first option.
    """
    if raw is None:
        return LinkValue(options[0], False)
    value = raw.strip().lower()
    if value != TOTAL:
        try:
            value = str(int(value))
        except ValueError:
            return LinkValue(options[0], True)
    return LinkValue(value, False) if value in options else LinkValue(options[0], True)


def zone_from_link(raw: str | None) -> LinkValue:
    """`tz=utc` is UTC, `tz=dk` (or none) Danish time; anything else falls back to Danish time."""
    if raw is None:
        return LinkValue(DANISH_TIME, False)
    zone = ZONE_BY_LINK_VALUE.get(raw.strip().lower())
    return LinkValue(DANISH_TIME, True) if zone is None else LinkValue(zone, False)
