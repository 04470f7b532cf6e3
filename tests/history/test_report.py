"""Keeping the first bad lines of many, and finding repeated ids in little memory."""

from __future__ import annotations

import random

from app.history.fingerprints import SeenIds, fingerprint
from app.history.report import BadLine, Problems


def test_the_first_lines_are_kept_whatever_order_they_come_in_and_all_are_counted() -> None:
    problems = Problems(shown=3)
    lines = list(range(2, 50))
    random.Random(5).shuffle(lines)
    for line in lines:
        problems.add(line, f"reason {line}")
    assert problems.count == 48
    assert problems.first() == [
        BadLine(2, "reason 2"),
        BadLine(3, "reason 3"),
        BadLine(4, "reason 4"),
    ]


def test_a_line_told_twice_is_one_bad_line_with_both_reasons() -> None:
    problems = Problems(shown=2)
    for line in (9, 3, 5):
        problems.add(line, f"reason {line}")
    problems.add(3, "another reason")  # shown: its reasons are joined
    problems.add(9, "another reason", counted=True)  # past the shown ones, counted already
    assert problems.count == 3
    assert problems.first() == [BadLine(3, "reason 3; another reason"), BadLine(5, "reason 5")]


def test_a_rejection_says_how_many_and_that_nothing_was_written() -> None:
    problems = Problems(shown=1)
    problems.extend([BadLine(4, "a"), BadLine(9, "b")])
    rejection = problems.rejection("history.csv")
    assert rejection.detail == "history.csv: 2 bad lines; nothing was written"
    assert (rejection.bad_lines, rejection.count, rejection.status) == ([BadLine(4, "a")], 2, 422)


def test_suspects_are_the_fingerprints_seen_twice() -> None:
    seen = SeenIds()
    for number in range(10_000):
        seen.add(f"inv-{number}")
    assert seen.suspects() == frozenset()
    seen.add("inv-17")
    seen.add("inv-17")
    assert seen.suspects() == {fingerprint("inv-17")}
