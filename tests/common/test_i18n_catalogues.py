"""No text of either dashboard is missing in Danish, and every translation keeps its placeholders.

The English texts are the gettext message ids in the code; Babel's extractor (the one `pybabel
extract` runs) finds every `_("...")` and `N_("...")` in a package, and each must have a Danish
translation in that package's catalogue (`<package>/locales/da.po`), not marked fuzzy, with the same
`{placeholders}`: a translation that drops `{value}` would show the wrong text, one that invents a
name would raise while the page renders.
"""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from dashboard_common.i18n import DANISH, LANGUAGES, catalogue, translator

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {
    "dashboard_common": ROOT / "dashboard-common" / "dashboard_common",
    "frontend": ROOT / "app-frontend" / "frontend",
    "monitoring": ROOT / "app-monitoring" / "monitoring",
}
PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")


def extracted(directory: Path) -> dict[str, str]:
    """Message id -> where it is used, for every gettext call in the package's code."""
    found: dict[str, str] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        str(directory), method_map=[("**.py", "python")], keywords={"_": None, "N_": None}
    ):
        if isinstance(message, str):
            found.setdefault(message, f"{filename}:{line}")
    return found


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_every_text_has_a_danish_translation(package: str) -> None:
    danish = catalogue(package, DANISH)
    missing = {message: where for message, where in extracted(PACKAGES[package]).items() if message not in danish}
    assert not missing, f"texts of {package} without a Danish translation in locales/da.po: {missing}"


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_translations_keep_their_placeholders(package: str) -> None:
    wrong = {
        message: text
        for message, text in catalogue(package, DANISH).items()
        if placeholders(message) != placeholders(text)
    }
    assert not wrong, f"translations of {package} whose {{placeholders}} differ from the English: {wrong}"


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_catalogue_has_no_fuzzy_or_empty_entries(package: str) -> None:
    path = PACKAGES[package] / "locales" / "da.po"
    with path.open("rb") as stream:
        read = read_po(stream, locale=DANISH)
    unfinished = [str(message.id) for message in read if message.id and (message.fuzzy or not message.string)]
    assert not unfinished, f"{path} has untranslated or fuzzy entries: {unfinished}"


def test_a_missing_text_shows_in_english_and_english_is_the_code() -> None:
    assert translator("en")("Price area") == "Price area"
    assert translator(DANISH)("A text no catalogue has") == "A text no catalogue has"
    assert set(LANGUAGES) == {"da", "en"}
