"""A caller cannot write lines of its own into the text log: control characters in what is logged (the
decoded path, ids, headers, reasons) are escaped, and a traceback's lines are indented."""

import json
import logging
import re
import sys

import httpx
import pytest
from api.logs import TextFormatter, logging_config
from support import ARTIFACTS, BUCKET_PANDAS15, running_api

RECORD_START = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) ")
FORGED = "2026-01-01 00:00:00,000 INFO api.access: GET /api/v1/admin 200 0.1 ms"


def text_formatter() -> TextFormatter:
    config = logging_config("info", "text")["formatters"]["text"]
    return TextFormatter(config["format"])


def record(message: str, *args: object, exc_info=None) -> logging.LogRecord:
    return logging.getLogger("api.access").makeRecord("api.access", logging.INFO, __file__, 1, message, args, exc_info)


@pytest.mark.parametrize(
    "text",
    ["/a\nb", "/a\r\nb", "/a\rb", "/a\x1b[31mred", "/a\x00b", "/a\x85b", "/a\u2028b", "/a\tb", "/a\x7fb"],
    ids=["lf", "crlf", "cr", "escape", "nul", "nel", "line-separator", "tab", "del"],
)
def test_control_characters_in_a_message_are_escaped_on_one_line(text):
    line = text_formatter().format(record("GET %s 404", text))
    assert len(line.splitlines()) == 1 and line.isprintable()
    assert line.endswith(" 404") and "/a" in line


def test_the_formatter_is_the_one_the_text_format_uses():
    assert logging_config("info", "text")["formatters"]["text"]["()"] == "api.logs.TextFormatter"


def test_a_traceback_keeps_its_lines_but_none_starts_like_a_record():
    try:
        raise ValueError(f"bad value\n{FORGED}")
    except ValueError:
        formatted = text_formatter().format(record("failed", exc_info=sys.exc_info()))
    first, *rest = formatted.splitlines()
    assert RECORD_START.match(first) and first.endswith("failed")
    assert rest and all(line.startswith("    ") for line in rest)
    assert not any(RECORD_START.match(line) for line in rest)
    assert any("ValueError: bad value" in line for line in rest)


@pytest.mark.e2e
def test_a_newline_in_a_url_does_not_start_a_line_in_the_servers_text_log():
    forged_path = "/api/v1/predictions/1/111%0A" + FORGED.replace(" ", "%20")
    with running_api(BUCKET_PANDAS15, {"APP_API_LOG_FORMAT": "text", "APP_API_LOG_LEVEL": "info"}) as base_url:
        port = base_url.split(":")[2].split("/")[0]
        origin = base_url.removesuffix("/api/v1")
        response = httpx.get(origin + forged_path, headers={"X-Request-ID": "forge-1"})
        assert response.status_code == 404 and response.json()["detail"]
        carriage = httpx.get(origin + "/api/v1/predictions/1/111%0D%0Ainjected", headers={"X-Request-ID": "forge-2"})
        assert carriage.status_code in (404, 422)
        httpx.get(f"{base_url}/health", headers={"X-Request-ID": "after"})
    lines = (ARTIFACTS / f"api-{port}.log").read_text().splitlines()
    assert lines and all(RECORD_START.match(line) or line.startswith("    ") for line in lines), lines
    assert not any(line.startswith(FORGED[:24]) for line in lines)
    forged = [line for line in lines if "request_id=forge-1" in line]
    assert len(forged) == 1 and "/1/111\\n2026-01-01" in forged[0]
    injected = [line for line in lines if "request_id=forge-2" in line]
    assert len(injected) == 1 and "/1/111\\r\\ninjected" in injected[0]
    assert [line for line in lines if "request_id=after" in line]


@pytest.mark.e2e
def test_the_json_log_keeps_the_newline_inside_its_one_object():
    with running_api(BUCKET_PANDAS15, {"APP_API_LOG_FORMAT": "json", "APP_API_LOG_LEVEL": "info"}) as base_url:
        port = base_url.split(":")[2].split("/")[0]
        httpx.get(base_url.removesuffix("/api/v1") + "/api/v1/x%0Ay", headers={"X-Request-ID": "json-1"})
    entries = [json.loads(line) for line in (ARTIFACTS / f"api-{port}.log").read_text().splitlines() if line]
    assert [entry["path"] for entry in entries if entry.get("request_id") == "json-1"] == ["/api/v1/x\ny"]
