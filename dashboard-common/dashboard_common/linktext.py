"""What a visitor put in a link, quoted in a notice as text: never read as Markdown or HTML.

Streamlit renders notices (`st.info`, `st.warning`) as Markdown, so a link value written into one
as it came (`?types=**Session expired** [sign in](https://example.org)`) put a working link, an image
from anywhere or emphasis inside the dashboard's own message. `quoted` turns a value into a Markdown
code span, whose content Markdown shows literally (no links, images, HTML, emphasis or Streamlit's
`:material/...:` directives), after making sure nothing can end the span early.
"""

import unicodedata
from collections.abc import Callable, Iterable

MAX_QUOTED_CHARACTERS = 60
MAX_QUOTED_VALUES = 5
ELLIPSIS = "…"


def _visible(character: str) -> str:
    """Control, format (bidirectional overrides, zero-width) and line-separator characters as escapes:
    a blank line would end the code span's paragraph, and an override would reorder the text shown."""
    category = unicodedata.category(character)
    if category[0] == "C" or category in ("Zl", "Zp"):
        code = ord(character)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return character


def quoted(value: str | None, limit: int = MAX_QUOTED_CHARACTERS) -> str:
    """`value` as a Markdown code span that shows it literally, cut to `limit` characters (with its length).

    The span's fence is one backtick longer than the longest run of backticks inside, and padded
    with spaces when the content starts or ends with a backtick, as CommonMark prescribes; so no
    value can close it and continue as Markdown.
    """
    text = "" if value is None else "".join(_visible(character) for character in str(value))
    note = ""
    if len(text) > limit:
        note = f" ({len(str(value))} characters)"
        text = text[:limit] + ELLIPSIS
    longest = max((len(run) for run in _backtick_runs(text)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{padding}{text}{padding}{fence}{note}"


def _backtick_runs(text: str) -> list[str]:
    runs, current = [], ""
    for character in text:
        if character == "`":
            current += "`"
        elif current:
            runs.append(current)
            current = ""
    return [*runs, current] if current else runs


def quoted_list(values: Iterable[str], limit: int = MAX_QUOTED_VALUES, _: Callable[[str], str] = str) -> str:
    """The first `limit` values quoted, comma-separated, and how many more there were (in the page's language,
    `_`; `dashboard_common.i18n` imports this module, so the default is the English text itself)."""
    values = list(values)
    shown = ", ".join(quoted(value) for value in values[:limit])
    more = _(" and {count} more").format(count=len(values) - limit)
    return shown + (more if len(values) > limit else "")
