"""The re-check of keys the snapshot does not know: coalesced, bounded, and never a cost to a
known key."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from app.core.keys import Principal
from app.terms.recheck import MISS_SECONDS, RECHECK_BURST, KeyRecheck

NEW = Principal("new", frozenset({"terms:read"}), "ann")


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_concurrent_misses_for_one_digest_share_one_query() -> None:
    asked = threading.Event()
    release = threading.Event()
    calls: list[bytes] = []

    def lookup(digest: bytes) -> Principal | None:
        calls.append(digest)
        asked.set()
        release.wait(10)
        return NEW

    recheck = KeyRecheck(lookup)
    together = threading.Barrier(9)

    def miss() -> Principal | None:
        together.wait(10)
        return recheck.in_thread(b"d" * 32)

    with ThreadPoolExecutor(8) as callers:
        answers = [callers.submit(miss) for _ in range(8)]
        together.wait(10)  # all eight are past the barrier, asking at once
        assert asked.wait(10)
        # The first query is held until the others have had ample time to ask too (a margin
        # for them to arrive, not a measurement); each must join it, not start its own.
        release.wait(0.5)
        release.set()
        assert [answer.result(10) for answer in answers] == [NEW] * 8
    assert len(calls) == 1


def test_a_flood_of_unknown_digests_is_held_to_the_query_allowance() -> None:
    clock = FakeClock()
    calls: list[bytes] = []

    def lookup(digest: bytes) -> Principal | None:
        calls.append(digest)
        return None

    recheck = KeyRecheck(lookup, clock=clock)
    for n in range(10 * RECHECK_BURST):
        assert recheck.in_thread(n.to_bytes(32, "big")) is None
    assert len(calls) == RECHECK_BURST
    assert recheck.queries == RECHECK_BURST


def test_a_digest_the_store_did_not_know_is_refused_without_a_query_for_a_while() -> None:
    clock = FakeClock()
    calls: list[bytes] = []

    def lookup(digest: bytes) -> Principal | None:
        calls.append(digest)
        return None

    recheck = KeyRecheck(lookup, clock=clock)
    for _ in range(5):
        assert recheck.in_thread(b"b" * 32) is None
    assert len(calls) == 1
    clock.now += MISS_SECONDS + 0.01
    assert recheck.in_thread(b"b" * 32) is None
    assert len(calls) == 2


def test_a_key_found_is_answered_on_the_loop_once_its_query_is_done() -> None:
    recheck = KeyRecheck(lambda digest: NEW)
    answers = [recheck.on_loop(b"e" * 32) for _ in range(3)]
    assert NEW in answers
