"""The forecast page shows what a link asked for as text: every link parameter, hostile values.

A link's values reach the page's notices ("The link asks for area `...`"); Streamlit renders notices
as Markdown, so each value must come out as a literal code span: no link, image, HTML or emphasis
of the visitor's making inside the dashboard's own message (AppTest here; Chromium in
test_frontend_browser.py).
"""

from collections.abc import Callable

import pytest
from devtools.apptest import markdown_outside_code
from streamlit.testing.v1 import AppTest
from support import HOSTILE_LINK_VALUES
from test_frontend_apptest import open_page

pytestmark = pytest.mark.e2e

LINK_PARAMETERS = ["area", "consumer_type", "tz", "compare", "types", "share", "layout", "past"]
# What the notices name, one per parameter (area and consumer type are told apart by their words).
NOTICE_WORDS = ["for area", "for consumer type", "time zone", "to compare", "consumer types without data",
                "`share=", "layout", "`past="]  # fmt: skip


def notices(app: AppTest) -> list[str]:
    return [element.value for element in app.info]


@pytest.mark.parametrize("value", HOSTILE_LINK_VALUES, ids=range(len(HOSTILE_LINK_VALUES)))
def test_every_link_parameter_is_quoted_as_text_in_its_notice(
    page_on: Callable[[str], None], api_on_fixture_bucket: str, value: str
) -> None:
    page_on(api_on_fixture_bucket)
    app = open_page(dict.fromkeys(LINK_PARAMETERS, value))
    assert not app.exception
    shown = notices(app)
    for words in NOTICE_WORDS:
        assert [notice for notice in shown if words in notice], f"no notice with {words!r}: {shown}"
    for notice in shown:
        active, outside = markdown_outside_code(notice)
        assert active == [], notice
        plain = "".join(outside)
        for fragment in ("example.org", "<img", "<a ", "**", ":material/", ":red[", "$x", "# Heading"):
            assert fragment not in plain, (fragment, notice)
        assert len(notice) < 600, notice  # a 6,000-character value is cut, not shown whole
    assert app.selectbox(key="area").value == "all"  # and the page still works, on its defaults
