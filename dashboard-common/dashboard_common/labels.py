"""Human labels for price-area codes and DE35 consumer-type codes."""

AREA_LABELS: dict[int, str] = {
    0: "DK (all Denmark)",
    1: "DK1 (west of the Great Belt)",
    2: "DK2 (east)",
}

# Short descriptions of DE35 codes (Danish Energy's industry grouping). Only codes whose meaning is
# confirmed belong here; the others are shown as their bare code.
CONSUMER_TYPE_DESCRIPTIONS: dict[int, str] = {}


def area_label(code: int) -> str:
    """'DK1 (west of the Great Belt)' for 1; an unknown code is shown as its number."""
    return AREA_LABELS.get(int(code), str(int(code)))


def consumer_type_label(code: int) -> str:
    """The DE35 code, with a short description after it where one is known."""
    description = CONSUMER_TYPE_DESCRIPTIONS.get(int(code))
    return f"{int(code)} · {description}" if description else str(int(code))
