"""Reading a Streamlit AppTest run the way the browser would see it."""

import json
from typing import Any

from dashboard_common.charts import COMPONENT_NAME


def plotly_figures(app_test: Any) -> list[dict]:
    """The figures the page drew with `dashboard_common.charts.plotly_chart`, in page order, as plotly.js reads them."""
    return [
        json.loads(element.proto.bytes)  # `plotly_chart` sends the JSON as UTF-8 bytes
        for element in app_test.get("bidi_component")
        if element.proto.component_name == COMPONENT_NAME
    ]


# Markdown a notice must not produce from a visitor's text: links, images, raw HTML.
ACTIVE_MARKDOWN = {"link_open", "image", "html_inline", "html_block", "autolink"}


def markdown_outside_code(markdown: str) -> tuple[list[str], list[str]]:
    """How Streamlit's Markdown would read a notice: the token types it produces that act (links, images,
    HTML), and the plain text left outside code spans (where a quoted link value must never be)."""
    from markdown_it import MarkdownIt

    active, outside = [], []
    for block in MarkdownIt("commonmark").parse(markdown):
        if block.type in ACTIVE_MARKDOWN:
            active.append(block.type)
        for token in block.children or []:
            if token.type in ACTIVE_MARKDOWN:
                active.append(token.type)
            elif token.type != "code_inline":
                outside.append(token.content)
    return active, outside
