"""A small closed-loop HTTP/1.1 load generator for loopback runs.

Each connection sends one request, reads the whole answer, and sends the next: what a pool of
keep-alive clients does. It is written on asyncio streams, not an HTTP library, so that on a
2-core machine the load costs the server under test as little CPU as it can.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import orjson

REQUEST_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: bytes
    seconds: float


@dataclass(slots=True)
class Tally:
    """What one kind of request saw: latencies of the expected answers, and everything else."""

    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


class Connection:
    """One keep-alive HTTP/1.1 connection to 127.0.0.1:port."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: object = None
    ) -> Answer:
        payload = b"" if body is None else orjson.dumps(body)
        lines = [f"{method} {path} HTTP/1.1", f"host: 127.0.0.1:{self.port}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if body is not None:
            lines += ["content-type: application/json", f"content-length: {len(payload)}"]
        started = time.perf_counter()
        reader, writer = await self._open()
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + payload)
        status, length, close = await asyncio.wait_for(self._head(reader), REQUEST_TIMEOUT_SECONDS)
        answer = await asyncio.wait_for(reader.readexactly(length), REQUEST_TIMEOUT_SECONDS)
        if close:
            await self.close()
        return Answer(status, answer, time.perf_counter() - started)

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()
        self._reader = self._writer = None

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None:
            self._reader, self._writer = await asyncio.open_connection("127.0.0.1", self.port)
        return self._reader, self._writer

    @staticmethod
    async def _head(reader: asyncio.StreamReader) -> tuple[int, int, bool]:
        """The status, the body's length and whether the server closes the connection."""
        status_line = await reader.readline()
        if not status_line:
            raise ConnectionError("the server closed the connection")
        status = int(status_line.split()[1])
        length, close = 0, False
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding":
                raise ConnectionError(f"unexpected transfer-encoding: {value.strip()}")
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        return status, length, close


Step = Callable[[Connection], Awaitable[None]]
FAILURES = (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError)


async def send(
    connection: Connection,
    tally: Tally,
    expected: int,
    method: str,
    path: str,
    headers: dict[str, str],
    body: object = None,
) -> Answer | None:
    """One request, tallied: its latency if it got the expected status, else what went wrong."""
    try:
        answer = await connection.request(method, path, headers, body)
    except FAILURES as failure:
        tally.errors.append(f"{method} {path}: {type(failure).__name__}: {failure}")
        await connection.close()
        return None
    if answer.status != expected:
        tally.errors.append(f"{method} {path}: {answer.status} {answer.body[:300]!r}")
        return None
    tally.seconds.append(answer.seconds)
    return answer


async def run(port: int, connections: int, seconds: float, step: Callable[[int], Step]) -> None:
    """Run `connections` loops for `seconds`; loop i calls `step(i)` with its connection, again
    and again, until the time is up. Steps tally their own outcomes (see `send`)."""
    deadline = time.monotonic() + seconds

    async def loop(index: int) -> None:
        connection = Connection(port)
        one = step(index)
        try:
            while time.monotonic() < deadline:
                await one(connection)
        finally:
            await connection.close()

    await asyncio.gather(*(loop(i) for i in range(connections)))
