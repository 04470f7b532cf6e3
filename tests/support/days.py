"""Today as the app's clock counts it, read when a test needs it.

The app's clock is UTC. A module constant such as ``TODAY = date.today()`` is read when the
module is imported, minutes before the test runs on a busy suite: a run that crosses midnight
then dates its data a day behind the app, and a promise "due today" is refused as past."""

from __future__ import annotations

from datetime import date

from app.core.clock import Clock


def today() -> date:
    """The app's today, now (the UTC date)."""
    return Clock().today()
