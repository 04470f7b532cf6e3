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
    of their numbers, and their reasons by number), all are counted, so a file of a million bad
    lines costs no more than a few. A line told twice is one bad line with both reasons."""

    def __init__(self, shown: int = SHOWN_MAX) -> None:
        self._shown = shown
        self._heap: list[int] = []  # -line
        self._reasons: dict[int, str] = {}
        self.count = 0

    def add(self, line: int, reason: str, *, counted: bool = False) -> None:
        """`counted`: the line was added before, maybe past the shown ones, so count it once."""
        known = self._reasons.get(line)
        if known is not None:
            self._reasons[line] = f"{known}; {reason}"
            return
        if not counted:
            self.count += 1
        if len(self._heap) < self._shown:
            heapq.heappush(self._heap, -line)
        elif -line > self._heap[0]:
            del self._reasons[-heapq.heapreplace(self._heap, -line)]
        else:
            return
        self._reasons[line] = reason

    def extend(self, bad_lines: Iterable[BadLine]) -> None:
        for bad in bad_lines:
            self.add(bad.line, bad.reason)

    def first(self) -> list[BadLine]:
        return [BadLine(line, self._reasons[line]) for line in sorted(self._reasons)]

    def rejection(self, file_name: str) -> BadHistoryFile:
        return BadHistoryFile(file_name, self.first(), self.count)
