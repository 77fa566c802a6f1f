"""What a link (`?area=1&consumer_type=all&tz=utc`) asks for, read against what the API serves.

Choices are the API's own path segments as strings: an area code, a DE35 code, or `all` (the total).
A value the page cannot show falls back to the default, and the page says so.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dashboard_common.labels import area_label, consumer_type_label
from dashboard_common.linktext import quoted, quoted_list

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


@dataclass(frozen=True)
class ViewOptions:
    """The page's other choices: compare mode and its settings, and the past-forecast overlay.

    In a link: `compare=types|areas`, `types=111,122` (the consumer types compared; none: the page's
    first few), `share=1`, `layout=multiples`, `past=1`. Defaults are left out of the link.
    """

    compare: bool = False
    by_area: bool = False
    types: tuple[str, ...] | None = None
    as_share: bool = False
    small_multiples: bool = False
    show_past: bool = False


COMPARE_BY_LINK_VALUE = {"types": False, "areas": True}
FLAGS = {"share": "as_share", "past": "show_past"}


def view_options_from_link(
    query: Mapping[str, str], codes: Sequence[str], max_types: int
) -> tuple[ViewOptions, list[str]]:
    """The options a link asks for, and a notice for each value the page cannot honour (left at its default)."""
    notices: list[str] = []
    raw_compare = query.get("compare")
    compare = raw_compare is not None and raw_compare.strip().lower() in COMPARE_BY_LINK_VALUE
    if raw_compare is not None and not compare:
        notices.append(f"The link asks to compare {quoted(raw_compare)}; the page compares `types` or `areas`.")
    flags = {}
    for name, field in FLAGS.items():
        raw = query.get(name)
        flags[field] = raw is not None and raw.strip().lower() in ("1", "true", "yes")
        if raw is not None and not flags[field] and raw.strip().lower() not in ("0", "false", "no"):
            notices.append(f"The link's {quoted(f'{name}={raw}')} is not understood (use `{name}=1`); left off.")
    raw_layout = query.get("layout")
    small_multiples = raw_layout is not None and raw_layout.strip().lower() == "multiples"
    if raw_layout is not None and raw_layout.strip().lower() not in ("multiples", "overlaid"):
        notices.append(f"The link asks for layout {quoted(raw_layout)}; showing the series overlaid.")
    types = None
    raw_types = query.get("types")
    if raw_types is not None and codes:
        asked = [part for part in (piece.strip() for piece in raw_types.split(",")) if part]
        known = [choice_from_link(part, codes) for part in asked]
        kept = list(dict.fromkeys(chosen.value for chosen in known if not chosen.fell_back))
        unknown = [part for part, chosen in zip(asked, known, strict=True) if chosen.fell_back]
        if unknown:
            notices.append(f"The link names consumer types without data ({quoted_list(unknown)}); left out.")
        if len(kept) > max_types:
            notices.append(f"The link names {len(kept)} consumer types; the page compares up to {max_types}.")
        types = tuple(kept[:max_types]) or None
    by_area = compare and COMPARE_BY_LINK_VALUE[raw_compare.strip().lower()]
    options = ViewOptions(compare, by_area, types, flags["as_share"], small_multiples, flags["show_past"])
    return options, notices


def view_options_link(options: ViewOptions) -> dict[str, str]:
    """The link's query values for `options` (the defaults left out)."""
    values: dict[str, str] = {}
    if options.compare:
        values["compare"] = "areas" if options.by_area else "types"
        if not options.by_area and options.types:
            values["types"] = ",".join(options.types)
        if options.as_share:
            values["share"] = "1"
        if options.small_multiples:
            values["layout"] = "multiples"
    elif options.show_past:
        values["past"] = "1"
    return values
