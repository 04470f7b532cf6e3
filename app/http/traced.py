"""A server span around every request, put in front of the edge only when tracing is on.

With tracing off create_app() returns the edge itself, so the hot path pays nothing for this
module, not even a check. With it on, each request starts a span under the caller's
`traceparent` (sampled as app/core/tracing.py configured), attached to the context the edge,
FastAPI and the store's statements run in; named by method and route template once answered.
"""

from __future__ import annotations

from collections.abc import Sequence

from opentelemetry import context, trace
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core import tracing
from app.http.edge import Edge
from app.http.fast import FastEndpoint


class TracedEdge:
    def __init__(self, edge: Edge, fast: Sequence[FastEndpoint]) -> None:
        self.edge = edge
        self._fast = [(endpoint.matches, endpoint.route) for endpoint in fast]
        self._shortcuts = frozenset(edge.shortcut_routes)
        self._tracer = tracing.tracer()

    @property
    def api(self) -> ASGIApp:
        """The FastAPI app behind the edge (as the edge's own `api`)."""
        return self.edge.api

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.edge(scope, receive, send)
            return
        method: str = scope["method"]
        parent = tracing.parent_context(tracing.incoming(scope["headers"]))
        span = self._tracer.start_span(
            method,
            context=parent,
            kind=trace.SpanKind.SERVER,
            attributes={"http.request.method": method},
        )
        token = context.attach(trace.set_span_in_context(span, parent))
        status: int | None = None  # None: the client left before an answer

        async def send_traced(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                for name, value in message.get("headers", ()):
                    if name == b"x-request-id":
                        span.set_attribute("termsgate.request_id", value.decode("latin-1"))
            await send(message)

        try:
            await self.edge(scope, receive, send_traced)
        finally:
            route = self._route_of(scope)
            if route is not None:
                span.update_name(f"{method} {route}")
                span.set_attribute("http.route", route)
            if status is not None:
                span.set_attribute("http.response.status_code", status)
                if status >= 500:
                    span.set_status(trace.Status(trace.StatusCode.ERROR))
            span.end()
            context.detach(token)

    def _route_of(self, scope: Scope) -> str | None:
        """The template the request was answered under: a fast endpoint's, a shortcut's (the
        same as its FastAPI operation's) or FastAPI's."""
        path: str = scope["path"]
        if path in self._shortcuts:
            return path
        for matches, route in self._fast:
            if matches(path):
                return route
        return getattr(scope.get("route"), "path", None)
