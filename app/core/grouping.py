"""Group commit: writes that arrive while one is being written go to the store together next.

A single route or payment costs a transaction of its own: a dozen statements, the late lock
and a COMMIT, for one row of each kind. Under load, calls overlap: while one group is in its
transaction, the calls that arrive wait, and the next group takes all of them (up to
`most` at once) in one transaction. When calls do not overlap, each runs at once, alone, as
before: grouping adds no wait of its own.

No thread of its own: the first caller to find no group running runs the next one, for the
others too (a leader, as in flat combining), and every caller gets its own result or error.
A group fails as a whole only for what fails every call alike (`shared`, the store being
away); on any other error its calls run again one by one, so one call's fault is its own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Generic, NamedTuple, TypeVar

Call = TypeVar("Call")
Result = TypeVar("Result")


class Caller(NamedTuple):
    """Who made a call, and in which request: what its audit rows name, written in a group."""

    actor: str
    request_id: str | None


class _Waiting(Generic[Call, Result]):
    __slots__ = ("call", "done", "error", "result")

    def __init__(self, call: Call) -> None:
        self.call = call
        self.done = False
        self.result: Result | None = None
        self.error: BaseException | None = None

    def answer(self) -> Result:
        if self.error is not None:
            raise self.error
        return self.result  # type: ignore[return-value]  # set with done


class Grouped(Generic[Call, Result]):
    """Runs `write(calls)` (one transaction, a result per call, in order) for groups of calls."""

    def __init__(
        self,
        write: Callable[[Sequence[Call]], Sequence[Result]],
        *,
        most: int,
        shared: tuple[type[BaseException], ...],
    ) -> None:
        self._write = write
        self._most = most
        self._shared = shared
        self._changed = threading.Condition()
        self._queue: list[_Waiting[Call, Result]] = []
        self._running = False
        self.groups = 0  # transactions written: what the tests and the bench count

    @property
    def waiting(self) -> int:
        """How many calls wait for a group to take them."""
        with self._changed:
            return len(self._queue)

    def __call__(self, call: Call) -> Result:
        """`call`'s result, written alone or with the calls that arrived beside it."""
        waiting: _Waiting[Call, Result] = _Waiting(call)
        with self._changed:
            self._queue.append(waiting)
        while True:
            with self._changed:
                while self._running and not waiting.done:
                    self._changed.wait()
                if waiting.done:
                    return waiting.answer()
                self._running = True
                group = self._queue[: self._most]
                del self._queue[: self._most]
            try:
                self._run(group)
            finally:
                with self._changed:
                    self._running = False
                    self._changed.notify_all()

    def _run(self, group: list[_Waiting[Call, Result]]) -> None:
        """Answer every call of `group`, whatever happens."""
        self.groups += 1
        try:
            results = self._write([waiting.call for waiting in group])
            for waiting, result in zip(group, results, strict=True):
                waiting.result = result
        except self._shared as error:
            for waiting in group:
                waiting.error = error
        except Exception as error:
            if len(group) == 1:
                group[0].error = error
            else:
                for waiting in group:
                    self._run([waiting])
        except BaseException as error:  # the leader's thread is going: so is everyone's call
            for waiting in group:
                waiting.error = error
            raise
        finally:
            for waiting in group:
                waiting.done = True
