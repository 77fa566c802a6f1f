"""Log output: one handler on the root logger, plain text or one JSON object per line.

Kept free of heavy imports: uvicorn's supervisor process loads it without loading the application.
"""

import logging
import re
from typing import Any

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as _LibraryJsonFormatter

# A record need not find its caller's frame, thread, process or process name: no format here shows
# them (text: time, level, logger, message; JSON: those and the `extra` fields). These are the switches
# the logging HOWTO's "Optimization" section names; set on import, so every uvicorn worker (which
# imports this module for its formatters) makes its records without them.
logging._srcfile = None
logging.logThreads = False
logging.logProcesses = False
logging.logMultiprocessing = False


class AlreadyLoggedFilter(logging.Filter):
    """Drops uvicorn's own traceback of an unhandled request error: the app's 500 handler logged it once."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Exception in ASGI application")


class JsonFormatter(_LibraryJsonFormatter):
    """One JSON object per line (python-json-logger): level, logger, message, any `extra` fields, the
    traceback, if any, as `exception`, and `time` (UTC ISO 8601).

    It replaced a hand-written formatter that was a little faster per line, a difference under 1 % of a
    request and not measurable in throughput (BENCHMARKS.md, "Cost of the access log line"): less code
    of our own is worth it.
    """

    def __init__(self) -> None:
        super().__init__(
            ["levelname", "name", "message"],
            rename_fields={"levelname": "level", "name": "logger", "exc_info": "exception"},
            # uvicorn's `color_message` repeats the message with terminal colours; 3.11 records lack taskName.
            reserved_attrs=[*RESERVED_ATTRS, "taskName", "color_message"],
            timestamp="time",
            json_ensure_ascii=False,
        )


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# C0 and C1 control characters, DEL and the Unicode line and paragraph separators, as escapes: a decoded
# `%0A` in a URL (or any caller-chosen text) must not start a line that looks like one of ours.
_ESCAPES = str.maketrans(
    {code: f"\\x{code:02x}" for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)]}
    | {0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t", 0x2028: "\\u2028", 0x2029: "\\u2029"}
)
TRACEBACK_INDENT = "    "


# `str.translate` with a table is slow per character, and nearly every line has nothing to escape.
_NEEDS_ESCAPE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def escape_controls(text: str) -> str:
    return text.translate(_ESCAPES) if _NEEDS_ESCAPE.search(text) else text


class TextFormatter(logging.Formatter):
    """One line per record: control characters in the message (paths, ids, reasons) are escaped.

    A traceback keeps its lines, each escaped and indented, so no line of it starts like a record
    (time first) whatever an exception's message holds. JSON lines need none of this: the encoder
    escapes control characters itself.
    """

    def formatMessage(self, record: logging.LogRecord) -> str:
        return escape_controls(super().formatMessage(record))

    def formatException(self, ei) -> str:
        return self._indented(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return self._indented(super().formatStack(stack_info))

    @staticmethod
    def _indented(text: str) -> str:
        return "\n".join(TRACEBACK_INDENT + escape_controls(line) for line in text.splitlines())


def logging_config(level: str, log_format: str) -> dict[str, Any]:
    """A `logging.config.dictConfig` for the process and every uvicorn worker (uvicorn applies it in each).

    Everything goes through the root logger's one handler, in the chosen format; uvicorn's own
    access log is off because `AccessMiddleware` writes a better one.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "text": {"()": f"{__name__}.TextFormatter", "format": TEXT_FORMAT},
            "json": {"()": f"{__name__}.JsonFormatter"},
        },
        "filters": {"already_logged": {"()": f"{__name__}.AlreadyLoggedFilter"}},
        "handlers": {
            "default": {"class": "logging.StreamHandler", "formatter": log_format, "stream": "ext://sys.stderr"},
        },
        "root": {"handlers": ["default"], "level": level.upper()},
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True, "filters": ["already_logged"]},
            "uvicorn.access": {"handlers": [], "propagate": False},
        },
    }
