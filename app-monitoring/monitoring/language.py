"""The monitoring page's language: its texts from the `monitoring` catalogue (then `dashboard_common`'s),
and numbers per language (`dashboard_common.i18n`, Babel).

Every function that writes text a viewer reads takes the page's `language` (`da` or `en`) and gets
its `_` here; English is the message id in the code, Danish is in `locales/da.po`.
"""

from dashboard_common.i18n import ENGLISH, Translate, number, translator

PACKAGE = "monitoring"
DASH = "–"  # a figure that cannot be computed


def texts(language: str = ENGLISH) -> Translate:
    """The page's `_` for `language`."""
    return translator(language, PACKAGE)


def decimal(value: float | None, language: str, decimals: int = 2, signed: bool = False) -> str:
    """`value` with the language's decimal sign and grouping (`5,23` / `5.23`), a sign when `signed`,
    a dash when unknown."""
    if value is None or value != value:
        return DASH
    # Rounded here as Python rounds (the exact binary value), then formatted by Babel: Babel rounds
    # the decimal text half-to-even, which can differ in the last digit.
    value = round(value, decimals)
    text = number(abs(value) if signed else value, language, decimals)
    if signed:
        return ("-" if value < 0 else "+") + text
    return text


def percent(value: float | None, language: str, decimals: int = 2, signed: bool = False) -> str:
    """A value in percent: '5,23 %' / '5.23 %' (a space before %, as both languages write it here)."""
    text = decimal(value, language, decimals, signed)
    return text if text == DASH else f"{text} %"


def separators(language: str) -> str:
    """Plotly's `layout.separators` (decimal sign, then thousands) for the language, so hover
    values and axis ticks read as the page's numbers do."""
    sample = number(1234.5, language, 1)  # '1.234,5' or '1,234.5'
    return sample[-2] + sample[1]
