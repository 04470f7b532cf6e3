"""Structured JSON logs, one object a line, each carrying the request id (and the trace id).

Nothing here logs headers or bodies, and a final filter masks anything shaped like a token or a
webhook secret, so a careless message cannot leak one.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson

from app.core import tracing

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
# What a caller's X-Request-ID may look like to be echoed, logged and kept in the audit log.
REQUEST_ID_SHAPE = re.compile(rb"[A-Za-z0-9._:-]{1,64}")
SECRET_SHAPES = re.compile(r"(tgk_|whsec_)[A-Za-z0-9_\-+/=]+")


@contextmanager
def on_behalf_of(rid: str | None) -> Iterator[None]:
    """Run the block as part of request `rid` (one call of a group written together): what it
    logs and the audit rows it records name that request."""
    if request_id.get() == rid:  # a batch's calls: all of the request already current
        yield
        return
    token = request_id.set(rid)
    try:
        yield
    finally:
        request_id.reset(token)


def is_request_id(value: bytes) -> bool:
    """A key or a secret sent as a request id (a caller's slip) is not one: a new id is made."""
    shaped = REQUEST_ID_SHAPE.fullmatch(value) is not None
    return shaped and b"tgk_" not in value and b"whsec_" not in value


def redact(text: str) -> str:
    return SECRET_SHAPES.sub(r"\1[redacted]", text)


class JsonFormatter(logging.Formatter):
    """`{"ts", "level", "logger", "msg", "request_id", "trace_id", ...extra}`; no tracebacks,
    by design. `trace_id` is there inside a trace (app/core/tracing.py), as 32 hex digits."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": redact(record.getMessage()),
        }
        rid = request_id.get()
        if rid is not None:
            entry["request_id"] = rid
        trace_id = tracing.trace_id()
        if trace_id is not None:
            entry["trace_id"] = trace_id
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update({k: redact(v) if isinstance(v, str) else v for k, v in fields.items()})
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
        return orjson.dumps(entry, default=str).decode()


def log_config(level: str) -> dict[str, Any]:
    """A logging.config dict for this process and every uvicorn worker."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "app.core.logs.JsonFormatter"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False, "level": "WARNING"},
            "sqlalchemy": {"level": "WARNING"},
            # httpx logs every request's full URL, and a webhook URL may carry a token.
            "httpx": {"level": "WARNING"},
            "httpcore": {"level": "WARNING"},
            "alembic": {"level": "WARNING"},
        },
    }
