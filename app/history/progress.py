"""How far an import has got: a one-line bar on a terminal, nothing elsewhere."""

from __future__ import annotations

import time
from typing import Final, Protocol, TextIO

BAR_WIDTH: Final = 30
REDRAW_SECONDS: Final = 0.1


class Progress(Protocol):
    """Told of each pass over the file: its phase, then bytes and rows done, then its end."""

    def begin(self, phase: str, total_bytes: int) -> None: ...

    def advance(self, done_bytes: int, rows: int) -> None: ...

    def end(self) -> None: ...


class TerminalProgress:
    """`checking [#######.......]  45%  450,000 rows  3s`, redrawn in place ten times a second
    at most; give it a stream that is a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._phase = ""
        self._total = 1
        self._done = self._rows = 0
        self._started = self._drawn = 0.0

    def begin(self, phase: str, total_bytes: int) -> None:
        self._phase, self._total = phase, max(1, total_bytes)
        self._done = self._rows = 0
        self._started = time.monotonic()
        self._drawn = 0.0
        self._draw()

    def advance(self, done_bytes: int, rows: int) -> None:
        self._done, self._rows = min(done_bytes, self._total), rows
        if time.monotonic() - self._drawn >= REDRAW_SECONDS:
            self._draw()

    def end(self) -> None:
        self._done = self._total
        self._draw()
        self._stream.write("\n")
        self._stream.flush()

    def _draw(self) -> None:
        self._drawn = time.monotonic()
        share = self._done / self._total
        filled = int(share * BAR_WIDTH)
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        elapsed = self._drawn - self._started
        self._stream.write(
            f"\r{self._phase:<8} [{bar}] {share:4.0%}  {self._rows:,} rows  {elapsed:.0f}s"
        )
        self._stream.flush()
