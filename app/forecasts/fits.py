"""Fits kept per process: fitting every customer at a date reads a year or two of payments, so a
fit is made once per as_of and then moved on by what is written (app/forecasts/kept.py).

Fits hang off the store's engine (weakly), so a new store never sees another's; at most KEPT
dates are kept. A worker makes the next day's fit in the last AHEAD of a day, so the day's first
forecast finds it kept, and a request that finds a fit being made waits for it rather than
making another. termsgate_forecast_fits_total counts how each fit was come by.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final

from sqlalchemy.orm import Session

from app.core.clock import Clock
from app.core.metrics import FORECAST_FITS
from app.core.store import Store
from app.forecasts import history, kept
from app.forecasts.kept import KeptFit
from app.forecasts.model import Fit
from app.forecasts.patterns import Accumulator

KEPT: Final = 2
KEEP_UP_SECONDS: Final = 60.0
AHEAD: Final = timedelta(minutes=10)

_fits: weakref.WeakKeyDictionary[Any, OrderedDict[date, KeptFit]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()
_made = threading.Condition(_lock)
_making: set[tuple[Any, date]] = set()  # (engine, as_of) whose kept fit a thread makes or moves on


def fit_at(
    session: Session, as_of: date, customers: Sequence[str] | None, *, keep: bool = True
) -> Fit:
    """Every customer owing at as_of (kept, and moved on), or only `customers` when no fit is
    kept for as_of (the pools come from everyone's payments). `keep=False`: a fit of its own,
    as a backtest makes for each of many dates."""
    engine = session.get_bind()
    if customers is None and keep:
        with _alone(engine, as_of):
            return _kept_fit(session, engine, as_of)
    found = _moved_on(session, engine, as_of)
    if found is not None:
        return found
    FORECAST_FITS.labels(how="customers" if customers is not None else "made").inc()
    accumulator = Accumulator()
    history.pools(session, as_of, accumulator)
    history.own_history(session, as_of, customers, accumulator)
    return Fit.of(as_of, accumulator)


def _kept_fit(session: Session, engine: Any, as_of: date) -> Fit:
    found = _moved_on(session, engine, as_of)
    if found is not None:
        return found
    FORECAST_FITS.labels(how="made").inc()
    made = kept.made(session, as_of)
    _keep(engine, as_of, made)
    return made.fit


def _moved_on(session: Session, engine: Any, as_of: date) -> Fit | None:
    """The fit kept for as_of with what was written since, or None: none kept, or it would
    not move on."""
    with _lock:
        dates = _fits.get(engine)
        found = dates.get(as_of) if dates is not None else None
    if found is None:
        return None
    moved = kept.moved_on(found, session)
    if moved is None:
        return None
    FORECAST_FITS.labels(how="kept" if moved.fit is found.fit else "moved_on").inc()
    _keep(engine, as_of, moved)
    return moved.fit


@contextmanager
def _alone(engine: Any, as_of: date) -> Iterator[None]:
    """One thread at a time makes or moves on a store's fit for a date; the others wait and
    then find it kept."""
    with _made:
        while (engine, as_of) in _making:
            _made.wait()
        _making.add((engine, as_of))
    try:
        yield
    finally:
        with _made:
            _making.discard((engine, as_of))
            _made.notify_all()


def _keep(engine: Any, as_of: date, fit: KeptFit) -> None:
    with _lock:
        dates = _fits.setdefault(engine, OrderedDict())
        dates[as_of] = fit
        dates.move_to_end(as_of)
        while len(dates) > KEPT:
            dates.popitem(last=False)


def keep_up(store: Store, clock: Clock) -> None:
    """Move this store's kept fits on (every KEEP_UP_SECONDS): a request then finds little to
    take in, and a fit never waits longer than the change feed keeps its rows. In the last AHEAD
    of the day, make the next day's too: as of a day, only what is known counts, and what is
    written after the fit is made moves it on like any other."""
    with _lock:
        dates = list(_fits.get(store.engine, {}))
    now = clock.now()
    tomorrow = now.date() + timedelta(days=1)
    if tomorrow not in dates and datetime.combine(tomorrow, time(), UTC) - now <= AHEAD:
        dates.append(tomorrow)
    for as_of in dates:
        with store.reading() as session:
            fit_at(session, as_of, None)


def forget() -> None:
    """Drop every kept fit (tests and benches that time a cold fit)."""
    with _lock:
        _fits.clear()
