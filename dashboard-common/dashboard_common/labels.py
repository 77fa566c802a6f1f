"""Human labels for price-area codes and DE35 consumer-type codes."""

from dashboard_common.i18n import N_, Translate

AREA_LABELS: dict[int, str] = {
    0: N_("DK (all Denmark)"),
    1: N_("DK1 (west of the Great Belt)"),
    2: N_("DK2 (east)"),
}

# Short descriptions of DE35 codes (Danish Energy's industry grouping). Only codes whose meaning is
# confirmed belong here; the others are shown as their bare code.
CONSUMER_TYPE_DESCRIPTIONS: dict[int, str] = {}


def area_label(code: int, _: Translate = N_) -> str:
    """'DK1 (west of the Great Belt)' for 1, in the page's language (`_`); an unknown code is shown as its number."""
    label = AREA_LABELS.get(int(code))
    return str(int(code)) if label is None else _(label)


def consumer_type_label(code: int) -> str:
    """The DE35 code, with a short description after it where one is known."""
    description = CONSUMER_TYPE_DESCRIPTIONS.get(int(code))
    return f"{int(code)} · {description}" if description else str(int(code))
