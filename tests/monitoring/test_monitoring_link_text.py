"""The monitoring page shows what a link asked for as text: every link parameter, hostile values.

As on the forecast page, Streamlit renders the link notices as Markdown: each value must come out as
a literal code span (AppTest here; Chromium in test_monitoring_browser.py).
"""

import pytest
from devtools.apptest import markdown_outside_code
from support import HOSTILE_LINK_VALUES

LINK_PARAMETERS = ["view", "area", "consumer_type", "threshold", "rank", "figure"]
NOTICE_WORDS = ["view", "series (area", "threshold", "ranking figure", "hourly figure"]


@pytest.mark.parametrize("value", HOSTILE_LINK_VALUES, ids=range(len(HOSTILE_LINK_VALUES)))
def test_every_link_parameter_is_quoted_as_text_in_its_notice(app, value):
    page = app(**dict.fromkeys(LINK_PARAMETERS, value)).run()
    assert not page.exception
    shown = [str(element.value) for element in page.warning]
    for words in NOTICE_WORDS:
        assert [notice for notice in shown if words in notice], f"no notice with {words!r}: {shown}"
    for notice in shown:
        active, outside = markdown_outside_code(notice)
        assert active == [], notice
        plain = "".join(outside)
        for fragment in ("example.org", "<img", "<a ", "**", ":material/", ":red[", "$x", "# Heading"):
            assert fragment not in plain, (fragment, notice)
        assert len(notice) < 600, notice
