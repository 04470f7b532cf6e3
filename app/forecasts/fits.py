"""Fits kept per process: fitting every customer at a date reads a year or two of payments, so a
fit is made once per as_of and reused while nothing that could change it was written.

A fit for as_of stays good while the store version (bumped by imports, runs and every other
writing transaction) and the last change-feed row for open receivables (every payment and
route) are as they were, and for at most MAX_AGE_SECONDS. Fits hang off the store's engine
(weakly), so a new store never sees another's; at most KEPT dates are kept.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.forecasts import history, repository
from app.forecasts.model import Fit
from app.forecasts.patterns import Accumulator

MAX_AGE_SECONDS = 900.0
KEPT = 2

_Kept = OrderedDict[date, tuple[tuple[Any, ...], float, Fit]]
_fits: weakref.WeakKeyDictionary[Any, _Kept] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def fit_at(session: Session, as_of: date, customers: Sequence[str] | None) -> Fit:
    """Every customer owing at as_of (kept), or only `customers` (kept one reused if good)."""
    engine = session.get_bind()
    stamp = repository.written_stamp(session)
    with _lock:
        kept = _fits.get(engine)
        found = kept.get(as_of) if kept is not None else None
    if found is not None:
        found_stamp, made, fit = found
        if found_stamp == stamp and time.monotonic() - made <= MAX_AGE_SECONDS:
            return fit
    if customers is not None:
        return _fit(session, as_of, customers)
    fit = _fit(session, as_of, None)
    with _lock:
        kept = _fits.setdefault(engine, OrderedDict())
        kept[as_of] = (stamp, time.monotonic(), fit)
        kept.move_to_end(as_of)
        while len(kept) > KEPT:
            kept.popitem(last=False)
    return fit


def _fit(session: Session, as_of: date, customers: Sequence[str] | None) -> Fit:
    accumulator = Accumulator()
    history.pools(session, as_of, accumulator)
    history.own_history(session, as_of, customers, accumulator)
    return Fit.of(as_of, accumulator)


def forget() -> None:
    """Drop every kept fit (tests that time a cold fit)."""
    with _lock:
        _fits.clear()
