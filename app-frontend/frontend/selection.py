"""Reading the selection from a deep link (`?area=1&consumer_type=111`)."""

from collections.abc import Sequence


def choice_from_query(raw: str | None, options: Sequence[int]) -> tuple[int, bool]:
    """The option a query value names, else the first option; the flag says whether it fell back.

    A missing value is not a fallback (the page simply opens on the first option).
    """
    if raw is None:
        return options[0], False
    try:
        value = int(raw)
    except ValueError:
        return options[0], True
    if value in options:
        return value, False
    return options[0], True
