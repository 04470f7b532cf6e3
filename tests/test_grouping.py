"""Group commit (app/core/grouping.py): calls that arrive while a group is written go together
next, each gets its own answer, and one call's fault stays its own."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

import pytest

from app.core.errors import CommitUncertain, StoreUnavailable
from app.core.grouping import Grouped

WAIT_S = 10


class Writes:
    """A write function (run in a worker thread) that records each group and holds the first
    one until released."""

    def __init__(self, fail: Callable[[Sequence[int]], None] = lambda _calls: None) -> None:
        self.groups: list[list[int]] = []
        self.first_started = threading.Event()
        self.release = threading.Event()
        self._fail = fail

    def __call__(self, calls: Sequence[int]) -> list[str]:
        self.groups.append(list(calls))
        if len(self.groups) == 1:
            self.first_started.set()
            assert self.release.wait(WAIT_S)
        self._fail(calls)
        return [f"written {call}" for call in calls]


def run(test: Coroutine[Any, Any, None]) -> None:
    asyncio.run(asyncio.wait_for(test, WAIT_S))


async def behind_a_held_group(
    writes: Writes, grouped: Grouped[int, str], calls: range
) -> tuple[asyncio.Task[str], list[asyncio.Task[str]]]:
    """Call 0 is written first and held; `calls` then queue behind it; then it is released."""
    first = asyncio.create_task(grouped(0))
    assert await asyncio.to_thread(writes.first_started.wait, WAIT_S)
    queued = [asyncio.create_task(grouped(call)) for call in calls]
    await asyncio.sleep(0)  # each queued task runs to its wait
    assert grouped.waiting == len(calls)
    writes.release.set()
    await asyncio.wait([first, *queued])
    return first, queued


def test_a_lone_call_is_written_at_once_by_itself() -> None:
    writes = Writes()
    writes.release.set()
    grouped = Grouped(writes, most=64, shared=(StoreUnavailable,))

    async def test() -> None:
        assert await grouped(7) == "written 7"

    run(test())
    assert writes.groups == [[7]]


def test_calls_that_arrive_while_a_group_is_written_are_written_together_next() -> None:
    writes = Writes()
    grouped = Grouped(writes, most=64, shared=(StoreUnavailable,))

    async def test() -> None:
        first, queued = await behind_a_held_group(writes, grouped, range(1, 21))
        assert first.result() == "written 0"
        assert [task.result() for task in queued] == [f"written {c}" for c in range(1, 21)]

    run(test())
    assert writes.groups == [[0], list(range(1, 21))]
    assert grouped.groups == 2


def test_a_group_holds_at_most_its_limit() -> None:
    writes = Writes()
    grouped = Grouped(writes, most=8, shared=(StoreUnavailable,))

    async def test() -> None:
        _first, queued = await behind_a_held_group(writes, grouped, range(1, 21))
        assert [task.result() for task in queued] == [f"written {c}" for c in range(1, 21)]

    run(test())
    assert [len(group) for group in writes.groups] == [1, 8, 8, 4]


def test_one_calls_fault_fails_that_call_only() -> None:
    def fail(calls: Sequence[int]) -> None:
        if 13 in calls:
            raise ValueError("call 13 is bad")

    writes = Writes(fail)
    grouped = Grouped(writes, most=64, shared=(StoreUnavailable,))

    async def test() -> None:
        _first, queued = await behind_a_held_group(writes, grouped, range(1, 21))
        for call, task in zip(range(1, 21), queued, strict=True):
            if call == 13:
                with pytest.raises(ValueError, match="call 13 is bad"):
                    task.result()
            else:
                assert task.result() == f"written {call}"

    run(test())
    # The group failed whole, then each of its calls went again alone.
    assert writes.groups[1] == list(range(1, 21))
    assert writes.groups[2:] == [[call] for call in range(1, 21)]


def test_the_store_away_fails_every_call_of_the_group_without_a_retry_each() -> None:
    def away(calls: Sequence[int]) -> None:
        if len(calls) > 1:
            raise StoreUnavailable("The store is not answering; nothing was done.")

    writes = Writes(away)
    grouped = Grouped(writes, most=64, shared=(StoreUnavailable,))

    async def test() -> None:
        first, queued = await behind_a_held_group(writes, grouped, range(1, 11))
        assert first.result() == "written 0"
        for task in queued:
            with pytest.raises(StoreUnavailable):
                task.result()

    run(test())
    assert len(writes.groups) == 2


def test_calls_cut_off_by_a_stop_hear_that_their_outcome_is_unknown() -> None:
    writes = Writes()
    grouped = Grouped(writes, most=64, shared=(StoreUnavailable,))

    async def test() -> None:
        first = asyncio.create_task(grouped(0))
        assert await asyncio.to_thread(writes.first_started.wait, WAIT_S)
        queued = asyncio.create_task(grouped(1))
        await asyncio.sleep(0)
        writing = grouped._writing
        assert writing is not None
        writing.cancel()  # as the loop's shutdown cancels what is left
        for task in (first, queued):
            with pytest.raises(CommitUncertain):
                await task
        writes.release.set()

    run(test())
    assert grouped.waiting == 0


def test_calls_from_many_tasks_each_get_their_own_answer() -> None:
    writes = Writes()
    writes.release.set()
    grouped = Grouped(writes, most=16, shared=(StoreUnavailable,))

    async def test() -> None:
        answers = await asyncio.gather(*(grouped(call) for call in range(500)))
        assert answers == [f"written {call}" for call in range(500)]

    run(test())
    assert sorted(call for group in writes.groups for call in group) == list(range(500))
    assert all(len(group) <= 16 for group in writes.groups)
    assert len(writes.groups) < 500


def test_under_load_the_next_group_waits_for_as_many_calls_as_the_last() -> None:
    writes = Writes()
    grouped = Grouped(writes, most=64, shared=(StoreUnavailable,), linger=WAIT_S * 3)

    async def test() -> None:
        await behind_a_held_group(writes, grouped, range(1, 5))
        # The group of four is written; the next waits for four calls (far less than linger).
        late = []
        for call in range(5, 9):
            await asyncio.sleep(0.01)
            assert len(writes.groups) == 2
            late.append(asyncio.create_task(grouped(call)))
        assert [await task for task in late] == [f"written {c}" for c in range(5, 9)]

    run(test())
    assert writes.groups == [[0], [1, 2, 3, 4], [5, 6, 7, 8]]


def test_a_lingering_group_goes_with_fewer_calls_once_its_time_is_up() -> None:
    writes = Writes()
    grouped = Grouped(writes, most=64, shared=(StoreUnavailable,), linger=0.05)

    async def test() -> None:
        await behind_a_held_group(writes, grouped, range(1, 5))
        assert await grouped(5) == "written 5"

    run(test())
    assert writes.groups == [[0], [1, 2, 3, 4], [5]]
