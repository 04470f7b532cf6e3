"""A key made after this process's snapshot works at once: a token the snapshot does not know
is looked up in the store before it is refused, in a way a flood of bad tokens cannot abuse.

- coalesced: concurrent misses for one digest share one query;
- bounded: at most RECHECKS_PER_SECOND queries a process on average (burst RECHECK_BURST);
  past that, a miss is refused at once, and a digest the store did not know is refused without
  a query for MISS_SECONDS;
- off the event loop: queries run in this module's two threads. A fast endpoint (answered on
  the event loop) waits for one at most LOOP_WAIT_SECONDS, and the loop waits at most
  LOOP_WAIT_PER_SECOND seconds a second in all; a routed endpoint waits in its worker thread.

A known key never reaches this module: it stays one dict read.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Final

from app.core.keys import Principal

log = logging.getLogger(__name__)

RECHECKS_PER_SECOND: Final = 10.0
RECHECK_BURST: Final = 20
MISS_SECONDS: Final = 1.0
MISSES_MAX: Final = 4096
LOOP_WAIT_SECONDS: Final = 0.05
LOOP_WAIT_PER_SECOND: Final = 0.1
# A routed request waits in a worker thread; a query slower than this is an outage.
THREAD_WAIT_SECONDS: Final = 5.0

Lookup = Callable[[bytes], Principal | None]


class Allowance:
    """A token bucket: `rate` a second, up to `capacity`; thread-safe through the caller's lock."""

    def __init__(self, rate: float, capacity: float, clock: Callable[[], float]) -> None:
        self.rate, self.capacity, self._clock = rate, capacity, clock
        self._left, self._at = capacity, clock()

    def left(self) -> float:
        now = self._clock()
        self._left = min(self.capacity, self._left + (now - self._at) * self.rate)
        self._at = now
        return self._left

    def spend(self, amount: float) -> None:
        self._left -= amount


class KeyRecheck:
    """Asks the store about digests the snapshot does not hold; `lookup` runs the query."""

    def __init__(self, lookup: Lookup, clock: Callable[[], float] = time.monotonic) -> None:
        self._lookup = lookup
        self._clock = clock
        self._lock = threading.Lock()
        self._pending: dict[bytes, Future[Principal | None]] = {}
        self._misses: dict[bytes, float] = {}
        self._queries = Allowance(RECHECKS_PER_SECOND, RECHECK_BURST, clock)
        self._loop_wait = Allowance(LOOP_WAIT_PER_SECOND, LOOP_WAIT_SECONDS, clock)
        self._threads: ThreadPoolExecutor | None = None
        self.queries = 0  # how many were sent: what the tests count

    def on_loop(self, digest: bytes) -> Principal | None:
        """For the event loop: a short wait, within the loop's allowance for waiting."""
        future = self._asked(digest)
        if future is None:
            return None
        if future.done():
            return _result(future, 0)
        with self._lock:
            wait = min(LOOP_WAIT_SECONDS, self._loop_wait.left())
        if wait <= 0:
            return None
        started = self._clock()
        try:
            return _result(future, wait)
        finally:
            with self._lock:
                self._loop_wait.spend(self._clock() - started)

    def in_thread(self, digest: bytes) -> Principal | None:
        """For a worker thread: waits for the answer (THREAD_WAIT_SECONDS at most)."""
        future = self._asked(digest)
        return None if future is None else _result(future, THREAD_WAIT_SECONDS)

    def _asked(self, digest: bytes) -> Future[Principal | None] | None:
        """The query for `digest`: one already under way, a new one, or None (refuse now)."""
        with self._lock:
            pending = self._pending.get(digest)
            if pending is not None:
                return pending
            now = self._clock()
            if self._misses.get(digest, 0.0) > now:
                return None
            if len(self._misses) >= MISSES_MAX:
                self._misses = {d: until for d, until in self._misses.items() if until > now}
                if len(self._misses) >= MISSES_MAX:
                    return None
            if self._queries.left() < 1:
                return None
            self._queries.spend(1)
            self.queries += 1
            if self._threads is None:
                self._threads = ThreadPoolExecutor(2, thread_name_prefix="key-recheck")
            future = self._threads.submit(self._ask, digest)
            self._pending[digest] = future
            return future

    def _ask(self, digest: bytes) -> Principal | None:
        found: Principal | None = None
        try:
            found = self._lookup(digest)
        except Exception as error:  # refused for now; an outage is the sync's to report
            log.warning("key re-check failed: %s", type(error).__name__)
        with self._lock:
            del self._pending[digest]
            if found is None:
                self._misses[digest] = self._clock() + MISS_SECONDS
        return found


def _result(future: Future[Principal | None], wait: float) -> Principal | None:
    try:
        return future.result(timeout=wait)
    except FutureTimeout:
        return None
