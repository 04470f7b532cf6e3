"""Tracing under test: the SDK's in-memory exporter, a caller's trace context, JSON log lines."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import orjson
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import SpanKind

from app.core.logs import JsonFormatter

# Tracing on, every trace kept: what a test sees does not depend on a ratio.
TRACED = {"OTEL_TRACES_EXPORTER": "otlp", "OTEL_TRACES_SAMPLER": "always_on"}


def caller_traceparent(sampled: bool = True) -> str:
    """A W3C traceparent as a caller tracing its own requests would send."""
    flags = "01" if sampled else "00"
    return f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-{flags}"


def trace_id_of(span: ReadableSpan) -> str:
    assert span.context is not None
    return format(span.context.trace_id, "032x")


def span_id_of(span: ReadableSpan) -> str:
    assert span.context is not None
    return format(span.context.span_id, "016x")


def parent_id_of(span: ReadableSpan) -> str | None:
    return None if span.parent is None else format(span.parent.span_id, "016x")


def of_kind(spans: Sequence[ReadableSpan], kind: SpanKind) -> list[ReadableSpan]:
    return [span for span in spans if span.kind is kind]


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(JsonFormatter())
        self.entries: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        # Formatted as it is emitted, in the context it was logged in (as a stream handler does).
        self.entries.append(orjson.loads(self.format(record)))


@contextmanager
def log_lines(logger: str = "termsgate") -> Iterator[list[dict[str, Any]]]:
    """The JSON log lines `logger` (and those below it) writes meanwhile, at INFO and above."""
    handler = _Lines()
    target = logging.getLogger(logger)
    level = target.level
    target.addHandler(handler)
    target.setLevel(logging.INFO)
    try:
        yield handler.entries
    finally:
        target.removeHandler(handler)
        target.setLevel(level)
