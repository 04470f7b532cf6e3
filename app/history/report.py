"""What is wrong with a history file: bad lines, each with its number and reason."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from app.core.errors import Invalid

SHOWN_MAX: Final = 1000  # bad lines kept for the report; the rest are counted


@dataclass(frozen=True)
class BadLine:
    line: int
    reason: str


class BadHistoryFile(Invalid):
    """The file has bad lines, so nothing was written; `bad_lines` holds the first SHOWN_MAX
    by line number, `count` says how many there are."""

    def __init__(self, file_name: str, bad_lines: list[BadLine], count: int) -> None:
        lines = "bad line" if count == 1 else "bad lines"
        super().__init__(f"{file_name}: {count:,} {lines}; nothing was written")
        self.bad_lines = bad_lines
        self.count = count


class Problems:
    """Bad lines found in any order: the first `shown` by line number are kept (a max-heap
    of them), all are counted, so a file of a million bad lines costs no more than a few."""

    def __init__(self, shown: int = SHOWN_MAX) -> None:
        self._shown = shown
        self._heap: list[tuple[int, int, str]] = []  # (-line, -arrival, reason)
        self.count = 0

    def add(self, line: int, reason: str) -> None:
        item = (-line, -self.count, reason)
        self.count += 1
        if len(self._heap) < self._shown:
            heapq.heappush(self._heap, item)
        elif item > self._heap[0]:
            heapq.heapreplace(self._heap, item)

    def extend(self, bad_lines: Iterable[BadLine]) -> None:
        for bad in bad_lines:
            self.add(bad.line, bad.reason)

    def first(self) -> list[BadLine]:
        return [BadLine(-line, reason) for line, _, reason in sorted(self._heap, reverse=True)]

    def rejection(self, file_name: str) -> BadHistoryFile:
        return BadHistoryFile(file_name, self.first(), self.count)
