"""Group commit (app/core/grouping.py): calls that arrive while a group is written go together
next, each gets its own answer, and one call's fault stays its own."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from app.core.errors import StoreUnavailable
from app.core.grouping import Grouped

WAIT_S = 10


class Writes:
    """A write function that records each group and can hold the first one until released."""

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


def behind_a_held_group(
    writes: Writes, grouped: Grouped[int, str], calls: range
) -> tuple[Future[str], list[Future[str]]]:
    """Call 0 runs first and is held; `calls` then queue behind it; then it is released."""
    pool = ThreadPoolExecutor(len(calls) + 1)
    first = pool.submit(grouped, 0)
    assert writes.first_started.wait(WAIT_S)
    queued = [pool.submit(grouped, call) for call in calls]
    while grouped.waiting < len(calls):
        threading.Event().wait(0.005)
    writes.release.set()
    pool.shutdown(wait=True)
    return first, queued


def test_a_lone_call_is_written_at_once_by_itself() -> None:
    writes = Writes()
    writes.release.set()
    grouped = Grouped(writes, most=64, shared=(StoreUnavailable,))

    assert grouped(7) == "written 7"
    assert writes.groups == [[7]]


def test_calls_that_arrive_while_a_group_is_written_are_written_together_next() -> None:
    writes = Writes()
    grouped = Grouped(writes, most=64, shared=(StoreUnavailable,))

    first, queued = behind_a_held_group(writes, grouped, range(1, 21))

    assert first.result() == "written 0"
    assert [f.result() for f in queued] == [f"written {call}" for call in range(1, 21)]
    assert writes.groups == [[0], list(range(1, 21))]
    assert grouped.groups == 2


def test_a_group_holds_at_most_its_limit() -> None:
    writes = Writes()
    grouped = Grouped(writes, most=8, shared=(StoreUnavailable,))

    _first, queued = behind_a_held_group(writes, grouped, range(1, 21))

    assert [f.result() for f in queued] == [f"written {call}" for call in range(1, 21)]
    assert [len(group) for group in writes.groups] == [1, 8, 8, 4]


def test_one_calls_fault_fails_that_call_only() -> None:
    def fail(calls: Sequence[int]) -> None:
        if 13 in calls:
            raise ValueError("call 13 is bad")

    writes = Writes(fail)
    grouped = Grouped(writes, most=64, shared=(StoreUnavailable,))

    _first, queued = behind_a_held_group(writes, grouped, range(1, 21))

    for call, future in zip(range(1, 21), queued, strict=True):
        if call == 13:
            with pytest.raises(ValueError, match="call 13 is bad"):
                future.result()
        else:
            assert future.result() == f"written {call}"
    # The group failed whole, then each of its calls went again alone.
    assert writes.groups[1] == list(range(1, 21))
    assert writes.groups[2:] == [[call] for call in range(1, 21)]


def test_the_store_away_fails_every_call_of_the_group_without_a_retry_each() -> None:
    def away(calls: Sequence[int]) -> None:
        if len(calls) > 1:
            raise StoreUnavailable("The store is not answering; nothing was done.")

    writes = Writes(away)
    grouped = Grouped(writes, most=64, shared=(StoreUnavailable,))

    first, queued = behind_a_held_group(writes, grouped, range(1, 11))

    assert first.result() == "written 0"
    for future in queued:
        with pytest.raises(StoreUnavailable):
            future.result()
    assert len(writes.groups) == 2


def test_calls_from_many_threads_each_get_their_own_answer() -> None:
    writes = Writes()
    writes.release.set()
    grouped = Grouped(writes, most=16, shared=(StoreUnavailable,))

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(grouped, range(500)))

    assert answers == [f"written {call}" for call in range(500)]
    assert sorted(call for group in writes.groups for call in group) == list(range(500))
    assert all(len(group) <= 16 for group in writes.groups)
