"""Link values quoted as text: whatever a visitor puts in a link, a notice shows it literally."""

import pytest
from dashboard_common.linktext import MAX_QUOTED_CHARACTERS, quoted, quoted_list
from devtools.apptest import markdown_outside_code
from markdown_it import MarkdownIt
from support import HOSTILE_LINK_VALUES


def code_spans(markdown: str) -> list[str]:
    (paragraph,) = [block for block in MarkdownIt("commonmark").parse(markdown) if block.type == "inline"]
    return [token.content for token in paragraph.children if token.type == "code_inline"]


@pytest.mark.parametrize("value", HOSTILE_LINK_VALUES, ids=range(len(HOSTILE_LINK_VALUES)))
def test_a_quoted_value_is_one_code_span_that_nothing_can_end_early(value):
    text = f"The link asks for area {quoted(value)}; showing all of Denmark instead."
    active, outside = markdown_outside_code(text)
    assert active == []
    assert "".join(outside).startswith("The link asks for area ") and "example.org" not in "".join(outside)
    (span,) = code_spans(text)
    assert len(span) <= MAX_QUOTED_CHARACTERS + 3 and span.isprintable()


def test_a_short_plain_value_reads_as_before():
    assert quoted("9") == "`9`" and quoted("Mars/Olympus") == "`Mars/Olympus`"
    assert code_spans(quoted("a`b")) == ["a`b"] and code_spans(quoted("`")) == ["`"]


def test_a_long_value_is_cut_and_its_length_said():
    shown = quoted("A" * 5000)
    assert shown.endswith("…` (5000 characters)") and code_spans(shown) == ["A" * MAX_QUOTED_CHARACTERS + "…"]


def test_control_and_direction_characters_are_shown_as_escapes():
    assert code_spans(quoted("a\nb\u202ec\x00")) == ["a\\x0ab\\u202ec\\x00"]


def test_a_list_of_values_shows_the_first_five_and_counts_the_rest():
    shown = quoted_list([f"[x{n}](https://example.org)" for n in range(12)])
    assert shown.endswith(" and 7 more") and len(code_spans(shown)) == 5
    assert markdown_outside_code(shown)[0] == []
