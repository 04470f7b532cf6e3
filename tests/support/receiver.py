"""A real webhook receiver on 127.0.0.1: records every request and answers as it is told.

By default it answers 200. `answer(status, times=N, headers=...)` queues N answers of another
kind (a failure, a Retry-After, a 410, a redirect); queued answers are used first, in order.
`delay_seconds` slows every answer down. Every wait here is bounded.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    body: bytes
    status: int  # what the receiver answered
    at: float  # time.monotonic()

    @property
    def webhook_id(self) -> str:
        return self.headers.get("webhook-id", "")


@dataclass
class _Planned:
    status: int
    headers: dict[str, str]
    remaining: int | None  # None: for ever


@dataclass
class Receiver:
    """Start with `with Receiver() as receiver:`; `url` is where to point a workflow."""

    path: str = "/hooks/termsgate"
    delay_seconds: float = 0.0
    requests: list[Received] = field(default_factory=list)
    _plan: list[_Planned] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    def answer(
        self, status: int, *, times: int | None = 1, headers: dict[str, str] | None = None
    ) -> None:
        """Answer the next `times` requests (None: all of them) with `status` and `headers`."""
        with self._lock:
            self._plan.append(_Planned(status, dict(headers or {}), times))

    def fail_next(self, times: int, status: int = 500, retry_after: str | None = None) -> None:
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        self.answer(status, times=times, headers=headers)

    def redirect_next(self, times: int | None, location: str, status: int = 302) -> None:
        self.answer(status, times=times, headers={"Location": location})

    def received(self) -> list[Received]:
        with self._lock:
            return list(self.requests)

    def delivered_counts(self) -> Counter[str]:
        """How many times each webhook-id was answered with a 2xx."""
        return Counter(r.webhook_id for r in self.received() if 200 <= r.status < 300)

    def wait_for(
        self, seen: Callable[[list[Received]], bool], timeout: float = 10.0, what: str = ""
    ) -> list[Received]:
        deadline = time.monotonic() + timeout
        while True:
            received = self.received()
            if seen(received):
                return received
            if time.monotonic() >= deadline:
                raise TimeoutError(f"receiver: {what or 'condition'} not met in {timeout}s")
            time.sleep(0.01)

    def _next_answer(self) -> tuple[int, dict[str, str]]:
        with self._lock:
            for planned in self._plan:
                if planned.remaining is None or planned.remaining > 0:
                    if planned.remaining is not None:
                        planned.remaining -= 1
                    return planned.status, planned.headers
        return 200, {}

    def _record(self, received: Received) -> None:
        with self._lock:
            self.requests.append(received)

    def __enter__(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out as separate writes

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                if len(body) < length:  # the sender died mid-body: no request, nothing to record
                    self.close_connection = True
                    return
                if receiver.delay_seconds:
                    time.sleep(receiver.delay_seconds)
                status, headers = receiver._next_answer()
                receiver._record(
                    Received(
                        method=self.command,
                        path=self.path,
                        headers={k.lower(): v for k, v in self.headers.items()},
                        body=body,
                        status=status,
                        at=time.monotonic(),
                    )
                )
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            do_GET = do_POST

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        assert self._server is not None
        assert self._thread is not None
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


class _QuietServer(ThreadingHTTPServer):
    """A client that goes away mid-request (a killed relay) is not worth a traceback."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass
