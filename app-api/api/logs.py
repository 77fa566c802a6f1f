"""Log output: one handler on the root logger, plain text or one JSON object per line.

Kept free of heavy imports: uvicorn's supervisor process loads it without loading the application.
"""

import json
import logging
from datetime import UTC, datetime
from typing import Any

_NOT_EXTRA = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName", "color_message"}


class AlreadyLoggedFilter(logging.Filter):
    """Drops uvicorn's own traceback of an unhandled request error: the app's 500 handler logged it once."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Exception in ASGI application")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, any `extra` fields, and a traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _NOT_EXTRA:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def logging_config(level: str, log_format: str) -> dict[str, Any]:
    """A `logging.config.dictConfig` for the process and every uvicorn worker (uvicorn applies it in each).

    Everything goes through the root logger's one handler, in the chosen format; uvicorn's own
    access log is off because `AccessMiddleware` writes a better one.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "text": {"format": TEXT_FORMAT},
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
