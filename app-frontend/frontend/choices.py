"""What the page offers to choose, and how each choice is named.

Choices are the API's own path segments as strings: an area code, a DE35 code, or `all` (the total).
"""

from collections.abc import Sequence

from dashboard_common.i18n import N_, Translate
from dashboard_common.labels import area_label, consumer_type_label

TOTAL = "all"
DANISH_TIME = "Europe/Copenhagen"
UTC = "UTC"
ZONES = (DANISH_TIME, UTC)
MAX_COMPARED = 8
DEFAULT_COMPARED = 3
# Widget values (kept in session state and compared in code), shown in the page's language with `_`.
COMPARE_BY = [N_("consumer types"), N_("areas")]  # indexed by "compare areas?"
LAYOUTS = [N_("overlaid"), N_("small multiples")]  # indexed by "small multiples?"


def area_choice_label(choice: str, _: Translate = N_) -> str:
    return _("All of Denmark (DK1 + DK2)") if choice == TOTAL else area_label(int(choice), _)


def area_short_label(choice: str, _: Translate = N_) -> str:
    """'DK1', 'DK2', 'All Denmark': chart titles must fit a phone's width without wrapping."""
    return _("All Denmark") if choice == TOTAL else area_label(int(choice)).split(" ")[0]


def consumer_type_choice_label(choice: str, _: Translate = N_) -> str:
    return _("All consumer types") if choice == TOTAL else consumer_type_label(int(choice))


def zone_label(zone: str, _: Translate = N_) -> str:
    return _("Danish time") if zone == DANISH_TIME else "UTC"


def choices(codes: Sequence[int]) -> list[str]:
    """The total first (what readers look at first), then the codes in ascending order."""
    return [TOTAL, *(str(code) for code in sorted({int(code) for code in codes}))]


def codes_only(options: Sequence[str]) -> list[str]:
    """The options without the total: what can be compared."""
    return [choice for choice in options if choice != TOTAL]
