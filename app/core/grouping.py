"""Group commit: writes that arrive while one is being written go to the store together next.

A single route or payment costs a transaction of its own: a dozen statements, the late lock
and a COMMIT, for one row of each kind. Under load, calls overlap: while one group is in its
transaction, the calls that arrive wait, and the next group takes all of them (up to
`most` at once) in one transaction. When calls do not overlap, each runs at once, alone, as
before: grouping adds no wait of its own.

Under load, the next group waits a moment for calls to arrive (`linger`, as PostgreSQL's
`commit_delay`): after a group of several calls, the next is taken once as many calls wait, or
after `linger` seconds, whichever comes first. Groups then stay large instead of alternating
large and small, and each call's share of a transaction's fixed cost stays small. After a
group of one (a quiet store), nothing lingers.

Callers wait on the event loop, not in threads: one task a store writes the groups, each in a
worker thread, while it has calls waiting, and hands every caller its own result or error. A
group fails as a whole only for what fails every call alike (`shared`, the store being away);
on any other error its calls run again one by one, so one call's fault is its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar

from app.core.errors import CommitUncertain

Call = TypeVar("Call")
Result = TypeVar("Result")


class Caller(NamedTuple):
    """Who made a call, and in which request: what its audit rows name, written in a group."""

    actor: str
    request_id: str | None


@dataclass(frozen=True, slots=True)
class _Failed:
    error: BaseException


class Grouped(Generic[Call, Result]):
    """Runs `write(calls)` (one transaction, a result per call, in order) for groups of calls;
    `sized` hears each group's size (a metric)."""

    def __init__(
        self,
        write: Callable[[Sequence[Call]], Sequence[Result]],
        *,
        most: int,
        shared: tuple[type[BaseException], ...],
        linger: float = 0.0,
        sized: Callable[[int], object] = lambda size: None,
    ) -> None:
        self._write = write
        self._sized = sized  # told each group's size as it is taken
        self._most = most
        self._shared = shared
        self._linger = linger
        self._enough: asyncio.Event | None = None  # set once `_wanted` calls wait
        self._wanted = 0
        self._queue: list[tuple[Call, asyncio.Future[Result]]] = []
        self._writing: asyncio.Task[None] | None = None
        self.groups = 0  # transactions written: what the tests count

    @property
    def waiting(self) -> int:
        """How many calls wait for a group to take them."""
        return len(self._queue)

    async def __call__(self, call: Call) -> Result:
        """`call`'s result, written alone or with the calls that arrived beside it."""
        answered: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._queue.append((call, answered))
        if self._enough is not None and len(self._queue) >= self._wanted:
            self._enough.set()
        if self._writing is None:
            self._writing = asyncio.create_task(self._write_waiting())
        return await answered

    async def _write_waiting(self) -> None:
        """Write groups while calls wait (or, after a group of several, may soon). A group cut
        off here (the server stopping) may have committed in its thread: its callers hear that
        the outcome is unknown."""
        group: list[tuple[Call, asyncio.Future[Result]]] = []
        try:
            while True:
                if len(group) > 1 and len(self._queue) < len(group):
                    await self._gather(len(group))
                if not self._queue:
                    break
                group = self._queue[: self._most]
                del self._queue[: self._most]
                self._sized(len(group))
                answers = await asyncio.to_thread(self._answers, [call for call, _ in group])
                for (_, answered), answer in zip(group, answers, strict=True):
                    if answered.done():  # its caller has gone
                        continue
                    if isinstance(answer, _Failed):
                        answered.set_exception(answer.error)
                    else:
                        answered.set_result(answer)
        finally:
            self._writing = None
            for _, answered in [*group, *self._queue]:
                if not answered.done():
                    answered.set_exception(CommitUncertain())
            self._queue.clear()

    async def _gather(self, wanted: int) -> None:
        """Wait until `wanted` calls wait, or `linger` seconds have passed."""
        self._wanted, self._enough = min(wanted, self._most), asyncio.Event()
        try:
            async with asyncio.timeout(self._linger):
                await self._enough.wait()
        except TimeoutError:
            pass
        finally:
            self._enough = None

    def _answers(self, calls: list[Call]) -> list[Result | _Failed]:
        """In a worker thread: every call's result or error, written together if they can be."""
        self.groups += 1
        try:
            return list(self._write(calls))
        except self._shared as error:
            return [_Failed(error)] * len(calls)
        except Exception as error:
            if len(calls) == 1:
                return [_Failed(error)]
            return [answer for call in calls for answer in self._answers([call])]
