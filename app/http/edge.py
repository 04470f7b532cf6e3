"""The outermost ASGI layer: request ids, metrics, body limits, the hot path, last-resort errors.

Pure ASGI (no BaseHTTPMiddleware): the fast endpoints (the terms lookup and the checkout
decision, handed in by app/main.py) are answered here, before FastAPI's stack, as is the common
case of the shortcut writes (single routes and payments: app/http/shortcut.py); everything
else goes to the FastAPI app, with its route template recorded for metrics.
"""

from __future__ import annotations

import itertools
import logging
import os
import time
from collections.abc import Sequence

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core import metrics, tallies, tracing
from app.core.errors import PayloadTooLarge, TermsGateError, problem_body, problem_bytes
from app.core.logs import is_request_id, request_id
from app.http.fast import PROBLEM_HEADERS, FastEndpoint, Reply
from app.http.shortcut import Shortcut, refused, replaying
from app.http.strict import check_no_query

log = logging.getLogger("termsgate.http")


class Edge:
    def __init__(
        self,
        api: ASGIApp,
        fast: Sequence[FastEndpoint],
        max_body_bytes: int,
        shortcuts: Sequence[Shortcut] = (),
    ) -> None:
        self.api = api
        self._shortcuts = {shortcut.route: shortcut for shortcut in shortcuts}
        self.max_body = max_body_bytes
        self._ids = itertools.count(1)
        self._id_prefix = f"{os.getpid():x}-{int(time.time()):x}-"
        self._series: dict[tuple[str, str, int], tallies.CounterTally] = {}
        self._durations: dict[tuple[str, str], tallies.HistogramTally] = {}
        # Each fast endpoint with its common case's series at hand: 200 to its own method.
        self._fast = [
            (
                endpoint,
                "POST" if endpoint.reads_body else "GET",
                self._series_for("POST" if endpoint.reads_body else "GET", endpoint.route, 200),
                self._duration_for("POST" if endpoint.reads_body else "GET", endpoint.route),
            )
            for endpoint in fast
        ]

    @property
    def shortcut_routes(self) -> list[str]:
        return list(self._shortcuts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.api(scope, receive, send)
            return
        started = time.perf_counter()
        method, path = scope["method"], scope["path"]
        for endpoint, usual, answered, durations in self._fast:
            if endpoint.matches(path):
                if endpoint.reads_body or scope["query_string"]:
                    reply = await self._fast_reply(endpoint, scope, receive, method, usual, path)
                else:  # the lookup's common case: no body to await, no query to refuse
                    reply = endpoint.answer(
                        scope["headers"], method, path, b"", self._new_request_id
                    )
                if reply is None:  # the client left before sending its body
                    return
                status, headers, body = reply
                headers = [*headers, (b"content-length", b"%d" % len(body))]
                await send({"type": "http.response.start", "status": status, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                if status == 200 and method == usual:  # the common case
                    answered.inc()
                    durations.observe(time.perf_counter() - started)
                else:
                    self._observe(method, endpoint.route, status, started)
                return
        rid = self._request_id(scope["headers"])
        exchange = _Exchange(send, rid)
        token = request_id.set(rid.decode())
        # Tracing off: a caller's trace context still goes on with its outbox events and logs.
        parent = None if tracing.enabled else tracing.incoming(scope["headers"])
        passing = None if parent is None else tracing.passed_on.set(parent)
        shortcut = None
        if method == "POST" and not scope["query_string"]:
            shortcut = self._shortcuts.get(path)
        try:
            if self._declared_too_large(scope["headers"]):
                shortcut = None  # answered before any route was chosen
                await self._too_large(exchange)
            elif shortcut is not None:
                await self._shortcut(shortcut, scope, receive, exchange)
            else:
                await self.api(scope, self._limited(receive, exchange), exchange.send)
        except Exception as error:  # the last resort: never a traceback to the caller or the log
            log.error("request failed: %s", type(error).__name__, extra={"fields": _where(error)})
            if exchange.status is None:
                await exchange.answer(500, orjson.dumps(_internal_error(rid)))
        finally:
            request_id.reset(token)
        status = exchange.status or 500
        route = scope.get("route")
        template = getattr(route, "path", None) or "unmatched"
        if shortcut is not None:
            template = shortcut.route
        self._observe(method, template, status, started)
        ms = round((time.perf_counter() - started) * 1000, 2)
        # The request id is no longer in the context here: name it.
        log.info(
            "%s %s %d",
            method,
            template,
            status,
            extra={"fields": {"request_id": rid.decode(), "ms": ms}},
        )
        if passing is not None:
            tracing.passed_on.reset(passing)

    async def _shortcut(
        self, shortcut: Shortcut, scope: Scope, receive: Receive, exchange: _Exchange
    ) -> None:
        """The shortcut's answer, or FastAPI's (the body handed on) where it gives none."""
        try:
            body = await self._read_body(scope["headers"], receive)
        except PayloadTooLarge:
            await self._too_large(exchange)
            return
        if body is None:  # the client left: FastAPI hears so, as it would have
            await self.api(scope, receive, exchange.send)
            return
        try:
            reply = await shortcut.answer(scope["headers"], body)
        except TermsGateError as error:
            reply = refused(error)
        if reply is None:
            await self.api(scope, replaying(body, receive), exchange.send)
            return
        status, headers, content = reply
        headers = [*headers, (b"content-length", b"%d" % len(content))]
        await exchange.send({"type": "http.response.start", "status": status, "headers": headers})
        await exchange.send({"type": "http.response.body", "body": content})

    async def _fast_reply(
        self,
        endpoint: FastEndpoint,
        scope: Scope,
        receive: Receive,
        method: str,
        usual: str,
        path: str,
    ) -> Reply | None:
        """The endpoint's answer; its body read first (within the limit) if it takes one.

        Neither fast endpoint declares a query parameter: any sent to its own method is 422,
        before anything else, as StrictInputs answers on the other routes."""
        if scope["query_string"] and method == usual:
            try:
                check_no_query(scope["query_string"])
            except TermsGateError as error:
                rid = self._request_id(scope["headers"])
                headers = [*PROBLEM_HEADERS, (b"x-request-id", rid)]
                return error.status, headers, problem_bytes(error, rid.decode())
        body = b""
        if endpoint.reads_body and method == "POST":
            try:
                read = await self._read_body(scope["headers"], receive)
            except PayloadTooLarge as error:
                rid = self._request_id(scope["headers"])
                headers = [*PROBLEM_HEADERS, (b"x-request-id", rid)]
                return 413, headers, problem_bytes(error, rid.decode())
            if read is None:
                return None
            body = read
        return endpoint.answer(scope["headers"], method, path, body, self._new_request_id)

    async def _read_body(
        self, headers: list[tuple[bytes, bytes]], receive: Receive
    ) -> bytes | None:
        """The whole body, or None if the client left; PayloadTooLarge past the limit."""
        if self._declared_too_large(headers):
            raise self._too_large_error()
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.max_body:
                raise self._too_large_error()
            chunks.append(chunk)
            if not message.get("more_body", False):
                return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def _too_large_error(self) -> PayloadTooLarge:
        return PayloadTooLarge(f"The body is over the limit of {self.max_body} bytes.")

    def _request_id(self, headers: list[tuple[bytes, bytes]]) -> bytes:
        for name, value in headers:
            if name == b"x-request-id" and is_request_id(value):
                return value
        return self._new_request_id()

    def _new_request_id(self) -> bytes:
        return f"{self._id_prefix}{next(self._ids):x}".encode()

    def _declared_too_large(self, headers: list[tuple[bytes, bytes]]) -> bool:
        for name, value in headers:
            if name == b"content-length":
                return not value.isdigit() or int(value) > self.max_body
        return False

    async def _too_large(self, exchange: _Exchange) -> None:
        await exchange.answer(413, problem_bytes(self._too_large_error(), exchange.request_id))

    def _limited(self, receive: Receive, exchange: _Exchange) -> Receive:
        """Count a streamed body; past the limit, answer 413 and tell the app the client left."""
        seen = 0

        async def receive_limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    await self._too_large(exchange)
                    return {"type": "http.disconnect"}
            return message

        return receive_limited

    def _observe(self, method: str, route: str, status: int, started: float) -> None:
        self._series_for(method, route, status).inc()
        self._duration_for(method, route).observe(time.perf_counter() - started)

    def _series_for(self, method: str, route: str, status: int) -> tallies.CounterTally:
        series = self._series.get((method, route, status))
        if series is None:
            series = self._series[(method, route, status)] = tallies.counter_tally(
                metrics.HTTP_REQUESTS.labels(method=method, route=route, status=str(status))
            )
        return series

    def _duration_for(self, method: str, route: str) -> tallies.HistogramTally:
        duration = self._durations.get((method, route))
        if duration is None:
            duration = self._durations[(method, route)] = tallies.histogram_tally(
                metrics.HTTP_DURATION.labels(method=method, route=route)
            )
        return duration


class _Exchange:
    """One request's way out: adds the request id, and lets the edge answer first when it must."""

    def __init__(self, send: Send, rid: bytes) -> None:
        self._send = send
        self._rid = rid
        self.request_id = rid.decode()
        self.status: int | None = None
        self._edge_answered = False

    async def send(self, message: Message) -> None:
        if self._edge_answered:  # the edge already answered (413): the app's answer is dropped
            return
        if message["type"] == "http.response.start":
            self.status = message["status"]
            message["headers"] = [*message.get("headers", []), (b"x-request-id", self._rid)]
        await self._send(message)

    async def answer(self, status: int, problem: bytes) -> None:
        headers = [
            (b"content-type", b"application/problem+json"),
            (b"content-length", b"%d" % len(problem)),
        ]
        await self.send({"type": "http.response.start", "status": status, "headers": headers})
        await self.send({"type": "http.response.body", "body": problem})
        self._edge_answered = True


def _internal_error(rid: bytes) -> dict[str, object]:
    detail = "An unexpected error occurred."
    return problem_body(500, "internal", "Internal error", detail, request_id=rid.decode())


def _where(error: BaseException) -> dict[str, str]:
    """Where an unexpected error was raised: file and line, never the message (it may hold SQL)."""
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return {}
    return {"at": f"{os.path.basename(tb.tb_frame.f_code.co_filename)}:{tb.tb_lineno}"}
