"""OpenTelemetry traces: off unless the environment asks for them, sampled when on.

`configure()` (each serving process and the relay, at start) reads the standard `OTEL_*`
variables; until it turns tracing on, `enabled` is False and nothing here makes a span or
touches the OpenTelemetry context. Callers on the hot path check that flag once and take
their untraced path (the edge is not even wrapped: app/http/traced.py).

Trace context still travels without it: the W3C `traceparent` a request came with is kept
for its outbox events (`passed_on`), so a webhook receiver's trace joins the caller's.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Final

from opentelemetry import context, trace
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from opentelemetry.util.types import Attributes

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SpanExporter
    from opentelemetry.sdk.trace.sampling import Sampler
    from sqlalchemy.engine import Engine

SERVICE_NAME: Final = "termsgate"
# The share of traces started here that are kept, unless OTEL_TRACES_SAMPLER(_ARG) says.
DEFAULT_RATIO: Final = 0.01
# Version 00 only, ids not all zeros (checked apart): what is passed on is exactly what came.
TRACEPARENT_SHAPE: Final = re.compile(r"00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}")
ZERO_TRACE: Final = "0" * 32
ZERO_SPAN: Final = "0" * 16
QUERY_TEXT_CHARS: Final = 2000
TRUE: Final = ("true", "1", "yes")

enabled = False
# With tracing off: the valid `traceparent` header of the request being served, if it sent one.
passed_on: ContextVar[str | None] = ContextVar("passed_on", default=None)
_provider: TracerProvider | None = None
_tracer: trace.Tracer = trace.NoOpTracer()
_propagator: Final = TraceContextTextMapPropagator()


class TracingConfigError(ValueError):
    """An `OTEL_*` variable asks for something this service does not do."""


def wanted(environ: Mapping[str, str]) -> bool:
    """Whether the environment turns tracing on (docs/configuration.md, Tracing).

    Off when OTEL_SDK_DISABLED is true or OTEL_TRACES_EXPORTER is `none`; on when
    OTEL_TRACES_EXPORTER is `otlp`, or, with it unset, when an OTLP endpoint is given
    (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT); off otherwise.
    """
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() in TRUE:
        return False
    exporter = environ.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if exporter == "none":
        return False
    if exporter not in ("", "otlp"):
        raise TracingConfigError(f"OTEL_TRACES_EXPORTER={exporter}: only otlp (or none) is known")
    for name in ("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"):
        protocol = environ.get(name, "").strip()
        if protocol not in ("", "http/protobuf"):
            raise TracingConfigError(f"{name}={protocol}: only http/protobuf is supported")
    if exporter == "otlp":
        return True
    endpoints = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
    return any(environ.get(name, "").strip() for name in endpoints)


def sampler_of(environ: Mapping[str, str]) -> Sampler:
    """OTEL_TRACES_SAMPLER and its argument, by the SDK's names; by default
    parentbased_traceidratio at DEFAULT_RATIO: a caller's sampled trace is followed, and of the
    traces started here one in a hundred is kept."""
    from opentelemetry.sdk.trace import sampling

    name = environ.get("OTEL_TRACES_SAMPLER", "parentbased_traceidratio").strip().lower()
    raw = environ.get("OTEL_TRACES_SAMPLER_ARG", "").strip()
    try:
        ratio = float(raw) if raw else DEFAULT_RATIO
    except ValueError:
        raise TracingConfigError(f"OTEL_TRACES_SAMPLER_ARG={raw}: not a number") from None
    if not 0.0 <= ratio <= 1.0:
        raise TracingConfigError(f"OTEL_TRACES_SAMPLER_ARG={raw}: not within 0 and 1")
    samplers: dict[str, Sampler] = {
        "always_on": sampling.ALWAYS_ON,
        "always_off": sampling.ALWAYS_OFF,
        "traceidratio": sampling.TraceIdRatioBased(ratio),
        "parentbased_always_on": sampling.ParentBased(sampling.ALWAYS_ON),
        "parentbased_always_off": sampling.ParentBased(sampling.ALWAYS_OFF),
        "parentbased_traceidratio": sampling.ParentBased(sampling.TraceIdRatioBased(ratio)),
    }
    if name not in samplers:
        raise TracingConfigError(f"OTEL_TRACES_SAMPLER={name}: not one of {sorted(samplers)}")
    return samplers[name]


def configure(
    environ: Mapping[str, str] | None = None, exporter: SpanExporter | None = None
) -> bool:
    """Turn tracing on if `environ` (the process's) asks; True if on. Once on, it stays on.

    `exporter` replaces the OTLP exporter (tests give the SDK's in-memory one, exported at
    once); spans otherwise go out in batches (OTEL_BSP_*) to OTEL_EXPORTER_OTLP_*."""
    global enabled, _provider, _tracer
    if enabled:
        return True
    environ = os.environ if environ is None else environ
    if not wanted(environ):
        return False
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor

    named = "OTEL_SERVICE_NAME" in environ or "service.name=" in environ.get(
        "OTEL_RESOURCE_ATTRIBUTES", ""
    )
    resource = Resource.create({} if named else {"service.name": SERVICE_NAME})
    provider = TracerProvider(sampler=sampler_of(environ), resource=resource)
    if exporter is None:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    else:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    _provider, _tracer, enabled = provider, provider.get_tracer("termsgate"), True
    return True


def shutdown() -> None:
    """Send what is left and turn tracing off (a process's end, and tests)."""
    global enabled, _provider, _tracer
    if _provider is not None:
        _provider.shutdown()
    _provider, _tracer, enabled = None, trace.NoOpTracer(), False


def tracer() -> trace.Tracer:
    return _tracer


def valid_traceparent(value: str) -> bool:
    match = TRACEPARENT_SHAPE.fullmatch(value)
    return match is not None and match[1] != ZERO_TRACE and match[2] != ZERO_SPAN


def incoming(headers: list[tuple[bytes, bytes]]) -> str | None:
    """The request's `traceparent` header, if it is a valid one."""
    for name, value in headers:
        if name == b"traceparent":
            text = value.decode("latin-1")
            return text if valid_traceparent(text) else None
    return None


def parent_context(traceparent: str | None) -> context.Context:
    """A context whose parent is the span `traceparent` names (an empty one if None)."""
    if traceparent is None:
        return context.Context()
    return _propagator.extract({"traceparent": traceparent}, context=context.Context())


@contextmanager
def client_span(name: str, parent: str | None, attributes: Attributes) -> Iterator[trace.Span]:
    """A client span under the span `parent` (a traceparent) names, or a new trace's root,
    current while it lasts. Only with tracing on."""
    parent_of_span = parent_context(parent)
    span = _tracer.start_span(
        name, context=parent_of_span, kind=trace.SpanKind.CLIENT, attributes=attributes
    )
    token = context.attach(trace.set_span_in_context(span, parent_of_span))
    try:
        yield span
    finally:
        span.end()
        context.detach(token)


def traceparent() -> str | None:
    """The trace context to send on with work done later for this request (its outbox events):
    the current span's with tracing on, else the one the request came with, if any."""
    if not enabled:
        return passed_on.get()
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier.get("traceparent")


def trace_id() -> str | None:
    """The current trace's id as 32 hex digits, for log lines; None outside any trace."""
    if not enabled:
        return trace_id_of(passed_on.get())
    span_context = trace.get_current_span().get_span_context()
    return format(span_context.trace_id, "032x") if span_context.is_valid else None


def trace_id_of(value: str | None) -> str | None:
    return value[3:35] if value is not None else None


def instrument(engine: Engine) -> None:
    """A client span for each statement run inside a recording span (a sampled request or
    delivery); statements outside one (sync, the recorder, the relay's turns) make none."""
    from sqlalchemy import event

    system = engine.dialect.name

    def before(
        _conn: Any, _cursor: Any, statement: str, _params: Any, execution: Any, _many: bool
    ) -> None:
        if execution is None or not trace.get_current_span().is_recording():
            return
        operation = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "SQL"
        execution._termsgate_span = _tracer.start_span(
            operation,
            kind=trace.SpanKind.CLIENT,
            attributes={
                "db.system.name": system,
                "db.operation.name": operation,
                "db.query.text": statement[:QUERY_TEXT_CHARS],
            },
        )

    def after(
        _conn: Any, _cursor: Any, _statement: str, _params: Any, execution: Any, _many: bool
    ) -> None:
        span = getattr(execution, "_termsgate_span", None)
        if span is not None:
            execution._termsgate_span = None
            span.end()

    def failed(exception_context: Any) -> None:
        execution = exception_context.execution_context
        span = getattr(execution, "_termsgate_span", None)
        if span is not None:
            execution._termsgate_span = None
            error = type(exception_context.original_exception).__name__
            span.set_status(trace.Status(trace.StatusCode.ERROR, error))
            span.set_attribute("error.type", error)
            span.end()

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    event.listen(engine, "handle_error", failed)
