"""Danish and English on both dashboards: the page's language, its texts, its numbers and dates.

English is the language of the code: a text is written once, in English, as the message id of a
gettext call (`_("Price area")`, `_("{count} hours").format(count=n)`: never an f-string, which the
extractor cannot see). Danish lives in gettext catalogues a translator edits with any PO editor, one
per package: `<package>/locales/da.po` (`dashboard_common`, `frontend`, `monitoring`). The catalogues
are read with Babel at the first use in a process and kept; a text missing from a catalogue shows in
English, and `tests/common/test_i18n_catalogues.py` fails on it, so none is ever missing in a release.

Numbers, dates, weekday and month names come from Babel's CLDR data (`1.234.567,8 kWh`, "tirsdag
28. marts" in Danish), never from hand-written formats.

Refresh the catalogues after changing texts (Babel's own CLI, installed with the workspace):

    .venv/bin/pybabel extract -k _ -k N_ -o /tmp/frontend.pot app-frontend/frontend
    .venv/bin/pybabel update -i /tmp/frontend.pot -o app-frontend/frontend/locales/da.po -l da --omit-header
"""

import importlib.resources
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import cache, partial

from babel.dates import format_date, format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from dashboard_common.links import LinkParam, Parsed, Raw
from dashboard_common.linktext import quoted

DANISH, ENGLISH = "da", "en"
LANGUAGES = (DANISH, ENGLISH)
FALLBACK = ENGLISH
"""The language of a browser that prefers neither Danish nor English."""

LOCALES = {DANISH: "da_DK", ENGLISH: "en_GB"}
"""Babel locale per language: Danish as in Denmark; British English (day before month, 24-hour clock)."""

LANGUAGE_NAMES = {DANISH: "Dansk", ENGLISH: "English"}
"""Each language in its own name, as a language switch shows it."""

Translate = Callable[[str], str]


def N_(message: str) -> str:
    """Mark a text for the catalogues where it is defined (a module-level table) and translate it
    where it is shown, with the page's `_`."""
    return message


@cache
def catalogue(package: str, language: str) -> Mapping[str, str]:
    """The translations of `package`'s texts into `language` (read once per process): message id to
    text, only for entries that are translated and not marked fuzzy."""
    if language == ENGLISH:
        return {}
    resource = importlib.resources.files(package) / "locales" / f"{language}.po"
    if not resource.is_file():
        return {}
    with resource.open("rb") as stream:
        read = read_po(stream, locale=language)
    return {
        str(message.id): str(message.string)
        for message in read
        if message.id and isinstance(message.id, str) and message.string and not message.fuzzy
    }


@cache
def translator(language: str, *packages: str) -> Translate:
    """The page's `_`: a text in `language`, from the catalogues of `packages` (the page's own first,
    then `dashboard_common`); English, the message id, when the language is English or a text is missing."""
    merged: dict[str, str] = {}
    for package in reversed((*packages, "dashboard_common")):
        merged.update(catalogue(package, language))

    def translate(message: str) -> str:
        return merged.get(message, message)

    return translate


def preferred_language(locale: str | None) -> str:
    """The language of the browser's preferred locale (Streamlit's `st.context.locale`, e.g. `da-DK`):
    Danish for any Danish locale, English for English, `FALLBACK` for anything else or nothing."""
    tag = (locale or "").strip().lower().replace("_", "-").split("-")[0]
    return tag if tag in LANGUAGES else FALLBACK


def parse_language(_: Translate, raw: Raw) -> Parsed:
    """`lang=da` or `lang=en` (any case); anything else falls back to the browser's language, with a
    notice in that language (`_`)."""
    (text,) = raw
    value = (text or "").strip().lower()
    if value in LANGUAGES:
        return value, ()
    notice = _("The link asks for language {value}; the page is in Danish (`da`) or English (`en`).")
    return None, (notice.format(value=quoted(text)),)


def language_param(default: str, _: Translate = N_) -> LinkParam[str]:
    """The link's `lang`, defaulting to `default` (the browser's preferred language, so a link
    without `lang` follows each viewer's browser and a link with it is the same for everyone); a
    notice about a `lang` the page cannot use is in the default language (`_`)."""
    return LinkParam("lang", ("lang",), default, partial(parse_language, _), lambda language: (language,))


def number(value: float, language: str, decimals: int = 0) -> str:
    """`value` with the language's grouping and decimal signs: 1.234.567,8 (da), 1,234,567.8 (en)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=LOCALES[language])


def long_date(day: date | datetime, language: str) -> str:
    """Weekday, day and month in the language: "tirsdag 28. marts", "Tuesday 28 March"."""
    pattern = "EEEE d. MMMM" if language == DANISH else "EEEE d MMMM"
    return format_date(day, pattern, locale=LOCALES[language])


def short_datetime(moment: datetime, language: str) -> str:
    """Short weekday, day, month and 24-hour time: "tir. 28. mar. 14:00", "Tue 28 Mar 14:00"."""
    pattern = "EEE d. MMM HH:mm" if language == DANISH else "EEE d MMM HH:mm"
    return format_datetime(moment, pattern, locale=LOCALES[language])
