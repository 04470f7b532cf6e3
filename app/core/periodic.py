"""Work a process repeats on a schedule (gauge refreshes), run off the event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


async def every(
    seconds: float, work: Callable[..., object], *args: Any, first_after: float = 0.0
) -> None:
    """Run `work(*args)` in a thread `first_after` seconds from now and then every `seconds`,
    until cancelled.

    A failure (the store down, say) leaves whatever `work` sets as it was and is tried again
    next time; it is logged once per run of failures, not at every turn."""
    failing = False
    await asyncio.sleep(first_after)
    while True:
        try:
            await off_loop(work, *args)
            failing = False
        except Exception as error:
            if not failing:
                log.warning("%s failed: %s", _name(work), type(error).__name__)
            failing = True
        await asyncio.sleep(seconds)


async def off_loop(work: Callable[..., object], *args: Any) -> None:
    """`work(*args)` in a thread; cancelled, it still ends before the caller goes on (so a
    query never outlives the store it runs on)."""
    running = asyncio.ensure_future(asyncio.to_thread(work, *args))
    try:
        await asyncio.shield(running)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):
            await running
        raise


def _name(work: Callable[..., object]) -> str:
    return f"{getattr(work, '__module__', '?')}.{getattr(work, '__qualname__', repr(work))}"
