"""Fits kept per process: fitting every customer at a date reads a year or two of payments, so a
fit is made once per as_of and then moved on by what is written (app/forecasts/kept.py).

Fits hang off the store's engine (weakly), so a new store never sees another's; at most KEPT
dates are kept. termsgate_forecast_fits_total counts how each fit was come by.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.core.metrics import FORECAST_FITS
from app.core.store import Store
from app.forecasts import history, kept
from app.forecasts.kept import KeptFit
from app.forecasts.model import Fit
from app.forecasts.patterns import Accumulator

KEPT = 2
KEEP_UP_SECONDS = 60.0

_fits: weakref.WeakKeyDictionary[Any, OrderedDict[date, KeptFit]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def fit_at(
    session: Session, as_of: date, customers: Sequence[str] | None, *, keep: bool = True
) -> Fit:
    """Every customer owing at as_of (kept, and moved on), or only `customers` when no fit is
    kept for as_of (the pools come from everyone's payments). `keep=False`: a fit of its own,
    as a backtest makes for each of many dates."""
    engine = session.get_bind()
    with _lock:
        dates = _fits.get(engine)
        found = dates.get(as_of) if dates is not None else None
    if found is not None:
        moved = kept.moved_on(found, session)
        if moved is not None:
            FORECAST_FITS.labels(how="kept" if moved.fit is found.fit else "moved_on").inc()
            _keep(engine, as_of, moved)
            return moved.fit
    if customers is not None or not keep:
        FORECAST_FITS.labels(how="customers" if customers is not None else "made").inc()
        accumulator = Accumulator()
        history.pools(session, as_of, accumulator)
        history.own_history(session, as_of, customers, accumulator)
        return Fit.of(as_of, accumulator)
    FORECAST_FITS.labels(how="made").inc()
    made = kept.made(session, as_of)
    _keep(engine, as_of, made)
    return made.fit


def _keep(engine: Any, as_of: date, fit: KeptFit) -> None:
    with _lock:
        dates = _fits.setdefault(engine, OrderedDict())
        dates[as_of] = fit
        dates.move_to_end(as_of)
        while len(dates) > KEPT:
            dates.popitem(last=False)


def keep_up(store: Store) -> None:
    """Move this store's kept fits on (every KEEP_UP_SECONDS): a request then finds little to
    take in, and a fit never waits longer than the change feed keeps its rows."""
    with _lock:
        dates = list(_fits.get(store.engine, {}))
    for as_of in dates:
        with store.reading() as session:
            fit_at(session, as_of, None)


def forget() -> None:
    """Drop every kept fit (tests and benches that time a cold fit)."""
    with _lock:
        _fits.clear()
